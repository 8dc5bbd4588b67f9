#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A slow-loris client for server tests: it sends a request head one byte at a time, never finishing it,
/// and reports when the server cut it off.
public struct ServerSlowClient: Sendable {
    /// The server's port on 127.0.0.1.
    public var port: Int
    /// The milliseconds between two bytes.
    public var intervalMilliseconds: Int32
    /// The longest the client keeps trying.
    public var maxDurationMilliseconds: Int

    /// Creates a client.
    /// - Parameters:
    ///   - port: The server's port on 127.0.0.1.
    ///   - intervalMilliseconds: The pause between two bytes.
    ///   - maxDurationMilliseconds: The longest the client keeps trying.
    public init(port: Int, intervalMilliseconds: Int32, maxDurationMilliseconds: Int) {
        self.port = port
        self.intervalMilliseconds = intervalMilliseconds
        self.maxDurationMilliseconds = maxDurationMilliseconds
    }

    /// Trickles an endless head on the calling thread.
    /// - Returns: The milliseconds until the server closed the connection, or nil if it never did
    ///   (or the client could not connect).
    public func run() -> Int? {
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
        let start = Self.milliseconds()
        let prefix = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8)
        var sentPrefix = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Self.milliseconds() - start < self.maxDurationMilliseconds {
            let byte: [UInt8] = sentPrefix ? [UInt8(ascii: "a")] : prefix
            sentPrefix = true
            let written = byte.withUnsafeBytes { Self.send(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                return Self.milliseconds() - start
            }
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pollFD, 1, self.intervalMilliseconds) > 0 {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count <= 0 {
                    return Self.milliseconds() - start
                }
            }
        }
        return nil
    }

    private static func send(_ fd: CInt, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.send(fd, bytes, count, Int32(MSG_NOSIGNAL))
        #else
        return Darwin.send(fd, bytes, count, 0)
        #endif
    }

    private static func milliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }
}
