import HeedCore

/// Minimal HTTP/1.1 head parsing for scripted peers and the naive client; tolerant, never trapping.
enum HTTPHead {
    /// The index just past the first `\r\n\r\n` in `bytes`, if there is one.
    static func endOfHead(in bytes: [UInt8]) -> Int? {
        HTTPHeadTerminator.index(in: bytes).map { $0 + 4 }
    }

    /// The start line and the header fields (names lowercased) of a head.
    static func parse(_ head: ArraySlice<UInt8>) -> (startLine: [Substring], fields: [String: String]) {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else { return ([], [:]) }
        let startLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        var fields: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            fields[name] = value
        }
        return (startLine, fields)
    }

    /// The bytes of a scripted response: head, then `bodyBytesWritten` bytes of a text body.
    static func response(_ response: ScriptedResponse) -> [UInt8] {
        let head =
            "HTTP/1.1 \(response.status) \(response.reason)\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: \(response.bodySize)\r\n"
            + "Connection: close\r\n\r\n"
        let line = Array("\(response.status) \(response.reason): heed scripted peer\n".utf8)
        var body: [UInt8] = []
        body.reserveCapacity(response.bodyBytesWritten)
        while body.count < response.bodyBytesWritten {
            body.append(contentsOf: line.prefix(response.bodyBytesWritten - body.count))
        }
        return Array(head.utf8) + body
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
