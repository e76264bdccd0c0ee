// Rectangles on the screen grid and constraint-based layout.
//
// Public API:
//   struct Rect(x:y:width:height:) — isEmpty, maxX, maxY, area, inset(by:), intersection(_:),
//       contains(x:y:), centered(width:height:), row(_:), rows(from:count:)
//   enum Constraint — .fixed(n), .percent(p), .fill(weight), .min(n)
//   enum Axis — .horizontal (side by side), .vertical (stacked)
//   Layout.split(_ rect:, _ axis:, _ constraints:, spacing:) -> [Rect]
//   rect.split(.horizontal, [.fixed(20), .fill(1)])

public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int = 0, y: Int = 0, width: Int, height: Int) {
        self.x = x; self.y = y
        self.width = max(0, width); self.height = max(0, height)
    }

    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// One past the last column / row.
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var area: Int { width * height }
    public var description: String { "Rect(x: \(x), y: \(y), w: \(width), h: \(height))" }

    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    /// Shrinks every side (a border is `inset(by: 1)`).
    public func inset(by n: Int) -> Rect { inset(top: n, left: n, bottom: n, right: n) }

    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
    }

    public func intersection(_ o: Rect) -> Rect {
        let nx = max(x, o.x), ny = max(y, o.y)
        return Rect(x: nx, y: ny, width: min(maxX, o.maxX) - nx, height: min(maxY, o.maxY) - ny)
    }

    /// A rect of the given size centred in this one (clamped to fit).
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }

    /// The i-th row as a one-line rect (empty when outside).
    public func row(_ i: Int) -> Rect {
        guard i >= 0 && i < height else { return Rect(x: x, y: y, width: 0, height: 0) }
        return Rect(x: x, y: y + i, width: width, height: 1)
    }

    public func split(_ axis: Axis, _ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Layout.split(self, axis, constraints, spacing: spacing)
    }
}

public enum Axis: Sendable { case horizontal, vertical }

public enum Constraint: Hashable, Sendable {
    /// Exactly n cells (shrunk only when there is not enough room).
    case fixed(Int)
    /// This percentage of the whole length.
    case percent(Int)
    /// A share of what is left, by weight.
    case fill(Int)
    /// At least n cells, and a weight-1 share of what is left.
    case min(Int)
}

public enum Layout {
    /// Splits `rect` along `axis`. Sizes always add up to the available length (minus spacing):
    /// fixed and percent first, the rest shared by fills; when over-committed, later
    /// segments shrink first so the leftmost panes stay intact.
    public static func split(_ rect: Rect, _ axis: Axis, _ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        guard !constraints.isEmpty else { return [] }
        let total = axis == .horizontal ? rect.width : rect.height
        let gaps = spacing * (constraints.count - 1)
        let avail = Swift.max(0, total - gaps)
        var sizes = constraints.map { c -> Int in
            switch c {
            case .fixed(let n): return Swift.max(0, n)
            case .percent(let p): return Swift.max(0, avail * p / 100)
            case .min(let n): return Swift.max(0, n)
            case .fill: return 0
            }
        }
        var used = sizes.reduce(0, +)
        if used > avail {
            var over = used - avail
            for i in sizes.indices.reversed() where over > 0 {
                let cut = Swift.min(sizes[i], over)
                sizes[i] -= cut; over -= cut
            }
            used = avail
        }
        let weights = constraints.map { c -> Int in
            switch c {
            case .fill(let w): return Swift.max(0, w)
            case .min: return 1
            default: return 0
            }
        }
        let weightSum = weights.reduce(0, +)
        var left = avail - used
        if weightSum > 0 && left > 0 {
            let pool = left
            for i in sizes.indices where weights[i] > 0 {
                let share = pool * weights[i] / weightSum
                sizes[i] += share; left -= share
            }
            // Rounding leftovers go to the last fill so the split covers the whole length.
            if let last = weights.lastIndex(where: { $0 > 0 }) { sizes[last] += left }
        }
        var out: [Rect] = []
        var pos = axis == .horizontal ? rect.x : rect.y
        for s in sizes {
            if axis == .horizontal {
                out.append(Rect(x: pos, y: rect.y, width: s, height: rect.height))
            } else {
                out.append(Rect(x: rect.x, y: pos, width: rect.width, height: s))
            }
            pos += s + spacing
        }
        return out
    }

    /// Splits into `count` equal parts (the last takes the remainder).
    public static func equal(_ rect: Rect, _ axis: Axis, count: Int, spacing: Int = 0) -> [Rect] {
        split(rect, axis, Array(repeating: .fill(1), count: Swift.max(0, count)), spacing: spacing)
    }
}
