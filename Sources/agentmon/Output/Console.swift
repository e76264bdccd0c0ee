import Foundation

/// The one way the CLI writes text: every line on stdout and every error on stderr is sanitised for a
/// terminal (agent names, titles, slugs and error messages may hold escape sequences that would retitle
/// or rewrite the user's terminal). Only `--json` (escaped by `JSONOutput`) and `exec logs --raw` write bytes
/// as they are.
enum Console {
    /// A line (or lines) of human output on stdout.
    static func line(_ s: String = "") { Swift.print(render(s)) }

    /// What `line` writes, without the newline.
    static func render(_ s: String) -> String { Printable.text(s) }

    /// Text that is already safe (escaped JSON).
    static func verbatim(_ s: String) { Swift.print(s) }

    /// A user error as the one line `agentmon: …` on stderr.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((errorLine(message) + "\n").utf8))
    }

    /// `agentmon: ` and the message on one line, sanitised.
    static func errorLine(_ message: String) -> String {
        let oneLine = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        return "agentmon: " + Printable.cell(oneLine)
    }
}
