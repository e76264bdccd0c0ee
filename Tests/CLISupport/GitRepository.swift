import Foundation

/// A scratch git repository for the worktree tests: notes.txt ("original") committed on main. Git is run by
/// argv (`spawn`), with an identity of its own so the machine's git config does not matter.
public enum GitRepository {
    @discardableResult
    public static func git(_ args: [String], in dir: String) throws -> String {
        try spawn(["git", "-c", "user.name=test", "-c", "user.email=test@example.com", "-C", dir] + args, capture: true)
    }

    public static func make(at dir: String) throws -> String {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "original\n".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        try git(["init", "--quiet", "-b", "main"], in: dir)
        try git(["add", "notes.txt"], in: dir)
        try git(["commit", "--quiet", "-m", "first"], in: dir)
        return dir
    }

    /// Tokens of a capability whose run writes its `text` argument over notes.txt in its working directory
    /// and prints where it ran.
    public static let editorTokens = ["-c", "printf '%s\\n' \"$1\" > notes.txt; pwd", "sh", "{{text}}"]
}
