// A failed system call: which path (if any) and the system's own reason, for one-line messages that
// callers word themselves ("cannot create the log directory …: Permission denied").

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path the call failed on, when it had one.
    public let path: String?
    public let code: Int32

    public init(path: String? = nil, code: Int32) { self.path = path; self.code = code }

    /// `strerror(code)`, e.g. "Permission denied".
    public var reason: String { String(cString: strerror(code)) }

    public var description: String { path.map { "\($0): \(reason)" } ?? reason }
}
