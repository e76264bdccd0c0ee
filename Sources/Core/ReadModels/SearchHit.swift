import Foundation

/// One place a search found its words: a message, or a tool call's input or output, with where to open the
/// transcript (`seq`) and a one-line snippet whose matches are given as ranges (never as escape codes).
public struct SearchHit: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case message
        case toolInput = "tool_input"
        case toolOutput = "tool_output"
    }

    public var sessionId: ID
    public var sessionTitle: String?
    public var agent: String
    /// The message found, or the tool call's message (its result's for an output); nil when it has none.
    public var messageId: ID?
    public var seq: Int64?
    public var kind: Kind
    public var createdAt: Date
    /// One line: control characters and line breaks are spaces.
    public var snippet: String
    /// Matches in `snippet`, as character (grapheme) offsets.
    public var highlights: [Range<Int>]

    public init(sessionId: ID, sessionTitle: String?, agent: String, messageId: ID?, seq: Int64?, kind: Kind,
                createdAt: Date, snippet: String, highlights: [Range<Int>]) {
        self.sessionId = sessionId; self.sessionTitle = sessionTitle; self.agent = agent; self.messageId = messageId
        self.seq = seq; self.kind = kind; self.createdAt = createdAt; self.snippet = snippet; self.highlights = highlights
    }
}

/// What a person typed into a search, as the words every hit must hold (any order, any case). Words are the
/// runs of letters and digits, as both full-text indexes cut text; everything else (quotes, `*`, `NEAR(`,
/// control characters) only separates words, so no input is a syntax error of the index's query language.
public struct SearchQuery: Sendable, Equatable {
    public static let maxLength = 1000
    public static let maxWords = 16

    public let words: [String]

    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public init(_ text: String) throws {
        guard text.count <= Self.maxLength else {
            throw Invalid(description: "the search is too long (\(text.count) characters; at most \(Self.maxLength))")
        }
        var seen = Set<String>()
        var words: [String] = []
        for w in text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
            let word = w.lowercased()
            if seen.insert(word).inserted { words.append(word) }
        }
        guard !words.isEmpty else { throw Invalid(description: "nothing to search for: give at least one word of letters or digits") }
        guard words.count <= Self.maxWords else {
            throw Invalid(description: "the search has \(words.count) words; at most \(Self.maxWords)")
        }
        self.words = words
    }

    /// The words as an FTS5 query: each a quoted string, all required.
    public var fts5: String {
        words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " ")
    }

    /// The words for `plainto_tsquery` (which ANDs them).
    public var plain: String { words.joined(separator: " ") }

    /// Whether `text` holds one of the words (case-insensitive).
    public func occurs(in text: String) -> Bool {
        words.contains { text.range(of: $0, options: [.caseInsensitive]) != nil }
    }

    /// A one-line window of `text` around the first word found (the start when none is), at most `width`
    /// characters, with every occurrence of the words in it as ranges.
    public func snippet(of text: String, width: Int = 100) -> (text: String, highlights: [Range<Int>]) {
        var first: String.Index?
        for w in words {
            if let r = text.range(of: w, options: [.caseInsensitive]), first.map({ r.lowerBound < $0 }) ?? true { first = r.lowerBound }
        }
        let lead = width / 4
        var start = first ?? text.startIndex
        var back = 0
        while back < lead, start > text.startIndex { start = text.index(before: start); back += 1 }
        var out = start > text.startIndex ? "…" : ""
        var i = start
        var lastSpace = out.isEmpty
        while i < text.endIndex, out.count < width - 1 {
            let c = text[i]
            if c.isWhitespace || c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
                if !lastSpace { out.append(" "); lastSpace = true }
            } else {
                out.append(c); lastSpace = false
            }
            i = text.index(after: i)
        }
        if i < text.endIndex { out.append("…") }
        let chars = Array(out)
        let lower = chars.map { String($0).lowercased() }
        var ranges: [Range<Int>] = []
        for w in words {
            let wc = Array(w).map { String($0) }
            guard !wc.isEmpty, wc.count <= lower.count else { continue }
            var k = 0
            while k + wc.count <= lower.count {
                if Array(lower[k..<(k + wc.count)]) == wc { ranges.append(k..<(k + wc.count)); k += wc.count } else { k += 1 }
            }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for r in ranges {
            if let last = merged.last, r.lowerBound <= last.upperBound { merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound) } else { merged.append(r) }
        }
        return (out, merged)
    }
}
