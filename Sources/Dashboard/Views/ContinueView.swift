import Foundation
import Core
import Render

/// The one-line popups: `c` (what to say when an ended run's session resumes), `s` (a message to a
/// running agent), and the in-place edits of one field (`R` on a session, `e` on a capability).
enum ContinueView {
    static func render(_ id: ID, _ editor: LineEditor, theme: Theme, into buf: inout Buffer, area: Rect) {
        prompt(title: "Continue execution #\(id)", label: "Continue with:", note: "Empty: the capability's prompt again.",
               footer: "Enter queue · Esc cancel", editor, theme: theme, into: &buf, area: area)
    }

    static func renderMessage(_ id: ID, _ editor: LineEditor, theme: Theme, into buf: inout Buffer, area: Rect) {
        prompt(title: "Message to run #\(id)", label: "Say:", note: "Delivered by the run's worker, in the agent's own format.",
               footer: "Enter send · Esc cancel", editor, theme: theme, into: &buf, area: area)
    }

    static func renderText(_ p: TextPrompt, theme: Theme, into buf: inout Buffer, area: Rect) {
        prompt(title: p.title, label: p.label, note: p.note, footer: "Enter save · Esc cancel", p.editor, theme: theme, into: &buf, area: area)
    }

    private static func prompt(title: String, label: String, note: String, footer: String, _ editor: LineEditor,
                               theme: Theme, into buf: inout Buffer, area: Rect) {
        var lines: [StyledLine] = [Styled.untrusted(label, theme[.overlay])]
        lines += OverlayViews.editorLines(editor, focused: true, theme: theme)
        lines.append(Styled.untrusted(note, theme[.textDim]))
        var o = OverlayBox(title: title, lines: lines, theme: theme)
        o.width = min(area.width - 4, 70)
        o.footer = [Styled.literal(footer, theme[.textDim])]
        o.render(into: &buf, area: area)
    }
}
