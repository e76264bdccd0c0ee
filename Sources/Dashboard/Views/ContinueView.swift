import Foundation
import Core
import Render

/// The `c` popup: what to tell the agent when the run's session resumes.
enum ContinueView {
    static func render(_ id: ID, _ editor: LineEditor, theme: Theme, into buf: inout Buffer, area: Rect) {
        var lines: [StyledLine] = [T.s("Continue with:", theme[.overlay])]
        lines += OverlayViews.editorLines(editor, focused: true, theme: theme)
        lines.append(T.s("Empty: the capability's prompt again.", theme[.textDim]))
        var o = Overlay(title: "Continue execution #\(id)", lines: lines, theme: theme)
        o.width = min(area.width - 4, 70)
        o.footer = [T.lit("Enter queue · Esc cancel", theme[.textDim])]
        o.render(into: &buf, area: area)
    }
}
