import Foundation
import Core
import Render

/// `S`: the query being typed, then the hits newest first — session, agent, kind and age, and a snippet whose
/// matches are drawn in the match style (the text itself through the sanitiser).
enum SearchAllView {
    static func render(_ m: SearchAllModel, _ s: AppState, theme: Theme, into buf: inout Buffer, area: Rect) {
        let dim = theme[.textDim], text = theme[.overlay]
        var lines: [StyledLine] = [[Styled.literal("Find: ", theme[.title])] + Styled.untrusted(m.editor.string, text)
                                   + [Styled.literal("▏", theme[.title])]]
        if let e = m.error { lines.append(Styled.untrusted(e, theme[.error])) }
        else if m.loading { lines.append([Styled.literal("searching…", dim)]) }
        else if m.searched != nil && m.hits.isEmpty { lines.append([Styled.literal("No matches.", dim)]) }
        else if m.searched == nil { lines.append([Styled.literal("Type words, Enter to search every session.", dim)]) }
        if m.error == nil && !m.loading && m.searched != nil && !m.complete {
            lines.append([Styled.literal("Indexing imported transcripts: more hits may come.", theme[.warning])])
        }
        for (i, h) in m.hits.enumerated() {
            let sel = i == m.selected
            var head: StyledLine = [Styled.literal(sel ? "› " : "  ", theme[.title])]
            head += Styled.untrusted("#\(h.sessionId) \(h.sessionTitle ?? "")", text.with(bold: true))
            head += [Styled.literal("  ", dim)] + Styled.untrusted(h.agent, text)
            head += [Styled.literal("  \(h.kind.rawValue.replacingOccurrences(of: "_", with: " "))  " + Dates.ago(h.createdAt, now: s.now), dim)]
            lines.append(sel ? head.map { StyledRun($0.text, style: $0.style.with(reverse: true)) } : head)
            lines.append([Styled.literal("    ", dim)] + snippet(h, plain: dim, match: theme[.warning].with(bold: true)))
        }
        var o = OverlayBox(title: "Search everything", lines: lines, theme: theme)
        o.width = min(area.width - 4, 110)
        o.footer = [Styled.literal("Enter search / open · ↑/↓ choose · Esc close", dim)]
        o.render(into: &buf, area: area)
    }

    /// The snippet in runs: the highlighted ranges in the match style.
    static func snippet(_ h: SearchHit, plain: Style, match: Style) -> [StyledRun] {
        let chars = Array(h.snippet)
        var runs: [StyledRun] = []
        var at = 0
        for r in h.highlights where r.lowerBound >= at && r.upperBound <= chars.count {
            if r.lowerBound > at { runs += Styled.untrusted(String(chars[at..<r.lowerBound]), plain) }
            runs += Styled.untrusted(String(chars[r]), match)
            at = r.upperBound
        }
        if at < chars.count { runs += Styled.untrusted(String(chars[at...]), plain) }
        return runs
    }
}
