#if os(Linux)
import Glibc

/// A listener on 127.0.0.1 whose accept queue is full: Linux drops further SYNs (and counts each drop in
/// ``listenOverflows()``), so a connect to it stays under way until it is closed or times out. For tests of a
/// connect that is cancelled or times out, without leaving loopback.
public final class FullBacklogListener: Sendable {
    public let port: Int
    private let listener: CInt
    /// The one connection the queue holds, never accepted.
    private let queued: CInt

    public init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ScriptedPeerError.socketFailed }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        // A backlog of 0 holds one connection: the one made below.
        guard bound, listen(listener, 0) == 0 else {
            Glibc.close(listener)
            throw ScriptedPeerError.socketFailed
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        guard let queued = LoopbackSocket.connect(port: port) else {
            Glibc.close(listener)
            throw ScriptedPeerError.socketFailed
        }
        self.listener = listener
        self.port = port
        self.queued = queued
    }

    /// Closes the listener and the queued connection.
    public func close() {
        Glibc.close(self.queued)
        Glibc.close(self.listener)
    }

    /// The kernel's count of SYNs dropped because an accept queue was full (`TcpExt: ListenOverflows` in
    /// `/proc/net/netstat`), or `nil` if it cannot be read.
    public static func listenOverflows() -> Int? {
        guard let file = fopen("/proc/net/netstat", "r") else { return nil }
        defer { fclose(file) }
        var rows: [[Substring]] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        // Bounded: the file has a few dozen lines.
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            if text.hasPrefix("TcpExt:") { rows.append(text.split(separator: " ")) }
        }
        guard rows.count == 2, rows[0].count == rows[1].count,
            let index = rows[0].firstIndex(where: { $0.filter { !$0.isWhitespace } == "ListenOverflows" })
        else { return nil }
        return Int(rows[1][index].filter(\.isNumber))
    }
}
#endif
