import HTTPTypes
import HeedClient
import HeedTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Cancelling a request while its TCP connect is under way ends the connect at once, with the client's
/// "cancelled" error, rather than when the connect timeout fires.
@Suite struct ConnectCancellationTests {
    #if os(Linux)
    /// A listener on 127.0.0.1 whose accept queue is full: the kernel drops further SYNs (and counts each drop in
    /// `ListenOverflows`), so a connect to it stays under way until it is closed or times out.
    final class FullBacklogListener {
        let port: Int
        private let listener: CInt
        private let queued: CInt

        init() throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
                }
            }
            // A backlog of 0 holds one connection: the one made here, never accepted.
            guard listener >= 0, bound, listen(listener, 0) == 0 else { throw ListenerError() }
            self.listener = listener
            self.port = Int(UInt16(bigEndian: address.sin_port))
            guard let queued = LoopbackSocket.connect(port: self.port) else {
                Glibc.close(listener)
                throw ListenerError()
            }
            self.queued = queued
        }

        func close() {
            Glibc.close(self.queued)
            Glibc.close(self.listener)
        }

        struct ListenerError: Error {}
    }

    /// The kernel's count of SYNs dropped because an accept queue was full (`TcpExt: ListenOverflows`).
    static func listenOverflows() -> Int? {
        guard let file = fopen("/proc/net/netstat", "r") else { return nil }
        defer { fclose(file) }
        var lines: [[Substring]] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            if text.hasPrefix("TcpExt:") { lines.append(text.split(separator: " ")) }
        }
        guard lines.count == 2, let index = lines[0].firstIndex(where: { $0.hasPrefix("ListenOverflows") }) else {
            return nil
        }
        return Int(lines[1][index].filter(\.isNumber))
    }

    /// The connect is under way (the kernel dropped its SYN) when the task is cancelled: the request fails with
    /// "cancelled" well before the 10 s connect timeout, and nothing waits for it.
    @Test func cancellingDuringTheTCPConnectEndsIt() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        let before = try #require(Self.listenOverflows())
        var configuration = Loopback.configuration()
        configuration.connectTimeout = .seconds(10)
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(listener.port)", path: "/")
        let task = Task {
            try await HTTPClient.withClient(configuration: configuration) { client in
                try await client.execute(request, timeout: .seconds(30))
            }
        }
        // The client's SYN was dropped: its connect is under way (a drop by another test would only cancel early).
        #expect(await ConnectionPoolTests.eventually { (Self.listenOverflows() ?? before) > before })
        let clock = ContinuousClock()
        let cancelledAt = clock.now
        task.cancel()
        let result = await task.result
        guard case .failure(let error as HTTPClientError) = result else {
            Issue.record("expected the client's cancellation error, got \(result)")
            return
        }
        #expect(error.shortDescription == "cancelled", "\(error)")
        #expect(error.detail.contains("GET http://127.0.0.1:\(listener.port)/"), "\(error.detail)")
        #expect(clock.now - cancelledAt < .seconds(5))
    }
    #endif
}
