import HeedCore
import Testing

@Suite struct SocketErrorLookupTests {
    /// The names of the best matches for a query.
    private func best(_ query: String) -> [String] {
        SocketErrorCatalogue.lookup(query).bestMatches.map(\.entry.name)
    }

    /// Names match case-insensitively, with aliases such as EWOULDBLOCK and Node's ENOTFOUND.
    @Test(arguments: [
        ("WSAECONNABORTED", "WSAECONNABORTED"), ("econnreset", "ECONNRESET"), ("EAI_NONAME", "EAI_NONAME"),
        ("ewouldblock", "EAGAIN"), ("ENOTFOUND", "EAI_NONAME"), ("wsaeconnreset", "WSAECONNRESET"),
        ("  EPIPE  ", "EPIPE"), ("WSA_QOS_EUNKOWNPSOBJ", "WSA_QOS_EUNKOWNPSOBJ"),
    ])
    func namesMatch(query: String, expected: String) {
        #expect(self.best(query) == [expected])
    }

    /// A name without its prefix finds both platforms' entries; a name also offers its other-platform twin.
    @Test func namesWithoutPrefixFindBothFamilies() {
        #expect(Set(self.best("CONNABORTED")) == ["ECONNABORTED", "WSAECONNABORTED"])
        let result = SocketErrorCatalogue.lookup("ECONNABORTED")
        #expect(result.bestMatches.map(\.entry.name) == ["ECONNABORTED"])
        #expect(result.otherMatches.map(\.entry.name) == ["WSAECONNABORTED"])
        #expect(self.best("Address already in use") == ["EADDRINUSE"])  // `already` is not EALREADY.
    }

    /// A bare number lists every platform's reading; a number in context picks one.
    @Test func numbers() {
        #expect(self.best("10053") == ["WSAECONNABORTED"])
        #expect(self.best("104") == ["ECONNRESET"])
        #expect(Set(self.best("54")) == ["ECONNRESET"])  // Darwin 54; Linux 54 is not a socket error.
        #expect(Set(self.best("60")) == ["ETIMEDOUT"])
        #expect(Set(self.best("8")) == ["WSA_NOT_ENOUGH_MEMORY", "EAI_NONAME"])
        #expect(Set(self.best("95")) == ["EOPNOTSUPP", "ENOTSUP"])
        #expect(Set(self.best("36")) == ["EINPROGRESS", "ENAMETOOLONG"])  // Darwin 36, Linux 36.
        #expect(self.best("-2") == ["EAI_NONAME"])
        #expect(self.best("(10054)") == ["WSAECONNRESET"])
        #expect(self.best("WinError 10054") == ["WSAECONNRESET"])
        #expect(self.best("errno 111") == ["ECONNREFUSED"])
        #expect(self.best("errno: -104") == ["ECONNRESET"])  // Node prints errno negated.
    }

    /// Whole messages and fragments of them, in any case and punctuation.
    @Test func messagesAndFragments() {
        #expect(self.best("\"established connection was aborted\"") == ["WSAECONNABORTED"])
        #expect(self.best("Connection reset by peer") == ["ECONNRESET"])
        #expect(self.best("CONNECTION REFUSED!") == ["ECONNREFUSED"])
        #expect(self.best("Too many open files in system") == ["ENFILE"])
        #expect(self.best("Too many open files") == ["EMFILE"])
        #expect(self.best("Can't assign requested address") == ["EADDRNOTAVAIL"])
        #expect(self.best("forcibly closed") == ["WSAECONNRESET"])
        #expect(self.best("actively refused").first == "WSAECONNREFUSED")
        #expect(Set(self.best("connection aborted")) == ["ECONNABORTED", "WSAECONNABORTED"])
    }

