import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking client TCP socket for `heed probe`, where every call is bounded in time and size.
///
/// The probes need control the HTTP client deliberately does not give (keep writing after an answer, wait for a
/// FIN), so they speak HTTP/1.1 by hand over this socket on NIO's blocking thread pool.
final class ProbeSocket {
    /// What a bounded read found.
    enum ReadResult: Equatable {
        case bytes([UInt8])
        case endOfFile
        case reset
        case timedOut
        case failed(Int32)
    }

    private let descriptor: Int32
    /// Bytes read but not yet consumed.
    private var buffered: [UInt8] = []

    /// Connects to `host:port` (a numeric address or a name), within `timeout`.
    /// - Throws: ``ProbeError`` when the name does not resolve or the connection fails.
    convenience init(host: String, port: Int, timeout: Duration) throws {
        self.init(descriptor: try Self.connect(host: host, port: port, timeout: timeout))
        self.setTimeout(timeout)
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// A connected descriptor; on failure the descriptor is closed here, exactly once.
    private static func connect(host: String, port: Int, timeout: Duration) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw ProbeError("Could not resolve '\(host)'.")
        }
        defer { freeaddrinfo(list) }
        let descriptor = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ProbeError("Could not create a socket.") }
        Self.setTimeout(timeout, on: descriptor)
        guard Glibc.connect(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw ProbeError("Could not connect to \(host):\(port): \(reason).")
        }
        return descriptor
    }

    deinit {
        Glibc.close(self.descriptor)
    }

    /// Sets the receive and send timeouts of every following call.
    func setTimeout(_ timeout: Duration) {
        Self.setTimeout(timeout, on: self.descriptor)
    }

    private static func setTimeout(_ timeout: Duration, on descriptor: Int32) {
        let (seconds, attoseconds) = timeout.components
        let microseconds = max(1000, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        var value = timeval(tv_sec: Int(microseconds / 1_000_000), tv_usec: Int(microseconds % 1_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, size)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, size)
    }

    /// Writes all of `bytes`; returns how many were written and the error that stopped it (0 if none).
    @discardableResult
    func write(_ bytes: [UInt8]) -> (written: Int, error: Int32) {
        var offset = 0
        while offset < bytes.count {
            var failure: Int32 = 0
            let result = bytes.withUnsafeBytes { raw in
                let sent = send(
                    self.descriptor,
                    raw.baseAddress.map { $0 + offset },
                    bytes.count - offset,
                    Int32(MSG_NOSIGNAL)
                )
                if sent < 0 { failure = errno }
                return sent
            }
            if result < 0 {
                if failure == EINTR { continue }
                return (offset, failure)
            }
            offset += result
        }
        return (offset, 0)
    }

    /// Writes `text` as UTF-8.
    @discardableResult
    func write(_ text: String) -> (written: Int, error: Int32) { self.write(Array(text.utf8)) }

    /// Whether bytes (or EOF) can be read within `milliseconds`.
    func isReadable(within milliseconds: Int32) -> Bool {
        if !self.buffered.isEmpty { return true }
        var poller = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) > 0
    }

    /// Reads what is there (up to 64 KiB), waiting at most the socket timeout.
    func read() -> ReadResult {
        if !self.buffered.isEmpty {
            defer { self.buffered = [] }
            return .bytes(self.buffered)
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            // errno is read right after the call, before anything else can change it.
            var failure: Int32 = 0
            let count = chunk.withUnsafeMutableBytes { raw in
                let result = recv(self.descriptor, raw.baseAddress, raw.count, 0)
                if result < 0 { failure = errno }
                return result
            }
            if count > 0 { return .bytes(Array(chunk[..<count])) }
            if count == 0 { return .endOfFile }
            switch failure {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .timedOut
            case ECONNRESET: return .reset
            default: return .failed(failure)
            }
        }
    }

    /// The error the kernel holds for the socket (`SO_ERROR`), taken and cleared; 0 if none.
    ///
    /// After a FIN, `recv` returns 0 forever, even once a reset has arrived: this is where that reset shows
    /// (EPIPE, or ECONNRESET).
    func takePendingError() -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(self.descriptor, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else { return errno }
        return value
    }

    /// Whether the socket gets an error (a reset) within `duration`; takes and clears it if so.
    ///
    /// `poll` with no events asked for still reports `POLLERR` and `POLLHUP`, which a reset raises; a FIN alone
    /// raises neither (our side still writes), so this waits for the reset without spinning on the readable EOF.
    func waitForError(within duration: Duration) -> Bool {
        var poller = pollfd(fd: self.descriptor, events: 0, revents: 0)
        let milliseconds = max(
            0,
            Int32(
                clamping: duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
            )
        )
        _ = poll(&poller, 1, milliseconds)
        return self.takePendingError() != 0
    }

    /// Puts bytes back to be read again.
    func unread(_ bytes: [UInt8]) {
        self.buffered = bytes + self.buffered
    }

    /// Closes so the kernel sends RST if unread bytes remain; used to stop without lingering.
    func shutdownWrite() {
        shutdown(self.descriptor, Int32(SHUT_WR))
    }
}

/// Why a probe could not run.
struct ProbeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
