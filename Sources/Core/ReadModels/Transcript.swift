import Foundation

/// A sub-agent's session, as shown under the tool call that started it.
public struct SubSessionSummary: Sendable, Equatable {
    public var id: ID
    public var title: String
    public var status: SessionStatus
    public var messageCount: Int
    public var tokens: Int64
    public var costUsd: Double
    public init(id: ID, title: String, status: SessionStatus, messageCount: Int, tokens: Int64, costUsd: Double) {
        self.id = id; self.title = title; self.status = status; self.messageCount = messageCount; self.tokens = tokens
        self.costUsd = costUsd
    }
}

/// One top-level entry of a transcript: a message with what hangs under it — its tool call, the results
/// of that call, and the sub-agent the call started.
public struct TranscriptItem: Sendable, Equatable {
    /// Content cut at Storage's `MessageRepository.transcriptContentLimit` characters; `contentLength` is the whole.
    public var message: Message
    public var contentLength: Int
    public var toolCall: ToolCall?
    public var results: [TranscriptItem]
    public var subSession: SubSessionSummary?
    public init(message: Message, contentLength: Int, toolCall: ToolCall? = nil, results: [TranscriptItem] = [],
                subSession: SubSessionSummary? = nil) {
        self.message = message; self.contentLength = contentLength; self.toolCall = toolCall; self.results = results
        self.subSession = subSession
    }
    public var isError: Bool {
        message.isError || toolCall.map { $0.status == .error || $0.status == .denied } == true || results.contains { $0.isError }
    }
}

/// A window of a transcript in order, and whether there is more on either side.
public struct TranscriptPage: Sendable, Equatable {
    public var items: [TranscriptItem]
    public var hasBefore: Bool
    public var hasAfter: Bool
    public init(items: [TranscriptItem], hasBefore: Bool, hasAfter: Bool) {
        self.items = items; self.hasBefore = hasBefore; self.hasAfter = hasAfter
    }
}

/// What `]`/`[`, `e`/`E` and `/` look for beyond the loaded window.
public enum TranscriptSeek: Sendable, Equatable {
    case toolCall, error, text(String)
}
