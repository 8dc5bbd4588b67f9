import Foundation
import HeedTestSupport

/// A scripted peer that answers every request on a connection with its own head and body as the response body, so
/// a test can see exactly what `heed request` sent.
enum EchoPeer {
    /// Serves `requests` requests on each of `connections` connections; answers `100 Continue` to Expect.
    static func start(connections: Int = 1, requests: Int = 1) throws -> ScriptedPeer {
        try ScriptedPeer(connections: connections) { socket, _ in
            for _ in 0..<requests {
                guard let head = socket.readHead() else { return }
                let length = Self.contentLength(head)
                if head.lowercased().contains("expect: 100-continue") {
                    socket.write("HTTP/1.1 100 Continue\r\n\r\n")
                }
                let body = socket.read(length)
                let echoed = Array(head.utf8) + Array("\r\n\r\n".utf8) + body
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: \(echoed.count)\r\n\r\n")
                socket.write(echoed)
            }
            _ = socket.drainToEOF()
            socket.close()
        }
    }

    /// The Content-Length of a request head, 0 if none.
    static func contentLength(_ head: String) -> Int {
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        return 0
    }
}
