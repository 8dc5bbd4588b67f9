import HeedCore
import NIOCore
import Testing

/// Failures before a request byte was sent: name lookup, connect, TLS.
@Suite struct DiagnosisConnectionRuleTests {
    static let cases: [RuleCase] = [
        RuleCase(
            name: "DNS failure (EAI_NONAME)",
            timeline: recorded(
                method: "GET",
                target: "http://no-such-host.invalid/",
                host: "no-such-host.invalid",
                port: 80,
                bodyLength: 0,
                [(2_300, .resolutionFailed(SystemErrorInfo(errno: nil, name: "EAI_NONAME")))]
            ),
            rule: "resolution-failed",
            summary: "The host name 'no-such-host.invalid' could not be resolved (EAI_NONAME), so no connection was "
                + "made and nothing was sent. The name is misspelled or does not exist, or DNS is not reachable.",
            phase: .resolving,
            peerAction: .nothing,
            catalogueName: "EAI_NONAME"
        ),
        RuleCase(
            name: "connect refused, recorded",
            timeline: recorded(
                port: 9,
                [(0, .connecting(address: "127.0.0.1:9")), (90, .connectFailed(SystemErrorInfo(linuxErrno: 111)))]
            ),
            rule: "connect-refused",
            summary: "The connection to 127.0.0.1:9 was refused (ECONNREFUSED), so nothing was sent. "
                + "No server is listening on that port, or a firewall rejected the connection.",
            phase: .connecting,
            peerAction: .reset,
            catalogueName: "ECONNREFUSED"
        ),
        RuleCase(
            name: "connect refused, from NIO's IOError",
            timeline: recorded(port: 9, [(0, .connecting(address: "127.0.0.1:9"))]),
            error: IOError(errnoCode: 111, reason: "connect(descriptor:addr:size:)"),
            rule: "connect-refused",
            summary: "The connection to 127.0.0.1:9 was refused (ECONNREFUSED), so nothing was sent. "
                + "No server is listening on that port, or a firewall rejected the connection.",
            phase: .connecting,
            peerAction: .reset,
            catalogueName: "ECONNREFUSED"
        ),
        RuleCase(
            name: "connect timeout, recorded",
            timeline: recorded(
                host: "192.0.2.1",
                port: 80,
                [(0, .connecting(address: "192.0.2.1:80")), (10_000_000, .timeoutFired(.connect))]
            ),
            rule: "connect-timeout",
            summary: "Connecting to 192.0.2.1:80 timed out after 10 s, so nothing was sent. The server is down or "
                + "unreachable, or a firewall silently drops the connection attempts.",
            phase: .connecting,
            peerAction: .silent,
            catalogueName: "ETIMEDOUT"
        ),
        RuleCase(
            name: "connect timeout, from NIO's ChannelError",
            timeline: recorded(host: "192.0.2.1", port: 80, [(0, .connecting(address: "192.0.2.1:80"))]),
            error: ChannelError.connectTimeout(.milliseconds(2500)),
            rule: "connect-timeout",
            summary: "Connecting to 192.0.2.1:80 timed out after 2.5 s, so nothing was sent. The server is down or "
                + "unreachable, or a firewall silently drops the connection attempts.",
            phase: .connecting,
            peerAction: .silent,
            catalogueName: "ETIMEDOUT"
        ),
        RuleCase(
            name: "TLS handshake past the connect timeout",
            timeline: recorded(
                method: "GET",
                target: "https://127.0.0.1:8443/",
                port: 8443,
                usesTLS: true,
                bodyLength: 0,
                [(0, .connecting(address: "127.0.0.1:8443")), (1_000_000, .timeoutFired(.tlsHandshake))]
            ),
            rule: "setup-timeout",
            summary: "The TLS handshake with 127.0.0.1:8443 did not finish within 1 s, so no request was sent. "
                + "The server accepted the connection but did not complete the handshake. The port does not serve "
                + "TLS and waits for the client to speak first, or the server is stuck.",
            phase: .tlsHandshake,
            peerAction: .silent,
            catalogueName: nil
        ),
        RuleCase(
            name: "proxy CONNECT past the connect timeout",
            timeline: recorded(
                method: "GET",
                target: "https://origin.test/",
                host: "origin.test",
                port: 443,
                usesTLS: true,
                bodyLength: 0,
                [(0, .connecting(address: "origin.test:443")), (10_000_000, .timeoutFired(.proxyConnect))]
            ),
            rule: "setup-timeout",
            summary: "The proxy accepted the connection but did not answer the CONNECT to origin.test:443 within "
                + "10 s, so no request was sent. The proxy is stuck, or it is still trying to reach origin.test:443 "
                + "itself.",
            phase: .connecting,
            peerAction: .silent,
            catalogueName: nil
        ),
        RuleCase(
            name: "no route to host",
            timeline: recorded(
                host: "10.9.9.9",
                port: 80,
                [(0, .connecting(address: "10.9.9.9:80")), (3_000, .connectFailed(SystemErrorInfo(linuxErrno: 113)))]
            ),
            rule: "connect-failed",
            summary: "Connecting to 10.9.9.9:80 failed with EHOSTUNREACH (No route to host), so nothing was sent. "
                + "There is no network route to the server.",
            phase: .connecting,
            peerAction: .nothing,
            catalogueName: "EHOSTUNREACH"
        ),
        RuleCase(
            name: "TLS failure, untrusted certificate",
            timeline: recorded(
                method: "GET",
                target: "https://localhost:8443/",
                host: "localhost",
                port: 8443,
                usesTLS: true,
                bodyLength: 0,
                Recording.connect + [
                    (900, .tlsFailed(reason: "certificate verify failed: self-signed certificate"))
                ]
            ),
            rule: "tls-failed",
            summary: "The TLS handshake with localhost:8443 failed (certificate verify failed: self-signed "
                + "certificate), so no request was sent. The server's certificate is not trusted for 'localhost'.",
            phase: .tlsHandshake,
            peerAction: .nothing,
            catalogueName: nil
        ),
        RuleCase(
            name: "TLS failure, plain HTTP port",
            timeline: recorded(
                method: "GET",
                target: "https://127.0.0.1:8080/",
                usesTLS: true,
                bodyLength: 0,
                Recording.connect + [(700, .tlsFailed(reason: "wrong version number")), (710, .finReceived)]
            ),
            rule: "tls-failed",
            summary: "The TLS handshake with 127.0.0.1:8080 failed (wrong version number), so no request was sent. "
                + "The server does not speak TLS on this port, or shares no TLS version or cipher with the client.",
            phase: .tlsHandshake,
            peerAction: .closedCleanly,
            catalogueName: nil
        ),
    ]

