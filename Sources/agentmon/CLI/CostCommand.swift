import Foundation
import ArgumentParser
import Core
import Storage

/// `agentmon cost`: by task, agent or session (whole sessions), or as ccusage reports it, by day, week, month or
/// 5-hour block, each API call at its own time (docs/cost.md).
struct CostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cost", abstract: "Tokens and cost of agent sessions.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "task, agent, session, day, week, month or block (5-hour billing windows).") var by: String = "agent"
    @Option(help: "Only usage on or after this date (ISO 8601); blocks that start on or after it.") var since: String?
    @Flag(help: "Under each day, week, month or block, a row per model.") var breakdown = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: .hidden) var now: String?

    static let groupings = "task, agent, session, day, week, month or block"

    /// Checked while parsing, before any database is opened.
    func validate() throws {
        _ = try since.map { try TaskCommand.date($0, "--since") }
        _ = try now.map { try TaskCommand.date($0, "--now") }
        guard CostGrouping(rawValue: by) != nil || by == "block" || UsagePeriodKind(rawValue: by) != nil else {
            throw CLIError("unknown --by '\(Printable.cell(by))' (expected \(Self.groupings))")
        }
        if breakdown, CostGrouping(rawValue: by) != nil {
            throw CLIError("--breakdown needs --by day, week, month or block")
        }
    }

    func run() throws {
        let sinceDate = try since.map { try TaskCommand.date($0, "--since") }
        let store = try global.openStore()
        defer { store.close() }
        if by == "block" {
            let prices = try store.settings.priceTable()
            let at = try now.map { try TaskCommand.date($0, "--now") } ?? Date()
            let blocks = UsageBlocks.identify(try store.sessions.usageEntries(prices: prices), now: at)
                .filter { b in sinceDate.map { b.start >= $0 } ?? true }
            CostReport.printBlocks(blocks, json: json, breakdown: breakdown, now: at)
        } else if let kind = UsagePeriodKind(rawValue: by) {
            let entries = try store.sessions.usageEntries(since: sinceDate, prices: try store.settings.priceTable())
            CostReport.printPeriods(UsagePeriods.group(entries, by: kind), kind: kind, json: json, breakdown: breakdown)
        } else if let grouping = CostGrouping(rawValue: by) {
            printSessions(try store.sessions.costs(by: grouping, since: sinceDate))
        }
    }

    private func printSessions(_ rows: [CostRow]) {
        if json {
            JSONOutput.print(.array(rows.map { r in
                .object([by: .string(r.key), "label": .string(r.label), "sessions": JSONOutput.int(r.sessions),
                         "input_tokens": JSONOutput.int(r.inputTokens), "output_tokens": JSONOutput.int(r.outputTokens),
                         "cache_read_tokens": JSONOutput.int(r.cacheReadTokens), "cache_write_tokens": JSONOutput.int(r.cacheWriteTokens),
                         "cost_usd": .number(r.costUsd)])
            }))
            return
        }
        TextTable.print(header: [by.uppercased(), "SESSIONS", "INPUT", "OUTPUT", "CACHE READ", "COST", "NAME"], rows: rows.map { r in
            [r.key, String(r.sessions), String(r.inputTokens), String(r.outputTokens), String(r.cacheReadTokens),
             String(format: "$%.4f", r.costUsd), r.label]
        } + [["total", String(rows.reduce(0) { $0 + $1.sessions }), String(rows.reduce(0) { $0 + $1.inputTokens }),
              String(rows.reduce(0) { $0 + $1.outputTokens }), String(rows.reduce(0) { $0 + $1.cacheReadTokens }),
              String(format: "$%.4f", rows.reduce(0) { $0 + $1.costUsd }), ""]])
    }
}
