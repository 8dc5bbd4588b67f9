import Foundation
import Testing

@testable import HeedCLI

#if canImport(Glibc)
import Glibc
#endif

/// --connect-timeout against a listener whose accept queue is full, so the kernel drops further SYNs.
@Suite(.timeLimit(.minutes(1))) struct RequestTimeoutTests {
    /// A connect that never completes ends with exit 28 after --connect-timeout.
    @Test func connectTimeoutExits28() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0 && listen(listener, 0) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        // Fill the accept queue (backlog 0 holds one) with connections nobody accepts.
        var fillers: [Int32] = []
        defer {
            for filler in fillers { close(filler) }
        }
        for _ in 0..<2 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            fillers.append(filler)
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        var options = RequestOptions(url: "http://127.0.0.1:\(port)/")
        options.connectTimeout = 0.3
        let started = ContinuousClock.now
        let result = await RequestRunner.run(options)
        #expect(result.exitCode == 28, "\(result.stderr)")
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
