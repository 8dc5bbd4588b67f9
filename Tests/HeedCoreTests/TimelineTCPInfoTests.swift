import HeedCore
import Testing

/// Parsing Linux `struct tcp_info` bytes into a ``TCPInfoSnapshot``.
@Suite struct TimelineTCPInfoTests {
    /// Builds the kernel structure's bytes (little-endian, as on x86-64 and arm64) with the given fields set.
    static func rawTCPInfo(count: Int = 232, fields: [(offset: Int, size: Int, value: UInt64)]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        for field in fields where field.offset + field.size <= count {
            for index in 0..<field.size {
                bytes[field.offset + index] = UInt8(truncatingIfNeeded: field.value >> (8 * UInt64(index)))
            }
        }
        return bytes
    }

    static let fields: [(offset: Int, size: Int, value: UInt64)] = [
        (0, 1, 8), (2, 1, 3), (24, 4, 12), (68, 4, 950), (72, 4, 400), (80, 4, 10), (100, 4, 7),
        (120, 8, 64_151), (144, 4, 4_096), (200, 8, 3_200_150),
    ]

    /// Every field is read from its offset in the Linux 6.x layout; the SYN is not counted as acknowledged data.
    @Test func parsesTheFullStructure() throws {
        let snapshot = try #require(TCPInfoSnapshot(linuxTCPInfo: Self.rawTCPInfo(fields: Self.fields)))
        #expect(
            snapshot
                == TCPInfoSnapshot(
                    state: "CLOSE_WAIT",
                    bytesAcked: 64_150,
                    bytesSent: 3_200_150,
                    unacked: 12,
                    retransmits: 3,
                    totalRetransmits: 7,
                    rttMicros: 950,
                    rttVarMicros: 400,
                    sndCwnd: 10,
                    notSentBytes: 4_096
                )
        )
    }

    /// An older kernel's shorter structure parses without the newer fields; a truncated one does not parse.
    @Test func shorterStructures() throws {
        let old = try #require(TCPInfoSnapshot(linuxTCPInfo: Self.rawTCPInfo(count: 104, fields: Self.fields)))
        #expect(old.bytesAcked == nil)
        #expect(old.bytesSent == nil)
        #expect(old.notSentBytes == nil)
        #expect(old.totalRetransmits == 7)
        let middle = try #require(TCPInfoSnapshot(linuxTCPInfo: Self.rawTCPInfo(count: 160, fields: Self.fields)))
        #expect(middle.bytesAcked == 64_150)
        #expect(middle.bytesSent == nil)
        #expect(TCPInfoSnapshot(linuxTCPInfo: [UInt8](repeating: 0, count: 103)) == nil)
    }

    /// State numbers map to the kernel's names, and unknown ones say so.
    @Test func stateNames() {
        #expect(TCPInfoSnapshot.stateName(1) == "ESTABLISHED")
        #expect(TCPInfoSnapshot.stateName(11) == "CLOSING")
        #expect(TCPInfoSnapshot.stateName(0) == "UNKNOWN(0)")
        #expect(TCPInfoSnapshot.stateName(200) == "UNKNOWN(200)")
    }
}
