import HeedCore
import HeedServer
import HeedTestSupport
import Testing

@Suite struct ServerEarlyRejectionTests {
    static let cases: [(errorBodySize: Int, expectContinue: Bool)] = [
        (100, false), (100, true), (4 * 1024 * 1024, false), (4 * 1024 * 1024, true),
    ]

    /// A client that keeps writing a 1 MiB body after a 401 reads the whole response and a clean FIN, in every one of 200 runs.
    @Test(arguments: Self.cases)
    func rejectedClientStillSendingReadsWholeResponse(errorBodySize: Int, expectContinue: Bool) async throws {
        let bodyBytes = 1024 * 1024
        let outcomes = try await withTestServer(responder: rejectingResponder(errorBodySize: errorBodySize)) { port in
            let client = ServerRawClient(
                port: port,
                head: uploadHead(length: bodyBytes, expectContinue: expectContinue),
                bodyBytes: bodyBytes
            )
            return try await runRawClients(client, count: 200)
        }
        #expect(outcomes.count == 200)
        for outcome in outcomes {
            #expect(outcome.statusCode == 401)
            #expect(outcome.contentLength == errorBodySize)
            #expect(outcome.receivedWholeResponse, "cut off: \(outcome)")
            #expect(outcome.closeRequested)
            #expect(!outcome.sawContinue)
            #expect(outcome.ending == .fin, "\(outcome)")
            #expect(outcome.bytesSent == bodyBytes && !outcome.writeFailed, "\(outcome)")
        }
    }

    /// With lingering switched off, the same clients see resets and a cut-off 4 MiB page: the handler makes the difference.
    @Test(arguments: Self.cases)
    func withoutLingeringClientsSeeResets(errorBodySize: Int, expectContinue: Bool) async throws {
        let bodyBytes = 1024 * 1024
        let configuration = HeedServerConfiguration(lingeringClose: nil)
        let responder = rejectingResponder(errorBodySize: errorBodySize)
        let outcomes = try await withTestServer(configuration, responder: responder) { port in
            let client = ServerRawClient(
                port: port,
                head: uploadHead(length: bodyBytes, expectContinue: expectContinue),
                bodyBytes: bodyBytes
            )
            return try await runRawClients(client, count: 20)
        }
        let resets = outcomes.filter { $0.ending == .reset || $0.writeFailed }.count
        let cutOff = outcomes.filter { !$0.receivedWholeResponse }.count
        #expect(resets > outcomes.count / 2, "only \(resets) of \(outcomes.count) runs saw a reset without lingering")
        if errorBodySize > 1024 * 1024 {
            #expect(cutOff > 0, "no 4 MiB page was cut off without lingering")
        }
    }

    /// With the default limits, a client that sends 16 MiB after being rejected still reads the response and a clean FIN.
    @Test func sixteenMebibytesAfterRejectionStillEndWithFIN() async throws {
        let bodyBytes = 16 * 1024 * 1024
        let outcome = try await withTestServer(responder: rejectingResponder(errorBodySize: 4 * 1024 * 1024)) { port in
            let client = ServerRawClient(
                port: port,
                head: uploadHead(length: bodyBytes, expectContinue: false),
                bodyBytes: bodyBytes,
                timeoutMilliseconds: 20_000
            )
            return try await runRawClients(client, count: 1).first
        }
        #expect(outcome?.bytesSent == bodyBytes)
        #expect(outcome?.writeFailed == false)
        #expect(outcome?.receivedWholeResponse == true)
        #expect(outcome?.ending == .fin)
    }

    /// With the default limits, a client that keeps sending for 2 s after being rejected still reads the response and a clean FIN.
    @Test func twoSecondsOfSendingAfterRejectionStillEndWithFIN() async throws {
        let bodyBytes = 40 * 64 * 1024
        let outcome = try await withTestServer(responder: rejectingResponder(errorBodySize: 100)) { port in
            var client = ServerRawClient(
                port: port,
                head: uploadHead(length: bodyBytes, expectContinue: false),
                bodyBytes: bodyBytes,
                timeoutMilliseconds: 10_000
            )
            client.chunkIntervalMilliseconds = 50  // 40 chunks, one every 50 ms: about 2 s
            return try await runRawClients(client, count: 1).first
        }
        #expect(outcome?.bytesSent == bodyBytes)
        #expect(outcome?.writeFailed == false)
        #expect(outcome?.receivedWholeResponse == true)
        #expect(outcome?.ending == .fin)
    }
}
