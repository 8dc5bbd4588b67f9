public import HTTPTypes
public import NIOCore

/// Encodes an HTTP/1.1 response head straight into a byte buffer, with the framing fields the server owns.
public enum ServerResponseHeadEncoder {
    /// The `Connection` field the server adds.
    public enum ConnectionField: Sendable, Hashable {
        /// No field: HTTP/1.1's default, keep-alive.
        case none
        /// `Connection: keep-alive`, for HTTP/1.0 clients that asked for it.
        case keepAlive
        /// `Connection: close`: the server closes the connection after this response.
        case close
    }

    /// The bytes of `HTTP/1.1 100 Continue`.
    public static let continueHead: StaticString = "HTTP/1.1 100 Continue\r\n\r\n"

    /// Whether a response with `status` may carry a body: 1xx, 204 and 304 never do (RFC 9112 §6.3).
    /// - Parameter status: The response status.
    public static func allowsBody(_ status: HTTPResponse.Status) -> Bool {
        status.kind != .informational && status.code != 204 && status.code != 304
    }

    /// Writes a response head.
    ///
    /// The response's own `Content-Length`, `Transfer-Encoding` and `Connection` fields are dropped and
    /// replaced by `contentLength` and `connection`. A status without a body (``allowsBody(_:)``) gets no
    /// `Content-Length` (RFC 9110 §8.6: none on 1xx and 204; on 304 it is optional and left out).
    /// - Parameters:
    ///   - response: The status and header fields.
    ///   - contentLength: The length of the body that follows.
    ///   - connection: The `Connection` field to add.
    ///   - buffer: The buffer to write into.
    public static func write(
        _ response: HTTPResponse,
        contentLength: Int,
        connection: ConnectionField,
        into buffer: inout ByteBuffer
    ) {
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(response.status.code))
        buffer.writeStaticString(" ")
        buffer.writeString(Self.reasonPhrase(response.status))
        buffer.writeStaticString("\r\n")
        for field in response.headerFields {
            switch field.name {
            case .contentLength, .transferEncoding, .connection:
                continue
            default:
                buffer.writeString(field.name.rawName)
                buffer.writeStaticString(": ")
                buffer.writeString(field.value)
                buffer.writeStaticString("\r\n")
            }
        }
        if Self.allowsBody(response.status) {
            buffer.writeStaticString("content-length: ")
            buffer.writeString(String(contentLength))
            buffer.writeStaticString("\r\n")
        }
        switch connection {
        case .none: break
        case .keepAlive: buffer.writeStaticString("connection: keep-alive\r\n")
        case .close: buffer.writeStaticString("connection: close\r\n")
        }
        buffer.writeStaticString("\r\n")
    }

    private static func reasonPhrase(_ status: HTTPResponse.Status) -> String {
        // A reason phrase must not contain CR or LF; fall back to none if it does.
        let phrase = status.reasonPhrase
        if phrase.utf8.contains(where: { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) {
            return ""
        }
        return phrase
    }
}
