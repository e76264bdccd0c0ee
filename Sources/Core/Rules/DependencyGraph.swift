/// Task dependencies form a DAG. `wouldCreateCycle` answers whether adding `task → dependsOn`
/// closes a loop, given the existing edges (task depends on …).
public enum DependencyGraph {
    public static func wouldCreateCycle(adding task: ID, dependsOn: ID, edges: [ID: [ID]]) -> Bool {
        if task == dependsOn { return true }
        // A cycle appears iff `task` is reachable from `dependsOn` by following depends-on edges.
        var stack = [dependsOn]
        var seen: Set<ID> = [dependsOn]
        while let node = stack.popLast() {
            for next in edges[node, default: []] {
                if next == task { return true }
                if seen.insert(next).inserted { stack.append(next) }
            }
        }
        return false
    }
}
