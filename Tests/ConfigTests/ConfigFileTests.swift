import Foundation
import Testing
@testable import Config

/// The one reader every config, keys and theme file goes through: regular files only, size-limited,
/// so nothing a user points agentmon at can make it hang.
@Suite("Config file reader") struct ConfigFileTests {
    func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-cfgfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    func failure(_ path: String, limit: Int = ConfigFile.sizeLimit) -> ConfigFile.ReadError? {
        do { _ = try ConfigFile.read(path, limit: limit); return nil } catch { return error }
    }

    @Test func aRegularFileIsReadWhole() throws {
        let path = try tempDir() + "/a.toml"
        try Data("x = 1\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try ConfigFile.read(path) == Array("x = 1\n".utf8))
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(try ConfigFile.read(path) == [])
    }

    @Test func specialFilesAreRefusedAtOnce() throws {
        let dir = try tempDir()
        let fifo = dir + "/fifo.toml"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(failure(fifo) == .notRegular(kind: "a FIFO"))  // a blocking open would wait for a writer forever
        #expect(failure("/dev/zero") == .notRegular(kind: "a device"))
        #expect(failure(dir) == .notRegular(kind: "a directory"))
        #expect(failure(dir + "/missing.toml") == .missing)
        #expect(failure("/dev/zero")?.description == "is a device, not a regular file")
    }

    @Test func aFileOverTheLimitIsRefused() throws {
        let path = try tempDir() + "/big.toml"
        try Data(repeating: 0x61, count: 101).write(to: URL(fileURLWithPath: path))
        #expect(failure(path, limit: 100) == .tooBig(limit: 100))
        #expect(try ConfigFile.read(path, limit: 101).count == 101)
        #expect(ConfigFile.ReadError.tooBig(limit: 1 << 20).description == "is larger than 1 MiB")
    }

    @Test func procFilesThatClaimSizeZeroAreReadToTheirEnd() throws {
        let bytes = try ConfigFile.read("/proc/self/status")
        #expect(String(decoding: bytes, as: UTF8.self).contains("Name:"))
    }
}
