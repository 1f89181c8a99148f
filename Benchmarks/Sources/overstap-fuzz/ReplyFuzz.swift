import ArgumentParser
import Foundation
import Glibc
import ICalendar
import Mail

/// `overstap-fuzz reply`: the reply fixtures (real clients' calendar answers), changed in the ways
/// mail goes wrong or is made to go wrong (duplicated and huge header lines, cut-off messages,
/// deep nesting, boundary games, broken transfer encodings and charsets), then byte-damaged half
/// of the time; each read by `InboundMessage.parse` and every calendar part by `CalendarITIP.parse`.
struct ReplyFuzz: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reply", abstract: "Fuzz the inbound mail reader and the iTIP reader.")
    @OptionGroup var options: FuzzOptions
    @Option(help: "Folder with the .eml seeds.") var fixtures = ReplyFuzz.defaultFixtures

    static var defaultFixtures: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Tests/Fixtures/Replies").path
    }

    func run() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures).filter { $0.hasSuffix(".eml") }.sorted()
        guard !names.isEmpty else { throw ValidationError("no .eml files in \(fixtures)") }
        let seeds = try names.map { Array(try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/\($0)"))) }
        var calls = 0
        var parts = 0
        var answers = 0
        var itipRefused = 0
        var memory: [(String, Int)] = [("start", ResidentMemory.held())]
        try runFuzz(name: "reply", options: options, input: { random in Self.input(seeds: seeds, random: &random) }, body: { bytes in
            calls += 1
            if calls == options.count / 2 { memory.append(("middle", ResidentMemory.held())) }
            guard let message = try? InboundMessage.parse(bytes) else { return false }
            for part in message.calendarParts {
                parts += 1
                if let itip = try? CalendarITIP.parse(part.text) { answers += itip.events.count } else { itipRefused += 1 }
            }
            return true
        })
        memory.append(("end", ResidentMemory.held()))
        print("""
              calendar parts \(parts): iTIP events read \(answers), parts refused by the iTIP reader \(itipRefused)
              resident memory held (after malloc_trim) \(memory.map { "\($0.0) \($0.1 / 1024) MiB" }.joined(separator: ", ")), peak \(ResidentMemory.peak() / 1024) MiB
              seeds: \(names.count) fixtures from \(fixtures)
            """)
    }

    /// A seed changed by one to three mail-level edits, then byte-damaged half of the time.
    static func input(seeds: [[UInt8]], random: inout FuzzRandom) -> [UInt8] {
        var lines = split(seeds[random.below(seeds.count)])
        for _ in 0...random.below(3) {
            switch random.below(10) {
            case 0: duplicateHeader(&lines, random: &random)
            case 1: lines = Array(lines.prefix(random.below(lines.count + 1)))
            case 2: lines = nest(lines, random: &random)
            case 3: boundaryGame(&lines, random: &random)
            case 4: hugeLine(&lines, random: &random)
            case 5: encodingJunk(&lines, random: &random)
            case 6: manyParts(&lines, random: &random)
            case 7: lines = lines.map { $0.filter { $0 != 13 } }
            case 8: headerJunk(&lines, random: &random)
            default:
                if lines.count > 1 {
                    let index = random.below(lines.count - 1)
                    lines.swapAt(index, index + 1)
                }
            }
        }
        let joiner: [UInt8] = random.oneIn(3) ? [10] : [13, 10]
        let bytes = Array(lines.joined(separator: joiner))
        return random.oneIn(2) ? bytes : Mutator.mutate(bytes, extra: extra, random: &random)
    }

    static let extra: [[UInt8]] = [
        Array("\r\n--".utf8), Array("=?UTF-8?B?".utf8), Array("?=".utf8), Array("=\r\n".utf8), Array("=ZZ".utf8), Array("\r\n\r\n".utf8),
        Array("boundary=".utf8), Array("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n".utf8), Array("BEGIN:VEVENT".utf8),
    ]

    static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 10, omittingEmptySubsequences: false).map { line in line.last == 13 ? Array(line.dropLast()) : Array(line) }
    }

    static func headerEnd(_ lines: [[UInt8]]) -> Int { lines.firstIndex(where: \.isEmpty) ?? lines.count }

    static func duplicateHeader(_ lines: inout [[UInt8]], random: inout FuzzRandom) {
        let end = headerEnd(lines)
        guard end > 0 else { return }
        let line = lines[random.below(end)]
        // At most 8 MiB of copies: a duplicated huge line must test the reader, not build a gigabyte input.
        let copies = min([1, 2, 10, 1_000, 2_500][random.below(5)], max(1, 8_388_608 / max(1, line.count)))
        lines.insert(contentsOf: Array(repeating: line, count: copies), at: random.below(end + 1))
    }

    /// Wraps the message in multiparts or forwarded messages, up to 20 levels.
    static func nest(_ lines: [[UInt8]], random: inout FuzzRandom) -> [[UInt8]] {
        var result = lines
        for level in 0..<(1 + random.below(20)) {
            let boundary = Array("n\(level)".utf8)
            if random.oneIn(3) {
                result = [Array("From: fw@example.nl".utf8), Array("Content-Type: message/rfc822".utf8), []] + result
            } else {
                result = [Array("From: nest@example.nl".utf8), Array("Content-Type: multipart/mixed; boundary=".utf8) + boundary, [],
                          Array("--".utf8) + boundary] + result + (random.oneIn(4) ? [] : [Array("--".utf8) + boundary + Array("--".utf8)])
            }
        }
        return result
    }

    static func boundaryGame(_ lines: inout [[UInt8]], random: inout FuzzRandom) {
        guard let index = lines.firstIndex(where: { String(decoding: $0, as: UTF8.self).lowercased().contains("boundary=") }) else { return }
        let choices: [[UInt8]] = [
            Array("\tboundary=\"\"".utf8), Array("\tboundary=-".utf8), Array(("\tboundary=" + String(repeating: "b", count: 300)).utf8),
            Array("\tboundary=\"--\"".utf8), Array("\tboundary=\"a\"; boundary=\"b\"".utf8), Array("\tboundary*0=x; boundary*1=y".utf8),
        ]
        switch random.below(4) {
        case 0: lines.insert(choices[random.below(choices.count)], at: index + 1)
        case 1: lines.removeAll { $0.starts(with: Array("--".utf8)) && $0.suffix(2) == [45, 45] }
        case 2:
            let delimiters = lines.indices.filter { lines[$0].starts(with: Array("--".utf8)) }
            if let pick = delimiters.randomElement(using: &random) { lines[pick] += Array(" trailing text".utf8) }
        default:
            let delimiters = lines.filter { $0.starts(with: Array("--".utf8)) }
            if let pick = delimiters.randomElement(using: &random) {
                for _ in 0..<random.below(50) { lines.insert(pick, at: random.below(lines.count + 1)) }
            }
        }
    }

    static func hugeLine(_ lines: inout [[UInt8]], random: inout FuzzRandom) {
        let length = [1_000, 17_000, 70_000, 300_000][random.below(4)]
        let filler = UInt8(truncatingIfNeeded: [65, 61, 32, 59, 34, 40][random.below(6)])
        let line = (random.oneIn(2) ? Array("X-Huge: ".utf8) : []) + Array(repeating: filler, count: length)
        lines.insert(line, at: random.below(lines.count + 1))
    }

    static func encodingJunk(_ lines: inout [[UInt8]], random: inout FuzzRandom) {
        let junk: [[UInt8]] = [
            Array("Content-Transfer-Encoding: base64".utf8), Array("Content-Transfer-Encoding: quoted-printable".utf8),
            Array("Content-Transfer-Encoding: x-uuencode".utf8), Array("Content-Type: text/calendar; charset=x-mac-klingon".utf8),
            Array("Content-Type: text/calendar; charset=utf-16".utf8), Array("Content-Type: application/octet-stream; name=\"=?utf-8?B?YS5pY3M=?=\"".utf8),
            Array("Content-Disposition: attachment; filename*=utf-8''%ZZ%C3.ics".utf8), Array("From: =?utf-8?Q?=ZZ=?= <a@@b>".utf8),
            Array("=E2=80=9".utf8), Array("====".utf8), Array("\u{FEFF}BEGIN:VCALENDAR".utf8), [0xC3, 0x28, 0xFF, 0xFE],
        ]
        lines.insert(junk[random.below(junk.count)], at: random.below(lines.count + 1))
    }

    static func manyParts(_ lines: inout [[UInt8]], random: inout FuzzRandom) {
        let count = [10, 200, 600][random.below(3)]
        var parts: [[UInt8]] = [Array("Content-Type: multipart/mixed; boundary=m".utf8), []]
        for _ in 0..<count { parts += [Array("--m".utf8), Array("Content-Type: text/calendar".utf8), [], Array("BEGIN:VCALENDAR".utf8)] }
        lines = Array(lines.prefix(headerEnd(lines))) + parts
    }

    static func headerJunk(_ lines: inout [[UInt8]], random: inout FuzzRandom) {
        let junk: [[UInt8]] = [
            Array(" continuation with nothing before".utf8), Array("no colon here".utf8), Array(":empty name".utf8),
            Array("Authentication-Results: ;;;=;dmarc=;dmarc=fail header.from=\"".utf8), Array("Message-ID: <<<>>>".utf8),
            Array("Date: 31 Feb 99999 99:99:99 +9999".utf8), Array("From: \"unterminated <a@b.c>".utf8), Array("From: ((((((((((".utf8),
        ]
        lines.insert(junk[random.below(junk.count)], at: random.below(headerEnd(lines) + 1))
    }
}

/// Resident memory of this process from `/proc/self/status`, in KiB.
enum ResidentMemory {
    static func current() -> Int { field("VmRSS:") }
    /// Resident memory once glibc has returned the free memory it keeps after large inputs: what
    /// the program still holds, so a leak shows and the allocator's retention does not.
    static func held() -> Int {
        _ = mallocTrim?(0)
        return current()
    }

    /// glibc's `malloc_trim`, which the Glibc module does not export.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(nil, "malloc_trim").map {
        unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self)
    }
    static func peak() -> Int { field("VmHWM:") }

    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
