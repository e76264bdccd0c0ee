import Foundation
import Core
import Storage
@testable import Importers

/// A fresh SQLite database in a temp folder.
func tempStore() throws -> (Store, URL) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return (try Store.open(dir.appendingPathComponent("test.db").path), dir)
}

func fixture(_ path: String) -> String {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(path).path
}

func session(_ store: Store, _ externalId: String) throws -> Session {
    guard let s = try store.sessions.find(externalSessionId: externalId) else { throw StorageError.notFound(externalId) }
    return s
}

/// Row counts of the whole database, to show a second import changes nothing.
struct Counts: Equatable {
    var sessions = 0, messages = 0, toolCalls = 0
    var tokens: Int64 = 0
    var cost = 0.0
    init(_ store: Store) throws {
        let all = try store.sessions.list(limit: 10_000)
        sessions = all.count
        for s in all {
            messages += try store.messages.count(sessionId: s.id)
            toolCalls += try store.toolCalls.query(sessionId: s.id).count
            tokens += s.inputTokens + s.outputTokens + s.cacheReadTokens + s.cacheWriteTokens
            cost += s.costUsd
        }
    }
}

func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }
