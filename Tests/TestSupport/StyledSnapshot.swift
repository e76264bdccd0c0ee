import Render

/// A rendered buffer as a snapshot a person can read in a diff, styles included (as ratatui's buffer
/// assertions do): the text, then the same grid with one letter per cell naming its style, then the legend.
/// A colour or attribute that changes fails a snapshot test, not only a character.
public enum StyledSnapshot {
    /// `framed` puts `|` around each text line, so trailing spaces stay visible and editors keep them.
    public static func text(_ buffer: Buffer, framed: Bool) -> String {
        let lines = buffer.lines.map { framed ? "|" + $0 + "|" : $0 }
        var letters: [Style: Character] = [.plain: "."]
        var legend: [(Character, Style)] = []
        var grid: [String] = []
        for y in 0..<buffer.height {
            var row = ""
            for x in 0..<buffer.width {
                let style = buffer[x, y].style
                if letters[style] == nil {
                    let symbol = symbols[legend.count % symbols.count]
                    letters[style] = symbol
                    legend.append((symbol, style))
                }
                row.append(letters[style]!)
            }
            grid.append(framed ? "|" + row + "|" : row)
        }
        return (lines + ["--- styles (. is plain)"] + grid + legend.map { "\($0.0) \(describe($0.1))" })
            .joined(separator: "\n") + "\n"
    }

    private static let symbols = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    static func describe(_ s: Style) -> String {
        var parts = ["fg=\(name(s.fg))", "bg=\(name(s.bg))"]
        for (on, attribute) in [(s.bold, "bold"), (s.dim, "dim"), (s.italic, "italic"), (s.underline, "underline"), (s.reverse, "reverse")] where on {
            parts.append(attribute)
        }
        return parts.joined(separator: " ")
    }

    static func name(_ c: Color) -> String {
        switch c {
        case .default: "default"
        case .ansi(let n): Color.ansiNames.indices.contains(Int(n)) ? Color.ansiNames[Int(n)] : "ansi\(n)"
        case .indexed(let n): "\(n)"
        case .rgb(let r, let g, let b): "#" + [r, g, b].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }
}
