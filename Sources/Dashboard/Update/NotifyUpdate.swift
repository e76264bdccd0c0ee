import Foundation
import Core
import Render

/// Notifications: what is new in a load compared with what was seen before becomes `.bell` and `.notify`
/// effects (performed by the app). The first load is the baseline: what waited or had ended when the
/// dashboard started is not announced; nothing is announced twice.
extension Updater {
    /// New inbox items (confirmations and runs waiting for approval) since the last load.
    func inboxArrivals(_ s: inout AppState, _ items: [InboxItem], links: [ID: InboxLink]) -> [Effect] {
        let refs = Set(items.map(\.ref))
        guard let seen = s.notify.seenInbox else {
            s.notify.seenInbox = refs  // the baseline
            return []
        }
        // Only what is in the inbox now is remembered: an item that left (decided) never comes back.
        s.notify.seenInbox = refs
        var fresh: Set<InboxRef> = []
        let events = items.filter { !seen.contains($0.ref) && fresh.insert($0.ref).inserted }.map { Self.event(for: $0, links: links) }
        return announce(s, events)
    }

    /// Runs that ended since the last look: watched ones (seen before they ended) and new ones that were
    /// already over when first seen.
    func runsEnded(_ s: inout AppState, _ w: RunWatch) -> [Effect] {
        var unique: [ID: ExecutionSummary] = [:]
        for r in w.runs { unique[r.execution.id] = r }
        let runs = unique.values.sorted { $0.execution.id < $1.execution.id }
        let newest = runs.last?.execution.id ?? 0
        guard var watching = s.notify.watching else {
            s.notify.watching = Set(runs.filter { !$0.execution.status.isTerminal }.map(\.execution.id))  // the baseline
            s.notify.highestRun = max(s.notify.highestRun, newest)
            return []
        }
        for id in w.gone { watching.remove(id) }
        var events: [NotifyEvent] = []
        for r in runs {
            let id = r.execution.id
            if r.execution.status.isTerminal {
                if watching.remove(id) != nil || id > s.notify.highestRun { events.append(Self.event(ended: r)) }
            } else {
                watching.insert(id)
            }
        }
        if watching.count > NotifyState.watchLimit { watching = Set(watching.sorted().suffix(NotifyState.watchLimit)) }
        s.notify.watching = watching
        s.notify.highestRun = max(s.notify.highestRun, newest)
        return announce(s, events)
    }

    /// The effect that loads what `runsEnded` compares.
    func watchRuns(_ s: AppState) -> Effect { .watchRuns((s.notify.watching ?? []).sorted()) }

    /// One bell per load however many events; each event (up to a burst limit) to the command / desktop.
    func announce(_ s: AppState, _ events: [NotifyEvent]) -> [Effect] {
        let on = s.notify.settings
        guard !events.isEmpty, on.any else { return [] }
        var out: [Effect] = on.bell ? [.bell] : []
        if on.command || on.desktop { out += events.prefix(NotifyState.burstLimit).map { .notify($0) } }
        return out
    }

    static func event(for item: InboxItem, links: [ID: InboxLink]) -> NotifyEvent {
        switch item {
        case .toolCall(let t, let agent, _):
            let link = links[t.id]
            return NotifyEvent(kind: .needsInput, executionId: link?.executionId, taskId: link?.taskId, agent: agent,
                               tool: t.toolName, summary: t.input)
        case .execution(let e):
            let input = e.execution.prompt ?? e.execution.args.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return NotifyEvent(kind: .needsInput, executionId: e.execution.id, taskId: e.execution.taskId, agent: e.agentSlug,
                               tool: e.capabilityKey, summary: "approve on \"\(e.taskTitle)\"" + (input.isEmpty ? "" : ": " + input))
        }
    }

    static func event(ended r: ExecutionSummary) -> NotifyEvent {
        let e = r.execution
        var summary = "\(e.status.rawValue) on \"\(r.taskTitle)\""
        if let code = e.exitCode, e.status != .succeeded { summary += " (exit \(code))" }
        if let error = e.error, e.status != .succeeded, !error.isEmpty { summary += ": " + error }
        return NotifyEvent(kind: e.status == .succeeded ? .finished : .failed, executionId: e.id, taskId: e.taskId,
                           agent: r.agentSlug, tool: r.capabilityKey, summary: summary)
    }
}
