import Foundation
import Testing
@testable import Core

@Suite("Core rules") struct CoreRulesTests {
    @Test func sparseOrderPlacesBetweenAndAsksForRebalance() {
        #expect(SparseOrder.between(nil, nil) == 1000)
        #expect(SparseOrder.between(1000, nil) == 2000)
        #expect(SparseOrder.between(nil, 1000) == 0)
        #expect(SparseOrder.between(1000, 2000) == 1500)
        #expect(SparseOrder.between(1000, 1001) == nil, "no integer between neighbours: rebalance")
        #expect(SparseOrder.rebalanced(count: 3) == [1000, 2000, 3000])
        let (b, a) = SparseOrder.neighbours(of: [1000, 2000, 3000], insertingAt: 1)
        #expect(b == 1000 && a == 2000)
        let (b2, a2) = SparseOrder.neighbours(of: [1000], insertingAt: 7)
        #expect(b2 == 1000 && a2 == nil)
    }

    @Test func cycleDetection() {
        let edges: [ID: [ID]] = [1: [2], 2: [3], 4: [1]]
        #expect(DependencyGraph.wouldCreateCycle(adding: 3, dependsOn: 1, edges: edges))
        #expect(DependencyGraph.wouldCreateCycle(adding: 3, dependsOn: 4, edges: edges))
        #expect(DependencyGraph.wouldCreateCycle(adding: 5, dependsOn: 5, edges: edges))
        #expect(!DependencyGraph.wouldCreateCycle(adding: 1, dependsOn: 3, edges: edges))
        #expect(!DependencyGraph.wouldCreateCycle(adding: 5, dependsOn: 1, edges: edges))
    }

    @Test func templatesRenderOneTokenIntoOneArgument() throws {
        let argv = try TemplateRenderer.renderArgv(["commit", "-m", "{{msg}}", "--author={{ who }}"],
                                                   values: ["msg": "x; rm -rf ~", "who": "$(id)"])
        #expect(argv == ["commit", "-m", "x; rm -rf ~", "--author=$(id)"])
        #expect(throws: TemplateRenderer.MissingValue(name: "branch")) { try TemplateRenderer.render("push {{branch}}", values: [:]) }
        #expect(try TemplateRenderer.render("a {{b}} c", values: [:], strict: false) == "a  c")
        #expect(try TemplateRenderer.render("unclosed {{x", values: ["x": "1"]) == "unclosed {{x")
        #expect(TemplateRenderer.placeholders(in: "{{a}} {{ b }} {{a}}") == ["a", "b"])
        // A value that looks like a placeholder is not expanded again.
        #expect(try TemplateRenderer.render("{{a}}", values: ["a": "{{b}}", "b": "no"]) == "{{b}}")
    }

    @Test func executionStateMachineAllowsOnlyTheDesignedMoves() {
        #expect(ExecutionStatus.queued.canMove(to: .running))
        #expect(ExecutionStatus.queued.canMove(to: .cancelled))
        #expect(ExecutionStatus.running.canMove(to: .timedOut))
        #expect(ExecutionStatus.cancelling.canMove(to: .cancelled))
        #expect(!ExecutionStatus.cancelling.canMove(to: .succeeded))
        #expect(!ExecutionStatus.succeeded.canMove(to: .running))
        #expect(!ExecutionStatus.failed.canMove(to: .queued), "a retry is a new attempt, not a move back")
        #expect(!ExecutionStatus.queued.canMove(to: .succeeded))
        let legal = ExecutionStatus.allCases.flatMap { a in ExecutionStatus.allCases.filter { a.canMove(to: $0) }.map { "\(a.rawValue)>\($0.rawValue)" } }
        #expect(legal.count == 8)
    }

    @Test func taskStatusParsesWhatPeopleType() {
        #expect(TaskStatus(userInput: "in-progress") == .inProgress)
        #expect(TaskStatus(userInput: "In Progress") == .inProgress)
        #expect(TaskStatus(userInput: "DONE") == .done)
        #expect(TaskStatus(userInput: "later") == nil)
        #expect(TaskStatus.allCases.map(\.title) == ["Todo", "In Progress", "Blocked", "Done", "Cancelled"])
    }

