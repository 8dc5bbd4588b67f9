import HeedTestSupport
import HeedVapor
import Testing
import Vapor

/// A Vapor app that answers before reading an upload: the client that is still sending reads the whole
/// answer and then a clean FIN.
@Suite struct HeedVaporEarlyResponseTests {
    /// Who answers the 4 MiB upload, and with how large a body.
    enum Answer: Sendable, CustomTestStringConvertible {
        /// The server's own 413: the declared length is over `maxBodySize`.
        case serverLimit
        /// The app's head responder: 401 with a 100-byte body (no credential).
        case unauthorized
        /// The app's head responder: 413 with a 64 KiB page (over the route's own 1 MiB upload limit).
        case tooLarge
        /// The app's head responder: 413 with a 4 MiB page, more than the socket buffers hold.
        case hugePage

        var testDescription: String {
            switch self {
            case .serverLimit: "server's 413"
            case .unauthorized: "401, 100 B"
            case .tooLarge: "413, 64 KiB"
            case .hugePage: "413, 4 MiB"
            }
        }

        var statusCode: Int {
            self == .unauthorized ? 401 : 413
        }

        /// The head of the 4 MiB upload that gets this answer.
        var head: String {
            switch self {
            case .serverLimit, .unauthorized: uploadHead(length: HeedVaporEarlyResponseTests.bodyBytes)
            case .tooLarge: uploadHead(length: HeedVaporEarlyResponseTests.bodyBytes, authorized: true)
            case .hugePage:
                uploadHead(length: HeedVaporEarlyResponseTests.bodyBytes, authorized: true, extraField: "X-Page: huge")
            }
        }
    }

    static let bodyBytes = 4 * 1024 * 1024
    static let runs = 50

    static func configuration(_ answer: Answer, lingering: Bool = true) -> HeedVaporConfiguration {
        var configuration = HeedVaporConfiguration(port: 0)
        if !lingering {
            configuration.lingeringClose = nil
        }
        switch answer {
        case .serverLimit:
            configuration.maxBodySize = 16 * 1024
        case .unauthorized, .tooLarge, .hugePage:
            configuration.maxBodySize = 8 * 1024 * 1024
            configuration.headResponder = uploadGate
        }
        return configuration
    }

    /// The app's decision on the head of an upload: 401 without a credential, 413 over 1 MiB (with a
    /// 4 MiB page if the request asks for it with `X-Page: huge`).
    static let uploadGate: HeedVaporHeadResponder = { request in
        guard request.method == .PUT, request.url.path == "/upload" else { return nil }
        guard request.headers.first(name: .authorization) != nil else {
            return Response(status: .unauthorized, body: .init(string: String(repeating: "u", count: 100)))
        }
        if let length = request.headers.first(name: .contentLength).flatMap({ Int($0) }), length > 1024 * 1024 {
            let pageSize = request.headers.first(name: "X-Page") == "huge" ? 4 * 1024 * 1024 : 64 * 1024
            return Response(status: .payloadTooLarge, body: .init(string: String(repeating: "t", count: pageSize)))
        }
        return nil
    }

    static func expectedBodySize(_ answer: Answer) -> Int {
        switch answer {
        case .serverLimit: "413 Content Too Large\n".utf8.count
        case .unauthorized: 100
        case .tooLarge: 64 * 1024
        case .hugePage: 4 * 1024 * 1024
        }
    }

    /// In every one of 50 runs, a client that keeps writing a 4 MiB body reads the whole answer, then a FIN.
    @Test(arguments: [Answer.serverLimit, .unauthorized, .tooLarge, .hugePage])
    func clientStillSendingReadsWholeAnswerThenFIN(answer: Answer) async throws {
        let outcomes = try await withHeedVaporApp(Self.configuration(answer)) { port in
            let client = ServerRawClient(
                port: port,
                head: answer.head,
                bodyBytes: Self.bodyBytes
            )
            return try await runRawClients(client, count: Self.runs)
        }
        #expect(outcomes.count == Self.runs)
        for outcome in outcomes {
            #expect(outcome.statusCode == answer.statusCode)
            #expect(outcome.contentLength == Self.expectedBodySize(answer))
            #expect(outcome.receivedWholeResponse, "cut off: \(outcome)")
            #expect(outcome.closeRequested)
            #expect(outcome.ending == .fin, "\(outcome)")
            #expect(outcome.bytesSent == Self.bodyBytes && !outcome.writeFailed, "\(outcome)")
        }
    }

    /// A client that sent `Expect: 100-continue` gets the head responder's 401 without a 100 Continue.
    @Test func headResponderAnswersBeforeContinue() async throws {
        let outcomes = try await withHeedVaporApp(Self.configuration(.unauthorized)) { port in
            let client = ServerRawClient(
                port: port,
                head: uploadHead(length: Self.bodyBytes, extraField: "Expect: 100-continue"),
                bodyBytes: Self.bodyBytes
            )
            return try await runRawClients(client, count: 20)
        }
        #expect(outcomes.count == 20)
        for outcome in outcomes {
            #expect(outcome.statusCode == 401)
            #expect(!outcome.sawContinue)
            #expect(outcome.receivedWholeResponse && outcome.closeRequested, "\(outcome)")
            #expect(outcome.ending == .fin, "\(outcome)")
        }
    }
}
