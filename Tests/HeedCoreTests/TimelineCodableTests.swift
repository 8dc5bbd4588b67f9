import Foundation
import HeedCore
import Testing

/// Timelines and diagnoses survive a JSON round trip (for logs and `heed -v --json`).
@Suite struct TimelineCodableTests {
    /// Every event kind, including the payload-carrying ones, encodes and decodes to an equal value.
    @Test func timelineRoundTrip() throws {
        var timeline = ExchangeTimeline(
            method: "POST",
            target: "https://127.0.0.1:8443/upload",
            host: "127.0.0.1",
            port: 8443,
            usesTLS: true,
            requestBodyLength: 32_000_000,
            expectsContinue: true,
            attempt: 2
        )
        let kinds: [ExchangeEvent.Kind] = [
            .resolved(addresses: ["127.0.0.1", "::1"]),
            .resolutionFailed(SystemErrorInfo(errno: nil, name: "EAI_AGAIN")),
            .connecting(address: "127.0.0.1:8443"), .connectFailed(SystemErrorInfo(linuxErrno: 111)),
            .connected(local: "127.0.0.1:5", remote: "127.0.0.1:8443"),
            .reusedConnection(local: "a", remote: "b", previousRequests: 2), .tlsEstablished(protocolVersion: nil),
            .tlsFailed(reason: "x"), .requestHeadSent(bytes: 10), .bodyBytesSent(total: 5),
            .requestBodyFinished(total: 5), .requestBodyStopped(total: 5), .continueReceived, .continueTimeoutExpired,
            .responseHeadReceived(status: 413, reason: "Payload Too Large", connectionClose: true, contentLength: nil),
            .bodyBytesReceived(total: 7), .responseFinished(total: 7), .finReceived, .resetReceived,
            .writeFailed(SystemErrorInfo(linuxErrno: 32)), .readFailed(SystemErrorInfo(linuxErrno: 104)),
            .timeoutFired(.continueWait), .closedByUs(reason: "done"), .retried(reason: "stale"),
            .tcpInfo(TCPInfoSnapshot(state: "ESTABLISHED", bytesAcked: 1, notSentBytes: 2)),
        ]
        for (index, kind) in kinds.enumerated() {
            timeline.record(kind, at: UInt64(index) * 1_000)
        }
        let data = try JSONEncoder().encode(timeline)
        let decoded = try JSONDecoder().decode(ExchangeTimeline.self, from: data)
        #expect(decoded == timeline)
        #expect(decoded.events.count == kinds.count)
    }

    /// A diagnosis encodes to JSON with its summary readable as a plain field, and decodes back.
    @Test func diagnosisRoundTrip() throws {
        let diagnosis = DiagnosisEngine.diagnose(DiagnosisReportTests.timeline)
        let data = try JSONEncoder().encode(diagnosis)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["summary"] as? String == diagnosis.summary)
        #expect(object["catalogueName"] as? String == "ECONNRESET")
        #expect(try JSONDecoder().decode(Diagnosis.self, from: data) == diagnosis)
    }
}
