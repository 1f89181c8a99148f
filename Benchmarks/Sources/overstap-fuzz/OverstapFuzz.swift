import ArgumentParser
import Foundation

/// Seeded fuzzing of the readers that take files from outside: the worker CSV and .ics exports.
/// Input `i` of a run depends only on the seed and `i`, so `--first i --count 1` replays it.
@main
struct OverstapFuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overstap-fuzz", abstract: "Fuzz Overstap's CSV and iCalendar readers with seeded inputs.",
        subcommands: [CSVFuzz.self, CalendarFuzz.self, ReplyFuzz.self])
}

/// The options both fuzzers share.
struct FuzzOptions: ParsableArguments {
    @Option(help: "Number of inputs.") var count = 1_000_000
    @Option(help: "Index of the first input (to replay one: --first N --count 1).") var first = 0
    @Option(help: "Random seed.") var seed: UInt64 = 2027
    @Option(help: "An input taking longer than this many seconds is a hang.") var limit = 1.0
    @Option(help: "Write the slowest input to this file.") var saveSlowest: String?
}

/// Runs `body` on every input, timing each; prints counts, time and the slowest input.
func runFuzz(name: String, options: FuzzOptions, input: (inout FuzzRandom) -> [UInt8], body: ([UInt8]) -> Bool) throws {
    let clock = ContinuousClock()
    var accepted = 0
    var refused = 0
    var hangs: [Int] = []
    var slowest: (index: Int, duration: Duration, bytes: [UInt8]) = (-1, .zero, [])
    var totalBytes = 0
    let started = clock.now
    let limit = Duration.milliseconds(Int64(options.limit * 1000))
    for index in options.first..<(options.first + options.count) {
        var random = FuzzRandom(seed: options.seed, stream: UInt64(index))
        let bytes = input(&random)
        totalBytes += bytes.count
        let before = clock.now
        if body(bytes) { accepted += 1 } else { refused += 1 }
        let took = clock.now - before
        if took > slowest.duration { slowest = (index, took, bytes) }
        if took > limit { hangs.append(index) }
        if (index - options.first + 1) % 100_000 == 0 {
            FileHandle.standardError.write(Data("\(name): \(index - options.first + 1) inputs, slowest so far #\(slowest.index) \(slowest.duration)\n".utf8))
        }
    }
    let elapsed = clock.now - started
    let machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.operatingSystemVersionString)"
    print("""
        \(name): \(options.count) inputs (seed \(options.seed), first \(options.first)), \(totalBytes / max(1, options.count)) bytes on average
          accepted \(accepted), refused with an error \(refused), crashes 0, inputs over \(options.limit) s: \(hangs.count)
          total \(elapsed), slowest input #\(slowest.index) (\(slowest.bytes.count) bytes) took \(slowest.duration)
          machine: \(machine)
        """)
    if let path = options.saveSlowest {
        try Data(slowest.bytes).write(to: URL(fileURLWithPath: path))
    }
    if !hangs.isEmpty {
        throw ValidationError("inputs over the limit: \(hangs.prefix(20).map(String.init).joined(separator: ", "))")
    }
}
