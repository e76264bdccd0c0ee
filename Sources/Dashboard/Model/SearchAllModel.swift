import Foundation
import Core

/// `S`: search every session's messages and tool inputs and outputs. The query is typed; Enter searches (through
/// the data thread), and Enter again on an unchanged query opens the chosen hit's transcript at its message.
public struct SearchAllModel: Sendable, Equatable {
    public var editor = LineEditor()
    /// The query `hits` answer (nil: nothing searched yet).
    public var searched: String?
    public var hits: [SearchHit] = []
    public var selected = 0
    public var loading = false
    /// False while imported rows still wait for the search index: the hits may miss the newest imports.
    public var complete = true
    /// Why the query cannot be searched (one line).
    public var error: String?
    public init() {}

    public static let limit = 50
}
