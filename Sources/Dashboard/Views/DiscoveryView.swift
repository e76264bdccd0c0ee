import Foundation
import Core
import Render

/// The `D` popup on the agents screen: each known agent or tool found on PATH, its version (or why it was
/// skipped) and whether it is new; Enter registers the new ones.
enum DiscoveryView {
    static func render(_ found: [DiscoveredAgent]?, keymap: KeyMap, theme: Theme, into buf: inout Buffer, area: Rect) {
        let dim = theme[.textDim], text = theme[.overlay]
        var lines: [StyledLine] = []
        if let found {
            if found.isEmpty { lines.append([Styled.literal("No known agent or tool on PATH.", dim)]) }
            for f in found {
                var l: StyledLine = [Styled.literal(f.isNew ? "  + " : f.version == nil ? "  ⊘ " : "  ✓ ",
                                                    f.isNew ? theme[.success] : f.version == nil ? theme[.error] : dim)]
                l += Styled.untrusted(f.name.padding(toLength: 14, withPad: " ", startingAt: 0), text.with(bold: true))
                if let v = f.version {
                    l += Styled.untrusted(String(v.prefix(40)), text)
                    l.append(Styled.literal(f.registered ? "  registered" : f.preset.map { "  new (preset \($0))" } ?? "  new", dim))
                } else {
                    l += [Styled.literal("skipped: ", theme[.error])] + Styled.untrusted(f.skipped ?? "", dim)
                }
                lines.append(l)
                lines.append([Styled.literal("      ", dim)] + Styled.untrusted(f.path, dim))
            }
        } else {
            lines.append([Styled.literal("Looking on PATH (each program gets --version, 2 s at most)…", dim)])
        }
        var o = OverlayBox(title: "Discovered on PATH", lines: lines, theme: theme)
        o.width = min(area.width - 4, 90)
        o.footer = [Styled.literal(OverlayViews.footer(.discovery, keymap), dim)]
        o.render(into: &buf, area: area)
    }
}
