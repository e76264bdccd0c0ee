import Foundation
import Testing
import CLISupport
import Core
import FuzzCorpus
@testable import Storage

/// `exec logs`: bytes to a pipe or with --raw, sanitised lines on a terminal, and the database chunks when a
/// write error cut the log file (`log_file_incomplete`).
@Suite("CLI: exec logs") struct ExecLogsCLITests {
    static let fileBytes = Array("line 1 from the file\n".utf8)  // the file was cut after its first line
    static let chunkBytes = Array("line 1 from the file\nline 2 \u{1B}]2;pwned\u{07} only in the database\n\u{1B}[31mred\u{1B}[0m \u{202E}x\n".utf8)

    /// A finished run whose log file holds less than its database chunks; returns its id.
    func finishedRun(_ db: CLIDatabase) throws -> (ID, Store) {
        #expect(try db.run("agent", "add", "--slug", "sh", "--name", "shell", "--binary", "/bin/sh").status == 0)
        #expect(try db.run("capability", "add", "--agent", "sh", "--key", "say", "--label", "Say", "--command", "-c", "true").status == 0)
        #expect(try db.run("task", "add", "--title", "t").status == 0)
        let queued = try db.run("run", "--task", "1", "--capability", "sh:say")
        let id = try #require(ID(queued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(queued.stderr)")
        let store = try Store(db: openRaw(db.url))
        let e = try #require(try store.executions.claim(workerId: "w1"))
        #expect(e.id == id)
        let file = db.dir.appendingPathComponent("run-\(id).log")
        try Data(Self.fileBytes).write(to: file)
        try store.executions.setProcess(id, workerId: "w1", pid: nil, logFilePath: file.path)
        try store.executions.appendLog(id, Array(Self.chunkBytes.prefix(Self.fileBytes.count)))
        try store.executions.appendLog(id, Array(Self.chunkBytes.dropFirst(Self.fileBytes.count)))
        return (id, store)
    }

    @Test(arguments: CLIBackend.allCases)
    func anIncompleteFileHandsOverToTheChunks(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (id, store) = try finishedRun(db)
        defer { store.close() }
        // The file is read while it is complete: this machine can reach it.
        #expect(Array(try db.run("exec", "logs", "\(id)").stdoutBytes) == Self.fileBytes)
        #expect(try store.executions.markLogFileIncomplete(id, workerId: "w1", attempt: 1, error: "No space left on device"))
        _ = try store.executions.finish(id, workerId: "w1", attempt: 1, outcome: .succeeded, exitCode: 0, error: nil)
        #expect((try db.run("exec", "show", "\(id)", "--json").json as? [String: Any])?["log_file_incomplete"] as? Bool == true)
        // To a pipe: the bytes as they are, from the database, whole.
        let piped = try db.run("exec", "logs", "\(id)")
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(Array(piped.stdoutBytes) == Self.chunkBytes)
        #expect(Array(try db.run("exec", "logs", "\(id)", "--raw").stdoutBytes) == Self.chunkBytes)
    }

    @Test(arguments: CLIBackend.allCases)
    func aTerminalGetsSanitisedLinesUnlessRaw(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (id, store) = try finishedRun(db)
        #expect(try store.executions.markLogFileIncomplete(id, workerId: "w1", attempt: 1, error: "No space left on device"))
        store.close()
        // script(1) gives the command a pseudo-terminal as stdout; the terminal adds a CR to each line.
        func onTerminal(_ extra: String) throws -> [UInt8] {
            let cmd = [CLI.binary, "--db", db.url, "exec", "logs", "\(id)"].map { "'\($0)'" }.joined(separator: " ") + extra
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            p.arguments = ["-qec", cmd, "/dev/null"]
            p.standardInput = FileHandle.nullDevice
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(String(decoding: data, as: UTF8.self))")
            return Array(data).filter { $0 != 0x0D }
        }
        let shown = try onTerminal("")
        #expect(TerminalHazards.first(in: shown) == nil, "\(String(decoding: shown, as: UTF8.self).debugDescription)")
        let text = String(decoding: shown, as: UTF8.self)
        #expect(text.contains("line 2 ^[]2") && text.contains("only in the database") && text.contains("<U+202E>x"))
        #expect(text.split(separator: "\n").count == 3, "one line for each line of the log")
        let raw = try onTerminal(" --raw")
        #expect(raw.contains(0x1B), "--raw keeps the escape sequences")
    }
}
