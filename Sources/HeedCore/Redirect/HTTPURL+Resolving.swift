extension HTTPURL {
    /// Resolves a `Location` value against this URL, as RFC 3986 §5.2 resolves a reference against its base.
    ///
    /// Handles absolute URLs (`https://other/x`), scheme-relative ones (`//other/x`), absolute paths
    /// (`/x`), relative paths with `./` and `../` (`../x`), and query-only references (`?page=2`).
    /// A fragment is dropped: it never reaches the server. As browsers do (the WHATWG URL standard), tabs and
    /// line breaks inside the value are removed, and spaces, other control characters and non-ASCII characters
    /// are percent-encoded (as UTF-8): servers do send `Location: /files/a b.pdf`.
    /// - Parameter reference: the `Location` field value.
    /// - Returns: the URL to request next.
    /// - Throws: ``HTTPURLError`` if the result is not an `http://` or `https://` URL.
    public func resolving(_ reference: String) throws(HTTPURLError) -> HTTPURL {
        let trimmed = reference.trimming { " \t\r\n".contains($0) }
        var reference = Substring(Self.percentEncodingUnsafeBytes(String(trimmed)))
        if let hash = reference.firstIndex(of: "#") { reference = reference[..<hash] }
        if Self.hasScheme(reference) { return try HTTPURL(parsing: String(reference)) }
        if reference.hasPrefix("//") { return try HTTPURL(parsing: "\(self.scheme):\(reference)") }

        let (basePath, _) = Self.split(self.target)
        let target: String
        if reference.isEmpty {
            target = self.target
        } else if reference.first == "?" {
            target = String(basePath) + reference
        } else {
            let (path, query) = Self.split(reference)
            let merged: String
            if path.first == "/" {
                merged = String(path)
            } else {
                let directory = basePath[...(basePath.lastIndex(of: "/") ?? basePath.startIndex)]
                merged = (directory.first == "/" ? String(directory) : "/") + path
            }
            target = Self.removingDotSegments(merged) + query
        }
        return try HTTPURL(parsing: "\(self.scheme)://\(self.authority)\(target)")
    }

    /// Whether `other` has the same scheme, host and port: the same origin (RFC 6454).
    public func isSameOrigin(as other: HTTPURL) -> Bool {
        self.scheme == other.scheme && self.host == other.host && self.port == other.port
    }

    // MARK: - Helpers

    /// `text` without tabs and line breaks, with every other byte below 0x21 or above 0x7E percent-encoded.
    static func percentEncodingUnsafeBytes(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 < 0x21 || $0 > 0x7E }) else { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x09, 0x0A, 0x0D:
                continue
            case 0x21...0x7E:
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 3986 §5.2.4 on an absolute path.
    static func removingDotSegments(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var output: [Substring] = []
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/")
    }

    /// Splits a reference into its path and its query (the query keeps its `?`).
    private static func split<S: StringProtocol>(_ text: S) -> (path: S.SubSequence, query: S.SubSequence) {
        guard let question = text.firstIndex(of: "?") else { return (text[...], text[text.endIndex...]) }
        return (text[..<question], text[question...])
    }

    /// Whether `text` starts with `scheme:` (RFC 3986 §3.1).
    private static func hasScheme(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, Self.isLetter(first) else { return false }
        for scalar in text.unicodeScalars.dropFirst() {
            if scalar == ":" { return true }
            guard Self.isLetter(scalar) || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar)
            else { return false }
        }
        return false
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
