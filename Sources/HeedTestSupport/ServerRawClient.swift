#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scripted raw-socket HTTP/1.1 client for server tests: it sends a request head, then keeps writing the
/// body whatever the server answers (even after the server's FIN), while it reads the response, and
/// reports how the connection ended. It stops when it has read the server's EOF and written its whole
/// body, when a read fails, or at the deadline.
///
/// It runs blocking on the calling thread with `poll(2)`; every loop is bounded by a deadline.
public struct ServerRawClient: Sendable {
    /// How the server's side of the connection ended, as the client saw it.
    public enum Ending: Sendable, Hashable {
        /// A clean FIN: `read` returned 0.
        case fin
        /// A reset: `read` or `write` failed with ECONNRESET (or EPIPE) before any FIN.
        case reset
        /// The deadline passed first.
        case timedOut
    }

    /// What the client observed.
    public struct Outcome: Sendable, Hashable {
        /// The final status code, or nil if no complete final status line arrived.
        public var statusCode: Int?
        /// Whether a `100 Continue` interim response arrived first.
        public var sawContinue: Bool
        /// The `Content-Length` of the final response, if its head arrived.
        public var contentLength: Int?
        /// The final response's body bytes that arrived.
        public var bodyBytesReceived: Int
        /// The request body bytes the client managed to write.
        public var bytesSent: Int
        /// Whether a write failed (EPIPE or ECONNRESET) before the whole body was written.
        public var writeFailed: Bool
        /// Whether the response carried `Connection: close`.
        public var closeRequested: Bool
        /// How the connection ended.
        public var ending: Ending

        /// Whether the whole final response arrived.
        public var receivedWholeResponse: Bool {
            guard let length = self.contentLength else { return false }
            return self.bodyBytesReceived >= length
        }
    }

    /// The server's port on 127.0.0.1.
    public var port: Int
    /// The request head, ending with an empty line.
    public var head: String
    /// How many body bytes to write after the head (regardless of the response).
    public var bodyBytes: Int
    /// The longest the whole exchange may take.
    public var timeoutMilliseconds: Int32
    /// If set, the body is written in 64 KiB chunks at most this often (a client that keeps sending for a while).
    public var chunkIntervalMilliseconds: Int?

    /// Creates a client.
    /// - Parameters:
    ///   - port: The server's port on 127.0.0.1.
    ///   - head: The request head including the final CRLF CRLF.
    ///   - bodyBytes: The body bytes to write.
    ///   - timeoutMilliseconds: The deadline of the whole exchange.
    public init(port: Int, head: String, bodyBytes: Int, timeoutMilliseconds: Int32 = 10_000) {
        self.port = port
        self.head = head
        self.bodyBytes = bodyBytes
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// Runs the exchange on the calling thread.
    /// - Returns: What the client observed, or nil if it could not connect.
    public func run() -> Outcome? {
        guard let fd = LoopbackSocket.connect(port: self.port) else { return nil }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var exchange = ServerRawExchange(
            head: Array(self.head.utf8),
            bodyBytes: self.bodyBytes,
            chunkIntervalMilliseconds: self.chunkIntervalMilliseconds
        )
        return exchange.run(fd: fd, timeoutMilliseconds: self.timeoutMilliseconds)
    }
}
