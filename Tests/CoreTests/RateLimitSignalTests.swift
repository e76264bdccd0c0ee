import Foundation
import Testing
import Core
import FuzzCorpus

/// The rate-limit signals of Claude Code stream-json and Codex (RateLimitSignal.swift cites each shape), and
/// hostile lines that must neither crash nor invent a limit.
@Suite("Rate-limit signals") struct RateLimitSignalTests {
    let now = Date(timeIntervalSince1970: 1_778_560_000)

    func read(_ lines: [String]) -> RateLimitSignal {
        var s = RateLimitSignal()
        for l in lines { if let v = JSONValue.parse(l) { s.read(v, now: now) } }
        return s
    }

    @Test func claudeRejectedEventWithReset() {
        let s = read([#"{"type":"rate_limit_event","rate_limit_info":{"status":"allowed_warning","resetsAt":1778565600,"rateLimitType":"seven_day"}}"#])
        #expect(s.limit == nil, "a warning is not a limit")
        let r = read([#"{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1778565600,"rateLimitType":"five_hour","overageStatus":"rejected","isUsingOverage":false}}"#,
                      #"{"type":"result","subtype":"success","is_error":true,"result":"You've hit your limit · resets 2pm (Asia/Shanghai)"}"#])
        #expect(r.limit == .init(provider: "anthropic", resetsAt: Date(timeIntervalSince1970: 1_778_565_600), reason: "Claude's rate limit was hit (five_hour)"))
        #expect(r.resumeAt(now: now) == Date(timeIntervalSince1970: 1_778_565_600))
    }

    @Test func claudeOlderResultCarriesTheResetAfterABar() {
        let r = read([#"{"type":"result","subtype":"success","is_error":true,"result":"Claude AI usage limit reached|1778565600"}"#])
        #expect(r.limit?.resetsAt == Date(timeIntervalSince1970: 1_778_565_600))
        #expect(r.limit?.reason == "Claude: Claude AI usage limit reached|1778565600")
        let ok = read([#"{"type":"result","subtype":"success","is_error":false,"result":"I added a rate limit to the API"}"#])
        #expect(ok.limit == nil, "a successful result that talks about limits is not one")
    }

    @Test func codexSnapshotsAndErrors() {
        let snapshot = #"{"timestamp":"2026-05-12T04:00:00Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":{"primary":{"used_percent":100.0,"window_minutes":299,"resets_at":1778565600},"secondary":{"used_percent":40.0,"window_minutes":10079,"resets_at":1779000000}}}}"#
        let r = read([snapshot])
        #expect(r.limit?.provider == "openai" && r.limit?.resetsAt == Date(timeIntervalSince1970: 1_778_565_600))
        let older = read([#"{"type":"token_count","rate_limits":{"primary":{"used_percent":100,"resets_in_seconds":90}}}"#])
        #expect(older.limit?.resetsAt == now.addingTimeInterval(90))
        let appServer = read([#"{"method":"account/rateLimits/updated","params":{"rateLimits":{"primary":{"usedPercent":100,"windowDurationMins":300,"resetsAt":1778565600}}}}"#])
        #expect(appServer.limit?.resetsAt == Date(timeIntervalSince1970: 1_778_565_600))
        let error = read([#"{"type":"turn.failed","error":{"message":"You've hit your usage limit. Upgrade to Pro or try again at 3:04 PM."}}"#])
        #expect(error.limit?.provider == "openai" && error.limit?.resetsAt == nil)
        #expect(error.resumeAt(now: now) == now.addingTimeInterval(RateLimitSignal.fallbackWait), "no reset known: the fallback wait")
        let notFull = read([#"{"type":"token_count","rate_limits":{"primary":{"used_percent":99.9,"resets_at":1778565600}}}"#])
        #expect(notFull.limit == nil)
    }

    @Test func hostileLinesNeitherCrashNorInventALimit() {
        var rng = SeededRandom(seed: 14)
        let seeds = [#"{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1778565600}}"#,
                     #"{"type":"token_count","rate_limits":{"primary":{"used_percent":100,"resets_in_seconds":90}}}"#,
                     #"{"type":"result","is_error":true,"result":"usage limit reached|9"}"#]
        for _ in 0..<3000 {
            var bytes = Array(seeds[Int(rng.next() % UInt64(seeds.count))].utf8)
            for _ in 0..<Int(rng.next() % 6) {
                let i = Int(rng.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            var s = RateLimitSignal()
            if let v = JSONValue.parse(String(decoding: bytes, as: UTF8.self)) { s.read(v, now: now) }
            if let at = s.resumeAt(now: now) { #expect(at >= now && at.timeIntervalSince1970 < 1e10) }
        }
        // Absurd resets are not believed: a year 10,000 epoch, a negative one, infinity's neighbours.
        for reset in ["1e308", "-5", "99999999999999999", "\"soon\"", "null"] {
            let s = read([#"{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":"# + reset + "}}"])
            #expect(s.limit?.resetsAt == nil && s.resumeAt(now: now) == now.addingTimeInterval(RateLimitSignal.fallbackWait))
        }
    }
}
