import HTTPTypes
import HeedCore
import NIOHTTP1

extension ServerRequestHeadInfo {
    /// Reads the framing and expectation of a NIO request head.
    init(_ head: HTTPRequestHead) {
        let contentLength = head.headers.first(name: "content-length").flatMap { Int($0) }
        let isChunked = head.headers["transfer-encoding"].contains { $0.lowercased().contains("chunked") }
        let expectation: Expectation
        if let value = head.headers.first(name: "expect"), head.version != .http1_0 {
            expectation = value.lowercased() == "100-continue" ? .continue100 : .unsupported
        } else {
            expectation = .none
        }
        self.init(
            contentLength: contentLength,
            isChunked: isChunked,
            expectation: expectation,
            keepAlive: head.isKeepAlive
        )
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
