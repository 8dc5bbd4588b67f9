import HeedCore
import Testing

/// Parsing `http://` and `https://` URLs: what is accepted, and how each refusal names the problem.
@Suite struct HTTPURLTests {
    /// A URL with an explicit port, path and query.
    @Test func explicitPortPathAndQuery() throws {
        let url = try HTTPURL(parsing: "http://example.com:8080/upload/file?name=a&x=1")
        #expect(url.scheme == "http")
        #expect(url.host == "example.com")
        #expect(url.port == 8080)
        #expect(url.target == "/upload/file?name=a&x=1")
        #expect(url.userInfo == nil)
        #expect(!url.isTLS)
        #expect(url.authority == "example.com:8080")
        #expect(url.description == "http://example.com:8080/upload/file?name=a&x=1")
    }

    /// Default ports per scheme; the authority leaves a default port out.
    @Test(arguments: [
        ("http://example.com", "http", 80, "example.com"),
        ("https://example.com", "https", 443, "example.com"),
        ("http://example.com:80/", "http", 80, "example.com"),
        ("https://example.com:443/", "https", 443, "example.com"),
        ("https://example.com:80/", "https", 80, "example.com:80"),
        ("HTTP://Example.COM/", "http", 80, "example.com"),
    ])
    func defaultPorts(input: String, scheme: String, port: Int, authority: String) throws {
        let url = try HTTPURL(parsing: input)
        #expect(url.scheme == scheme)
        #expect(url.port == port)
        #expect(url.authority == authority)
        #expect(url.isTLS == (scheme == "https"))
    }

    /// A URL without a path gets `/`; a query without a path gets `/?…`; the fragment is dropped.
    @Test(arguments: [
        ("http://h", "/"),
        ("http://h?q=1", "/?q=1"),
        ("http://h/a#section", "/a"),
        ("http://h/a?b=c#frag?x", "/a?b=c"),
        ("http://h#only", "/"),
        ("  http://h/trimmed  ", "/trimmed"),
    ])
    func targets(input: String, target: String) throws {
        #expect(try HTTPURL(parsing: input).target == target)
    }

    /// IPv6 literals are written in brackets; the host is kept without them and the authority puts them back.
    @Test func ipv6Literal() throws {
        let url = try HTTPURL(parsing: "http://[::1]:8080/x")
        #expect(url.host == "::1")
        #expect(url.port == 8080)
        #expect(url.authority == "[::1]:8080")
        #expect(url.description == "http://[::1]:8080/x")
        let plain = try HTTPURL(parsing: "https://[2001:db8::1]/")
        #expect(plain.host == "2001:db8::1")
        #expect(plain.port == 443)
        #expect(plain.authority == "[2001:db8::1]")
    }

    /// User information is split off the host.
    @Test func userInfo() throws {
        let url = try HTTPURL(parsing: "http://user:secret@127.0.0.1:9000/")
        #expect(url.userInfo == "user:secret")
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 9000)
        #expect(!url.description.contains("secret"))
    }

    /// Each bad input throws ``HTTPURLError`` whose description names the problem.
    @Test(arguments: [
        ("", "empty"),
        ("   ", "empty"),
        ("example.com/path", "no scheme"),
        ("http:/example.com", "no scheme"),
        ("ftp://example.com/", "the scheme 'ftp' is not http or https"),
        ("http://example.com:0/", "the port '0' is not a number from 1 to 65535"),
        ("http://example.com:65536/", "the port '65536' is not a number from 1 to 65535"),
        ("http://example.com:abc/", "the port 'abc' is not a number from 1 to 65535"),
        ("http://example.com:-1/", "the port '-1' is not a number"),
        ("http://exa mple.com/", "a space"),
        ("http://example.com/a b", "a space"),
        ("http://example.com/\u{01}", "U+1"),
        ("http://example.com/\u{7F}", "U+7F"),
        ("http://example.com/caf\u{E9}", "U+E9"),
        ("http:///path", "no host"),
        ("http://:8080/", "no host"),
        ("http://user@/", "no host"),
        ("http://[::1/", "no closing ']'"),
        ("http://[::1]x/", "unexpected text after the IPv6 address"),
        ("http://::1/", "brackets"),
        ("http://[example.com]/", "not an IPv6 address"),
        ("http://exa$mple.com/", "the host 'exa$mple.com' contains characters"),
    ])
    func invalid(input: String, problem: String) {
        #expect {
            try HTTPURL(parsing: input)
        } throws: { error in
            guard let error = error as? HTTPURLError else { return false }
            return error.description.contains(problem) && error.description.contains("is not a valid")
        }
    }

    /// 10 KB of junk is refused for its length, and the description shows only the start of it.
    @Test func tenKilobytesOfJunk() {
        let junk = "http://" + String(repeating: "a", count: 10 * 1024)
        #expect {
            try HTTPURL(parsing: junk)
        } throws: { error in
            guard let error = error as? HTTPURLError else { return false }
            return error.description.contains("longer than 8192 bytes") && error.description.count < 400
                && error.input == junk
        }
        let noise = String(repeating: "%$#@!", count: 2048)
        #expect(throws: HTTPURLError.self) { try HTTPURL(parsing: noise) }
    }
}
