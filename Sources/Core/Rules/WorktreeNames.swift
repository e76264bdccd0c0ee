/// Names of a task's worktree run: its branch `agentmon/task-<id>-<slug of the title>` and its folder
/// `task-<id>-<slug>`. The slug keeps ASCII letters and digits only, so the name is a valid ref
/// (git-check-ref-format(1)) and a plain folder name whatever the title holds.
public enum WorktreeNames {
    public static func slug(_ title: String, maxLength: Int = 40) -> String {
        var out = ""
        for c in title.lowercased().unicodeScalars {
            if c.isASCII, (c >= "a" && c <= "z") || (c >= "0" && c <= "9") { out.unicodeScalars.append(c) }
            else if !out.isEmpty, !out.hasSuffix("-") { out += "-" }
            if out.count >= maxLength { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    public static func folder(taskId: ID, title: String) -> String {
        let s = slug(title)
        return s.isEmpty ? "task-\(taskId)" : "task-\(taskId)-\(s)"
    }

    public static func branch(taskId: ID, title: String) -> String { "agentmon/" + folder(taskId: taskId, title: title) }
}
