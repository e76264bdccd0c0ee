import Foundation
import Testing
import Core
@testable import Storage

/// SQLTime.parse is the one home of date parsing (--due, --since, the dashboard's form, both drivers' columns).
@Suite("Storage: dates are validated") struct DateParsingTests {
    @Test(arguments: ["2026-13-45", "2026-02-30", "2025-02-29", "1900-02-29", "2026-04-31", "2026-00-10", "2026-01-00",
                      "2026-01-01T25:61", "2026-01-01T24:00", "2026-01-01T10:60", "2026-01-01T10:00:60", "2026-01-01T10:00+99:00",
                      "2026-01-01T10:00+19:00", "2026-01-01T10:00+05:60", "2026-01-01T10:00:00.", "2026-01-01T10:00Zjunk",
                      "2026-01-01 10:00:00+01:00x", "2026-01-01Z", "2026-01-01T", "2026-1-1", "20260101", "", "next tuesday",
                      "2026-01-01T10", "2026-01-01T10:00+1", "٢٠٢٦-01-01"])
    func badDatesAreRefused(_ s: String) {
        #expect(SQLTime.parse(s) == nil, "\(s) must be refused")
    }

    @Test(arguments: [
        ("2024-02-29", "2024-02-29T00:00:00.000Z"), ("2000-02-29", "2000-02-29T00:00:00.000Z"),
        ("2026-12-31T23:59:59Z", "2026-12-31T23:59:59.000Z"), ("2026-12-01T17:00", "2026-12-01T17:00:00.000Z"),
        ("2026-12-01T17:00:00+02:00", "2026-12-01T15:00:00.000Z"), ("2026-12-01T17:00-0530", "2026-12-01T22:30:00.000Z"),
        ("2026-12-01 17:00:00.250+00", "2026-12-01T17:00:00.250Z"), ("2026-01-01T00:30+14:00", "2025-12-31T10:30:00.000Z"),
        ("2026-03-01T00:00:00.123456-18:00", "2026-03-01T18:00:00.123Z"), ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59.000Z"),
    ])
    func goodDatesAreAcceptedExactly(_ s: String, _ utc: String) throws {
        let d = try #require(SQLTime.parse(s), "\(s) must be accepted")
        #expect(SQLTime.format(d) == utc)
    }

    @Test func everyDayOfFourHundredYearsRoundTrips() {
        // Against the system calendar: the hand-written civil-date arithmetic matches timegm on valid dates.
        var t = Date(timeIntervalSince1970: -946_771_200)  // 1940-01-01
        for _ in 0..<(400 * 366 / 7) {
            let s = SQLTime.format(t)
            #expect(SQLTime.parse(s) == t, "\(s)")
            #expect(SQLTime.parse(String(s.prefix(10))) != nil)
            t += 7 * 86_400 + 3_601
        }
    }
}
