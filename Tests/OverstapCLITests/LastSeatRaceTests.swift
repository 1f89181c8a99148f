import Foundation
import OverstapTestSupport
import TestRandom
import Testing

/// Two `overstap serve` processes on one database (PostgreSQL on that pass, one SQLite file on
/// the other), and two people who press "Ik kom" for the last seat at the same moment, each
/// through another daemon: the seat is given once, the other person is told there is none, and
/// nobody sees a server error.
struct LastSeatRaceTests {
    let cli = CLI()

    /// The rounds raced; each starts from one free seat and two people who declined before.
    static let rounds = 20

    /// Sends "Ik kom" to two daemons at once: both requests are sent but for their last byte, then
    /// the last bytes leave back to back, `first` before the other. Prints each response's status
    /// and whether its page says no seat is free.
    static let racer = """
        import socket, sys
        first = int(sys.argv[1])
        body = b"answer=accept"
        targets = [(int(sys.argv[2]), sys.argv[3]), (int(sys.argv[4]), sys.argv[5])]
        held = []
        for port, path in targets:
            s = socket.create_connection(("127.0.0.1", port), timeout=60)
            head = ("POST %s HTTP/1.1\\r\\nHost: 127.0.0.1:%d\\r\\nContent-Type: application/x-www-form-urlencoded\\r\\n"
                    "Content-Length: %d\\r\\nConnection: close\\r\\n\\r\\n" % (path, port, len(body))).encode()
            request = head + body
            s.sendall(request[:-1])
            held.append((s, request[-1:]))
        for i in (first, 1 - first):
            held[i][0].sendall(held[i][1])
        for s, _ in held:
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            text = data.decode("utf-8", "replace")
            status = text.split(" ", 2)[1] if text.startswith("HTTP/") else "none"
            print(status, "no-seat" if ("geen plaats vrij" in text or "no seat free" in text) else "-")
        """

    /// One person's answer link path (`/rsvp/…`) from the invitations in `folder`, by address.
    static func answerPaths(in folder: String) throws -> [String: String] {
        var paths: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".eml") }) {
            let raw = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let text = raw.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=3D", with: "=")
            guard let to = text.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("To:") }),
                let address = to.split(separator: "<").last?.split(separator: ">").first
            else { continue }
            let link = text.components(separatedBy: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"<>")))
                .first { $0.contains("/rsvp/") && $0.hasPrefix("http") && $0.hasSuffix("?answer=decline") }
            guard let link, let path = URLComponents(string: link)?.path else { continue }
            paths[String(address)] = path
        }
        return paths
    }

    /// Each enrollment's state by address, and the seats taken.
    func enrollments() throws -> (states: [String: String], seatsTaken: Int) {
        let (session, rows) = try cli.showSession("1")
        var states: [String: String] = [:]
        for row in rows { states[row["worker"] as? String ?? ""] = row["state"] as? String }
        return (states, session["seats_taken"] as? Int ?? -1)
    }

    /// A POST of `answer` to one daemon, through curl: the status code.
    static func answer(_ answer: String, port: Int, path: String) throws -> Int {
        let output = try CLI.shell(
            "curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "30", "-d", "answer=\(answer)", "http://127.0.0.1:\(port)\(path)"])
        return Int(output) ?? 0
    }

    /// Starts `overstap serve` on `port` and waits until it listens.
    func serve(port: Int, log: String) throws -> Process {
        let daemon = try cli.launch(
            ["serve"], env: ["OVERSTAP_HTTP_PORT": String(port), "OVERSTAP_HTTP_PUBLIC_URL": "http://127.0.0.1:\(port)"], outputFile: log)
        let ready = ServeCommandTests.waitUntil(seconds: 60) {
            !daemon.isRunning || (try? String(contentsOfFile: cli.directory.file(log), encoding: .utf8))?.contains("listening on") == true
        }
        #expect(ready && daemon.isRunning, "the daemon on port \(port) did not start")
        return daemon
    }

    @Test func twoDaemonsGiveTheLastSeatOnceWhenTwoPeopleAnswerAtTheSameMoment() throws {
        try cli.addPartner()
        _ = try cli.createSession(SessionDraft().with("--capacity", "2"))
        let people = ["anouk@example.nl", "bram@example.nl", "cor@example.nl"]
        let csv = [WorkerFile.header] + people.map { email in WorkerFile.row(email, name: String(email.prefix { $0 != "@" }).capitalized) }
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", csv.joined(separator: "\n") + "\n")]))
        expectSuccess(try cli.run(["match", "--commit"]))
        expectSuccess(try cli.run(["invite"]))
        expectSuccess(try cli.run(["outbox", "send"], env: ["OVERSTAP_HTTP_PUBLIC_URL": "http://127.0.0.1"]))
        let paths = try Self.answerPaths(in: cli.directory.file("data/mail"))
        let invited = people.filter { paths[$0] != nil }
        try #require(invited.count == 2, "two seats, two invitations: \(paths)")
        let waiting = try #require(people.first { paths[$0] == nil })

        let ports = [try ServeCommandTests.freePort(), try ServeCommandTests.freePort()]
        let daemons = try ports.enumerated().map { try serve(port: $1, log: "serve-\($0).log") }
        defer {
            for daemon in daemons where daemon.isRunning {
                daemon.terminate()
                daemon.waitUntilExit()
            }
        }

        // Both invited people decline; the first decline's seat goes to the one who waited.
        #expect(try Self.answer("decline", port: ports[0], path: paths[invited[0]]!) == 303)
        let refilled = try ServeCommandTests.waitUntil(seconds: 30) { try enrollments().states[waiting] == "invited" }
        try #require(refilled, "the daemon offers the freed seat to \(waiting)")
        #expect(try Self.answer("decline", port: ports[1], path: paths[invited[1]]!) == 303)
        try #require(try enrollments().seatsTaken == 1, "one seat is free before the race")

        var random = SeededRandom(seed: 22)
        var winners: [String: Int] = [:]
        for round in 1...Self.rounds {
            // Who goes through which daemon, and whose last byte leaves first, from the seed.
            let pair = random.next(2) == 0 ? invited : invited.reversed()
            let first = random.next(2)
            let output = try CLI.shell(
                "python3", ["-c", Self.racer, String(first), String(ports[0]), paths[pair[0]]!, String(ports[1]), paths[pair[1]]!])
            let responses = output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            let context = "round \(round) of seed \(random.seed): \(output)"
            try #require(responses.count == 2 && responses.allSatisfy { $0.count == 2 }, "\(context)")
            #expect(responses.allSatisfy { !$0[0].hasPrefix("5") && $0[0] != "none" }, "no server error: \(context)")
            let won = responses.indices.filter { responses[$0][0] == "303" }
            let refused = responses.indices.filter { responses[$0][0] == "409" && responses[$0][1] == "no-seat" }
            #expect(won.count == 1 && refused.count == 1, "one seat given, one person told there is none: \(context)")
            guard let winner = won.first.map({ pair[$0] }), let loser = refused.first.map({ pair[$0] }) else { continue }
            winners[winner, default: 0] += 1

            let after = try enrollments()
            #expect(after.states[winner] == "accepted" && after.states[loser] == "declined", "\(context): \(after)")
            #expect(after.seatsTaken == 2, "the seat was given once: \(context): \(after)")
            // The winner changes their mind: the seat is free again for the next round.
            #expect(try Self.answer("decline", port: ports[round % 2], path: paths[winner]!) == 303, "\(context)")
            #expect(try enrollments().seatsTaken == 1, "\(context)")
        }
        #expect(winners.values.reduce(0, +) == Self.rounds, "\(winners)")
    }
}
