import Foundation
import Core

/// The transcript screen: a window of the session moved by keys, folds, jumps to tool calls, errors and
/// search matches (within the window at once, beyond it through the data thread), sub-agents inline or
/// opened on their own.
extension Updater {
    /// The pane inside the border: the screen minus title bar, status line and border, and a line for notices.
    func transcriptRows(_ s: AppState) -> Int { max(1, s.height - 5) }
    func transcriptWidth(_ s: AppState) -> Int { max(8, s.width - 4) }

    func transcriptScroll(_ s: AppState) -> TranscriptScroll {
        TranscriptScroll(nodes: TranscriptTree.visible(s.transcript), width: transcriptWidth(s), rows: transcriptRows(s))
    }

    func openTranscript(_ s: inout AppState, _ id: ID, from parent: ID? = nil) -> [Effect] {
        var m = TranscriptModel()
        m.sessionId = id
        if let parent { m.back = s.transcript.back + [parent]; m.returnTo = s.transcript.returnTo }
        m.loading = true
        s.transcript = m
        s.screen = .transcript
        return [.loadTranscript(id, anchor: .start)]
    }

    /// `T` on a run (screen 3 or its log): its agent session's transcript, Esc back to where it was asked.
    func runTranscriptFound(_ s: inout AppState, run: ID, session: ID?) -> [Effect] {
        let asked = s.screen == .executions ? s.executions.selectedRow?.execution.id : s.screen == .logs ? s.log.executionId : nil
        guard asked == run, s.topOverlay == nil else { return [] }  // the person has moved on meanwhile
        guard let session else {
            s.status = StatusMessage("run #\(run) has no agent transcript: a plain program's output is its log", .refused)
            return []
        }
        let from = s.screen
        let effects: [Effect] = from == .logs ? [.closeLog] : []
        s.transcript.back = []
        let open = openTranscript(&s, session)
        s.transcript.returnTo = from
        return effects + open
    }

    func applyTranscript(_ load: TranscriptLoad, to s: inout AppState) -> [Effect] {
        guard load.header.session.id == s.transcript.sessionId else { return [] }
        var m = s.transcript
        let old = TranscriptTree.visible(m)
        let wasAtEnd = m.loaded && !m.page.hasAfter && m.selected == old.last?.key
        m.header = load.header
        m.page = load.page
        m.loaded = true
        m.loading = false
        let nodes = TranscriptTree.visible(m)
        switch load.anchor {
        case .start:
            if m.selected == nil || !nodes.contains(where: { $0.key == m.selected }) { m.selected = nodes.first?.key; m.top = m.selected; m.topRow = 0 }
        case .end:
            // As `G` in less: the last line on the pane's last row, the pane full above it (the old top is not
            // in this window, and revealing from nothing put the last message alone at the top).
            m.selected = nodes.last?.key
            let scroll = TranscriptScroll(nodes: nodes, width: transcriptWidth(s), rows: transcriptRows(s))
            if !nodes.isEmpty { (m.top, m.topRow) = { (nodes[$0.0].key, $0.1) }(scroll.lastPage(m)) }
        case .around:
            // A live session grows under a reader at its end: keep them at the end.
            if wasAtEnd { m.selected = nodes.last?.key } else { keepSelection(&m, before: old) }
        case .seek(let what, let from, let forward):
            let wrapped = Self.isWrap(from: from, forward: forward)
            if let seq = load.focusSeq, let root = m.page.items.first(where: { $0.message.seq == seq }) {
                select(&m, firstMatch: what, inRoot: root.message.id)
                m.notice = wrapped ? Self.wrapNotice(forward: forward) : nil
            } else if case .text = what, !wrapped, let id = m.sessionId {
                // Nothing more this way: a text search goes on from the other end, as in vim.
                s.transcript = m
                return requestWindow(&s, id, Self.wrapSeek(what, forward: forward))
            } else {
                m.notice = "no more \(Self.seekName(what))"
            }
        }
        s.transcript = m
        transcriptScroll(s).reveal(&s.transcript)
        return []
    }

    /// A text search that found nothing more before the end (or the start) goes on from the other end.
    static func wrapSeek(_ what: TranscriptSeek, forward: Bool) -> TranscriptAnchor {
        .seek(what, from: forward ? 0 : Int64.max, forward: forward)
    }

    static func isWrap(from: Int64, forward: Bool) -> Bool { forward ? from == 0 : from == Int64.max }

    static func wrapNotice(forward: Bool) -> String {
        forward ? "search hit BOTTOM, continuing at TOP" : "search hit TOP, continuing at BOTTOM"
    }

