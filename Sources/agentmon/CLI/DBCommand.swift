import Foundation
import ArgumentParser
import Core
import Storage

struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Migrate, inspect, validate or roll back the database schema.",
        subcommands: [Migrate.self, Status.self, Validate.self, Rollback.self])

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending migrations, each in its own transaction.")
        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Show what would be applied without applying it.") var dryRun = false
        @Option(name: .long, parsing: .unconditional, help: "Apply at most N migrations.",
                transform: { try NumberArgument.int($0, "--limit", 0...Int.max) })
        var limit: Int?

        func run() throws {
            if let limit, limit < 0 { throw CLIError("--limit must be 0 or more") }
            let db = try global.openDatabase()
            defer { db.close() }
            let steps = try Migrator(db).migrate(dryRun: dryRun, limit: limit)
            if steps.isEmpty { Console.line("database is up to date (\(db.displayName))"); return }
            for s in steps {
                Console.line(dryRun ? "would apply \(s.id) \(s.description)" : "applied \(s.id) \(s.description) (\(s.executionMs) ms)")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show applied and pending migrations.")
        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            let db = try global.openDatabase()
            defer { db.close() }
            let s = try Migrator(db).summary()
            if json {
                JSONOutput.print(.object([
                    "database": .string(db.displayName), "dialect": .string(db.dialect.rawValue),
                    "current": JSONOutput.text(s.current),
                    "applied": .array(s.applied.map { a in
                        .object(["id": .string(a.id), "description": .string(a.description), "checksum": .string(a.checksum),
                                 "applied_at": JSONOutput.time(a.appliedAt), "execution_ms": JSONOutput.int(a.executionMs)])
                    }),
                    "pending": .array(s.pending.map { .object(["id": .string($0.id), "description": .string($0.description)]) }),
                    "problems": .array(s.problems.map { .object(["id": .string($0.id), "problem": .string($0.description)]) }),
                ]))
            } else {
                Console.line("database: \(db.displayName) (\(db.dialect.rawValue))")
                Console.line("current:  \(s.current ?? "none")")
                for a in s.applied {
                    Console.line("  applied  \(a.id) \(a.description)  [\(SQLTime.format(a.appliedAt)), \(a.executionMs) ms]")
                }
                for p in s.pending { Console.line("  pending  \(p.id) \(p.description)") }
            }
            if !s.problems.isEmpty {
                throw CLIError(s.problems.map(\.description).joined(separator: "; "))
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check applied migrations against this binary: edited, missing or unknown ones fail.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let db = try global.openDatabase()
            defer { db.close() }
            let m = Migrator(db)
            try m.requireValid()
            let s = try m.summary()
            Console.line("ok: \(s.applied.count) applied, \(s.pending.count) pending, every checksum matches")
        }
    }

    struct Rollback: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rollback", abstract: "Roll back the most recently applied migration.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let db = try global.openDatabase()
            defer { db.close() }
            if let step = try Migrator(db).rollbackLast() {
                Console.line("rolled back \(step.id) \(step.description) (\(step.executionMs) ms)")
            } else {
                Console.line("nothing to roll back")
            }
        }
    }
}
