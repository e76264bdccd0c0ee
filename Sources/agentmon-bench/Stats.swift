import Foundation
import CBenchSupport

/// Timing and process helpers shared by the benchmarks.
enum Stats {
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        let rank = Int((p / 100 * Double(s.count - 1)).rounded())
        return s[min(s.count - 1, max(0, rank))]
    }

    static func median(_ values: [Int]) -> Int {
        guard !values.isEmpty else { return 0 }
        return values.sorted()[values.count / 2]
    }

    static func nowMs() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1_000_000 }

    /// User plus system CPU time of this process, in seconds.
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    static func tid() -> Int32 { bench_gettid() }

    /// CPU seconds of this process's threads, leaving out the benchmark's own (`excluding` tids).
    static func cpuSeconds(excluding: Set<Int32>) -> Double {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = 0.0
        for t in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] where !excluding.contains(Int32(t) ?? -1) {
            guard let s = try? String(contentsOfFile: "/proc/self/task/\(t)/stat", encoding: .utf8),
                  let close = s.lastIndex(of: ")") else { continue }
            let fields = s[s.index(after: close)...].split(separator: " ")
            // After the command name: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
            if fields.count > 13 { total += (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0) }
        }
        return total / ticks
    }

    /// Voluntary context switches (wake-ups from sleep) of this process's threads, leaving out `excluding`.
    static func voluntarySwitches(excluding: Set<Int32> = []) -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        var total = 0
        for t in tasks where !excluding.contains(Int32(t) ?? -1) {
            guard let s = try? String(contentsOfFile: "/proc/self/task/\(t)/status", encoding: .utf8) else { continue }
            for line in s.split(separator: "\n") where line.hasPrefix("voluntary_ctxt_switches:") {
                total += Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        return total
    }

    static func printJSON(_ object: [String: Any], to fd: Int32) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        let text = String(decoding: data, as: UTF8.self) + "\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }

    /// The figures as one JSON object, or as `key: value` lines.
    static func report(_ result: [String: Any], json: Bool, to fd: Int32) {
        if json { printJSON(result, to: fd); return }
        for (k, v) in result.sorted(by: { $0.key < $1.key }) {
            let line = "\(k): \(v)\n"
            _ = line.withCString { write(fd, $0, strlen($0)) }
        }
    }

    /// A fresh folder for a benchmark's files.
    static func scratchFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func round(_ v: Double, _ places: Int = 3) -> Double {
        let m = pow(10, Double(places))
        return (v * m).rounded() / m
    }
}