    func applySubTranscript(_ id: ID, _ sub: SubTranscript, to s: inout AppState) {
        let before = TranscriptTree.visible(s.transcript)
        s.transcript.subs[id] = sub
        keepSelection(&s.transcript, before: before)
        transcriptScroll(s).reveal(&s.transcript)
    }

    /// When the selected node is gone after a load (the "loading…" line of a sub-agent, a window that moved),
    /// the selection stays where the eye is: the sub-agent's first message, else the node now in its place.
    func keepSelection(_ m: inout TranscriptModel, before: [TreeNode]) {
        let nodes = TranscriptTree.visible(m)
        guard !nodes.isEmpty, !nodes.contains(where: { $0.key == m.selected }) else { return }
        if case .more(let sub)? = m.selected, let i = nodes.firstIndex(where: { $0.key == .subSession(sub) }) {
            m.selected = nodes[min(nodes.count - 1, i + 1)].key
            return
        }
        let old = before.firstIndex { $0.key == m.selected } ?? 0
        m.selected = nodes[min(nodes.count - 1, old)].key
    }

    func transcriptAction(_ s: inout AppState, _ action: Action) -> [Effect] {
        guard let id = s.transcript.sessionId else { return action == .back ? switchScreen(&s, .sessions) : [] }
        let nodes = TranscriptTree.visible(s.transcript)
        let sel = nodes.firstIndex { $0.key == s.transcript.selected } ?? 0
        let page = transcriptRows(s)
        s.transcript.notice = nil
        var effects: [Effect] = []
        switch action {
        case .up, .down:
            guard !nodes.isEmpty else { return [] }
            s.transcript.selected = nodes[max(0, min(nodes.count - 1, sel + (action == .down ? 1 : -1)))].key
            transcriptScroll(s).reveal(&s.transcript)
        case .pageDown, .pageUp:
            transcriptScroll(s).scroll(&s.transcript, by: action == .pageDown ? max(1, page - 1) : -max(1, page - 1))
        case .top:
            if s.transcript.page.hasBefore { return requestWindow(&s, id, .start) }
            s.transcript.selected = nodes.first?.key
            transcriptScroll(s).reveal(&s.transcript)
        case .bottom:
            if s.transcript.page.hasAfter { return requestWindow(&s, id, .end) }
            s.transcript.selected = nodes.last?.key
            transcriptScroll(s).reveal(&s.transcript)
        case .toggleFold, .open:
            guard nodes.indices.contains(sel) else { return [] }
            let node = nodes[sel]
            switch node.content {
            case .more(let subId, _, false):
                return openTranscript(&s, subId, from: id)
            case .sub(let sub) where action == .open:
                return openTranscript(&s, sub.id, from: id)
            case .sub(let sub):
                let open = !TranscriptTree.isOpen(s.transcript, sub: sub.id)
                s.transcript.overrides[node.key] = open
                if open && s.transcript.subs[sub.id] == nil { effects.append(.loadSubTranscript(sub.id)) }
            case .item(let item):
                let shown = TranscriptTree.display(s.transcript, key: node.key, item: item)
                s.transcript.overrides[node.key] = shown != .full
            default: break
            }
            transcriptScroll(s).reveal(&s.transcript)
        case .foldAll, .unfoldAll:
            s.transcript.fold = action == .foldAll ? .allFolded : .allOpen
            s.transcript.overrides = [:]
            if action == .unfoldAll {
                effects += s.transcript.page.items.compactMap { $0.subSession?.id }.filter { s.transcript.subs[$0] == nil }
                    .prefix(20).map { .loadSubTranscript($0) }
            }
            transcriptScroll(s).reveal(&s.transcript)
        case .nextToolCall, .previousToolCall:
            return seek(&s, id, .toolCall, forward: action == .nextToolCall)
        case .nextError, .previousError:
            return seek(&s, id, .error, forward: action == .nextError)
        case .search:
            s.overlays.append(.logSearch(LineEditor(s.transcript.search)))
            return []
        case .delete:
            return deleteSelectedMessage(&s)
        case .back:
            if let parent = s.transcript.back.last {
                let rest = Array(s.transcript.back.dropLast())
                let effects = openTranscript(&s, parent)
                s.transcript.back = rest
                return effects
            }
            return switchScreen(&s, s.transcript.returnTo ?? .sessions)
        default:
            return []
        }
        return effects + prefetch(&s, id)
    }

