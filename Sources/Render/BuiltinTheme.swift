// The compiled-in default theme (dark), identical to themes/default.toml (a test checks it),
// so a missing or broken theme file never leaves the dashboard without styles.

extension Theme {
    public static let builtinDefault: Theme = {
        let fg = Color.rgb(0xD0, 0xD6, 0xE0), muted = Color.rgb(0x7A, 0x84, 0x96)
        let accent = Color.rgb(0x7A, 0xA2, 0xF7), panel = Color.rgb(0x24, 0x28, 0x3B)
        let selBg = Color.rgb(0x3D, 0x59, 0xA1), white = Color.rgb(0xFF, 0xFF, 0xFF)
        let red = Color.rgb(0xF7, 0x76, 0x8E), yellow = Color.rgb(0xE0, 0xAF, 0x68)
        let green = Color.rgb(0x9E, 0xCE, 0x6A), cyan = Color.rgb(0x7D, 0xCF, 0xFF)
        let orange = Color.rgb(0xFF, 0x9E, 0x64)
        let grey = Color.rgb(0x56, 0x5F, 0x89)
        let s: [ThemeSlot: Style] = [
            .background: Style(),
            .text: Style(fg: fg),
            .textDim: Style(fg: muted),
            .border: Style(fg: grey),
            .borderFocused: Style(fg: accent, bold: true),
            .title: Style(fg: accent, bold: true),
            .header: Style(fg: cyan, bold: true),
            .selected: Style(fg: white, bg: selBg, bold: true),
            .selectedInactive: Style(fg: fg, bg: panel),
            .statusBar: Style(fg: fg, bg: panel),
            .statusKey: Style(fg: accent, bg: panel, bold: true),
            .error: Style(fg: red, bold: true),
            .warning: Style(fg: yellow),
            .success: Style(fg: green),
            .overlay: Style(fg: fg, bg: panel),
            .overlayBorder: Style(fg: accent, bg: panel, bold: true),
            .searchMatch: Style(fg: Color.rgb(0x1A, 0x1B, 0x26), bg: yellow, bold: true),
            .taskTodo: Style(fg: fg),
            .taskInProgress: Style(fg: cyan),
            .taskBlocked: Style(fg: red),
            .taskDone: Style(fg: green),
            .taskCancelled: Style(fg: muted),
            .execQueued: Style(fg: muted),
            .execRunning: Style(fg: cyan, bold: true),
            .execCancelling: Style(fg: orange),
            .execSucceeded: Style(fg: green),
            .execFailed: Style(fg: red, bold: true),
            .execCancelled: Style(fg: muted),
            .execTimedOut: Style(fg: orange, bold: true),
            .priority1: Style(fg: red, bold: true),
            .priority2: Style(fg: orange),
            .priority3: Style(fg: yellow),
            .priority4: Style(fg: fg),
            .priority5: Style(fg: muted),
            .overdue: Style(fg: red, bold: true),
            .roleUser: Style(fg: green, bold: true),
            .roleAssistant: Style(fg: accent, bold: true),
            .roleSystem: Style(fg: yellow),
            .roleTool: Style(fg: cyan),
            .thought: Style(fg: muted, italic: true),
            .diffAdded: Style(fg: green),
            .diffRemoved: Style(fg: red),
            .diffHunk: Style(fg: cyan),
        ]
        return Theme(name: "default", styles: s)
    }()
}
