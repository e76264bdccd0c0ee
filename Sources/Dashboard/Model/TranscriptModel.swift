import Foundation
import Core

/// A node of the transcript tree: a message (with its call and results), a sub-agent, or the "more" line
/// ending a sub-agent shown inline.
public enum NodeKey: Hashable, Sendable {
    case message(ID)
    case subSession(ID)
    case more(ID)
}

/// `z` folds every node to its header, `Z` opens every node; otherwise each kind has its own default.
public enum FoldMode: Sendable, Equatable { case auto, allFolded, allOpen }

/// How much of a node is drawn: its header only, a few lines with a count of the rest, or all of it.
public enum NodeDisplay: Sendable, Equatable { case header, preview, full }

/// The session a transcript belongs to, for the title: agent, task, totals, and what it is waiting for.
public struct TranscriptHeader: Sendable, Equatable {
    public var session: Session
    public var agentSlug: String
    public var taskTitle: String?
    public var pendingConfirmation: ToolCall?
    public var messageCount: Int
    public init(session: Session, agentSlug: String, taskTitle: String?, pendingConfirmation: ToolCall?, messageCount: Int) {
        self.session = session; self.agentSlug = agentSlug; self.taskTitle = taskTitle; self.pendingConfirmation = pendingConfirmation
        self.messageCount = messageCount
    }
}

/// Where a transcript window should be, asked of the data thread.
public enum TranscriptAnchor: Sendable, Equatable {
    case start, end
    /// The window around this top-level sequence number.
    case around(Int64)
    /// The next (or previous) tool call, error or text match beyond `from`, and the window around it.
    case seek(TranscriptSeek, from: Int64, forward: Bool)
}

/// A window as the data thread loaded it. `focusSeq` is where a seek landed (nil: not found or no seek).
public struct TranscriptLoad: Sendable, Equatable {
    public var header: TranscriptHeader
    public var page: TranscriptPage
    public var anchor: TranscriptAnchor
    public var focusSeq: Int64?
    public init(header: TranscriptHeader, page: TranscriptPage, anchor: TranscriptAnchor, focusSeq: Int64?) {
        self.header = header; self.page = page; self.anchor = anchor; self.focusSeq = focusSeq
    }
}

/// A sub-agent's transcript shown inline under the call that started it: its first entries.
public struct SubTranscript: Sendable, Equatable {
    public var items: [TranscriptItem]
    public var more: Int
    public init(items: [TranscriptItem], more: Int) { self.items = items; self.more = more }
}

/// The transcript screen: a window of the session's top-level entries (never the whole session), the
/// selected node, the scroll position as a node and a row inside it, and the folds.
public struct TranscriptModel: Sendable, Equatable {
    public var sessionId: ID?
    public var header: TranscriptHeader?
    public var page = TranscriptPage(items: [], hasBefore: false, hasAfter: false)
    public var subs: [ID: SubTranscript] = [:]
    public var selected: NodeKey?
    public var top: NodeKey?
    public var topRow = 0
    public var fold: FoldMode = .auto
    /// Per-node choices made with Space: true open, false folded. `z`/`Z` clear them.
    public var overrides: [NodeKey: Bool] = [:]
    public var search = ""
    public var notice: String?
    public var loaded = false
    /// A window request is in flight: don't ask again while scrolling towards the edge.
    public var loading = false
    /// Transcripts to go back to with Esc (a sub-agent opened from its parent).
    public var back: [ID] = []
    /// The screen Esc goes back to once `back` is empty (the sessions screen when nil): the runs list or the
    /// log a run's transcript was opened from with `T`.
    public var returnTo: ScreenID?
    public init() {}

    /// Entries loaded per window, and how close to an edge the selection may come before the next loads.
    public static let windowBefore = 150
    public static let windowAfter = 250
    public static let prefetchMargin = 40
    /// Entries of a sub-agent shown inline; the rest are one Enter away.
    public static let subInline = 200
}
