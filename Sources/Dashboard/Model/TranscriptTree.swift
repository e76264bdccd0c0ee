import Foundation
import Core

/// One node of the transcript as listed: what it is, how deep, and the node it hangs under.
public struct TreeNode: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case item(TranscriptItem)
        case sub(SubSessionSummary)
        /// The end of a sub-agent shown inline: how many more messages, and whether they are still loading.
        case more(sessionId: ID, count: Int, loading: Bool)
    }
    public var key: NodeKey
    public var depth: Int
    public var parent: NodeKey?
    public var content: Content
}

/// The transcript window as a tree in reading order: a call's results and its sub-agent come right under it.
/// `visible` honours folds (what is on screen); `all` ignores them (what searches look through).
public enum TranscriptTree {
    public static func visible(_ m: TranscriptModel) -> [TreeNode] { flatten(m, respectFolds: true) }
    public static func all(_ m: TranscriptModel) -> [TreeNode] { flatten(m, respectFolds: false) }

    static func flatten(_ m: TranscriptModel, respectFolds: Bool) -> [TreeNode] {
        var out: [TreeNode] = []
        out.reserveCapacity(m.page.items.count * 2)
        func add(_ item: TranscriptItem, depth: Int, parent: NodeKey?) {
            let key = NodeKey.message(item.message.id)
            out.append(TreeNode(key: key, depth: depth, parent: parent, content: .item(item)))
            if respectFolds && display(m, key: key, item: item) == .header { return }
            // The sub-agent worked between the call and its result, so it comes first.
            if let sub = item.subSession { addSub(sub, depth: depth + 1, parent: key) }
            for r in item.results { add(r, depth: depth + 1, parent: key) }
        }
        func addSub(_ sub: SubSessionSummary, depth: Int, parent: NodeKey) {
            let subKey = NodeKey.subSession(sub.id)
            out.append(TreeNode(key: subKey, depth: depth, parent: parent, content: .sub(sub)))
            guard !respectFolds || isOpen(m, sub: sub.id) else { return }
            if let t = m.subs[sub.id] {
                for i in t.items { add(i, depth: depth + 1, parent: subKey) }
                if t.more > 0 {
                    out.append(TreeNode(key: .more(sub.id), depth: depth + 1, parent: subKey, content: .more(sessionId: sub.id, count: t.more, loading: false)))
                }
            } else if respectFolds {
                out.append(TreeNode(key: .more(sub.id), depth: depth + 1, parent: subKey, content: .more(sessionId: sub.id, count: sub.messageCount, loading: true)))
            }
        }
        for item in m.page.items { add(item, depth: 0, parent: nil) }
        return out
    }

    /// How much of a message node is drawn.
    public static func display(_ m: TranscriptModel, key: NodeKey, item: TranscriptItem) -> NodeDisplay {
        if let open = m.overrides[key] { return open ? .full : .header }
        switch m.fold {
        case .allFolded: return .header
        case .allOpen: return .full
        case .auto:
            let msg = item.message
            switch msg.kind {
            case .thought: return .preview
            case .observation: return long(msg.content, lines: autoResultLines + 2) ? .preview : .full
            case .action: return long(item.toolCall?.input ?? msg.content, lines: autoInputLines + 2) ? .preview : .full
            case .message: return long(msg.content, lines: autoMessageLines) ? .preview : .full
            }
        }
    }

    /// A sub-agent shown inline is open only when asked for (Space or `Z`): it may be long.
    public static func isOpen(_ m: TranscriptModel, sub id: ID) -> Bool {
        m.overrides[.subSession(id)] ?? (m.fold == .allOpen)
    }

    /// Lines a folded-to-preview node keeps.
    static let autoResultLines = 6
    static let autoInputLines = 10
    static let autoMessageLines = 60
    static let thoughtLines = 3

    static func previewLines(_ item: TranscriptItem) -> Int {
        switch item.message.kind {
        case .thought: thoughtLines
        case .observation: autoResultLines
        case .action: autoInputLines
        case .message: autoMessageLines
        }
    }

    /// More lines than `lines`, or so many characters that it would wrap to more (one line of minified JSON).
    static func long(_ s: String, lines: Int) -> Bool {
        s.utf8.count > lines * 200 || lineCount(s) > lines
    }

    static func lineCount(_ s: String) -> Int {
        var n = 1
        for b in s.utf8 where b == 10 { n += 1 }
        return n
    }

    /// Does this node match what `]`/`[`, `e`/`E` or `/` look for?
    public static func matches(_ node: TreeNode, _ what: TranscriptSeek) -> Bool {
        guard case .item(let item) = node.content else { return false }
        switch what {
        case .toolCall: return item.message.kind == .action
        case .error: return item.message.isError || item.toolCall.map { $0.status == .error || $0.status == .denied } == true
        case .text(let q):
            let needle = q.lowercased()
            if item.message.content.lowercased().contains(needle) { return true }
            if let t = item.toolCall, t.toolName.lowercased().contains(needle) || t.input.lowercased().contains(needle) { return true }
            return false
        }
    }
}
