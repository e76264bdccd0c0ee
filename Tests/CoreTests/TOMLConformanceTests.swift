import Foundation
import Testing
@testable import Core

/// Cases from the TOML project's own suite (github.com/toml-lang/toml-test, TOML 1.0): each valid file
/// must parse to exactly the tagged JSON beside it; each invalid file must be an error with a line.
@Suite("TOML conformance (toml-test)") struct TOMLConformanceTests {
    static var root: URL {
        if let dir = ProcessInfo.processInfo.environment["TOML_TEST_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        return Bundle.module.resourceURL!.appendingPathComponent("Fixtures/toml-test")
    }

    static func files(_ kind: String, _ ext: String) -> [String] {
        let base = root.appendingPathComponent(kind)
        let all = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix("." + ext) }.sorted()
    }

    @Test func theFixturesAreThere() {
        #expect(Self.files("valid", "toml").count >= 200)
        #expect(Self.files("invalid", "toml").count >= 400)
    }

    @Test func validFilesParseToTheExpectedValues() throws {
        var failures: [String] = []
        for name in Self.files("valid", "toml") {
            let base = Self.root.appendingPathComponent("valid")
            let bytes = try [UInt8](Data(contentsOf: base.appendingPathComponent(name)))
            let expected = try JSONSerialization.jsonObject(
                with: Data(contentsOf: base.appendingPathComponent(String(name.dropLast(4)) + "json")))
            do {
                let table = try TOML.parse(bytes: bytes)
                if !Self.same(.table(table), expected) { failures.append("\(name): parsed to other values") }
            } catch {
                failures.append("\(name): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) valid files failed:\n\(failures.joined(separator: "\n"))")
    }

    @Test func invalidFilesAreErrorsWithALine() throws {
        var accepted: [String] = []
        for name in Self.files("invalid", "toml") {
            let bytes = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("invalid/" + name)))
            do {
                _ = try TOML.parse(bytes: bytes)
                accepted.append(name)
            } catch {
                #expect(error.line >= 1 && error.line <= bytes.filter { $0 == 0x0A }.count + 1, "\(name): \(error)")
                #expect(!error.message.isEmpty && !error.message.contains("\n"))
            }
        }
        #expect(accepted.isEmpty, "\(accepted.count) invalid files were accepted:\n\(accepted.joined(separator: "\n"))")
    }

    /// Compares a value with toml-test's tagged JSON (`{"type": "integer", "value": "1"}`).
    static func same(_ v: TOMLValue, _ json: Any) -> Bool {
        switch v {
        case .table(let t):
            guard let o = json as? [String: Any], o.count == t.count else { return false }
            return t.allSatisfy { k, v in o[k].map { same(v, $0) } ?? false }
        case .array(let a):
            guard let o = json as? [Any], o.count == a.count else { return false }
            return zip(a, o).allSatisfy { same($0, $1) }
        default:
            guard let o = json as? [String: Any], let type = o["type"] as? String, let text = o["value"] as? String else { return false }
            switch v {
            case .string(let s): return type == "string" && s == text
            case .integer(let n): return type == "integer" && Int64(text) == n
            case .boolean(let b): return type == "bool" && text == String(b)
            case .float(let d):
                guard type == "float" else { return false }
                if d.isNaN { return text.hasSuffix("nan") }
                let e = text == "inf" || text == "+inf" ? Double.infinity : text == "-inf" ? -Double.infinity : Double(text)
                return e == d
            case .dateTime(let d):
                let kind = d.offsetMinutes != nil ? "datetime" : d.date == nil ? "time-local" : d.time == nil ? "date-local" : "datetime-local"
                return type == kind && TOMLParser.dateTime(Array(text.utf8)) == d
            default: return false
            }
        }
    }
}
