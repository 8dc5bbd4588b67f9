#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP socket for scripted test peers: every call is bounded by a receive/send timeout.
public final class ScriptedSocket: @unchecked Sendable {
    // @unchecked: used by exactly one thread, the script's.
    public let descriptor: Int32
    private var buffered: [UInt8] = []
    public private(set) var bytesRead = 0

    /// A blocking client socket connected to 127.0.0.1:`port`, or nil if the connect failed: for tests that
    /// talk to a server byte by byte.
    public static func connect(port: Int, timeoutSeconds: Int = 10) -> ScriptedSocket? {
        LoopbackSocket.connect(port: port).map { ScriptedSocket(descriptor: $0, timeoutSeconds: timeoutSeconds) }
    }

    init(descriptor: Int32, timeoutSeconds: Int = 10) {
        self.descriptor = descriptor
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads until the end of the request head (CRLF CRLF) and returns the head's text.
    /// Bytes after the head stay buffered as body bytes.
    public func readHead() -> String? {
        while true {
            if let end = Self.find([13, 10, 13, 10], in: self.buffered) {
                let head = String(decoding: self.buffered[..<end], as: UTF8.self)
                self.buffered.removeFirst(end + 4)
                return head
            }
            guard self.buffered.count < 1 << 20, self.fill() > 0 else { return nil }
        }
    }

    /// Reads one line ending in CRLF and returns it without the CRLF; `nil` if the peer closes first.
    public func readLine() -> String? {
        while true {
            if let end = Self.find([13, 10], in: self.buffered) {
                let line = String(decoding: self.buffered[..<end], as: UTF8.self)
                self.buffered.removeFirst(end + 2)
                return line
            }
            guard self.buffered.count < 64 * 1024, self.fill() > 0 else { return nil }
        }
    }

    /// Reads exactly `count` bytes and returns them; fewer if the peer closes first.
    public func read(_ count: Int) -> [UInt8] {
        while self.buffered.count < count {
            guard self.fill() > 0 else { break }
        }
        let bytes = Array(self.buffered.prefix(count))
        self.buffered.removeFirst(bytes.count)
        return bytes
    }

    /// Reads and discards `count` body bytes (fewer if the peer closes). Returns how many were read.
    @discardableResult
    public func discard(_ count: Int) -> Int {
        var remaining = count
        let fromBuffer = min(remaining, self.buffered.count)
        self.buffered.removeFirst(fromBuffer)
        remaining -= fromBuffer
        while remaining > 0 {
            let got = self.fill()
            guard got > 0 else { break }
            let used = min(remaining, self.buffered.count)
            self.buffered.removeFirst(used)
            remaining -= used
        }
        return count - remaining
    }

    /// Reads and discards until the peer's EOF, an error or the timeout. Returns the bytes read.
    @discardableResult
    public func drainToEOF() -> Int {
        var total = self.buffered.count
        self.buffered.removeAll()
        while true {
            let got = self.fill()
            guard got > 0 else { return total }
            total += got
            self.buffered.removeAll(keepingCapacity: true)
        }
    }

    /// Writes all of `bytes`. Returns false if the peer went away.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { pointer in
                send(self.descriptor, pointer.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Writes `text` as UTF-8.
    @discardableResult
    public func write(_ text: String) -> Bool { self.write(Array(text.utf8)) }

    /// Shuts down the write side (sends FIN) and keeps the read side open.
    public func shutdownWrite() { shutdown(self.descriptor, Int32(SHUT_WR)) }

    /// Closes so that the kernel sends RST (SO_LINGER with a zero timeout).
    public func closeWithReset() {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(self.descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        _ = Glibc.close(self.descriptor)
    }

    /// Closes normally (Linux still sends RST if unread bytes remain).
    public func close() { _ = Glibc.close(self.descriptor) }

    /// Waits (bounded: 10 s) until the kernel has sent everything written and the peer acknowledged it,
    /// so that a following reset cannot destroy data still queued.
    public func waitUntilSent() {
        for _ in 0..<10_000 {
            var queued: Int32 = 0
            guard ioctl(self.descriptor, UInt(TIOCOUTQ), &queued) == 0, queued > 0 else { return }
            usleep(1000)
        }
    }

    /// Shrinks the receive buffer, so a client that writes without reading blocks early.
    public func setReceiveBuffer(_ bytes: Int32) {
        var value = bytes
        setsockopt(self.descriptor, SOL_SOCKET, SO_RCVBUF, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    private func fill() -> Int {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let got = chunk.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
        guard got > 0 else { return 0 }
        self.bytesRead += got
        self.buffered.append(contentsOf: chunk[..<got])
        return got
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }
}

/// A one-connection-at-a-time TCP server on 127.0.0.1 (port 0) that runs a script per connection
/// on its own thread. For tests: the script decides exactly what the peer reads, writes and how it closes.
public final class ScriptedPeer: @unchecked Sendable {
    // @unchecked: `listener` is immutable after init; the thread only reads it.
    public let port: Int
    private let listener: Int32

    /// Starts listening and serves up to `connections` connections with `script`.
    /// - Parameter receiveBuffer: if set, the listening socket's SO_RCVBUF (inherited by accepted sockets).
    public init(
        connections: Int = 1,
        receiveBuffer: Int32? = nil,
        script: @escaping @Sendable (ScriptedSocket, Int) -> Void
    ) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ScriptedPeerError.socketFailed }
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        if var size = receiveBuffer {
            setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            Glibc.close(listener)
            throw ScriptedPeerError.socketFailed
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        let box = Unmanaged.passRetained(ThreadContext(listener: listener, connections: connections, script: script))
        var thread = pthread_t()
        pthread_create(
            &thread,
            nil,
            { raw in
                let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                context.run()
                return nil
            },
            box.toOpaque()
        )
        pthread_detach(thread)
    }

    /// Stops accepting connections without blocking: a script still running ends by itself, bounded
    /// by its socket timeouts.
    public func finish() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        Glibc.close(self.listener)
    }

    /// `http://127.0.0.1:PORT/path`.
    public func url(_ path: String = "/upload") -> String { "http://127.0.0.1:\(self.port)\(path)" }
}

public enum ScriptedPeerError: Error { case socketFailed }

private final class ThreadContext {
    let listener: Int32
    let connections: Int
    let script: @Sendable (ScriptedSocket, Int) -> Void

    init(listener: Int32, connections: Int, script: @escaping @Sendable (ScriptedSocket, Int) -> Void) {
        self.listener = listener
        self.connections = connections
        self.script = script
    }

    func run() {
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(self.listener, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        for index in 0..<self.connections {
            let client = accept(self.listener, nil, nil)
            guard client >= 0 else { return }
            self.script(ScriptedSocket(descriptor: client), index)
        }
    }
}

/// A loopback port that nothing listens on: bound, then closed.
public struct ClosedPort: Sendable {
    public let port: Int

    public init() throws {
        let peer = try ScriptedPeer(connections: 0) { _, _ in }
        self.port = peer.port
        peer.finish()
    }
}
