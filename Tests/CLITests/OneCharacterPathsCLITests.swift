import Foundation
import Testing
import CLISupport

/// A path of one character is a path like any other. Foundation's `deletingLastPathComponent` traps on
/// one (`x`, `é`), and `agentmon --db x …` stopped with SIGILL (scripts/fuzz, seed 1202, case 1843).
@Suite("CLI: one-character paths") struct OneCharacterPathsCLITests {
    @Test func databaseLogFolderAndDemoFolderOfOneCharacter() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-onechar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func run(_ args: String...) throws -> CLIResult { try CLI.run(args, cwd: dir) }

        let added = try run("--db", "x", "task", "add", "--title", "one letter")
        #expect(added.status == 0, "\(added.stderr)")
        let listed = try run("--db", "x", "task", "list")
        #expect(listed.status == 0 && listed.stdout.contains("one letter"), "\(listed.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path), "the database is x in the working folder")

        let worker = try run("--db", "x", "worker", "--once", "--quiet", "--log-dir", "y")
        #expect(worker.status == 0, "\(worker.stderr)")

        let demo = try run("--db", "é", "demo", "--fill-only")
        #expect(demo.status == 0 && demo.stdout.contains("demo project"), "\(demo.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("é").path))
    }
}