    @Test func effectiveSettingsPreferTheSession() {
        let agent = Agent(slug: "c", name: "C", binaryPath: "c", model: "m1", instructions: "be brief", permissionMode: "readOnly", maxSteps: 10)
        let eff = EffectiveSettings(agent: agent, overrides: SessionOverrides(model: "m2", maxSteps: 3))
        #expect(eff.model == "m2" && eff.maxSteps == 3 && eff.instructions == "be brief" && eff.permissionMode == "readOnly")
    }

    @Test func costFromTokensUsesTheLongestPrefix() {
        let table = PriceTable(prices: ["claude-sonnet-4": ModelPrice(input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3),
                                        "claude": ModelPrice(input: 100, output: 100, cacheWrite: 100, cacheRead: 100)])
        let u = Usage(input: 1_000_000, output: 100_000, cacheRead: 1_000_000, cacheWrite: 0)
        #expect(abs(table.cost(model: "claude-sonnet-4-5-20250929", usage: u) - (3 + 1.5 + 0.3)) < 1e-9)
        #expect(table.cost(model: "unknown", usage: u) == 0)
        #expect((u + u).inputTokens == 2_000_000)
    }

    /// Names match whatever their case, in ASCII and beyond; the longest wins; a name longer than the model, or
    /// a table of none, matches nothing.
    @Test func aModelsPriceIsItsLongestNameIgnoringCase() {
        let p = { (x: Double) in ModelPrice(input: x, output: 0, cacheWrite: 0, cacheRead: 0) }
        let table = PriceTable(prices: ["Local-LLM": p(1), "local-llm-7b": p(2), "claude": p(3), "claude-sonnet-4": p(4), "Äpfel": p(5)])
        #expect(table.price(for: "LOCAL-llm-13b")?.input == 1 && table.price(for: "local-LLM-7B-q4")?.input == 2)
        #expect(table.price(for: "Claude-Sonnet-4-5-20250929")?.input == 4 && table.price(for: "claude-opus-4")?.input == 3)
        #expect(table.price(for: "äPFEL-mini")?.input == 5 && table.price(for: "ÄPFEL")?.input == 5)
        #expect(table.price(for: "claud") == nil && table.price(for: "") == nil && table.price(for: "gpt-5") == nil)
        #expect(PriceTable(prices: [:]).price(for: "claude") == nil)
        #expect(table == PriceTable(prices: table.prices) && table != PriceTable(prices: ["claude": p(3)]))
    }

    /// ccusage's `tiered_cost`: per call and per kind of token, the part beyond 200,000 at the higher price; 1-hour
    /// cache writes at twice the input price (and twice the input's higher price). Totals of many calls are not tiered.
    @Test func aCallsTokensBeyond200kCostTheTierPrice() {
        let sonnet = ModelPrice(input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, inputAbove200k: 6, outputAbove200k: 22.5,
                                cacheWriteAbove200k: 7.5, cacheReadAbove200k: 0.6)
        // 300k input: 200k × 3 + 100k × 6 = $1.20; 250k reads: 200k × 0.3 + 50k × 0.6 = $0.09; 1000 out = $0.015.
        let big = Usage(input: 300_000, output: 1000, cacheRead: 250_000)
        #expect(abs(sonnet.callCost(of: big) - (1.2 + 0.09 + 0.015)) < 1e-9)
        #expect(abs(sonnet.cost(of: big) - (0.9 + 0.075 + 0.015)) < 1e-9, "totals: base prices")
        // 300k 1-hour writes: 200k × 6 + 100k × 12 = $2.40; 1000 5-minute writes: $0.00375.
        #expect(abs(sonnet.callCost(of: Usage(cacheWrite: 301_000, cacheWrite1h: 300_000)) - (2.4 + 0.00375)) < 1e-9)
        #expect(sonnet.callCost(of: Usage(input: 200_000)) == sonnet.cost(of: Usage(input: 200_000)), "200,000 exactly: no tier")
        let flat = ModelPrice(input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3)
        #expect(flat.callCost(of: big) == flat.cost(of: big))
    }

    @Test func jsonValueRoundTripsWithSortedKeys() {
        let v: JSONValue = ["b": [1, 2.5, "x", nil, true], "a": ["nested": "ok"]]
        #expect(v.jsonString == #"{"a":{"nested":"ok"},"b":[1,2.5,"x",null,true]}"#)
        #expect(JSONValue.parse(v.jsonString) == v)
        #expect(JSONValue.parse("not json") == nil)
        #expect(v["a"]?["nested"]?.stringValue == "ok")
    }
}