    /// Each recorded connection-phase failure reads as its pinned sentence.
    @Test(arguments: Self.cases) func diagnosis(_ ruleCase: RuleCase) {
        check(ruleCase)
    }

    /// A failed name lookup from NIO (`SocketAddressError.UnknownHost` is not constructible outside NIO, so the
    /// mapping is checked through ``SystemErrorInfo``), errno map entries and a file error.
    @Test func systemErrorNames() {
        #expect(SystemErrorInfo(linuxErrno: 32).description == "EPIPE (Broken pipe)")
        #expect(SystemErrorInfo(linuxErrno: 104).name == "ECONNRESET")
        #expect(SystemErrorInfo(linuxErrno: 91).name == "EPROTOTYPE")
        // File errors the socket catalogue leaves out, for request body files that fail to read.
        #expect(SystemErrorInfo(linuxErrno: 21).description == "EISDIR (Is a directory)")
        #expect(SystemErrorInfo(errno: 9999).name == nil)
        #expect(SystemErrorInfo(errno: 9999, message: "odd").description == "odd")
        #expect(SystemErrorInfo.extracted(from: IOError(errnoCode: 103, reason: "write"))?.name == "ECONNABORTED")
        #expect(SystemErrorInfo.extracted(from: ChannelError.eof) == nil)
    }
}
