// A clock that never jumps: timeouts, deadlines and key timing must not follow the wall clock.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Monotonic {
    /// Seconds since an arbitrary fixed point.
    public static func now() -> Double {
        let ts = timespecNow()
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Whole milliseconds since the same point.
    public static func milliseconds() -> Int {
        let ts = timespecNow()
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }

    private static func timespecNow() -> timespec {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts
    }
}