    /// n / N and a new search from the `/` line.
    func transcriptSearch(_ s: inout AppState, forward: Bool) -> [Effect] {
        guard let id = s.transcript.sessionId, !s.transcript.search.isEmpty else { return [] }
        return seek(&s, id, .text(s.transcript.search), forward: forward)
    }

    /// The next match in the window, else asks the data thread to find one beyond it.
    func seek(_ s: inout AppState, _ id: ID, _ what: TranscriptSeek, forward: Bool) -> [Effect] {
        var m = s.transcript
        let all = TranscriptTree.all(m)
        let start = all.firstIndex { $0.key == m.selected } ?? (forward ? -1 : all.count)
        let range: [Int] = forward ? Array(stride(from: start + 1, to: all.count, by: 1)) : Array(stride(from: start - 1, through: 0, by: -1))
        if let hit = range.first(where: { TranscriptTree.matches(all[$0], what) }) {
            reveal(&m, all: all, hit, for: what)
            m.notice = nil  // an earlier "no more" or wrap no longer holds
            s.transcript = m
            transcriptScroll(s).reveal(&s.transcript)
            return prefetch(&s, id)
        }
        let beyond = forward ? m.page.hasAfter : m.page.hasBefore
        if beyond, let edge = forward ? m.page.items.last : m.page.items.first {
            return requestWindow(&s, id, .seek(what, from: edge.message.seq, forward: forward))
        }
        if case .text = what {  // on from the other end, as in vim: in this window when it holds that end
            let otherEnd = forward ? !m.page.hasBefore : !m.page.hasAfter
            guard otherEnd else { return requestWindow(&s, id, Self.wrapSeek(what, forward: forward)) }
            let wrapped: [Int] = forward ? Array(0..<min(max(start + 1, 0), all.count)) : Array(stride(from: all.count - 1, through: max(start, 0), by: -1))
            if let hit = wrapped.first(where: { TranscriptTree.matches(all[$0], what) }) {
                reveal(&m, all: all, hit, for: what)
                m.notice = Self.wrapNotice(forward: forward)
                s.transcript = m
                transcriptScroll(s).reveal(&s.transcript)
                return prefetch(&s, id)
            }
        }
        s.transcript.notice = "no more \(Self.seekName(what))"
        return []
    }

    /// Selects `all[i]`, opening every node above it, and the node itself when a search matched text that a
    /// fold could hide.
    private func reveal(_ m: inout TranscriptModel, all: [TreeNode], _ i: Int, for what: TranscriptSeek) {
        if case .text = what { m.overrides[all[i].key] = true }
        var parent = all[i].parent
        while let p = parent {
            m.overrides[p] = true
            parent = all.first { $0.key == p }?.parent
        }
        m.selected = all[i].key
    }

    /// After a seek landed on a top-level entry: the match itself may be one of its results.
    private func select(_ m: inout TranscriptModel, firstMatch what: TranscriptSeek, inRoot rootId: ID) {
        let all = TranscriptTree.all(m)
        guard let r = all.firstIndex(where: { $0.key == .message(rootId) }) else { return }
        var end = r + 1
        while end < all.count && all[end].depth > 0 { end += 1 }
        let hit = (r..<end).first { TranscriptTree.matches(all[$0], what) } ?? r
        reveal(&m, all: all, hit, for: what)
    }

    private func requestWindow(_ s: inout AppState, _ id: ID, _ anchor: TranscriptAnchor) -> [Effect] {
        s.transcript.loading = true
        return [.loadTranscript(id, anchor: anchor)]
    }

    /// Near either edge of the window, the next one is asked for before the user gets there.
    func prefetch(_ s: inout AppState, _ id: ID) -> [Effect] {
        let m = s.transcript
        guard !m.loading, case .message(let selId)? = m.selected, let root = rootIndex(m, selId) else { return [] }
        let items = m.page.items
        let nearEnd = m.page.hasAfter && root >= items.count - TranscriptModel.prefetchMargin
        let nearStart = m.page.hasBefore && root < TranscriptModel.prefetchMargin
        guard nearEnd || nearStart, items.indices.contains(root) else { return [] }
        return requestWindow(&s, id, .around(items[root].message.seq))
    }

    private func rootIndex(_ m: TranscriptModel, _ messageId: ID) -> Int? {
        if let i = m.page.items.firstIndex(where: { $0.message.id == messageId }) { return i }
        return m.page.items.firstIndex { $0.results.contains { $0.message.id == messageId } }
    }

    static func seekName(_ what: TranscriptSeek) -> String {
        switch what {
        case .toolCall: "tool calls"
        case .error: "errors"
        case .text(let q): "matches for \"\(q)\""
        }
    }
}
