/// Which proxy a request goes through, configured by hand or from curl's environment variables.
///
/// `http://` requests are sent to the proxy with the whole URL as the request target; `https://`
/// requests open a tunnel with `CONNECT host:port` and then speak TLS with the origin through it.
public struct ProxyConfiguration: Sendable, Hashable {
    /// A proxy server.
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        /// The proxy's host name or address.
        public var host: String
        /// The proxy's port.
        public var port: Int
        /// `user:password` for `Proxy-Authorization: Basic`, if the proxy wants it.
        public var credentials: String?

        /// A proxy at `host:port`.
        public init(host: String, port: Int, credentials: String? = nil) {
            self.host = host
            self.port = port
            self.credentials = credentials
        }

        /// `host:port`, never the credentials.
        public var description: String {
            self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
        }
    }

    /// The proxy for `http://` URLs.
    public var httpProxy: Endpoint?
    /// The proxy for `https://` URLs.
    public var httpsProxy: Endpoint?
    /// Hosts reached directly.
    public var noProxy: NoProxyList

    /// Proxies for `http://` and `https://` URLs, and hosts to reach without them.
    public init(httpProxy: Endpoint? = nil, httpsProxy: Endpoint? = nil, noProxy: NoProxyList = NoProxyList("")) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    /// The proxy for `url`, or `nil` to connect directly.
    public func proxy(for url: HTTPURL) -> Endpoint? {
        guard !self.noProxy.matches(host: url.host, port: url.port) else { return nil }
        return url.isTLS ? self.httpsProxy : self.httpProxy
    }

    /// Reads the variables curl reads: `http_proxy`, `https_proxy`/`HTTPS_PROXY`, `all_proxy`/`ALL_PROXY`
    /// and `no_proxy`/`NO_PROXY`; the lower-case form wins when both are set.
    ///
    /// As in curl, upper-case `HTTP_PROXY` is ignored: a CGI program receives a request's `Proxy:`
    /// header as `HTTP_PROXY`, so honouring it would let any client pick the proxy ("httpoxy").
    /// A value without a scheme means `http://`; without a port, 1080 (curl's default).
    /// - Parameter environment: the process environment, or any dictionary standing in for it.
    /// - Returns: the configuration, or `nil` when no proxy variable is set.
    /// - Throws: ``ProxyConfigurationError`` when a variable is not a proxy URL Heed can use.
    public static func fromEnvironment(_ environment: [String: String]) throws(ProxyConfigurationError) -> Self? {
        func value(_ names: String...) -> (name: String, value: String)? {
            for name in names {
                if let value = environment[name], !value.isEmpty { return (name, value) }
            }
            return nil
        }
        func endpoint(_ names: String...) throws(ProxyConfigurationError) -> Endpoint? {
            for name in names {
                if let value = environment[name], !value.isEmpty {
                    return try Self.endpoint(parsing: value, variable: name)
                }
            }
            return nil
        }
        let all = try endpoint("all_proxy", "ALL_PROXY")
        let http = try endpoint("http_proxy") ?? all
        let https = try endpoint("https_proxy", "HTTPS_PROXY") ?? all
        guard http != nil || https != nil else { return nil }
        let noProxy = NoProxyList(value("no_proxy", "NO_PROXY")?.value ?? "")
        return Self(httpProxy: http, httpsProxy: https, noProxy: noProxy)
    }

    /// Parses `http://[user:password@]host[:port][/]`, or the same without the scheme.
    public static func endpoint(parsing text: String, variable: String) throws(ProxyConfigurationError) -> Endpoint {
        var rest = Substring(text)
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            let scheme = rest[..<colon].lowercased()
            guard scheme == "http" else {
                throw ProxyConfigurationError(
                    variable: variable,
                    problem: "the proxy scheme '\(scheme)' is not supported; only http:// proxies are"
                )
            }
            rest = rest[colon...].dropFirst(3)
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...].allSatisfy({ $0 == "/" }) else {
                throw ProxyConfigurationError(variable: variable, problem: "a proxy URL has no path")
            }
            rest = rest[..<slash]
        }
        var credentials: String?
        if let at = rest.lastIndex(of: "@") {
            credentials = try Self.credentials(decoding: rest[..<at], variable: variable)
            rest = rest[rest.index(after: at)...]
        }
        let url: HTTPURL
        do {
            url = try HTTPURL(parsing: "http://\(rest)/")
        } catch {
            throw ProxyConfigurationError(variable: variable, problem: error.problem)
        }
        let hasPort = rest.last.map { $0.isNumber } == true && rest.contains(":") && rest.last != "]"
        return Endpoint(host: url.host, port: hasPort ? url.port : 1080, credentials: credentials)
    }
}

extension ProxyConfiguration {
    /// `user:password` from a proxy URL's user information, each part percent-decoded as curl does (so that `@`, `:`
    /// and `%` can be written as `%40`, `%3A` and `%25`).
    static func credentials(decoding userInfo: Substring, variable: String) throws(ProxyConfigurationError) -> String {
        guard let credentials = PercentDecoding.credentials(userInfo) else {
            throw ProxyConfigurationError(
                variable: variable,
                problem: "the proxy credentials contain a '%' that is not followed by two hexadecimal digits, "
                    + "or encode text that is not UTF-8"
            )
        }
        return credentials
    }
}

/// Percent-decoding (RFC 3986 §2.1).
enum PercentDecoding {
    /// The bytes `text` stands for; `nil` when a `%` is not followed by two hexadecimal digits.
    static func decode(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    /// `user[:password]` with each part percent-decoded; nil when a part is not valid percent-encoded UTF-8.
    static func credentials(_ userInfo: Substring) -> String? {
        let colon = userInfo.firstIndex(of: ":")
        let user = colon.map { userInfo[..<$0] } ?? userInfo
        let password = colon.map { userInfo[userInfo.index(after: $0)...] }
        func decoded(_ part: Substring) -> String? {
            Self.decode(part).flatMap { String(validating: $0, as: UTF8.self) }
        }
        guard let decodedUser = decoded(user) else { return nil }
        guard let password else { return decodedUser }
        return decoded(password).map { decodedUser + ":" + $0 }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A proxy variable that Heed cannot use.
public struct ProxyConfigurationError: Error, Hashable, CustomStringConvertible {
    /// The environment variable (or option) that holds the value.
    public var variable: String
    /// What is wrong, as a clause.
    public var problem: String

    public var description: String { "The proxy setting \(self.variable) is not usable: \(self.problem)." }
}
