import Foundation
import Core
import Render

/// `S`: the search overlay's keys and answers.
extension Updater {
    func searchAllKey(_ s: inout AppState, _ model: SearchAllModel, _ action: Action?, _ key: Key) -> [Effect] {
        var m = model
        let index = s.overlays.count - 1
        switch action {
        case .cancel:
            s.overlays.removeLast(); return []
        case .down:
            m.selected = min(max(0, m.hits.count - 1), m.selected + 1)
        case .up:
            m.selected = max(0, m.selected - 1)
        case .submit:
            let text = m.editor.string
            if text == m.searched, !m.loading, m.hits.indices.contains(m.selected) {
                let hit = m.hits[m.selected]
                s.overlays.removeLast()
                let effects = openTranscript(&s, hit.sessionId)
                guard let seq = hit.seq, let message = hit.messageId else { return effects }
                s.transcript.selected = .message(message)  // kept when the window around it arrives
                return [.loadTranscript(hit.sessionId, anchor: .around(seq))]
            }
            do {
                _ = try SearchQuery(text)
            } catch let e as SearchQuery.Invalid {
                m.error = e.description; m.hits = []; m.searched = nil
                s.overlays[index] = .searchAll(m)
                return []
            } catch { return [] }
            m.error = nil; m.loading = true; m.searched = text
            s.overlays[index] = .searchAll(m)
            return [.searchAll(text, limit: SearchAllModel.limit)]
        default:
            _ = m.editor.handle(key)
        }
        s.overlays[index] = .searchAll(m)
        return []
    }

    /// An answer given before the index caught up with imported rows (`complete` false) is shown, and the same
    /// search asked again: each asks the data thread to index a stretch more, so the hits fill in until it has.
    func searchLoaded(_ s: inout AppState, query: String, _ result: Result<[SearchHit], SearchFailure>, complete: Bool = true) -> [Effect] {
        guard let i = s.overlays.lastIndex(where: { if case .searchAll = $0 { return true }; return false }),
              case .searchAll(var m) = s.overlays[i], m.searched == query else { return [] }
        m.loading = false
        m.complete = complete
        var effects: [Effect] = []
        switch result {
        case .success(let hits):
            // A hit the person moved to stays chosen while hits fill in; untouched, the choice stays on the first.
            let chosen = m.selected > 0 && m.hits.indices.contains(m.selected) ? m.hits[m.selected] : nil
            m.hits = hits; m.error = nil
            m.selected = chosen.flatMap { c in hits.firstIndex { $0.messageId == c.messageId && $0.kind == c.kind && $0.sessionId == c.sessionId } } ?? 0
            if !complete { effects = [.searchAll(query, limit: SearchAllModel.limit)] }
        case .failure(let f): m.hits = []; m.error = f.message
        }
        s.overlays[i] = .searchAll(m)
        return effects
    }
}
