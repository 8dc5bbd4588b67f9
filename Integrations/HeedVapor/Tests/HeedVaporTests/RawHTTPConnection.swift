import HeedCore
import HeedTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking HTTP/1.1 connection to 127.0.0.1 for keep-alive tests: it writes whole requests and reads
/// one `Content-Length`-framed response at a time. Every wait is bounded by a deadline.
final class RawHTTPConnection {
    /// One response as read from the socket.
    struct Response: Sendable, Hashable {
        var statusCode: Int
        var headers: [String: String]
        var body: [UInt8]
    }

    /// What went wrong on the connection.
    enum Failure: Error, Hashable {
        case connectFailed
        case writeFailed
        case closedByServer
        case readFailed
        case timedOut
        case malformedResponse
    }

    private let fd: CInt
    private var pending: [UInt8] = []

    /// Connects to `127.0.0.1:port`.
    init(port: Int) throws {
        guard let fd = LoopbackSocket.connect(port: port) else { throw Failure.connectFailed }
        self.fd = fd
    }

    deinit {
        close(self.fd)
    }

    /// Writes the bytes of a request.
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { LoopbackSocket.send(self.fd, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure.writeFailed }
            sent += count
        }
    }

    /// Reads one response framed by `Content-Length`.
    func readResponse(timeoutMilliseconds: Int32 = 5_000) throws -> Response {
        let start = LoopbackSocket.milliseconds()
        while true {
            if let response = try self.parse() {
                return response
            }
            let remaining = timeoutMilliseconds - Int32(LoopbackSocket.milliseconds() - start)
            guard remaining > 0 else { throw Failure.timedOut }
            try self.readSome(timeoutMilliseconds: remaining)
        }
    }

    /// Waits for the server's EOF; returns false if the deadline passes first.
    func readEOF(timeoutMilliseconds: Int32) throws -> Bool {
        do {
            try self.readSome(timeoutMilliseconds: timeoutMilliseconds)
            throw Failure.malformedResponse
        } catch Failure.closedByServer {
            return true
        } catch Failure.timedOut {
            return false
        }
    }

    // MARK: - Helpers

    private func readSome(timeoutMilliseconds: Int32) throws {
        var pollFD = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pollFD, 1, timeoutMilliseconds)
        guard ready > 0 else { throw Failure.timedOut }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { read(self.fd, $0.baseAddress, $0.count) }
        if count == 0 { throw Failure.closedByServer }
        guard count > 0 else { throw Failure.readFailed }
        self.pending.append(contentsOf: buffer[0..<count])
    }

    private func parse() throws -> Response? {
        guard let end = HTTPHeadTerminator.index(in: self.pending) else { return nil }
        let lines = String(decoding: self.pending[0..<end], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first,
            let statusCode = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { throw Failure.malformedResponse }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { throw Failure.malformedResponse }
            headers[parts[0].lowercased()] = String(parts[1].drop(while: { $0 == " " }))
        }
        guard let length = headers["content-length"].flatMap({ Int($0) }) else { throw Failure.malformedResponse }
        let bodyStart = end + 4
        guard self.pending.count >= bodyStart + length else { return nil }
        let body = Array(self.pending[bodyStart..<(bodyStart + length)])
        self.pending.removeFirst(bodyStart + length)
        return Response(statusCode: statusCode, headers: headers, body: body)
    }
}
