import Foundation
import HeedCore
import HeedTestSupport
import Testing

@testable import HeedCLI

/// `heed probe` against scripted servers that behave each way, one connection per probe in order:
/// 0 Expect, 1 oversized upload, 2 idle keep-alive, 3 unread body.
@Suite(.timeLimit(.minutes(1))) struct ProbeTests {
    /// `answerWait` bounds each wait for an answer; a server that answers at once needs far less, but the whole
    /// suite runs in parallel on two cores, where a peer's thread can wait its turn for a second or more.
    private static func settings(_ peer: ScriptedPeer, answerWait: Duration = .seconds(2)) -> Prober.Settings {
        var settings = Prober.Settings(
            host: "127.0.0.1",
            port: peer.port,
            target: "/upload",
            authority: "127.0.0.1:\(peer.port)"
        )
        settings.uploadBytes = 4 * 1024 * 1024
        settings.idleWait = .seconds(3)
        settings.answerWait = answerWait
        // The scripted peers answer an oversized head at once; give a peer thread that waits its turn on the
        // busy machine time to do so before the body starts, or the answer is seen only after the body.
        settings.earlyAnswerWait = .seconds(8)
        settings.resetWatch = .seconds(1)
        return settings
    }

    /// Reads a request's Content-Length body.
    private static func readBody(_ socket: ScriptedSocket, _ head: String) {
        _ = socket.discard(EchoPeer.contentLength(head))
    }

    /// A well-mannered server: 100 Continue, an early 413 with Connection: close and a lingering close, idle close
    /// after 300 ms, and an unread body drained before the next request.
    @Test func wellMannered() async throws {
        let peer = try ScriptedPeer(connections: 4) { socket, index in
            guard let head = socket.readHead() else { return }
            switch index {
            case 0:
                socket.write("HTTP/1.1 100 Continue\r\n\r\n")
                Self.readBody(socket, head)
                socket.write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            case 1:
                socket.write("HTTP/1.1 413 Content Too Large\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbig!")
                socket.shutdownWrite()
                _ = socket.drainToEOF()
            case 2:
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                // The server's idle timer: 300 ms of silence, then a clean close.
                usleep(300_000)
            default:
                Self.readBody(socket, head)
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                _ = socket.readHead()
                socket.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            }
            socket.close()
        }
        defer { peer.finish() }
        let observations = try await HeedBinary.offCooperativePool {
            try Prober(settings: Self.settings(peer, answerWait: .seconds(8))).run()
        }
        #expect(observations.expect == .sentContinue)
        guard case .answeredEarly(413, _, true, true, .lingered(let more)) = observations.oversize else {
            Issue.record("oversize: \(String(describing: observations.oversize))")
            return
        }
        #expect(more > 0)
        guard case .closedAfter(let milliseconds, false) = observations.idle else {
            Issue.record("idle: \(String(describing: observations.idle))")
            return
        }
        // The server closes 300 ms after writing; the probe's clock starts when it has read the response.
        #expect(milliseconds >= 100 && milliseconds < 3000)
        #expect(observations.unreadBody == .drained(secondStatus: 204))
        #expect(ProbeVerdict.verdicts(for: observations).allSatisfy { $0.grade == .good })
    }

    /// A rude server: ignores Expect, answers 413 and resets, closes every connection, misreads an unread body.
    @Test func rude() async throws {
        let peer = try ScriptedPeer(connections: 4) { socket, index in
            guard socket.readHead() != nil else { return }
            switch index {
            case 0:
                // Never answers the Expect; the probe gives up and closes.
                _ = socket.drainToEOF()
                socket.close()
            case 1:
                socket.write("HTTP/1.1 413 Content Too Large\r\nContent-Length: 4\r\n\r\nbig!")
                socket.waitUntilSent()
                socket.closeWithReset()
            case 2:
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                socket.close()
            default:
                // Answers without reading the body, then takes the body for the next request.
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                _ = socket.readHead()
                socket.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                _ = socket.drainToEOF()
                socket.close()
            }
        }
        defer { peer.finish() }
        let observations = try await HeedBinary.offCooperativePool { try Prober(settings: Self.settings(peer)).run() }
        #expect(observations.expect == .silent(waitedMilliseconds: 2000))
        guard case .answeredEarly(413, _, false, true, .reset) = observations.oversize else {
            Issue.record("oversize: \(String(describing: observations.oversize))")
            return
        }
        #expect(observations.idle == .closesEveryConnection)
        #expect(observations.unreadBody == .misread("400 to the next request"))
        let grades = ProbeVerdict.verdicts(for: observations).map(\.grade)
        #expect(grades == [.caution, .bad, .caution, .bad])
    }

    /// A server that answers a final status to Expect and reads a whole upload under its limit.
    @Test func finalStatusAndWholeUpload() async throws {
        let peer = try ScriptedPeer(connections: 2) { socket, index in
            guard let head = socket.readHead() else { return }
            if index == 0 {
                socket.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            } else {
                Self.readBody(socket, head)
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            }
            socket.waitUntilSent()
            socket.close()
        }
        defer { peer.finish() }
        let prober = Prober(settings: Self.settings(peer))
        let (expect, oversize) = try await HeedBinary.offCooperativePool {
            (try prober.probeExpect(), try prober.probeOversize())
        }
        #expect(expect == .finalStatus(401))
        #expect(oversize == .answeredAfterBody(status: 200, bodyBytes: 4 * 1024 * 1024))
    }

    /// The command prints one verdict per behaviour; an unreachable server is one line and exit 7.
    @Test func commandOutput() async throws {
        // Port 1 rather than a ClosedPort: a freed ephemeral port can be handed to another test's peer running in
        // parallel, and this probe would then steal that peer's connections.
        let unreachable = await HeedCLIHarness.run(["probe", "--idle-wait", "1", "http://127.0.0.1:1/"])
        #expect(unreachable.exitCode == 7)
        #expect(unreachable.error.hasPrefix("heed: Could not connect to 127.0.0.1:"))
        let usage = await HeedCLIHarness.run(["probe", "--upload-size", "0", "http://127.0.0.1:1/"])
        #expect(usage.exitCode != 0 && usage.thrownMessage.contains("--upload-size"))
        let text = ProbeReport.render(
            url: "http://x/",
            verdicts: ProbeVerdict.verdicts(
                for: ProbeObservations(expect: .sentContinue, unreadBody: .closedAfterResponse)
            )
        )
        #expect(text.contains("expect-100-continue  GOOD    Answers Expect: 100-continue with 100 Continue.\n"))
        #expect(text.hasSuffix("2 behaviours: 2 good, 0 caution, 0 bad.\n"))
    }
}
