import Foundation
import Testing
import Core
import Storage
import MCPServer
import FuzzCorpus

/// Mutated JSON-RPC lines through the MCP server's own read loop (StdioTransport over pipes) against a
/// scratch board: it never crashes, answers every answer as one JSON-RPC line, never with an internal
/// error, and still answers the ping that ends the stream.
@Suite("Fuzz: JSON-RPC lines through agentmon mcp") struct MCPFuzzTests {
    static let cases = 3_000
    static let baseSeed = SeededRandom.baseSeed(fallback: 0x4D43_5001, environment: ProcessInfo.processInfo.environment)

    @Test func hostileLinesNeverCrashTheServer() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-mcpfuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store.open(dir.appendingPathComponent("board.db").path)
        defer { store.close() }
        let bot = try store.agents.create(Agent(slug: "bot", name: "Bot", binaryPath: "/bin/echo"))
        try store.agents.addCapability(Capability(agentId: bot.id, key: "say", label: "Say", mode: .template, commandTokens: ["{{word}}"]))
        for t in ["one", "two", "three"] { try store.tasks.create(NewTask(title: t)) }

        var input: [UInt8] = [], counts: [JSONRPCMutator.Mutation: Int] = [:]
        var rng = SeededRandom(seed: Self.baseSeed)
        let mutator = JSONRPCMutator()
        for _ in 0..<Self.cases {
            let (line, m) = mutator.generate(&rng)
            counts[m, default: 0] += 1
            input += line + [0x0A]
        }
        input += Array(#"{"jsonrpc":"2.0","id":"last","method":"ping"}"#.utf8) + [0x0A]

        let inPipe = Pipe(), outPipe = Pipe()
        let writer = inPipe.fileHandleForWriting, bytes = input
        Thread { writer.write(Data(bytes)); try? writer.close() }.start()
        let output = Locked(Data())
        let reader = outPipe.fileHandleForReading, done = DispatchSemaphore(value: 0)
        Thread { output.with { $0 = reader.readDataToEndOfFile() }; done.signal() }.start()
        let session = MCPSession(tools: ToolBox(store: store, actor: MCPActor(executionId: nil, agentSlug: "bot")), version: "fuzz")
        StdioTransport.serve(session, input: inPipe.fileHandleForReading.fileDescriptor, output: outPipe.fileHandleForWriting.fileDescriptor)
        try outPipe.fileHandleForWriting.close()
        #expect(done.wait(timeout: .now() + 60) == .success)

        let seedNote = "AGENTMON_FUZZ_SEED=0x\(String(Self.baseSeed, radix: 16)), \(counts.map { "\($0.key.rawValue) \($0.value)" }.sorted())"
        let lines = output.get.split(separator: 0x0A)
        #expect(lines.count > Self.cases / 2, "most lines get an answer: \(lines.count); \(seedNote)")
        var internalErrors = 0
        for raw in lines {
            #expect(!raw.contains { $0 < 0x20 }, "an answer is one line of escaped JSON; \(seedNote)")
            guard let m = JSONParser.parse(raw), m["jsonrpc"] == "2.0", (m["result"] == nil) != (m["error"] == nil) else {
                Issue.record("not a JSON-RPC answer: \(String(decoding: raw.prefix(300), as: UTF8.self)); \(seedNote)")
                continue
            }
            if m["error"]?["code"] == -32603 { internalErrors += 1 }
        }
        #expect(internalErrors == 0, "no internal errors; \(seedNote)")
        #expect(lines.last.flatMap { JSONParser.parse($0) }?["id"] == "last", "the server still answers after the storm; \(seedNote)")
        // The board is still whole: every task readable, every event of it parsed.
        for t in try store.tasks.list() { _ = try store.tasks.events(taskId: t.id) }
    }
}
