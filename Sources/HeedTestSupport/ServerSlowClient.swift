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
        guard let fd = LoopbackSocket.connect(port: self.port) else { return nil }
        defer { close(fd) }
        let start = LoopbackSocket.milliseconds()
        let prefix = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8)
        var sentPrefix = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while LoopbackSocket.milliseconds() - start < self.maxDurationMilliseconds {
            let byte: [UInt8] = sentPrefix ? [UInt8(ascii: "a")] : prefix
            sentPrefix = true
            let written = byte.withUnsafeBytes { LoopbackSocket.send(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                return LoopbackSocket.milliseconds() - start
            }
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pollFD, 1, self.intervalMilliseconds) > 0 {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count <= 0 {
                    return LoopbackSocket.milliseconds() - start
                }
            }
        }
        return nil
    }
}
