/// Finds, in raw request bytes, a request line whose target is longer than a limit.
///
/// A request line is `method SP request-target SP HTTP-version` (RFC 9112 §3); a field line starts with a
/// field name and a colon, and a field name cannot contain a space, so the two are told apart by what ends
/// the first token of the line. Used only after the request decoder failed on an oversized head, to tell a
/// 414 from a 431.
enum RequestTargetScanner {
    /// Whether `bytes` hold a request line whose target is longer than `limit` bytes.
    ///
    /// The target may run to the end of `bytes` (the rest of the line has not arrived). Lines are found after
    /// each LF, and at the start of `bytes` only if `startsAtLineStart`.
    /// - Parameters:
    ///   - limit: The longest acceptable target, in bytes.
    ///   - bytes: The bytes, in the order received.
    ///   - startsAtLineStart: Whether the first byte starts a line.
    static func containsTarget(longerThan limit: Int, in bytes: [UInt8], startsAtLineStart: Bool) -> Bool {
        var lineStart: Int? = startsAtLineStart ? 0 : bytes.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }
        while let start = lineStart, start < bytes.count {
            let (targetLength, lineEnd) = Self.targetLength(in: bytes, lineStart: start)
            if targetLength > limit {
                return true
            }
            lineStart = bytes[lineEnd...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }
        }
        return false
    }

    /// The length of the target if the line at `lineStart` is a request line (else 0), and where the scan
    /// stopped, at or before the line's LF.
    private static func targetLength(in bytes: [UInt8], lineStart: Int) -> (length: Int, end: Int) {
        var index = lineStart
        while index < bytes.count && Self.isTokenCharacter(bytes[index]) {
            index += 1
        }
        guard index > lineStart, index < bytes.count, bytes[index] == UInt8(ascii: " ") else {
            return (0, index)
        }
        let targetStart = index + 1
        var end = targetStart
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                break
            }
            end += 1
        }
        return (end - targetStart, end)
    }

    /// `tchar` of RFC 9110 §5.6.2.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
