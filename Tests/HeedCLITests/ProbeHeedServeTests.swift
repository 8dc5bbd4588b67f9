import HeedCore
import HeedServer
import NIOCore
import NIOPosix
import Testing

@testable import HeedCLI

/// `heed probe` against Heed's own upload server (`heed serve`'s routes), with and without lingering: the probe
/// must see the lingering close, and see the resets when it is switched off.
@Suite(.timeLimit(.minutes(1))) struct ProbeHeedServeTests {
    /// Serves `heed serve`'s routes on 127.0.0.1 (port 0) while `body` runs with the port, then stops the server.
    private static func withServer<Result: Sendable>(
        lingering: Bool,
        _ body: @escaping @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        var limits = ServerLimits()
        limits.maxBodySize = 1 << 20
        let configuration = HeedServerConfiguration(
            host: "127.0.0.1",
            port: 0,
            limits: limits,
            lingeringClose: lingering ? LingeringCloseConfiguration() : nil
        )
        let directory = "/tmp/heed-probe-serve-\(UInt32.random(in: 0...UInt32.max))"
        let routes = UploadRoutes(store: UploadStore(directory: directory), token: nil, maxBody: 1 << 20, hello: false)
        let server = HeedServer(configuration: configuration, responder: routes.decide)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await server.run { address in continuation.yield(address.port ?? 0) }
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let result = try await body(port)
            group.cancelAll()
            return result
        }
    }

    /// Runs the (blocking) prober off the cooperative pool, so it never holds a cooperative thread the server needs.
    private static func observe(port: Int) async throws -> ProbeObservations {
        var settings = Prober.Settings(host: "127.0.0.1", port: port, target: "/upload", authority: "127.0.0.1:\(port)")
        settings.uploadBytes = 4 * 1024 * 1024
        settings.earlyAnswerWait = settings.answerWait  // room for a busy machine; the server answers at once
        settings.idleWait = .seconds(1)
        let fixed = settings
        return try await HeedBinary.offCooperativePool { try Prober(settings: fixed).run() }
    }

    /// With lingering (the default), the oversized upload gets 413 with Connection: close and the server reads on.
    @Test func lingering() async throws {
        let observations = try await Self.withServer(lingering: true) { try await Self.observe(port: $0) }
        #expect(observations.expect == .sentContinue)
        guard case .answeredEarly(413, _, true, _, let then) = observations.oversize else {
            Issue.record("oversize: \(String(describing: observations.oversize))")
            return
        }
        switch then {
        case .lingered, .lingeredThenClosed: break
        case .reset, .stalled: Issue.record("after the 413: \(then)")
        }
        let grades = ProbeVerdict.verdicts(for: observations).map(\.grade)
        #expect(!grades.contains(.bad), "\(ProbeVerdict.verdicts(for: observations))")
    }

    /// With --no-linger, the same upload is reset: the verdict the probe exists to catch.
    @Test func noLinger() async throws {
        let observations = try await Self.withServer(lingering: false) { try await Self.observe(port: $0) }
        guard case .answeredEarly(413, _, true, _, .reset) = observations.oversize else {
            Issue.record("oversize: \(String(describing: observations.oversize))")
            return
        }
        let oversized = ProbeVerdict.verdicts(for: observations).first { $0.behaviour == "oversized-upload" }
        #expect(oversized?.grade == .bad)
    }
}
