import Foundation
import OverstapTestSupport
import Testing

/// The deployment the README describes: several `overstap serve` processes on one database behind
/// nginx with the shipped `config/nginx/overstap.conf`, TLS left out and the ports replaced.
struct ReverseProxyTests {
    let cli = CLI()

    /// The shipped proxy configuration, listening on `port` over plain HTTP and passing to `upstreams`.
    static func proxyConfiguration(port: Int, upstreams: [Int]) throws -> String {
        let shipped = try String(contentsOfFile: Repository.root + "/config/nginx/overstap.conf", encoding: .utf8)
        var lines: [String] = []
        var servers = upstreams.makeIterator()
        for line in shipped.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "listen 443 ssl;" {
                lines.append("    listen 127.0.0.1:\(port);")
            } else if trimmed == "http2 on;" || trimmed.hasPrefix("ssl_certificate") {
                continue
            } else if trimmed.hasPrefix("server 127.0.0.1:") {
                guard let upstream = servers.next() else { continue }
                lines.append(line.replacingOccurrences(of: #"127\.0\.0\.1:\d+"#, with: "127.0.0.1:\(upstream)", options: .regularExpression))
            } else {
                lines.append(line)
            }
        }
        let adapted = lines.joined(separator: "\n")
        #expect(adapted.contains("listen 127.0.0.1:\(port);") && !adapted.contains("ssl"), "the shipped config changed shape")
        return adapted
    }

    /// Runs nginx in the foreground with everything (pid, logs, buffers) inside `folder`.
    static func startNginx(in folder: String, including site: String) throws -> Process {
        let main = """
            daemon off;
            worker_processes 1;
            pid \(folder)/nginx.pid;
            error_log \(folder)/error.log;
            events {}
            http {
                access_log \(folder)/access.log;
                client_body_temp_path \(folder)/body;
                proxy_temp_path \(folder)/proxy;
                fastcgi_temp_path \(folder)/fastcgi;
                uwsgi_temp_path \(folder)/uwsgi;
                scgi_temp_path \(folder)/scgi;
                include \(folder)/overstap.conf;
            }
            """
        try site.write(toFile: folder + "/overstap.conf", atomically: true, encoding: .utf8)
        try main.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        let check = try CLI.shellResult("nginx", ["-t", "-q", "-p", folder, "-c", folder + "/nginx.conf"])
        #expect(check.status == 0, "nginx -t refused the configuration: \(check.output)")
        let nginx = Process()
        nginx.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        nginx.arguments = ["-p", folder, "-c", folder + "/nginx.conf"]
        nginx.standardOutput = FileHandle.nullDevice
        nginx.standardError = FileHandle.nullDevice
        try nginx.run()
        return nginx
    }

    /// How many region-feed requests with status 200 one daemon answered, from its own `/metrics`.
    static func regionFeedsServed(port: Int) throws -> Int {
        let metrics = try ServeCommandTests.get("http://127.0.0.1:\(port)/metrics").body
        let line = metrics.components(separatedBy: "\n").first { $0.contains("feed_requests") && $0.contains("region") && $0.contains("\"200\"") }
        return line.flatMap { Int(Double($0.split(separator: " ").last ?? "") ?? -1) } ?? 0
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx")))
    func twoDaemonsBehindTheShippedProxyServeOneFeedAndTheSameAnswerLinks() throws {
        let proxyPort = try ServeCommandTests.freePort()
        let base = "http://127.0.0.1:\(proxyPort)"
        let env = ["OVERSTAP_HTTP_PUBLIC_URL": base]
        expectSuccess(try cli.run(["demo"], env: env))
        let ports = [try ServeCommandTests.freePort(), try ServeCommandTests.freePort()]
        let daemons = try ports.enumerated().map { index, port in
            try cli.launch(["serve", "--demo"], env: env.merging(["OVERSTAP_HTTP_PORT": String(port)]) { $1 }, outputFile: "serve-\(index).log")
        }
        defer { for daemon in daemons where daemon.isRunning { daemon.terminate() } }
        for index in daemons.indices {
            let ready = ServeCommandTests.waitUntil(seconds: 30) {
                (try? String(contentsOfFile: cli.directory.file("serve-\(index).log"), encoding: .utf8))?.contains("listening on") == true
            }
            #expect(ready, "daemon \(index) did not start")
        }
        let folder = cli.directory.file("nginx")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let nginx = try Self.startNginx(in: folder, including: try Self.proxyConfiguration(port: proxyPort, upstreams: ports))
        defer { if nginx.isRunning { nginx.terminate() } }
        let proxied = ServeCommandTests.waitUntil(seconds: 10) { (try? ServeCommandTests.get("\(base)/healthz").status) == 200 }
        #expect(proxied, "nginx passes requests to the daemons")

        // Round robin over both daemons: every answer has the same bytes and the same ETag.
        let feeds = try (0..<6).map { _ in try ServeCommandTests.get("\(base)/feeds/regions/midden-utrecht.ics") }
        #expect(feeds.allSatisfy { $0.status == 200 && $0.body.contains("BEGIN:VCALENDAR") })
        #expect(Set(feeds.map(\.etag)).count == 1 && Set(feeds.map(\.body)).count == 1)
        #expect(try ports.allSatisfy { try Self.regionFeedsServed(port: $0) > 0 }, "both daemons answered")
        let revalidated = try ServeCommandTests.get("\(base)/feeds/regions/midden-utrecht.ics", headers: ["If-None-Match: \(feeds[0].etag ?? "")"])
        #expect(revalidated.status == 304)
        #expect(try ServeCommandTests.get("\(base)/metrics").status == 404, "metrics stay on the instances")

        // Mail the daemons sent links through the proxy; an answer through either daemon counts once.
        expectSuccess(try cli.run(["match", "--commit"], env: env))
        expectSuccess(try cli.run(["invite", "--session", "1"], env: env))
        let mailed = ServeCommandTests.waitUntil(seconds: 15) { ((try? ServeCommandTests.answerLinks(in: cli.directory.file("data/mail"))) ?? []).count >= 2 }
        #expect(mailed, "the daemons send what the CLI queued")
        let link = try #require(try ServeCommandTests.answerLinks(in: cli.directory.file("data/mail")).first)
        #expect(link.hasPrefix("\(base)/rsvp/"))
        let answered = try CLI.shell("curl", ["-s", "-i", "-L", "--max-time", "5", "-d", "answer=decline", link])
        #expect(answered.hasPrefix("HTTP/1.1 303") && answered.contains("Jammer dat u niet kunt"))

        // One daemon stops: the proxy keeps serving from the other.
        daemons[0].terminate()
        daemons[0].waitUntilExit()
        let afterStop = try (0..<4).map { _ in try ServeCommandTests.get("\(base)/feeds/regions/midden-utrecht.ics").status }
        #expect(afterStop.allSatisfy { $0 == 200 }, "requests go to the daemon still running: \(afterStop)")
    }
}
