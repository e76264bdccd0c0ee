import Foundation
import Core
import Render

/// The `c` popup: what to tell the agent when the run's session resumes.
enum ContinueView {
    static func render(_ id: ID, _ editor: LineEditor, theme: Theme, into buf: inout Buffer, area: Rect) {
        var lines: [StyledLine] = [Styled.untrusted("Continue with:", theme[.overlay])]
        lines += OverlayViews.editorLines(editor, focused: true, theme: theme)
        lines.append(Styled.untrusted("Empty: the capability's prompt again.", theme[.textDim]))
        var o = OverlayBox(title: "Continue execution #\(id)", lines: lines, theme: theme)
        o.width = min(area.width - 4, 70)
        o.footer = [Styled.literal("Enter queue · Esc cancel", theme[.textDim])]
        o.render(into: &buf, area: area)
    }
}
