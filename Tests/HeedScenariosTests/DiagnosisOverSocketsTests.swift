import HTTPTypes
import HeedClient
import HeedCore
import HeedScenarios
import HeedTestSupport
import NIOCore
import Synchronization
import Testing

/// Heed's client against the scripted peers over real sockets: each teardown failure must yield the diagnosis
/// its scenario stands for, not only when the timeline is built by hand.
@Suite struct DiagnosisOverSocketsTests {
    /// Runs the scenario's request with Heed's client (Expect off, so it must listen while it sends) and keeps
    /// the error or the response notes.
    final class Capture: ClientUnderTest {
        let result = Mutex<(error: HTTPClientError?, response: HTTPClientResponse?)>((nil, nil))
        var name: String { "heed-capture" }

        func execute(_ request: ScenarioRequest) async -> ClientOutcome {
            var configuration = HTTPClient.Configuration()
            configuration.expectContinue = .never
            let head = HTTPRequest(
                method: HTTPRequest.Method(request.method) ?? .post,
                scheme: "http",
                authority: "127.0.0.1:\(request.port)",
                path: request.path
            )
            let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: request.bodySize)
            do {
                let response = try await HTTPClient.withClient(configuration: configuration) {
                    try await $0.execute(head, body: .bytes(body), timeout: request.deadline - .now)
                }
                self.result.withLock { $0.response = response }
                return ClientOutcome(status: response.status.code, succeeded: true, report: "got it", timeline: [])
            } catch let error as HTTPClientError {
                self.result.withLock { $0.error = error }
                return ClientOutcome(status: nil, succeeded: false, report: error.description, timeline: [])
            } catch {
                return ClientOutcome(status: nil, succeeded: false, report: "\(error)", timeline: [])
            }
        }
    }

    /// The scenario with a generous time limit: these tests pin what the client says, not how fast it is, and the
    /// whole suite runs in parallel on two cores.
    static func relaxed(_ scenario: Scenario) -> Scenario {
        var scenario = scenario
        scenario.timeLimit = .seconds(30)
        return scenario
    }

    static func error(for scenario: Scenario) async throws -> HTTPClientError {
        let capture = Capture()
        _ = try await ScenarioRunner.run(Self.relaxed(scenario), client: capture)
        return try #require(capture.result.withLock { $0.error }, "\(scenario.name) did not fail")
    }

    /// reset-mid-body: the summary names the reset, the body phase and the bytes sent of the total.
    @Test func resetMidBody() async throws {
        let error = try await Self.error(for: .resetMidBody)
        let diagnosis = try #require(error.diagnosis)
        #expect(diagnosis.rule == "reset-while-sending-body")
        #expect(diagnosis.phase == .sendingBody)
        #expect(diagnosis.peerAction == .reset)
        #expect(error.description.hasPrefix("The server reset the connection while the request body was being sent ("))
        #expect(error.description.contains("of 8.4 MB sent"))
        #expect(diagnosis.catalogueName == "ECONNRESET" || diagnosis.catalogueName == "EPIPE")
    }

    /// no-response-close: the server read the request and closed without a byte.
    @Test func noResponseClose() async throws {
        let error = try await Self.error(for: .noResponseClose)
        let diagnosis = try #require(error.diagnosis)
        #expect(["closed-without-response", "closed-while-sending-body"].contains(diagnosis.rule), "\(diagnosis.rule)")
        #expect(diagnosis.peerAction == .closedCleanly)
        #expect(error.description.contains("without sending any response"))
    }

    /// truncated-body: the response ends before its Content-Length.
    @Test func truncatedBody() async throws {
        let error = try await Self.error(for: .truncatedBody)
        let diagnosis = try #require(error.diagnosis)
        #expect(diagnosis.rule == "response-cut-short", "\(error.report)")
        #expect(diagnosis.phase == .receivingBody)
    }

    /// early-reject-rst: a success whose timeline shows the early answer and the upload stopped.
    @Test func earlyRejectIsDiagnosedAsRejection() async throws {
        let capture = Capture()
        _ = try await ScenarioRunner.run(Self.relaxed(.earlyRejectRST), client: capture)
        let response = try #require(capture.result.withLock { $0.response })
        let timeline = try #require(response.timeline)
        let diagnosis = DiagnosisEngine.diagnose(timeline)
        #expect(diagnosis.rule == "early-rejection")
        #expect(diagnosis.summary.hasPrefix("The server rejected the upload: it answered 413"))
    }

    /// Connection refused over a real socket: the connect-refused rule with ECONNREFUSED.
    @Test func connectRefused() async throws {
        let port = try ClosedPort().port
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/")
        do {
            _ = try await HTTPClient.withClient { try await $0.execute(request) }
            Issue.record("expected a refused connection")
        } catch let error as HTTPClientError {
            #expect(error.diagnosis?.rule == "connect-refused")
            #expect(error.diagnosis?.catalogueName == "ECONNREFUSED")
            #expect(error.description.contains("127.0.0.1:\(port)"))
        }
    }
}
