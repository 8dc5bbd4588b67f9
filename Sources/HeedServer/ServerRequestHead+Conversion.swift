import HTTPTypes
import HeedCore
import NIOHTTP1

extension ServerRequestHeadInfo {
    /// Reads the framing, expectation and validity of a NIO request head.
    ///
    /// Field values are read without their optional surrounding whitespace (RFC 9110 §5.5), as the parser
    /// keeps trailing spaces. A `Content-Length` too large for `Int` becomes `Int.max`, over any body limit.
    /// An HTTP/1.1 request without exactly one `Host` is invalid (RFC 9112 §3.2); so is any request with
    /// more than one. An HTTP/1.0 request with `Transfer-Encoding` (RFC 9112 §6.1) and an upgrade request,
    /// whose following bytes the parser no longer reads, are not kept alive.
    init(_ head: HTTPRequestHead) {
        let contentLength = head.headers.first(name: "content-length").flatMap {
            Self.contentLength($0.trimmingOptionalWhitespace)
        }
        let hasTransferEncoding = head.headers.contains(name: "transfer-encoding")
        let isChunked = head.headers["transfer-encoding"].contains { $0.lowercased().contains("chunked") }
        let expectation = head.version == .http1_0 ? .none : Self.expectation(head.headers["expect"])
        let hostCount = head.headers[canonicalForm: "host"].count
        let requiresHost = head.version.major > 1 || (head.version.major == 1 && head.version.minor >= 1)
        let isUpgrade =
            head.method == .CONNECT
            || (head.headers.contains(name: "upgrade")
                && head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" })
        let keepAlive = head.isKeepAlive && !isUpgrade && !(head.version == .http1_0 && hasTransferEncoding)
        self.init(
            contentLength: contentLength,
            isChunked: isChunked,
            expectation: expectation,
            keepAlive: keepAlive,
            isInvalid: hostCount > 1 || (requiresHost && hostCount == 0),
            isUnsupportedMethod: head.method == .CONNECT
        )
    }

    /// The expectation of all `Expect` field lines together: a list (RFC 9110 §5.6.1, §10.1.1) whose elements,
    /// in any line, are each `100-continue` (case-insensitive) or an expectation the server does not support.
    /// Empty elements are ignored. An element with a quoted string is unsupported, so splitting at every comma
    /// never turns a 417 into a 100 Continue.
    private static func expectation(_ values: [String]) -> Expectation {
        var expectation = Expectation.none
        for value in values {
            for element in value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                let trimmed = Substring(element).trimmingOptionalWhitespace
                if trimmed.isEmpty {
                    continue
                }
                guard trimmed.lowercased() == "100-continue" else {
                    return .unsupported
                }
                expectation = .continue100
            }
        }
        return expectation
    }

    /// A `Content-Length` value as a length: nil if it is not all digits, `Int.max` if it is too large for `Int`.
    private static func contentLength(_ value: Substring) -> Int? {
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(value) ?? Int.max
    }
}

extension HTTPRequest {
    /// Converts a NIO request head, or returns nil if the method or a field name is not valid.
    init?(serverHead head: HTTPRequestHead) {
        guard let method = HTTPRequest.Method(head.method.rawValue) else { return nil }
        var fields = HTTPFields()
        fields.reserveCapacity(head.headers.count)
        var authority: String?
        for (name, value) in head.headers {
            if authority == nil && name.utf8.count == 4 && name.lowercased() == "host" {
                authority = value
                continue
            }
            guard let fieldName = HTTPField.Name(name) else { return nil }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        self.init(method: method, scheme: "http", authority: authority, path: head.uri, headerFields: fields)
    }
}