    /// Real log lines from many languages and tools resolve to the right entry.
    @Test(arguments: [
        ("[Errno 104] Connection reset by peer", "ECONNRESET"),
        ("ConnectionResetError: [Errno 54] Connection reset by peer", "ECONNRESET"),
        ("java.net.SocketException: Broken pipe", "EPIPE"),
        ("java.net.SocketException: Connection reset", "ECONNRESET"),
        ("java.net.SocketException: Software caused connection abort: socket write error", "WSAECONNABORTED"),
        ("java.net.ConnectException: Connection refused (Connection refused)", "ECONNREFUSED"),
        ("java.net.UnknownHostException: example.invalid", "EAI_NONAME"),
        ("curl: (55) Send failure: Broken pipe", "EPIPE"),
        ("curl: (56) Recv failure: Connection reset by peer", "ECONNRESET"),
        ("curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused", "ECONNREFUSED"),
        ("curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server", "ECONNREFUSED"),
        ("curl: (28) Operation timed out after 5001 milliseconds with 0 bytes received", "ETIMEDOUT"),
        ("curl: (6) Could not resolve host: example.invalid", "EAI_NONAME"),
        ("SOCKET_ERROR: An established connection was aborted...", "WSAECONNABORTED"),
        ("read tcp 127.0.0.1:5000->127.0.0.1:54321: read: connection reset by peer", "ECONNRESET"),
        ("write tcp 127.0.0.1:5000->127.0.0.1:54321: write: broken pipe", "EPIPE"),
        ("dial tcp 127.0.0.1:8080: connect: connection refused", "ECONNREFUSED"),
        ("dial tcp: lookup example.invalid: no such host", "EAI_NONAME"),
        ("dial tcp 10.0.0.1:443: i/o timeout", "ETIMEDOUT"),
        (
            "System.Net.Sockets.SocketException (10054): An existing connection was forcibly closed by the remote host",
            "WSAECONNRESET"
        ),
        ("System.Net.Http.HttpRequestException: No such host is known. (example.invalid:443)", "WSAHOST_NOT_FOUND"),
        ("Error: write EPIPE", "EPIPE"),
        ("Error: connect ECONNREFUSED 127.0.0.1:8080", "ECONNREFUSED"),
        ("Error: getaddrinfo ENOTFOUND example.invalid", "EAI_NONAME"),
        ("Error: socket hang up", "ECONNRESET"),
        ("Error: getaddrinfo EAI_AGAIN registry.npmjs.org", "EAI_AGAIN"),
        ("Errno::ECONNRESET: Connection reset by peer - SSL_connect", "ECONNRESET"),
        ("socket.gaierror: [Errno -2] Name or service not known", "EAI_NONAME"),
        ("socket.gaierror: [Errno 8] nodename nor servname provided, or not known", "EAI_NONAME"),
        ("ConnectionAbortedError: [WinError 10053] An established connection was aborted", "WSAECONNABORTED"),
        ("OSError: [WinError 10054]", "WSAECONNRESET"),
        ("URLError: <urlopen error [Errno 111] Connection refused>", "ECONNREFUSED"),
        ("URLError: The network connection was lost.", "ECONNRESET"),
        ("Os { code: 104, kind: ConnectionReset, message: \"Connection reset by peer\" }", "ECONNRESET"),
        ("thread 'main' panicked: Address already in use (os error 98)", "EADDRINUSE"),
        ("accept: too many open files; retrying in 5ms", "EMFILE"),
        ("ssh: Could not resolve hostname example.invalid: Temporary failure in name resolution", "EAI_AGAIN"),
        ("connect() failed (113: No route to host) while connecting to upstream", "EHOSTUNREACH"),
        ("recv() failed (104: Connection reset by peer) while reading response header from upstream", "ECONNRESET"),
        ("psycopg2.OperationalError: could not connect to server: Connection timed out", "ETIMEDOUT"),
        ("Network is unreachable", "ENETUNREACH"),
    ])
    func logLines(line: String, expected: String) {
        let result = SocketErrorCatalogue.lookup(line)
        #expect(result.bestMatches.first?.entry.name == expected, "\(line) -> \(result.bestMatches.map(\.entry.name))")
    }

    /// Empty, huge and control-character queries are refused with a reason, never looked up.
    @Test func badQueriesAreRefused() {
        #expect(SocketErrorCatalogue.lookup("").problem == .empty)
        #expect(SocketErrorCatalogue.lookup(" \n\t ").problem == .empty)
        let huge = String(repeating: "junk ", count: 2048)
        #expect(SocketErrorCatalogue.lookup(huge).problem == .tooLong(bytes: 10240, limit: 4096))
        #expect(SocketErrorCatalogue.lookup("ECONN\u{0}RESET").problem == .controlCharacter(0))
        #expect(SocketErrorCatalogue.lookup("\u{1B}[31mECONNRESET").problem == .controlCharacter(0x1B))
        #expect(SocketErrorCatalogue.lookup("ECONNRESET").problem == nil)
    }

    /// The largest accepted query of junk is answered quickly, with no matches.
    @Test func largestQueryIsBounded() {
        var junk = ""
        var state: UInt32 = 12345
        while junk.utf8.count < SocketErrorCatalogue.maximumQueryBytes - 16 {
            state = state &* 1_103_515_245 &+ 12345
            junk += String(state % 100_000, radix: 36) + (state % 7 == 0 ? " " : "-")
        }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            _ = SocketErrorCatalogue.lookup(junk)
            _ = SocketErrorCatalogue.lookup(String(repeating: "connection ", count: 370))
        }
        #expect(elapsed < .seconds(2))
    }

    /// An unknown name gets "did you mean" suggestions by edit distance; gibberish gets none.
    @Test func suggestions() {
        let typo = SocketErrorCatalogue.lookup("ECONNRESETT")
        #expect(typo.matches.isEmpty)
        #expect(typo.suggestions.first == "ECONNRESET")
        #expect(SocketErrorCatalogue.lookup("WSAECONABORTED").suggestions.contains("WSAECONNABORTED"))
        let nothing = SocketErrorCatalogue.lookup("qqqqzzzz")
        #expect(nothing.matches.isEmpty && nothing.suggestions.isEmpty && nothing.problem == nil)
    }
}
