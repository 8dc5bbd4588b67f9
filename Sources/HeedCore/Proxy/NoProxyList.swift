/// The hosts that are reached without a proxy, in curl's `no_proxy` syntax.
///
/// A comma-separated list: `*` matches every host; `example.com` and `.example.com` match that
/// host and every host under it; an IP address matches itself; `host:port` matches only that port.
/// Names compare case-insensitively; spaces around entries are ignored.
public struct NoProxyList: Sendable, Hashable {
    struct Entry: Sendable, Hashable {
        var host: String
        var port: Int?
    }

    let matchesAll: Bool
    let entries: [Entry]

    /// Parses a `no_proxy` value.
    public init(_ value: String) {
        var matchesAll = false
        var entries: [Entry] = []
        for raw in value.split(whereSeparator: { $0 == "," || $0 == " " }) {
            var text = Substring(raw.lowercased())
            if text == "*" {
                matchesAll = true
                continue
            }
            var port: Int?
            if text.first == "[", let close = text.firstIndex(of: "]") {
                let after = text[text.index(after: close)...]
                if after.first == ":" { port = Int(after.dropFirst()) }
                text = text[text.index(after: text.startIndex)..<close]
            } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
                port = Int(text[text.index(after: colon)...])
                text = text[..<colon]
            }
            while text.first == "." { text = text.dropFirst() }
            while text.last == "." { text = text.dropLast() }
            if !text.isEmpty { entries.append(Entry(host: String(text), port: port)) }
        }
        self.matchesAll = matchesAll
        self.entries = entries
    }

    /// Whether `host` (a name or an IP address, IPv6 without brackets) on `port` is reached directly.
    public func matches(host: String, port: Int) -> Bool {
        if self.matchesAll { return true }
        var host = Substring(host.lowercased())
        while host.last == "." { host = host.dropLast() }
        return self.entries.contains { entry in
            if let wanted = entry.port, wanted != port { return false }
            return host == entry.host || host.hasSuffix("." + entry.host)
        }
    }
}
