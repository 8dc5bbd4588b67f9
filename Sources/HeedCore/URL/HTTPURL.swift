/// An `http://` or `https://` URL, parsed strictly enough to refuse anything that is not one.
///
/// Heed parses URLs itself so that the core stays free of Foundation and every refusal can say
/// exactly what is wrong with the input.
public struct HTTPURL: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// The host name or address, without brackets for IPv6 literals.
    public var host: String
    /// The port, explicit or the scheme's default.
    public var port: Int
    /// The path and query, starting with `/` (the request target).
    public var target: String
    /// `user:password` from the URL, if any.
    public var userInfo: String?

    /// Whether the scheme is `https`.
    public var isTLS: Bool { self.scheme == "https" }

    /// The `Host` header field value: the host, with the port when it is not the default.
    public var authority: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let defaultPort = self.isTLS ? 443 : 80
        return self.port == defaultPort ? host : "\(host):\(self.port)"
    }

    public var description: String { "\(self.scheme)://\(self.authority)\(self.target)" }

    /// Parses `string`.
    /// - Throws: ``HTTPURLError`` naming what is wrong.
    public init(parsing string: String) throws(HTTPURLError) {
        let input = string.trimmingWhitespace()
        guard !input.isEmpty else { throw HTTPURLError(input: string, problem: "the URL is empty") }
        guard input.utf8.count <= 8192 else {
            throw HTTPURLError(input: string, problem: "the URL is longer than 8192 bytes")
        }
        if let bad = input.unicodeScalars.first(where: { $0.value < 0x21 || $0.value == 0x7F || $0.value > 0x7E }) {
            let shown =
                bad.value == 0x20 ? "a space" : "the character U+\(String(bad.value, radix: 16, uppercase: true))"
            throw HTTPURLError(input: string, problem: "it contains \(shown); percent-encode it")
        }
        var rest = Substring(input)
        guard let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") else {
            throw HTTPURLError(input: string, problem: "it has no scheme; write http:// or https:// before the host")
        }
        let scheme = rest[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HTTPURLError(input: string, problem: "the scheme '\(scheme)' is not http or https")
        }
        rest = rest[colon...].dropFirst(3)
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if target.isEmpty || target.first == "?" { target = "/" + target }

        var userInfo: String?
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        var host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else {
                throw HTTPURLError(input: string, problem: "the IPv6 address has no closing ']'")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else {
                    throw HTTPURLError(input: string, problem: "unexpected text after the IPv6 address")
                }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw HTTPURLError(input: string, problem: "it has no host") }
        let allowed: (Character) -> Bool = { $0.isLetter || $0.isNumber || "-._~%:".contains($0) }
        guard host.allSatisfy(allowed) else {
            throw HTTPURLError(input: string, problem: "the host '\(host)' contains characters a host name cannot have")
        }
        var port = scheme == "https" ? 443 : 80
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, let value = Int(portText), (1...65535).contains(value) else {
                throw HTTPURLError(input: string, problem: "the port '\(portText)' is not a number from 1 to 65535")
            }
            port = value
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.target = target
        self.userInfo = userInfo
    }
}

/// A string that is not an `http://` or `https://` URL.
public struct HTTPURLError: Error, Hashable, CustomStringConvertible {
    /// What was given.
    public var input: String
    /// What is wrong with it, as a clause.
    public var problem: String

    public var description: String {
        let shown = self.input.count > 200 ? String(self.input.prefix(200)) + "..." : self.input
        return "'\(shown)' is not a valid http:// or https:// URL: \(self.problem)."
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
