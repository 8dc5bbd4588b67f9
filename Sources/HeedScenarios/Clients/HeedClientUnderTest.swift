import HTTPTypes
import HeedClient
import NIOCore

/// Heed's own client (``HeedClient/HTTPClient``) as a client under test.
public struct HeedClientUnderTest: ClientUnderTest {
    /// Whether the client sends `Expect: 100-continue` (`true`: always, `false`: never); `nil` keeps the
    /// client's default policy (bodies over 1 MiB ask first).
    public var expectContinue: Bool?

    public var name: String { "heed" }

    /// Creates the adapter.
    /// - Parameter expectContinue: Overrides the client's `Expect: 100-continue` policy; `false` makes it
    ///   send the body at once, so early responses must be heard while it sends.
    public init(expectContinue: Bool? = nil) {
        self.expectContinue = expectContinue
    }

    public func execute(_ request: ScenarioRequest) async -> ClientOutcome {
        var recorder = TimelineRecorder(start: request.start, side: .client)
        var configuration = HTTPClient.Configuration()
        if let asks = self.expectContinue { configuration.expectContinue = asks ? .always : .never }
        let head = HTTPRequest(
            method: HTTPRequest.Method(request.method) ?? .post,
            scheme: "http",
            authority: "127.0.0.1:\(request.port)",
            path: request.path
        )
        let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: request.bodySize)
        let remaining = request.deadline - ContinuousClock.now
        recorder.record(
            .send,
            "sends \(request.method) \(request.path) (\(ByteCount.format(request.bodySize)) body), reading as it sends"
        )
        do {
            let response = try await HTTPClient.withClient(configuration: configuration) { client in
                try await client.execute(head, body: .bytes(body), timeout: remaining)
            }
            let status = response.head.status
            var text =
                "got \(status.code) \(status.reasonPhrase) (\(ByteCount.format(response.body.readableBytes)) body)"
            if response.requestBodyStoppedEarly {
                text += "; stopped sending after \(ByteCount.format(Int(response.requestBodyBytesSent))) of the body"
                text += " because the server had answered"
            } else {
                text += "; sent \(ByteCount.format(Int(response.requestBodyBytesSent))) of the body"
            }
            if response.receivedContinue { text += " after 100 Continue" }
            recorder.record(.response, text, bytes: response.body.readableBytes)
            return ClientOutcome(
                status: status.code,
                responseBodyBytes: response.body.readableBytes,
                succeeded: true,
                report: response.earlyResponseSummary ?? "got \(status.code)",
                timeline: recorder.events
            )
        } catch let error as HTTPClientError {
            recorder.record(.error, error.description)
            return ClientOutcome(
                status: nil,
                succeeded: false,
                hung: error.isTimeout,
                report: error.description,
                timeline: recorder.events
            )
        } catch {
            recorder.record(.error, "\(error)")
            return ClientOutcome(status: nil, succeeded: false, report: "\(error)", timeline: recorder.events)
        }
    }
}
