#if os(Linux)
public import NIOCore

extension SocketOptionProvider {
    /// Reads the kernel's `TCP_INFO` for this socket as a ``TCPInfoSnapshot``.
    ///
    /// NIO's own `getTCPInfo()` returns glibc's `tcp_info`, which stops before `tcpi_bytes_acked`; this reads the
    /// kernel's full structure so the snapshot includes the bytes the peer acknowledged. Linux only.
    ///
    /// - Returns: A future with the snapshot, failed if the socket option cannot be read.
    public func getTCPInfoSnapshot() -> EventLoopFuture<TCPInfoSnapshot> {
        let future: EventLoopFuture<RawTCPInfo> = self.unsafeGetSocketOption(level: .tcp, name: .tcp_info)
        return future.flatMapThrowing { raw in
            let snapshot = withUnsafeBytes(of: raw) { TCPInfoSnapshot(linuxTCPInfo: $0) }
            guard let snapshot else {
                throw IOError(errnoCode: 22, reason: "TCP_INFO returned too few bytes")
            }
            return snapshot
        }
    }
}

/// Room for Linux's `struct tcp_info` (232 bytes as of Linux 6.x), 8-byte aligned and zero-filled by NIO.
private typealias RawTCPInfo = (
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
)
#endif
