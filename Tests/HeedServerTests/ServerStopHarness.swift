import HeedServer
import HeedTestSupport
import NIOCore
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A ``HeedServer`` on 127.0.0.1 (port 0) whose stop the test starts and times.
struct StoppableServer {
    let port: Int
    private let running: Task<Void, any Error>

    /// Starts `server` (its configuration's port must be 0) and waits until it listens.
    static func start(_ server: HeedServer) async throws -> StoppableServer {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let running = Task {
            try await server.run { address in
                portSink.yield(address.port ?? 0)
                portSink.finish()
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            running.cancel()
            throw ServerTestFailure.serverDidNotStart
        }
        return StoppableServer(port: port, running: running)
    }

    /// Begins the stop (cancels `run`'s task) without waiting for it.
    func beginStop() {
        self.running.cancel()
    }

    /// Stops the server (if not begun yet) and returns how long `run` took to return from this call.
    func stop() async throws -> Duration {
        let start = ContinuousClock.now
        self.running.cancel()
        try await self.running.value
        return ContinuousClock.now - start
    }
}

/// One response read from a raw socket.
struct RawResponse {
    var status: Int
    /// The header fields, names lowercased, values without surrounding spaces.
    var fields: [String: String]
    var body: String

    /// Reads one response framed by `Content-Length` (interim 1xx responses skipped); nil if the connection ends first.
    static func read(from socket: ScriptedSocket) -> RawResponse? {
        while let head = socket.readHead() {
            var lines = head.split(separator: "\r\n").makeIterator()
            guard let statusLine = lines.next() else { return nil }
            let parts = statusLine.split(separator: " ")
            guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
            if status < 200 { continue }
            var fields: [String: String] = [:]
            while let line = lines.next() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let value = line[line.index(after: colon)...].drop { $0 == " " }
                fields[line[..<colon].lowercased()] = String(value)
            }
            let length = fields["content-length"].flatMap { Int($0) } ?? 0
            let body = socket.read(length)
            guard body.count == length else { return nil }
            return RawResponse(status: status, fields: fields, body: String(decoding: body, as: UTF8.self))
        }
        return nil
    }
}

/// Blocking socket work for the stop tests, on threads of their own rather than the cooperative pool.
enum BlockingWork {
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// Runs `work` on a pool thread.
    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await Self.pool.runIfActive(work)
    }

    /// Reads and discards until the peer's FIN: the bytes that came before it, or nil on a reset or if no FIN
    /// arrives within `milliseconds`.
    static func bytesUntilEOF(_ socket: ScriptedSocket, withinMilliseconds milliseconds: Int) -> Int? {
        let deadline = LoopbackSocket.milliseconds() + milliseconds
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        while true {
            let remaining = deadline - LoopbackSocket.milliseconds()
            guard remaining > 0 else { return nil }
            var pollFD = pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollFD, 1, Int32(remaining))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return nil }
            let count = buffer.withUnsafeMutableBytes { recv(socket.descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return total }
            if count > 0 {
                total += count
            } else if errno != EINTR && errno != EAGAIN {
                return nil
            }
        }
    }
}
