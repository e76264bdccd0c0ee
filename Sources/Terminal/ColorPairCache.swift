// Hands out ncurses colour-pair numbers for (fg, bg) combinations.
//
// Public API:
//   struct ColorPairCache(capacity: Int)       — capacity = COLOR_PAIRS
//     mutating pair(fg: Int32, bg: Int32) -> Allocation   — .pair, .isNew (call init_pair), .didReset
//     count
//
// Pair 0 is ncurses' fixed default pair (-1, -1) and is never allocated. When the pairs run out
// the cache starts over: pairs already on screen get redefined, so a reset means the caller must
// repaint everything (`didReset`).

public struct ColorPairCache: Sendable {
    public struct Allocation: Equatable, Sendable {
        public var pair: Int32
        /// The pair number was (re)assigned: define it with init_extended_pair before use.
        public var isNew: Bool
        /// Earlier pair numbers were forgotten; what is on screen must be redrawn.
        public var didReset: Bool
    }

    public let capacity: Int
    private var pairs: [Int64: Int32] = [:]
    private var next: Int32 = 1

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { pairs.count }

    public mutating func pair(fg: Int32, bg: Int32) -> Allocation {
        if fg == -1 && bg == -1 { return Allocation(pair: 0, isNew: false, didReset: false) }
        let key = Int64(fg) << 32 | Int64(UInt32(bitPattern: bg))
        if let p = pairs[key] { return Allocation(pair: p, isNew: false, didReset: false) }
        var reset = false
        if Int(next) >= capacity {
            pairs.removeAll(keepingCapacity: true)
            next = 1
            reset = true
        }
        let p = next
        next += 1
        pairs[key] = p
        return Allocation(pair: p, isNew: true, didReset: reset)
    }

    public mutating func removeAll() {
        pairs.removeAll()
        next = 1
    }
}
