import HeedCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A raw client that pipelines many requests without reading any response until it can send no more (its
/// send has not completed for `stallMilliseconds`), then reads every response while it sends the rest.
///
/// It measures back-pressure: a server that keeps reading and answering into memory lets the client send
/// everything without a stall. It runs blocking on the calling thread with `poll(2)`; every loop is bounded
/// by `timeoutMilliseconds` and by the request count.
public struct ServerPipeliningClient: Sendable {
    /// What the client saw.
    public struct Outcome: Sendable, Hashable {
        /// How many requests had been written whole when the client first could send no more, or nil if every
        /// request went out while it read nothing.
        public var requestsSentBeforeStall: Int?
        /// What `probeAtStall` returned at the stall, if it stalled.
        public var probedAtStall: Int?
        /// The status code of each response, in order.
        public var statusCodes: [Int]
        /// The first line of each response's body (up to 64 bytes), in order.
        public var bodyFirstLines: [String]
        /// How many requests were written in all.
        public var requestsSent: Int
    }

    /// The server's port on 127.0.0.1.
    public var port: Int
    /// The requests to send, each a whole request.
    public var requests: [String]
    /// How long the send must make no progress to count as a stall.
    public var stallMilliseconds: Int
    /// The longest the whole exchange may take.
    public var timeoutMilliseconds: Int
    /// The client socket's `SO_RCVBUF` and `SO_SNDBUF`: small buffers make a stall come sooner.
    public var socketBufferSize: Int
    /// Called on the client's thread at the stall; its result is ``Outcome/probedAtStall``.
    public var probeAtStall: @Sendable () -> Int

    /// Creates a client.
    public init(
        port: Int,
        requests: [String],
        stallMilliseconds: Int = 1_000,
        timeoutMilliseconds: Int = 30_000,
        socketBufferSize: Int = 32 * 1024,
        probeAtStall: @escaping @Sendable () -> Int = { 0 }
    ) {
        self.port = port
        self.requests = requests
        self.stallMilliseconds = stallMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.socketBufferSize = socketBufferSize
        self.probeAtStall = probeAtStall
    }

    /// Runs the exchange on the calling thread; nil if the connect failed.
    public func run() -> Outcome? {
        let size = self.socketBufferSize
        guard let fd = LoopbackSocket.connect(port: self.port, receiveBufferSize: size, sendBufferSize: size) else {
            return nil
        }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        var requestEnds: [Int] = []
        for request in self.requests {
            bytes.append(contentsOf: request.utf8)
            requestEnds.append(bytes.count)
        }
        var outcome = Outcome(statusCodes: [], bodyFirstLines: [], requestsSent: 0)
        var sent = 0
        let deadline = LoopbackSocket.milliseconds() + self.timeoutMilliseconds
        // Phase 1: send without reading until everything is out or the send stalls.
        while sent < bytes.count {
            let wait = min(self.stallMilliseconds, deadline - LoopbackSocket.milliseconds())
            guard wait > 0 else { return outcome }
            var pollFD = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&pollFD, 1, Int32(wait))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 {
                outcome.requestsSentBeforeStall = requestEnds.prefix { $0 <= sent }.count
                outcome.probedAtStall = self.probeAtStall()
                break
            }
            guard ready > 0, let count = Self.send(fd, bytes, from: sent) else { return outcome }
            sent += count
        }
        // Phase 2: read every response while sending the rest.
        var reader = ResponseReader()
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while reader.statusCodes.count < self.requests.count {
            let wait = deadline - LoopbackSocket.milliseconds()
            guard wait > 0 else { break }
            let events = sent < bytes.count ? Int16(POLLIN | POLLOUT) : Int16(POLLIN)
            var pollFD = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&pollFD, 1, Int32(wait))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { break }
            if sent < bytes.count && pollFD.revents & Int16(POLLOUT) != 0 {
                guard let count = Self.send(fd, bytes, from: sent) else { break }
                sent += count
            }
            if pollFD.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count == 0 { break }
                if count < 0 {
                    if errno == EAGAIN || errno == EINTR { continue }
                    break
                }
                reader.append(buffer[0..<count])
            }
        }
        outcome.requestsSent = requestEnds.prefix { $0 <= sent }.count
        outcome.statusCodes = reader.statusCodes
        outcome.bodyFirstLines = reader.bodyFirstLines
        return outcome
    }

    /// Sends what the socket takes of `bytes[from...]`: the count (0 if it would block), or nil on an error.
    private static func send(_ fd: CInt, _ bytes: [UInt8], from start: Int) -> Int? {
        let count = bytes[start...].withUnsafeBytes { LoopbackSocket.send(fd, $0.baseAddress, $0.count) }
        if count >= 0 { return count }
        return errno == EAGAIN || errno == EINTR ? 0 : nil
    }
}

/// Parses responses framed by `Content-Length` as their bytes arrive, keeping only each status code and the
/// first line of each body.
private struct ResponseReader {
    var statusCodes: [Int] = []
    var bodyFirstLines: [String] = []
    private var pending: [UInt8] = []
    private var position = 0

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        self.pending.append(contentsOf: bytes)
        while let headEnd = HTTPHeadTerminator.index(in: self.pending[self.position...]) {
            let head = String(decoding: self.pending[self.position..<headEnd], as: UTF8.self)
            let lines = head.split(separator: "\r\n")
            let statusParts = lines.first?.split(separator: " ") ?? []
            guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return }
            let length =
                lines.dropFirst().lazy.compactMap { line -> Int? in
                    guard line.lowercased().hasPrefix("content-length:") else { return nil }
                    return Int(line.dropFirst("content-length:".count).trimmingOptionalWhitespace)
                }.first ?? 0
            let bodyStart = headEnd + 4
            guard bodyStart + length <= self.pending.count else { return }
            let body = self.pending[bodyStart..<bodyStart + length].prefix(64)
            let firstLine = body.prefix { $0 != UInt8(ascii: "\n") }
            self.statusCodes.append(status)
            self.bodyFirstLines.append(String(decoding: firstLine, as: UTF8.self))
            self.position = bodyStart + length
        }
        if self.position > 1 << 20 {
            self.pending.removeFirst(self.position)
            self.position = 0
        }
    }
}
