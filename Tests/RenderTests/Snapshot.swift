// Text snapshots of rendered buffers. RECORD_SNAPSHOTS=1 writes them into
// Tests/RenderTests/Snapshots (the source folder, so they can be committed); otherwise the
// buffer is compared with the stored file and a mismatch fails with a line-by-line diff.

import Foundation
import Testing
import Render
import TestSupport

enum Snapshot {
    static var sourceFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    }

    static func stored(_ name: String) -> String? {
        let file = sourceFolder.appendingPathComponent(name + ".txt")
        if let s = try? String(contentsOf: file, encoding: .utf8) { return s }
        // Fall back to the copy bundled as a test resource.
        if let url = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Snapshots") {
            return try? String(contentsOf: url, encoding: .utf8)
        }
        return nil
    }

    static func assert(_ buffer: Buffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        // A frame around the text keeps trailing spaces visible and editors from trimming them; the styles follow.
        let text = StyledSnapshot.text(buffer, framed: true)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(at: sourceFolder, withIntermediateDirectories: true)
            try? text.write(to: sourceFolder.appendingPathComponent(name + ".txt"), atomically: true, encoding: .utf8)
            return
        }
        guard let expected = stored(name) else {
            Issue.record("no snapshot '\(name)'; run with RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
            return
        }
        guard expected != text else { return }
        Issue.record(Comment(rawValue: "snapshot '\(name)' differs:\n" + diff(expected, text)), sourceLocation: sourceLocation)
    }

    /// Only the differing lines, numbered, expected above actual.
    static func diff(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(e.count, a.count) {
            let l = i < e.count ? String(e[i]) : "<missing>"
            let r = i < a.count ? String(a[i]) : "<missing>"
            if l != r { out.append(String(format: "%3d - %@\n    + %@", i + 1, l, r)) }
        }
        return out.joined(separator: "\n")
    }
}
