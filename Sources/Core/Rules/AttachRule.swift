/// Whether a person can attach their terminal to a run's tmux session (`agentmon exec attach`, the
/// dashboard's `A`): one rule and one wording for both. Only a running run hosted in tmux can be attached
/// to, and only on its worker's machine: the session is on that machine's agentmon tmux socket.
public enum AttachRule {
    /// Nil when `e` can be attached to from `localHost`; else why not, in one line naming the run.
    /// `workerHost` is the host of the run's worker (nil when unknown: then the attempt is left to tmux).
    public static func refusal(_ e: Execution, workerHost: String?, localHost: String) -> String? {
        guard e.tmuxSessionName != nil else {
            if e.status == .queued { return "run #\(e.id) has not started; there is no session to attach to yet" }
            return "run #\(e.id) is not hosted in tmux (only runs of agents whose protocol is tmux can be attached to)"
        }
        if e.status.isTerminal { return "run #\(e.id) has ended (\(e.status.rawValue)); its tmux session is gone" }
        if let host = workerHost, host != localHost {
            return "run #\(e.id) runs on host \(host) (worker \(e.workerId ?? "?")); attach there"
        }
        return nil
    }
}
