import HeedCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A raw client that sends its whole request bytes (in one `send` when the socket takes them all), shuts down
/// its write side (`shutdown(SHUT_WR)`) unless told not to, and reads everything the server sends until the
/// server's FIN, a reset or the timeout.
public struct ServerHalfCloseClient: Sendable {
    /// What the client saw.
    public struct Outcome: Sendable, Hashable {
        /// Every byte received, in order.
        public var received: [UInt8]
        /// Whether the server's FIN arrived (rather than a reset or the timeout).
        public var sawFIN: Bool
    }

    /// One response parsed from the received bytes.
    public struct Response: Sendable, Hashable {
        /// The status code.
        public var statusCode: Int
        /// The header fields, names lowercased.
        public var fields: [String: String]
        /// The body, framed by `Content-Length` (empty without one).
        public var body: [UInt8]
    }

    /// The server's port on 127.0.0.1.
    public var port: Int
    /// The bytes sent before the half-close (one or more requests).
    public var request: String
    /// How long the whole exchange may take.
    public var timeoutMilliseconds: Int
    /// Whether the client shuts down its write side after sending.
    public var shutsDownWriteSide: Bool

    /// Creates a client.
    public init(port: Int, request: String, timeoutMilliseconds: Int = 10_000, shutsDownWriteSide: Bool = true) {
        self.port = port
        self.request = request
        self.timeoutMilliseconds = timeoutMilliseconds
        self.shutsDownWriteSide = shutsDownWriteSide
    }

    /// ``run()`` on a thread of its own (it blocks in `poll`), from async code.
    /// - Throws: ``RawClientCouldNotConnect`` when it could not connect.
    public func runOnItsOwnThread() async throws -> Outcome {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        defer { pool.shutdownGracefully { _ in } }
        guard let outcome = try await pool.runIfActive({ self.run() }) else { throw RawClientCouldNotConnect() }
        return outcome
    }

    /// Runs the exchange on the calling thread (it blocks in `poll`); nil if the connect or the send failed.
    public func run() -> Outcome? {
        guard let fd = LoopbackSocket.connect(port: self.port) else { return nil }
        defer { close(fd) }
        let bytes = Array(self.request.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { LoopbackSocket.send(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            sent += count
        }
        if self.shutsDownWriteSide {
            shutdown(fd, Int32(SHUT_WR))
        }
        var outcome = Outcome(received: [], sawFIN: false)
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        let start = LoopbackSocket.milliseconds()
        while true {
            let remaining = self.timeoutMilliseconds - (LoopbackSocket.milliseconds() - start)
            guard remaining > 0 else { break }
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollFD, 1, Int32(remaining))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { break }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 {
                outcome.sawFIN = true
                break
            }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                break
            }
            outcome.received.append(contentsOf: buffer[0..<count])
        }
        return outcome
    }

    /// Splits `bytes` into responses framed by `Content-Length`; stops at the first incomplete or malformed one.
    public static func parseResponses(_ bytes: [UInt8]) -> [Response] {
        var responses: [Response] = []
        var index = 0
        while index < bytes.count {
            guard let headEnd = HTTPHeadTerminator.index(in: bytes[index...]) else { break }
            let head = String(decoding: bytes[index..<headEnd], as: UTF8.self)
            var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).makeIterator()
            guard let statusLine = lines.next() else { break }
            let statusParts = statusLine.split(separator: " ")
            guard statusParts.count >= 2, let code = Int(statusParts[1]) else { break }
            var fields: [String: String] = [:]
            while let line = lines.next() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                fields[name] = String(line[line.index(after: colon)...].trimmingOptionalWhitespace)
            }
            let bodyStart = headEnd + 4
            let length = fields["content-length"].flatMap { Int($0) } ?? 0
            guard bodyStart + length <= bytes.count else { break }
            responses.append(
                Response(statusCode: code, fields: fields, body: Array(bytes[bodyStart..<bodyStart + length]))
            )
            index = bodyStart + length
        }
        return responses
    }
}
