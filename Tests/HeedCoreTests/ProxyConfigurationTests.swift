import HeedCore
import Testing

@Suite struct ProxyConfigurationTests {
    /// curl's variables: lower-case wins, upper-case HTTP_PROXY is ignored, all_proxy fills gaps.
    @Test func readsEnvironmentLikeCurl() throws {
        let configuration = try #require(
            try ProxyConfiguration.fromEnvironment([
                "http_proxy": "http://127.0.0.1:3128",
                "HTTPS_PROXY": "127.0.0.1:3129",
                "NO_PROXY": "localhost,.internal.example",
            ])
        )
        #expect(configuration.httpProxy == .init(host: "127.0.0.1", port: 3128))
        #expect(configuration.httpsProxy == .init(host: "127.0.0.1", port: 3129))
        #expect(configuration.noProxy.matches(host: "localhost", port: 80))

        let upperOnly = try ProxyConfiguration.fromEnvironment(["HTTP_PROXY": "http://127.0.0.1:1"])
        #expect(upperOnly == nil)

        let both = try #require(
            try ProxyConfiguration.fromEnvironment([
                "https_proxy": "http://127.0.0.1:1", "HTTPS_PROXY": "http://127.0.0.1:2", "ALL_PROXY": "127.0.0.1:3",
            ])
        )
        #expect(both.httpsProxy?.port == 1)
        #expect(both.httpProxy?.port == 3)
        #expect(try ProxyConfiguration.fromEnvironment(["PATH": "/bin"]) == nil)
    }

    /// Without a port, curl's 1080; credentials are kept apart and never printed.
    @Test func parsesEndpoints() throws {
        let plain = try ProxyConfiguration.endpoint(parsing: "proxy.example", variable: "http_proxy")
        #expect(plain == .init(host: "proxy.example", port: 1080))
        let full = try ProxyConfiguration.endpoint(parsing: "http://user:secret@127.0.0.1:8080/", variable: "x")
        #expect(full == .init(host: "127.0.0.1", port: 8080, credentials: "user:secret"))
        #expect(full.description == "127.0.0.1:8080")
        let v6 = try ProxyConfiguration.endpoint(parsing: "http://[::1]:3128", variable: "x")
        #expect(v6 == .init(host: "::1", port: 3128))
    }

    /// Credentials in a proxy URL are percent-decoded, user and password apart, as curl does: `@`, `:` and `%`
    /// reach the proxy as themselves.
    @Test func decodesCredentials() throws {
        let encoded = try ProxyConfiguration.endpoint(
            parsing: "http://us%40er:p%3Ass%25w%C3%B6rd@127.0.0.1:3128",
            variable: "http_proxy"
        )
        #expect(encoded.credentials == "us@er:p:ss%wörd")
        let userOnly = try ProxyConfiguration.endpoint(parsing: "http://a%3Ab@127.0.0.1:3128", variable: "x")
        #expect(userOnly.credentials == "a:b")
        for bad in ["http://us%4@127.0.0.1:3128", "http://user:%zz@127.0.0.1:3128", "http://%FF:x@127.0.0.1:3128"] {
            #expect(throws: ProxyConfigurationError.self, "\(bad)") {
                try ProxyConfiguration.endpoint(parsing: bad, variable: "http_proxy")
            }
        }
    }

    /// Schemes Heed cannot speak to a proxy with, and malformed values, are errors that name the variable.
    @Test(arguments: ["socks5://127.0.0.1:1080", "https://127.0.0.1:3128", "http://127.0.0.1:99999", "http://h/path"])
    func rejectsUnusable(value: String) {
        #expect {
            try ProxyConfiguration.fromEnvironment(["https_proxy": value])
        } throws: { error in
            "\(error)".contains("https_proxy")
        }
    }

    /// no_proxy: exact hosts, domain suffixes with or without the dot, ports, IP literals and "*".
    @Test func noProxyMatching() {
        let list = NoProxyList(" example.com, .internal.example ,127.0.0.1, [::1]:8080, api.example:443 ")
        #expect(list.matches(host: "example.com", port: 80))
        #expect(list.matches(host: "www.example.com", port: 80))
        #expect(list.matches(host: "EXAMPLE.COM.", port: 80))
        #expect(!list.matches(host: "notexample.com", port: 80))
        #expect(list.matches(host: "a.internal.example", port: 80))
        #expect(list.matches(host: "internal.example", port: 80))
        #expect(list.matches(host: "127.0.0.1", port: 8080))
        #expect(!list.matches(host: "127.0.0.2", port: 8080))
        #expect(list.matches(host: "::1", port: 8080))
        #expect(!list.matches(host: "::1", port: 8081))
        #expect(list.matches(host: "api.example", port: 443))
        #expect(!list.matches(host: "api.example", port: 80))
        #expect(NoProxyList("*").matches(host: "anything", port: 1))
        #expect(!NoProxyList("").matches(host: "anything", port: 1))
    }

    /// no_proxy entries in CIDR notation match every address of their network, as in curl 7.86 and later; names
    /// are never resolved, so a name does not match an address entry, nor an address a name by its suffix.
    @Test func noProxyNetworks() {
        let list = NoProxyList("127.0.0.0/8, 10.1.0.0/16:8080, fd00::/8, [2001:db8::]/32, 3.4")
        #expect(list.matches(host: "127.0.0.1", port: 80))
        #expect(list.matches(host: "127.255.0.9", port: 443))
        #expect(!list.matches(host: "128.0.0.1", port: 80))
        #expect(list.matches(host: "10.1.200.3", port: 8080))
        #expect(!list.matches(host: "10.1.200.3", port: 80))
        #expect(!list.matches(host: "10.2.0.1", port: 8080))
        #expect(list.matches(host: "fd12:3456::1", port: 80))
        #expect(!list.matches(host: "fe80::1", port: 80))
        #expect(list.matches(host: "2001:db8:ffff::1", port: 80))
        #expect(!list.matches(host: "2001:db9::1", port: 80))
        #expect(!list.matches(host: "localhost", port: 80))
        #expect(!list.matches(host: "1.2.3.4", port: 80), "an address matched the name entry 3.4 by its suffix")
        #expect(list.matches(host: "a.3.4", port: 80))
        #expect(NoProxyList("::1").matches(host: "0:0:0:0:0:0:0:1", port: 80))
        // A malformed prefix makes an entry that matches nothing, never everything.
        for entry in ["127.0.0.0/33", "127.0.0.0/x", "127.0.0.0/", "example.com/8", "::/129"] {
            #expect(!NoProxyList(entry).matches(host: "127.0.0.1", port: 80), "\(entry)")
            #expect(!NoProxyList(entry).matches(host: "::1", port: 80), "\(entry)")
        }
    }

    /// The proxy for a URL depends on its scheme and on no_proxy.
    @Test func choosesProxy() throws {
        let configuration = ProxyConfiguration(
            httpProxy: .init(host: "127.0.0.1", port: 1),
            httpsProxy: .init(host: "127.0.0.1", port: 2),
            noProxy: NoProxyList("direct.example")
        )
        #expect(configuration.proxy(for: try HTTPURL(parsing: "http://a.example/"))?.port == 1)
        #expect(configuration.proxy(for: try HTTPURL(parsing: "https://a.example/"))?.port == 2)
        #expect(configuration.proxy(for: try HTTPURL(parsing: "https://direct.example/")) == nil)
    }

    /// A proxy's answer to CONNECT: wait for the whole head, then open, refuse or reject it.
    @Test func connectResponses() {
        #expect(ProxyConnectResponse.bytesReceived(Array("HTTP/1.1 200 OK\r\n".utf8)) == .incomplete)
        #expect(
            ProxyConnectResponse.bytesReceived(Array("HTTP/1.1 200 Connection established\r\n\r\nxy".utf8))
                == .established(headLength: 39)
        )
        #expect(
            ProxyConnectResponse.bytesReceived(Array("HTTP/1.0 407 Proxy Authentication Required\r\nA: b\r\n\r\n".utf8))
                == .refused(status: 407, reason: "Proxy Authentication Required")
        )
        guard case .invalid = ProxyConnectResponse.bytesReceived(Array("SSH-2.0-OpenSSH\r\n\r\n".utf8)) else {
            Issue.record("a non-HTTP answer must be invalid")
            return
        }
        let endless = [UInt8](repeating: 65, count: ProxyConnectResponse.maximumHeadLength + 1)
        guard case .invalid = ProxyConnectResponse.bytesReceived(endless) else {
            Issue.record("an endless head must be invalid")
            return
        }
    }
}
