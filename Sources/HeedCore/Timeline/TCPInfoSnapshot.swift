/// The kernel's view of a TCP connection at one moment (Linux `TCP_INFO`).
///
/// Taken when an exchange fails, it separates "the server never received most of what we sent"
/// (``bytesAcked`` far below ``bytesSent``) from "the server received it all and then reset".
public struct TCPInfoSnapshot: Sendable, Hashable, Codable {
    /// The TCP state, such as `"ESTABLISHED"` or `"CLOSE_WAIT"`.
    public var state: String
    /// Data bytes the peer acknowledged, if the kernel reports it. Parsed from `tcpi_bytes_acked`, which also counts
    /// the SYN (one byte of sequence space), less that one; an acknowledged FIN still adds one.
    public var bytesAcked: UInt64?
    /// Bytes we sent, retransmissions included (`tcpi_bytes_sent`), if the kernel reports it.
    public var bytesSent: UInt64?
    /// Segments sent but not yet acknowledged (`tcpi_unacked`).
    public var unacked: UInt32
    /// Retransmissions of the current unacknowledged segment (`tcpi_retransmits`).
    public var retransmits: UInt32
    /// Retransmissions over the connection's life (`tcpi_total_retrans`).
    public var totalRetransmits: UInt32
    /// Smoothed round-trip time in microseconds (`tcpi_rtt`).
    public var rttMicros: UInt32
    /// Round-trip time variation in microseconds (`tcpi_rttvar`).
    public var rttVarMicros: UInt32
    /// The congestion window in segments (`tcpi_snd_cwnd`).
    public var sndCwnd: UInt32
    /// Bytes written by us but not yet sent by the kernel (`tcpi_notsent_bytes`), if reported.
    public var notSentBytes: UInt32?

    /// Creates a snapshot from its fields.
    public init(
        state: String,
        bytesAcked: UInt64? = nil,
        bytesSent: UInt64? = nil,
        unacked: UInt32 = 0,
        retransmits: UInt32 = 0,
        totalRetransmits: UInt32 = 0,
        rttMicros: UInt32 = 0,
        rttVarMicros: UInt32 = 0,
        sndCwnd: UInt32 = 0,
        notSentBytes: UInt32? = nil
    ) {
        self.state = state
        self.bytesAcked = bytesAcked
        self.bytesSent = bytesSent
        self.unacked = unacked
        self.retransmits = retransmits
        self.totalRetransmits = totalRetransmits
        self.rttMicros = rttMicros
        self.rttVarMicros = rttVarMicros
        self.sndCwnd = sndCwnd
        self.notSentBytes = notSentBytes
    }

    /// Parses the raw bytes of Linux's `struct tcp_info` (from `<linux/tcp.h>`, host byte order).
    ///
    /// Fields beyond `count` are reported as absent: older kernels fill less of the structure.
    ///
    /// - Parameter bytes: The bytes `getsockopt(fd, IPPROTO_TCP, TCP_INFO, ...)` filled in.
    /// - Returns: The snapshot, or `nil` if fewer bytes than the fixed 104-byte head are given.
    public init?(linuxTCPInfo bytes: some Collection<UInt8>) {
        let raw = Array(bytes)
        guard raw.count >= Self.Offset.fixedHeadEnd else {
            return nil
        }
        // The bytes are in host order: assembling them little-endian and then converting from little-endian gives the
        // right value on either kind of host.
        func u32(_ offset: Int) -> UInt32 {
            var value: UInt32 = 0
            for index in 0..<4 {
                value |= UInt32(raw[offset + index]) << (8 * index)
            }
            return UInt32(littleEndian: value)
        }
        func u64(_ offset: Int) -> UInt64? {
            guard raw.count >= offset + 8 else {
                return nil
            }
            var value: UInt64 = 0
            for index in 0..<8 {
                value |= UInt64(raw[offset + index]) << (8 * index)
            }
            return UInt64(littleEndian: value)
        }
        self.init(
            state: Self.stateName(raw[Self.Offset.state]),
            bytesAcked: u64(Self.Offset.bytesAcked).map { $0 > 0 ? $0 - 1 : 0 },
            bytesSent: u64(Self.Offset.bytesSent),
            unacked: u32(Self.Offset.unacked),
            retransmits: UInt32(raw[Self.Offset.retransmits]),
            totalRetransmits: u32(Self.Offset.totalRetransmits),
            rttMicros: u32(Self.Offset.rtt),
            rttVarMicros: u32(Self.Offset.rttVar),
            sndCwnd: u32(Self.Offset.sndCwnd),
            notSentBytes: raw.count >= Self.Offset.notSentBytes + 4 ? u32(Self.Offset.notSentBytes) : nil
        )
    }

    /// The name of a Linux TCP state number (`TCP_ESTABLISHED` is 1).
    ///
    /// - Parameter state: The `tcpi_state` value.
    /// - Returns: The state's name without the `TCP_` prefix, such as `"ESTABLISHED"`.
    public static func stateName(_ state: UInt8) -> String {
        let names = [
            "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT",
            "LAST_ACK", "LISTEN", "CLOSING",
        ]
        let index = Int(state) - 1
        return names.indices.contains(index) ? names[index] : "UNKNOWN(\(state))"
    }

    /// Byte offsets of the fields we read in Linux's `struct tcp_info`.
    enum Offset {
        static let state = 0
        static let retransmits = 2
        static let unacked = 24
        static let rtt = 68
        static let rttVar = 72
        static let sndCwnd = 80
        static let totalRetransmits = 100
        static let fixedHeadEnd = 104
        static let bytesAcked = 120
        static let notSentBytes = 144
        static let bytesSent = 200
        /// The size of the structure as of Linux 6.x; enough room for every field above.
        static let bufferSize = 256
    }
}
