// A copy of HeedTestSupport's raw client (that target is not a product of the root package).
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
struct ServerRawClient: Sendable {
    /// How the server's side of the connection ended, as the client saw it.
    enum Ending: Sendable, Hashable {
        /// A clean FIN: `read` returned 0.
        case fin
        /// A reset: `read` or `write` failed with ECONNRESET (or EPIPE) before any FIN.
        case reset
        /// The deadline passed first.
        case timedOut
    }

    /// What the client observed.
    struct Outcome: Sendable, Hashable {
        /// The final status code, or nil if no complete final status line arrived.
        var statusCode: Int?
        /// Whether a `100 Continue` interim response arrived first.
        var sawContinue: Bool
        /// The `Content-Length` of the final response, if its head arrived.
        var contentLength: Int?
        /// The final response's body bytes that arrived.
        var bodyBytesReceived: Int
        /// The request body bytes the client managed to write.
        var bytesSent: Int
        /// Whether a write failed (EPIPE or ECONNRESET) before the whole body was written.
        var writeFailed: Bool
        /// Whether the response carried `Connection: close`.
        var closeRequested: Bool
        /// How the connection ended.
        var ending: Ending

        /// Whether the whole final response arrived.
        var receivedWholeResponse: Bool {
            guard let length = self.contentLength else { return false }
            return self.bodyBytesReceived >= length
        }
    }

    /// The server's port on 127.0.0.1.
    var port: Int
    /// The request head, ending with an empty line.
    var head: String
    /// How many body bytes to write after the head (regardless of the response).
    var bodyBytes: Int
    /// The longest the whole exchange may take.
    var timeoutMilliseconds: Int32
    /// If set, the body is written in 64 KiB chunks at most this often (a client that keeps sending for a while).
    var chunkIntervalMilliseconds: Int?

    /// Creates a client.
    /// - Parameters:
    ///   - port: The server's port on 127.0.0.1.
    ///   - head: The request head including the final CRLF CRLF.
    ///   - bodyBytes: The body bytes to write.
    ///   - timeoutMilliseconds: The deadline of the whole exchange.
    init(port: Int, head: String, bodyBytes: Int, timeoutMilliseconds: Int32 = 10_000) {
        self.port = port
        self.head = head
        self.bodyBytes = bodyBytes
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// Runs the exchange on the calling thread.
    /// - Returns: What the client observed, or nil if it could not connect.
    func run() -> Outcome? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(self.port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var exchange = ServerRawExchange(
            head: Array(self.head.utf8),
            bodyBytes: self.bodyBytes,
            chunkIntervalMilliseconds: self.chunkIntervalMilliseconds
        )
        return exchange.run(fd: fd, timeoutMilliseconds: self.timeoutMilliseconds)
    }
}
