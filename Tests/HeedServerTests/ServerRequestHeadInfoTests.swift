import HeedCore
import NIOCore
import NIOHTTP1
import Testing

@testable import HeedServer

/// Reading a NIO request head into ``ServerRequestHeadInfo``, and the machine's answers to invalid heads.
@Suite struct ServerRequestHeadInfoTests {
    private static func info(
        _ fields: [(String, String)],
        method: HTTPMethod = .PUT,
        version: HTTPVersion = .http1_1
    ) -> ServerRequestHeadInfo {
        ServerRequestHeadInfo(HTTPRequestHead(version: version, method: method, uri: "/", headers: HTTPHeaders(fields)))
    }

    /// Optional whitespace around `Content-Length` and `Expect` is not part of the value.
    @Test func fieldValuesAreTrimmed() {
        let head = Self.info([("Host", "a"), ("Content-Length", " 100 \t"), ("Expect", "100-continue ")])
        #expect(head.contentLength == 100)
        #expect(head.expectation == .continue100)
        #expect(!head.isInvalid)
    }

    /// `Expect` is a list (RFC 9110 §10.1.1): every field line and every element counts, case-insensitively; any
    /// element other than `100-continue` is unsupported (417), and empty elements are ignored. Only the first line
    /// used to be read, as one value.
    @Test func expectIsAList() {
        #expect(Self.info([("Host", "a"), ("Expect", "foo, 100-continue")]).expectation == .unsupported)
        #expect(Self.info([("Host", "a"), ("Expect", "100-continue"), ("Expect", "foo")]).expectation == .unsupported)
        #expect(Self.info([("Host", "a"), ("Expect", "100-CONTINUE, ,100-continue")]).expectation == .continue100)
        #expect(Self.info([("Host", "a"), ("Expect", ""), ("Expect", " 100-Continue")]).expectation == .continue100)
        #expect(Self.info([("Host", "a"), ("Expect", "100-continue=1")]).expectation == .unsupported)
        #expect(Self.info([("Host", "a"), ("Expect", " , ")]).expectation == .none)
        #expect(Self.info([("Expect", "foo")], version: .http1_0).expectation == .none)
    }

    /// A length too large for `Int` is `Int.max`; a length that is not digits is none.
    @Test func hugeContentLengthIsIntMax() {
        #expect(Self.info([("Host", "a"), ("Content-Length", "9223372036854775808")]).contentLength == Int.max)
        #expect(Self.info([("Host", "a"), ("Content-Length", "+5")]).contentLength == nil)
    }

    /// HTTP/1.1 needs exactly one `Host`; HTTP/1.0 may omit it.
    @Test func hostIsChecked() {
        #expect(Self.info([]).isInvalid)
        #expect(Self.info([("Host", "a"), ("Host", "b")]).isInvalid)
        #expect(!Self.info([("Host", "a")]).isInvalid)
        #expect(!Self.info([], version: .http1_0).isInvalid)
    }

    /// HTTP/1.0 with `Transfer-Encoding`, upgrades and CONNECT are not kept alive; CONNECT is unsupported.
    @Test func faultyFramingAndUpgradesClose() {
        let te = Self.info([("Connection", "keep-alive"), ("Transfer-Encoding", "chunked")], version: .http1_0)
        #expect(!te.keepAlive)
        let upgrade = Self.info([("Host", "a"), ("Connection", "Upgrade"), ("Upgrade", "h2c")], method: .GET)
        #expect(!upgrade.keepAlive)
        let connect = Self.info([("Host", "a:1")], method: .CONNECT)
        #expect(!connect.keepAlive && connect.isUnsupportedMethod)
        #expect(Self.info([("Host", "a")], method: .GET).keepAlive)
    }

    /// The machine rejects invalid heads, unsupported methods and huge lengths before asking the responder.
    @Test func machineRejectsBeforeAskingResponder() {
        let limits = ServerLimits(maxBodySize: 1000)
        var invalid = ServerConnectionStateMachine(limits: limits)
        let bad = ServerRequestHeadInfo(
            contentLength: nil,
            isChunked: false,
            expectation: .none,
            keepAlive: true,
            isInvalid: true
        )
        #expect(invalid.headReceived(bad) == .reject(.badRequest))
        var connect = ServerConnectionStateMachine(limits: limits)
        let unsupported = ServerRequestHeadInfo(
            contentLength: nil,
            isChunked: false,
            expectation: .none,
            keepAlive: false,
            isUnsupportedMethod: true
        )
        #expect(connect.headReceived(unsupported) == .reject(.notImplemented))
        #expect(ServerRejection.notImplemented.statusCode == 501)
        var huge = ServerConnectionStateMachine(limits: limits)
        let hugeHead = ServerRequestHeadInfo(contentLength: .max, isChunked: false, expectation: .none, keepAlive: true)
        #expect(huge.headReceived(hugeHead) == .reject(.contentTooLarge))
    }
}
