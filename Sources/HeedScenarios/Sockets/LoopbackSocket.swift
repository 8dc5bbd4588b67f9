import Glibc

/// A non-blocking TCP socket on 127.0.0.1 that scripted peers and the naive client drive one step at a time.
///
/// Every wait goes through `poll(2)` with a deadline, so no step can block for longer than its scenario allows.
/// The socket is owned by one thread; it is `Sendable` only so that it can be handed to that thread.
struct LoopbackSocket: Sendable {
    /// The file descriptor.
    let fd: Int32

    /// What a read returned.
    enum ReadResult: Equatable {
        case bytes([UInt8])
        case endOfStream
        case failed(Int32)
        case timedOut
        case stopped
    }

    /// What a write of a whole buffer ended with.
    enum WriteResult: Equatable {
        case written
        case failed(Int32, written: Int)
        case timedOut(written: Int)
    }

    // MARK: - Opening

    /// Opens a listening socket on 127.0.0.1 with a kernel-chosen port.
    /// - Parameters:
    ///   - receiveBufferSize: `SO_RCVBUF` for accepted connections (set before `listen`, so it shapes the window).
    ///   - sendBufferSize: `SO_SNDBUF` for accepted connections.
    /// - Returns: The listening socket and its port.
    static func listen(receiveBufferSize: Int?, sendBufferSize: Int?) throws(SocketSetupError) -> (Self, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketSetupError(operation: "socket", errno: errno) }
        let socket = Self(fd: fd)
        socket.setOption(SO_REUSEADDR, 1)
        if let size = receiveBufferSize { socket.setOption(SO_RCVBUF, Int32(size)) }
        if let size = sendBufferSize { socket.setOption(SO_SNDBUF, Int32(size)) }
        var address = Self.loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            socket.close()
            throw SocketSetupError(operation: "bind", errno: code)
        }
        guard Glibc.listen(fd, 16) == 0 else {
            let code = errno
            socket.close()
            throw SocketSetupError(operation: "listen", errno: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            socket.close()
            throw SocketSetupError(operation: "getsockname", errno: code)
        }
        socket.makeNonBlocking()
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Connects to 127.0.0.1 on `port` (a blocking connect; loopback answers at once).
    static func connect(port: Int) throws(SocketSetupError) -> Self {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketSetupError(operation: "socket", errno: errno) }
        var address = Self.loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw SocketSetupError(operation: "connect", errno: code)
        }
        let socket = Self(fd: fd)
        socket.makeNonBlocking()
        return socket
    }

    /// Waits for a connection until `deadline`, or until `stop` becomes readable.
    func accept(deadline: ContinuousClock.Instant, stop: Int32?) -> Self? {
        while true {
            let fd = Glibc.accept(self.fd, nil, nil)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                let socket = Self(fd: fd)
                socket.makeNonBlocking()
                return socket
            }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { return nil }
            guard self.wait(for: Int16(POLLIN), deadline: deadline, stop: stop) == .ready else { return nil }
        }
    }

    // MARK: - Reading and writing

    /// Reads up to `maxBytes`, waiting until `deadline` (or until `stop` becomes readable) for data to arrive.
    func read(maxBytes: Int, deadline: ContinuousClock.Instant, stop: Int32? = nil) -> ReadResult {
        var buffer = [UInt8](repeating: 0, count: max(1, maxBytes))
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return .bytes(Array(buffer[0..<count])) }
            if count == 0 { return .endOfStream }
            let code = errno
            guard code == EAGAIN || code == EWOULDBLOCK || code == EINTR else { return .failed(code) }
            switch self.wait(for: Int16(POLLIN), deadline: deadline, stop: stop) {
            case .ready: continue
            case .timedOut: return .timedOut
            case .stopped: return .stopped
            }
        }
    }

    /// Writes all of `bytes`, waiting for send-buffer space until `deadline`.
    /// - Parameter progress: Called after every successful `send` with the bytes it took, and with how long the
    ///   socket had to wait for space first.
    func write(
        _ bytes: UnsafeRawBufferPointer,
        deadline: ContinuousClock.Instant,
        progress: (_ written: Int, _ waited: Duration) -> Void = { _, _ in }
    ) -> WriteResult {
        guard let base = bytes.baseAddress else { return .written }
        var offset = 0
        var waited = Duration.zero
        while offset < bytes.count {
            let count = send(self.fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if count > 0 {
                offset += count
                progress(count, waited)
                waited = .zero
                continue
            }
            let code = errno
            guard count < 0, code == EAGAIN || code == EWOULDBLOCK || code == EINTR else {
                return .failed(count < 0 ? code : EPIPE, written: offset)
            }
            let before = ContinuousClock.now
            guard self.wait(for: Int16(POLLOUT), deadline: deadline, stop: nil) == .ready else {
                return .timedOut(written: offset)
            }
            waited += ContinuousClock.now - before
        }
        return .written
    }

    /// Returns up to `maxBytes` that sit unread in the receive buffer, without consuming them or waiting.
    func peekUnread(maxBytes: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxBytes)
        let count = buffer.withUnsafeMutableBytes {
            recv(self.fd, $0.baseAddress, $0.count, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        }
        return count > 0 ? Array(buffer[0..<count]) : []
    }

    /// Whether the connection has unread bytes waiting (or a pending end of stream) right now.
    var hasUnreadInput: Bool {
        var entry = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 1
    }

    /// Waits until the descriptor is readable or `deadline` passes; returns whether it became readable.
    func waitUntilReadable(deadline: ContinuousClock.Instant) -> Bool {
        self.wait(for: Int16(POLLIN), deadline: deadline, stop: nil) == .ready
    }

    // MARK: - Closing

    /// Shuts down the write side: the peer reads end of stream (a FIN), and this side can still read.
    func shutdownWrite() {
        _ = shutdown(self.fd, Int32(SHUT_WR))
    }

    /// Closes with `SO_LINGER` 0, so the kernel sends RST and discards anything unsent.
    func reset() {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(self.fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        _ = Glibc.close(self.fd)
    }

    /// Closes the descriptor (a FIN, or an RST if unread bytes remain in the receive buffer).
    func close() {
        _ = Glibc.close(self.fd)
    }

    // MARK: - Helpers

    private enum WaitResult { case ready, timedOut, stopped }

    private func wait(for events: Int16, deadline: ContinuousClock.Instant, stop: Int32?) -> WaitResult {
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return .timedOut }
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + remaining.milliseconds + 1)
            var entries = [pollfd(fd: self.fd, events: events, revents: 0)]
            if let stop { entries.append(pollfd(fd: stop, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&entries, nfds_t(entries.count), milliseconds)
            if ready < 0 && errno != EINTR { return .timedOut }
            if entries.count > 1 && entries[1].revents != 0 { return .stopped }
            if ready > 0 && entries[0].revents != 0 { return .ready }
        }
    }

    private func setOption(_ name: Int32, _ value: Int32) {
        var value = value
        _ = setsockopt(self.fd, SOL_SOCKET, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    private func makeNonBlocking() {
        let flags = fcntl(self.fd, F_GETFL)
        _ = fcntl(self.fd, F_SETFL, flags | O_NONBLOCK)
    }

    private static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

extension Duration {
    fileprivate var milliseconds: Int64 { self.components.attoseconds / 1_000_000_000_000_000 }
}

/// A socket could not be set up (opened, bound, connected).
struct SocketSetupError: Error, CustomStringConvertible {
    var operation: String
    var errno: Int32

    var description: String {
        "\(self.operation)() on 127.0.0.1 failed: \(ErrnoInfo(code: self.errno))."
    }
}
