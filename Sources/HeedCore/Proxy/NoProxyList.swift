/// The hosts that are reached without a proxy, in curl's `no_proxy` syntax.
///
/// A comma-separated list: `*` matches every host; `example.com` and `.example.com` match that
/// host and every host under it; an IP address matches itself, and a network in CIDR notation
/// (`127.0.0.0/8`, `10.0.0.0/8`, `fd00::/8`) every address in it; `host:port` matches only that port.
/// Names compare case-insensitively; spaces around entries are ignored. As in curl, no name is
/// resolved: a host given as a name never matches an address entry, and an address never matches
/// a name entry by its suffix.
public struct NoProxyList: Sendable, Hashable {
    struct Entry: Sendable, Hashable {
        enum Pattern: Sendable, Hashable {
            /// A name, matching itself and the names under it.
            case name(String)
            /// An address (the whole length) or a network, as bytes and a prefix length in bits.
            case network(bytes: [UInt8], prefixLength: Int)
        }

        var pattern: Pattern
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
            var prefixText: Substring?
            if text.first == "[", let close = text.firstIndex(of: "]") {
                let after = text[text.index(after: close)...]
                if after.first == ":" { port = Int(after.dropFirst()) }
                if after.first == "/" { prefixText = after.dropFirst() }
                text = text[text.index(after: text.startIndex)..<close]
            } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
                port = Int(text[text.index(after: colon)...])
                text = text[..<colon]
            }
            if let slash = text.firstIndex(of: "/") {
                prefixText = text[text.index(after: slash)...]
                text = text[..<slash]
            }
            if let pattern = Self.pattern(text, prefixText: prefixText) {
                entries.append(Entry(pattern: pattern, port: port))
            }
        }
        self.matchesAll = matchesAll
        self.entries = entries
    }

    /// What one entry's text (without its port) matches; `nil` for an entry that matches nothing.
    private static func pattern(_ text: Substring, prefixText: Substring?) -> Entry.Pattern? {
        if let address = IPAddressBytes.parse(text) {
            let bits = address.count * 8
            guard let prefixText else { return .network(bytes: address, prefixLength: bits) }
            // A malformed or too long prefix is an entry that matches nothing, never one that matches more.
            guard prefixText.allSatisfy({ $0 >= "0" && $0 <= "9" }), let prefixLength = Int(prefixText),
                prefixLength <= bits
            else { return nil }
            return .network(bytes: address, prefixLength: prefixLength)
        }
        guard prefixText == nil else { return nil }
        var name = text
        while name.first == "." { name = name.dropFirst() }
        while name.last == "." { name = name.dropLast() }
        return name.isEmpty ? nil : .name(String(name))
    }

    /// Whether `host` (a name or an IP address, IPv6 without brackets) on `port` is reached directly.
    public func matches(host: String, port: Int) -> Bool {
        if self.matchesAll { return true }
        var host = Substring(host.lowercased())
        while host.last == "." { host = host.dropLast() }
        let address = IPAddressBytes.parse(host)
        return self.entries.contains { entry in
            if let wanted = entry.port, wanted != port { return false }
            switch entry.pattern {
            case .name(let name):
                return address == nil && (host == name || host.hasSuffix("." + name))
            case .network(let network, let prefixLength):
                guard let address else { return false }
                return IPAddressBytes.matches(address, network: network, prefixLength: prefixLength)
            }
        }
    }
}
