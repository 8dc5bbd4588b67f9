/// The bytes of an IP address written as text: 4 for IPv4 (`127.0.0.1`), 16 for IPv6 (`::1`,
/// `fe80::1:2`, `::ffff:10.0.0.1`), in network order. Strict: no zone (`%eth0`), no brackets, no
/// octal or hexadecimal IPv4 parts, nothing that is not an address.
enum IPAddressBytes {
    static func parse(_ text: Substring) -> [UInt8]? {
        text.contains(":") ? self.parseIPv6(text) : self.parseIPv4(text)
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4)
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit),
                part.count == 1 || part.first != "0", let byte = UInt8(part)
            else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        // At most one "::", standing for one or more zero groups.
        let halves = text.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false)
        guard let head = halves.first else { return nil }
        let compressed = halves.count == 2
        if compressed, halves[1].contains("::") { return nil }
        guard let front = self.groups(head, allowIPv4Tail: !compressed),
            let back = compressed ? self.groups(halves[1], allowIPv4Tail: true) : []
        else { return nil }
        let missing = 16 - front.count - back.count
        guard compressed ? missing >= 2 : missing == 0 else { return nil }
        return front + [UInt8](repeating: 0, count: missing) + back
    }

    /// The bytes of colon-separated groups (empty text gives none); an IPv4 address may end them.
    private static func groups(_ text: Substring, allowIPv4Tail: Bool) -> [UInt8]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 8 else { return nil }
        var bytes: [UInt8] = []
        for (index, part) in parts.enumerated() {
            if allowIPv4Tail, index == parts.count - 1, part.contains(".") {
                guard let tail = self.parseIPv4(part) else { return nil }
                bytes += tail
                continue
            }
            guard (1...4).contains(part.count), let group = UInt16(part, radix: 16), part.allSatisfy(\.isHexDigit)
            else { return nil }
            bytes.append(UInt8(group >> 8))
            bytes.append(UInt8(group & 0xFF))
        }
        return bytes.count <= 16 ? bytes : nil
    }

    /// Whether the first `prefixLength` bits of `address` and `network` are the same (both the same family).
    static func matches(_ address: [UInt8], network: [UInt8], prefixLength: Int) -> Bool {
        guard address.count == network.count, (0...address.count * 8).contains(prefixLength) else { return false }
        let wholeBytes = prefixLength / 8
        guard address[..<wholeBytes] == network[..<wholeBytes] else { return false }
        let bits = prefixLength % 8
        guard bits > 0 else { return true }
        let mask = UInt8(0xFF) << (8 - bits)
        return address[wholeBytes] & mask == network[wholeBytes] & mask
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}
