import Foundation
import ArgumentParser
import Core
import Storage

/// `agentmon rule`: approval rules that answer agents' permission requests before they reach a person.
struct RuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule", abstract: "Approval rules: allow, deny or ask for an agent's permission requests.",
        discussion: """
            Rules are applied in order and the first that matches decides; with no match the agent asks (the request waits \
            in the inbox). A rule matches when each of its set fields does: --agent (the agent's slug), --tool (the tool \
            name, any case) and --match (a regular expression searched in the request's input). Typical rules: \
            'rule add --tool Read --decision allow', 'rule add --tool Bash --match "rm -rf" --decision deny', \
            'rule add --decision ask'. A decision made by a rule is recorded as 'rule #ID'.
            """,
        subcommands: [Add.self, List.self, Remove.self])

    static func json(_ r: ApprovalRule) -> JSONValue {
        .object(["id": .number(Double(r.id)), "position": .number(Double(r.position)), "agent": r.agentSlug.map(JSONValue.string) ?? .null,
                 "tool": r.toolName.map(JSONValue.string) ?? .null, "match": r.match.map(JSONValue.string) ?? .null,
                 "decision": .string(r.decision.rawValue), "created_by": .string(r.createdBy), "created_at": JSONOutput.time(r.createdAt)])
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a rule after the existing ones.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this agent (its slug).") var agent: String?
        @Option(help: "Only this tool (e.g. Bash, Read, Edit; for Codex: commandExecution, fileChange).") var tool: String?
        @Option(help: "A regular expression searched in the request's input (its JSON and each string in it).") var match: String?
        @Option(help: "allow, deny or ask.") var decision: String
        @Flag(help: "Print the rule as JSON.") var json = false

        func run() throws {
            guard let d = ApprovalRule.Decision(rawValue: decision) else {
                throw CLIError("unknown --decision '\(Printable.cell(decision))' (expected allow, deny or ask)")
            }
            let store = try global.openStore()
            defer { store.close() }
            var agentId: ID?
            if let slug = agent {
                guard let a = try store.agents.find(slug: slug) else { throw CLIError("no agent with slug '\(Printable.cell(slug))'") }
                agentId = a.id
            }
            let rule = try store.rules.add(agentId: agentId, toolName: tool, match: match, decision: d, by: ExecJSON.user)
            if json { JSONOutput.print(RuleCommand.json(rule)); return }
            Console.line("added rule #\(rule.id): \(RuleCommand.describe(rule))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The rules in the order they are applied.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON: id, position, agent, tool, match, decision, created_by, created_at.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let rules = try store.rules.list()
            if json { JSONOutput.print(.array(rules.map(RuleCommand.json))); return }
            TextTable.print(header: ["ID", "AGENT", "TOOL", "MATCH", "DECISION"], rows: rules.map { r in
                [String(r.id), r.agentSlug ?? "*", r.toolName ?? "*", r.match ?? "*", r.decision.rawValue]
            })
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a rule.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Rule id, as 'rule list' prints it.") var id: String

        func run() throws {
            guard let rid = ID(id.trimmingCharacters(in: .whitespaces)), rid > 0 else {
                throw CLIError("'\(Printable.cell(id))' is not a rule id (a positive number)")
            }
            let store = try global.openStore()
            defer { store.close() }
            try store.rules.remove(rid)
            Console.line("removed rule #\(rid)")
        }
    }

    static func describe(_ r: ApprovalRule) -> String {
        let scope = [r.agentSlug.map { "agent \($0)" }, r.toolName.map { "tool \($0)" }, r.match.map { "input matching /\($0)/" }]
            .compactMap { $0 }
        return "\(r.decision.rawValue) " + (scope.isEmpty ? "every request" : scope.joined(separator: ", "))
    }
}
