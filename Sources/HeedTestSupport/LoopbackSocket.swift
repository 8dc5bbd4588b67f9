#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The blocking-socket calls the raw test clients share.
public enum LoopbackSocket {
    /// A blocking TCP socket connected to 127.0.0.1:`port`, or nil if the connect failed.
    /// - Parameters:
    ///   - port: The port on 127.0.0.1.
    ///   - receiveBufferSize: `SO_RCVBUF`, set before connecting, or nil for the system default.
    ///   - sendBufferSize: `SO_SNDBUF`, set before connecting, or nil for the system default.
    public static func connect(port: Int, receiveBufferSize: Int? = nil, sendBufferSize: Int? = nil) -> CInt? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        if let receiveBufferSize {
            Self.setOption(fd, SO_RCVBUF, CInt(receiveBufferSize))
        }
        if let sendBufferSize {
            Self.setOption(fd, SO_SNDBUF, CInt(sendBufferSize))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                Darwin.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// `send(2)` without SIGPIPE: a write to a reset connection must fail with EPIPE, not kill the test process.
    public static func send(_ fd: CInt, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.send(fd, bytes, count, Int32(MSG_NOSIGNAL))
        #else
        return Darwin.send(fd, bytes, count, 0)
        #endif
    }

    private static func setOption(_ fd: CInt, _ option: CInt, _ value: CInt) {
        var value = value
        _ = setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<CInt>.size))
    }

    /// Milliseconds on a monotonic clock.
    public static func milliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }
}
