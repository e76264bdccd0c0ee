import Foundation
import Testing
import Core
@testable import Dashboard

@Suite("Board reloads and moves in flight") struct StaleBoardTests {
    @Test("a board read while a move is being written does not put the card back; the reload after the write does apply")
    func staleSnapshotIgnored() {
        var s = Fixture.state(width: 120, height: 40)
        var u = Updater()
        let before = Fixture.snapshot  // what the database said before the move
        let effects = u.keys(&s, "L")
        #expect(effects.contains { if case .moveTask = $0 { return true }; return false })
        #expect(s.board.columns[1].cards.first?.task.id == 1, "the card moved at once")
        _ = u.update(&s, .boardLoaded(before))
        #expect(s.board.columns[1].cards.first?.task.id == 1, "an older read does not undo it")
        _ = u.update(&s, .written(nil))
        var after = before
        after.columns[1].cards.insert(s.board.columns[1].cards[0], at: 0)
        after.columns[1].total += 1
        after.columns[0].cards.removeFirst()
        after.columns[0].total -= 1
        _ = u.update(&s, .boardLoaded(after))
        #expect(s.board.columns[0].total == 2 && s.board.columns[1].total == 2, "the reload after the write applies")
    }
}
