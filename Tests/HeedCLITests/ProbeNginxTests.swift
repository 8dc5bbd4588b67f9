import Foundation
import HeedCore
import HeedTestSupport
import Testing

@testable import HeedCLI

/// Debian's nginx binary.
private let nginxPath = "/usr/sbin/nginx"

/// `heed probe` against nginx from Debian's packages (.ci/run installs it), started on 127.0.0.1 with a generated
/// config in a temporary directory and stopped by its pid.
@Suite(
    .timeLimit(.minutes(1)),
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: nginxPath),
        "nginx is not installed (apt-get install nginx); skipping the nginx probe"
    )
)
struct ProbeNginxTests {
    /// nginx with client_max_body_size 1k and keepalive_timeout 2s: 100 Continue, an early 413 with a lingering
    /// close, idle close after about 2 s, unread bodies drained.
    @Test func nginxManners() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heed-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A freed ephemeral port can be taken by a test running in parallel before nginx binds it: try a few.
        var started: (process: Process, port: Int)?
        for _ in 0..<3 where started == nil {
            let port = try ClosedPort().port
            let process = try Self.startNginx(in: directory.path, port: port)
            if (try? Self.waitUntilListening(port: port, process: process)) != nil {
                started = (process, port)
            } else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let (process, port) = try #require(started, "nginx did not start; see its error.log")
        defer {
            // SIGKILL by pid: a child of the test process may inherit a mask that blocks SIGTERM, and with
            // master_process off nginx is this one process.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        var settings = Prober.Settings(host: "127.0.0.1", port: port, target: "/upload", authority: "127.0.0.1:\(port)")
        settings.uploadBytes = 4 * 1024 * 1024
        settings.earlyAnswerWait = settings.answerWait  // room for a busy machine; the server answers at once
        settings.idleWait = .seconds(6)

        let observations = try await HeedBinary.offCooperativePool { [settings] in try Prober(settings: settings).run()
        }
        #expect(observations.expect == .sentContinue)
        guard case .answeredEarly(413, 0, true, true, .lingered(let more)) = observations.oversize else {
            Issue.record("oversize: \(String(describing: observations.oversize))")
            return
        }
        #expect(more == 4 * 1024 * 1024)
        guard case .closedAfter(let milliseconds, false) = observations.idle else {
            Issue.record("idle: \(String(describing: observations.idle))")
            return
        }
        #expect(milliseconds >= 1500 && milliseconds < 4000)
        #expect(observations.unreadBody == .drained(secondStatus: 200))
    }

    /// Writes a config for 127.0.0.1:`port` into `root` and starts nginx with it.
    private static func startNginx(in root: String, port: Int) throws -> Process {
        let config = """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(root)/nginx.pid;
            error_log \(root)/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(root)/body;
                proxy_temp_path \(root)/proxy;
                fastcgi_temp_path \(root)/fastcgi;
                uwsgi_temp_path \(root)/uwsgi;
                scgi_temp_path \(root)/scgi;
                keepalive_timeout 2s;
                server {
                    listen 127.0.0.1:\(port);
                    client_max_body_size 1k;
                    location / { return 200 "ok\\n"; }
                }
            }
            """
        try config.write(toFile: "\(root)/nginx.conf", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nginxPath)
        process.arguments = ["-c", "\(root)/nginx.conf", "-p", root]
        try process.run()
        return process
    }

    /// Connects until nginx listens (bounded: 100 tries, each a refused connect or 50 ms).
    private static func waitUntilListening(port: Int, process: Process) throws {
        for _ in 0..<100 {
            guard process.isRunning else { throw NginxError.exited }
            if (try? ProbeSocket(host: "127.0.0.1", port: port, timeout: .seconds(1))) != nil { return }
            usleep(50_000)
        }
        throw NginxError.notListening
    }

    enum NginxError: Error { case exited, notListening }
}
