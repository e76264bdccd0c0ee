import Foundation
import Testing
import TestSupport
import Core
@testable import Storage

@Suite("Tasks contract") struct TaskRepositoryTests {
    @Test("create, list in board order, page by keyset", arguments: Backend.allCases)
    func createAndList(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let agent = try s.makeAgent("codex")
            let a = try s.tasks.create(NewTask(title: "write tests", priority: 2, assigneeId: agent.id))
            try s.makeTask("ship", .done)
            try s.makeTask("design", .inProgress)
            let b = try s.makeTask("review")
            #expect(a.assigneeSlug == "codex")
            #expect(b.sortOrder > a.sortOrder)
            #expect(try s.tasks.list().map(\.title) == ["write tests", "review", "design", "ship"])
            #expect(try s.tasks.counts()[.todo] == 2)
            let page1 = try s.tasks.page(status: .todo, limit: 1)
            #expect(page1.map(\.title) == ["write tests"])
            #expect(try s.tasks.page(status: .todo, after: page1.last!.sortOrder, limit: 5).map(\.title) == ["review"])
            #expect(try s.tasks.page(status: .todo, after: b.sortOrder, backwards: true, limit: 5).map(\.title) == ["write tests"])
            let events = try s.tasks.events(taskId: a.id)
            #expect(events.map(\.eventType) == ["created"])
            #expect(events[0].actorType == .user)
        }
    }

    @Test("bad input is refused with a clear error", arguments: Backend.allCases)
    func badInput(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            #expect(throws: StorageError.invalid("a task needs a title")) { try s.tasks.create(NewTask(title: "  ")) }
            #expect(throws: StorageError.invalid("priority must be 1 to 5, not 9")) { try s.tasks.create(NewTask(title: "x", priority: 9)) }
            #expect(throws: StorageError.notFound("no task with id 4242")) { try s.tasks.get(4242) }
            #expect(throws: StorageError.notFound("no task with id 4242")) { try s.tasks.move(4242, to: .done) }
            #expect(throws: StorageError.notFound("no parent task with id 77")) { try s.tasks.create(NewTask(title: "x", parentId: 77)) }
        }
    }

    @Test("move across columns and reorder, one event each", arguments: Backend.allCases)
    func moveAndReorder(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let a = try s.makeTask("a"), b = try s.makeTask("b"), c = try s.makeTask("c")
            try s.makeTask("x", .done); try s.makeTask("y", .done)
            try s.tasks.move(a.id, to: .done, position: 1)
            #expect(try s.titles(.done) == ["x", "a", "y"])
            #expect(try s.titles(.todo) == ["b", "c"])
            try s.tasks.move(c.id, to: .todo, position: 0)
            #expect(try s.titles(.todo) == ["c", "b"])
            try s.tasks.move(b.id, to: .done)  // default: last
            #expect(try s.titles(.done) == ["x", "a", "y", "b"])
            try s.tasks.move(b.id, to: .done, position: 99)  // past the end: last
            #expect(try s.titles(.done) == ["x", "a", "y", "b"])
            let ev = try s.tasks.events(taskId: a.id)
            #expect(ev.map(\.eventType) == ["created", "moved"])
            #expect(ev[1].payload["from"] == "todo")
            #expect(ev[1].payload["to"] == "done")
            #expect(ev[1].payload["to_position"] == 1)
            #expect(try s.tasks.events(taskId: c.id).map(\.eventType) == ["created", "reordered"])
        }
    }

    @Test("200 moves into the same slot keep the intended order, rebalancing, one event each", arguments: Backend.allCases)
    func sparseOrderingUnderPressure(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let anchorA = try s.makeTask("first")
            try s.makeTask("last")
            var expected = ["first", "last"]
            var movedIds: [ID] = []
            for i in 0..<200 {
                let t = try s.makeTask("m\(i)", .blocked)
                // Always into slot 1: between "first" and whatever was put there before → halving gaps.
                try s.tasks.move(t.id, to: .todo, position: 1)
                expected.insert("m\(i)", at: 1)
                movedIds.append(t.id)
            }
            #expect(try s.titles(.todo) == expected)
            let orders = try s.tasks.list(status: .todo).map(\.sortOrder)
            #expect(Set(orders).count == orders.count, "no two cards share a slot")
            #expect(orders == orders.sorted())
            for id in movedIds {
                #expect(try s.tasks.events(taskId: id).map(\.eventType) == ["created", "moved"])
            }
            #expect(try s.tasks.events(taskId: anchorA.id).map(\.eventType) == ["created"], "rebalancing writes no event")
        }
    }

    @Test("update records the changed fields", arguments: Backend.allCases)
    func update(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let t = try s.makeTask("old")
            let u = try s.tasks.update(t.id, TaskPatch(title: "new", description: .some("why"), priority: 1))
            #expect(u.title == "new" && u.description == "why" && u.priority == 1)
            _ = try s.tasks.update(t.id, TaskPatch(title: "new"))  // no change → no event
            let ev = try s.tasks.events(taskId: t.id)
            #expect(ev.map(\.eventType) == ["created", "updated"])
            #expect(ev[1].payload["changes"]?["title"]?["to"] == "new")
        }
    }

    @Test("two connections reordering one column never duplicate or lose a slot", arguments: Backend.allCases)
    func concurrentReorder(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            var ids: [ID] = []
            for i in 0..<20 { ids.append(try s.makeTask("t\(i)").id) }
            let url = tdb.url, taskIds = ids
            let errors = Locked<[String]>([])
            runConcurrently(2) { worker in
                do {
                    let store = try Store.open(url)
                    var rng = SystemRandomNumberGenerator()
                    for _ in 0..<60 {
                        let id = taskIds.randomElement(using: &rng)!
                        try store.tasks.move(id, to: .todo, position: Int.random(in: 0..<3, using: &rng))
                    }
                } catch { errors.with { $0.append("worker \(worker): \(error)") } }
            }
            #expect(errors.get.isEmpty)
            let column = try s.tasks.list(status: .todo)
            #expect(column.count == 20)
            #expect(Set(column.map(\.id)) == Set(ids))
            #expect(Set(column.map(\.sortOrder)).count == 20)
            let moves = try ids.reduce(0) { $0 + (try s.tasks.events(taskId: $1).filter { $0.eventType == "reordered" }.count) }
            #expect(moves == 120, "each of the 120 moves left exactly one event")
        }
    }

    @Test("dependencies: self edge and cycles refused", arguments: Backend.allCases)
    func dependencies(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let a = try s.makeTask("a"), b = try s.makeTask("b"), c = try s.makeTask("c", .done)
            try s.tasks.addDependency(a.id, on: b.id)
            try s.tasks.addDependency(b.id, on: c.id)
            try s.tasks.addDependency(a.id, on: b.id)  // again: no-op
            #expect(try s.tasks.dependencies(of: a.id) == [b.id])
            #expect(throws: StorageError.invalid("task \(a.id) cannot depend on itself")) { try s.tasks.addDependency(a.id, on: a.id) }
            let err = #expect(throws: StorageError.self) { try s.tasks.addDependency(c.id, on: a.id) }
            #expect("\(err!)".contains("cycle"))
            #expect(try s.tasks.unmetDependencyCounts([a.id, b.id]) == [a.id: 1])  // b is not done, c is
            // The database refuses a self edge even when written around the repository.
            #expect(throws: StorageError.self) {
                try s.db.execute("INSERT INTO task_dependencies (task_id, depends_on_task_id) VALUES (?, ?)", .int(a.id), .int(a.id))
            }
            try s.tasks.removeDependency(b.id, on: c.id)
            #expect(try s.tasks.events(taskId: b.id).map(\.eventType) == ["created", "dependency_added", "dependency_removed"])
        }
    }

    @Test("a cycle is refused even when two transactions add its halves at once", arguments: Backend.allCases)
    func concurrentCycleHalves(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let url = tdb.url
            for round in 0..<15 {
                let a = try s.makeTask("a\(round)").id, b = try s.makeTask("b\(round)").id
                let ok = Locked(0), refused = Locked(0), other = Locked<[String]>([])
                runConcurrently(2) { i in
                    do {
                        let store = try Store.open(url)
                        if i == 0 { try store.tasks.addDependency(a, on: b) } else { try store.tasks.addDependency(b, on: a) }
                        ok.with { $0 += 1 }
                    } catch StorageError.conflict {
                        refused.with { $0 += 1 }
                    } catch { other.with { $0.append("\(error)") } }
                }
                #expect(other.get.isEmpty)
                #expect(ok.get == 1 && refused.get == 1, "round \(round): exactly one half lands")
                let edges = try s.tasks.dependencyEdges()
                #expect(!(edges[a, default: []].contains(b) && edges[b, default: []].contains(a)))
            }
        }
    }

    @Test("subtasks and progress", arguments: Backend.allCases)
    func subtasks(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let p = try s.makeTask("parent")
            try s.tasks.create(NewTask(title: "s1", status: .done, parentId: p.id))
            try s.tasks.create(NewTask(title: "s2", parentId: p.id))
            #expect(try s.tasks.subtasks(of: p.id).map(\.title) == ["s2", "s1"])
            let progress = try s.tasks.subtaskProgress([p.id])[p.id]
            #expect(progress?.done == 1 && progress?.total == 2)
            try s.tasks.delete(p.id)
            #expect(try s.tasks.list().allSatisfy { $0.parentId == nil })
        }
    }
}

