@testable import Storage

/// Direct access for tests that damage a database on purpose.
func openRaw(_ url: String) throws -> Database { try DatabaseOpener.open(url) }
