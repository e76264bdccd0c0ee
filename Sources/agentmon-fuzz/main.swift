import Foundation
import FuzzCorpus

// agentmon-fuzz: the seeded corpus on stdout or in a folder, for scripts/fuzz and for replaying a failure.
//   agentmon-fuzz argv SEED COUNT                      one JSON array of arguments per line
//   agentmon-fuzz transcript SEED COUNT SEED_FILE DIR  DIR/case-N.jsonl, each grown from SEED_FILE
// SEED is decimal or 0x-hex, as the tests print it (AGENTMON_FUZZ_SEED); case N uses SeededRandom.caseSeed.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("agentmon-fuzz: \(message)\n".utf8))
    exit(64)
}

let args = Array(CommandLine.arguments.dropFirst())
func seed(_ s: String) -> UInt64 {
    guard let v = s.hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) : UInt64(s) else { fail("'\(s)' is not a seed (decimal or 0x-hex)") }
    return v
}
func count(_ s: String) -> Int {
    guard let n = Int(s), n >= 0 else { fail("'\(s)' is not a count") }
    return n
}

switch args.first {
case "argv" where args.count == 3:
    let base = seed(args[1]), mutator = ArgvMutator()
    for i in 0..<count(args[2]) {
        var rng = SeededRandom(seed: SeededRandom.caseSeed(base: base, index: i))
        let line = try JSONSerialization.data(withJSONObject: mutator.generate(&rng).argv)
        FileHandle.standardOutput.write(line + Data("\n".utf8))
    }
case "transcript" where args.count == 5:
    let base = seed(args[1])
    guard let file = FileManager.default.contents(atPath: args[3]) else { fail("cannot read \(args[3])") }
    let mutator = TranscriptMutator(seed: Array(file))
    let dir = URL(fileURLWithPath: args[4])
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for i in 0..<count(args[2]) {
        var rng = SeededRandom(seed: SeededRandom.caseSeed(base: base, index: i))
        try Data(mutator.generate(&rng).bytes).write(to: dir.appendingPathComponent("case-\(i).jsonl"))
    }
default:
    fail("usage: agentmon-fuzz argv SEED COUNT | agentmon-fuzz transcript SEED COUNT SEED_FILE DIR")
}