@Suite("Column counts") struct ColumnCountTests {
    /// The counts the board shows are the counts a scan finds, after every way a task comes, goes or moves.
    @Test("counts stay those of a scan through creates, moves, deletes and raw SQL", arguments: Backend.allCases)
    func countsFollowEveryChange(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            func scan() throws -> [TaskStatus: Int] {
                var out = Dictionary(uniqueKeysWithValues: TaskStatus.allCases.map { ($0, 0) })
                for r in try s.db.query("SELECT status, count(*) AS n FROM tasks GROUP BY status", []) {
                    out[TaskStatus(rawValue: r.string("status"))!] = r.intValue("n")
                }
                return out
            }
            try s.tasks.createMany((0..<30).map { NewTask(title: "t\($0)", status: TaskStatus.allCases[$0 % 5]) })
            #expect(try s.tasks.counts() == scan())
            let a = try s.makeTask("moved")
            _ = try s.tasks.move(a.id, to: .done, position: 0)
            _ = try s.tasks.move(a.id, to: .done, position: 3)  // within the column: no change of status
            #expect(try s.tasks.counts() == scan())
            #expect(try s.tasks.counts()[.done] == 7)
            try s.tasks.delete(a.id)
            _ = try s.db.execute("UPDATE tasks SET status = 'blocked', sort_order = 1000000 + id WHERE title IN ('t0', 't1')", [])
            _ = try s.db.execute("DELETE FROM tasks WHERE title = 't2'", [])
            #expect(try s.tasks.counts() == scan())
            // A filter still counts the matching titles.
            var matching = Dictionary(uniqueKeysWithValues: TaskStatus.allCases.map { ($0, 0) })
            for r in try s.db.query("SELECT status, count(*) AS n FROM tasks WHERE title LIKE '%t1%' GROUP BY status", []) {
                matching[TaskStatus(rawValue: r.string("status"))!] = r.intValue("n")
            }
            #expect(try s.tasks.counts(filter: "t1") == matching)
        }
    }
}
