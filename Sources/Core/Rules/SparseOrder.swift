/// Sparse ordering of cards inside a column: positions are spaced `gap` apart so a move usually writes
/// one row; when two neighbours leave no integer between them, the column is renumbered (rebalanced).
public enum SparseOrder {
    public static let gap: Int64 = 1000

    /// The sort order for a card placed between `before` and `after` (either may be absent), or nil
    /// when there is no room and the column must be rebalanced first.
    public static func between(_ before: Int64?, _ after: Int64?) -> Int64? {
        switch (before, after) {
        case (nil, nil): return gap
        case (let b?, nil): return b + gap
        case (nil, let a?): return a - gap  // may go negative: fine, still ordered
        case (let b?, let a?):
            guard a - b >= 2 else { return nil }
            return b + (a - b) / 2
        }
    }

    /// Evenly spaced orders for `count` cards: gap, 2·gap, …
    public static func rebalanced(count: Int) -> [Int64] {
        (0..<count).map { Int64($0 + 1) * gap }
    }

    /// Where a card lands when inserted at `index` (0-based) of a column that, without the card, has `orders`.
    /// Returns the neighbours to place between.
    public static func neighbours(of orders: [Int64], insertingAt index: Int) -> (Int64?, Int64?) {
        let i = max(0, min(index, orders.count))
        return (i > 0 ? orders[i - 1] : nil, i < orders.count ? orders[i] : nil)
    }
}
