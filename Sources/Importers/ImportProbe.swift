import Foundation

/// Parsing alone, with nothing stored: the reference the import benchmark measures itself against.
public enum ImportProbe {
    /// The JSON records in `data` (lines that are not JSON are skipped, as the importers do).
    public static func records(in data: Data) -> Int { JSONLines(data: data).lines.count }
    /// The same on the calling thread alone.
    public static func recordsOnOneCore(in data: Data) -> Int {
        data.withUnsafeBytes { JSONLines(buffer: $0, parts: 1).lines.count }
    }
}
