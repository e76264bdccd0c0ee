import Foundation
import SystemSupport

/// Runs git by argv (never a shell), in a given folder, with a timeout. The environment is the caller's
/// without the variables that would point git at another repository, and git never prompts.
public struct Git: Sendable {
    public let executable: String
    let environment: [String: String]
    let timeout: Double

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Double = 60) throws {
        guard let exe = Subprocess.find("git", searchPath: environment["PATH"] ?? "/usr/bin:/bin") else {
            throw GitError("git was not found on PATH; worktree isolation needs git")
        }
        var env = environment
        for name in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR", "GIT_PREFIX"] {
            env[name] = nil
        }
        env["GIT_TERMINAL_PROMPT"] = "0"
        self.executable = exe; self.environment = env; self.timeout = timeout
    }

    /// `git -C dir args…`; stdout and stderr together, as git wrote them.
    public func run(_ args: [String], in dir: String, extraEnvironment: [String: String] = [:]) -> Subprocess.Output {
        Subprocess.run(executable, ["git", "-C", dir] + args, environment: environment.merging(extraEnvironment) { $1 },
                       timeout: timeout, maxBytes: 16 << 20)
    }

    /// The output, trimmed, of a command that must succeed; else git's own message as the error.
    @discardableResult
    public func check(_ args: [String], in dir: String, extraEnvironment: [String: String] = [:]) throws -> String {
        let out = run(args, in: dir, extraEnvironment: extraEnvironment)
        if out.timedOut { throw GitError("git \(args.first ?? "") timed out after \(Int(timeout)) s in \(dir)") }
        guard out.status == 0 else { throw GitError(out.output.trimmed.isEmpty ? "git \(args.first ?? "") failed (\(out.status))" : out.output.trimmed) }
        return out.output.trimmed
    }

    /// The output as git wrote it (a diff's last blank context line matters) of a command that must succeed.
    public func output(_ args: [String], in dir: String) throws -> String {
        let out = run(args, in: dir)
        guard out.status == 0, !out.timedOut else { throw GitError(out.output.trimmed.isEmpty ? "git \(args.first ?? "") failed" : out.output.trimmed) }
        return out.output
    }

    /// A commit needs an identity: the user's when git has one, else agentmon's own (a fresh machine, a CI box).
    func identity(in dir: String) -> [String: String] {
        if run(["var", "GIT_COMMITTER_IDENT"], in: dir).status == 0, run(["var", "GIT_AUTHOR_IDENT"], in: dir).status == 0 { return [:] }
        return ["GIT_AUTHOR_NAME": "agentmon", "GIT_AUTHOR_EMAIL": "agentmon@localhost",
                "GIT_COMMITTER_NAME": "agentmon", "GIT_COMMITTER_EMAIL": "agentmon@localhost"]
    }
}

/// A git problem in words a user can act on; for a refused merge, git's own message.
public struct GitError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
