/// A response read by hand from a ``ProbeSocket``: enough HTTP/1.1 to know the status, the fields that matter to
/// teardown and whether the body arrived whole. Every read is bounded (64 KiB of head, 1 MiB of body).
struct ProbeResponse: Equatable {
    /// The status code.
    var status: Int
    /// Header fields, names lowercased.
    var fields: [(name: String, value: String)]
    /// Whether the body arrived whole.
    var isComplete: Bool
    /// Whether the status line says HTTP/1.0 (which closes unless it says keep-alive).
    var isHTTP10 = false

    /// Whether the response asks to close the connection.
    var asksToClose: Bool {
        let connection = self.fields.first { $0.name == "connection" }?.value.lowercased() ?? ""
        return connection.contains("close") || (self.isHTTP10 && !connection.contains("keep-alive"))
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.status == rhs.status && lhs.isComplete == rhs.isComplete && lhs.isHTTP10 == rhs.isHTTP10
            && lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    /// What reading a response found.
    enum Outcome: Equatable {
        case response(ProbeResponse)
        case endOfFile
        case reset
        case timedOut
        case garbage(String)

        /// What was found instead of a response, in words.
        var words: String {
            switch self {
            case .response(let response): "status \(response.status)"
            case .endOfFile: "it closed the connection"
            case .reset: "it reset the connection"
            case .timedOut: "no answer in time"
            case .garbage(let text): "not HTTP: \(text)"
            }
        }
    }

    /// Reads one response (skipping none: a `100 Continue` is returned as it is), with its body for final statuses.
    static func read(from socket: ProbeSocket, bodyExpected: Bool = true) -> Outcome {
        var bytes: [UInt8] = []
        var headEnd: Int?
        while headEnd == nil {
            switch socket.read() {
            case .bytes(let more): bytes += more
            case .endOfFile: return bytes.isEmpty ? .endOfFile : .garbage(Self.printable(bytes))
            case .reset: return .reset
            case .timedOut: return bytes.isEmpty ? .timedOut : .garbage(Self.printable(bytes))
            case .failed: return .reset
            }
            headEnd = Self.find([13, 10, 13, 10], in: bytes)
            if headEnd == nil && bytes.count > 64 * 1024 { return .garbage("a head over 64 KiB") }
        }
        guard let end = headEnd else { return .timedOut }
        socket.unread(Array(bytes[(end + 4)...]))
        let lines = String(decoding: bytes[..<end], as: UTF8.self).split(
            separator: "\r\n",
            omittingEmptySubsequences: false
        )
        let statusParts = (lines.first ?? "").split(separator: " ")
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            return .garbage(Self.printable(Array(bytes[..<end])))
        }
        var fields: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            fields.append((String(line[..<colon]).lowercased(), String(value)))
        }
        var response = ProbeResponse(status: status, fields: fields, isComplete: true)
        response.isHTTP10 = statusParts[0] == "HTTP/1.0"
        if status < 200 || status == 204 || status == 304 || !bodyExpected { return .response(response) }
        response.isComplete = Self.readBody(from: socket, fields: fields)
        return .response(response)
    }

    // MARK: - Helpers

    private static func readBody(from socket: ProbeSocket, fields: [(name: String, value: String)]) -> Bool {
        let field = { (name: String) in fields.first { $0.name == name }?.value }
        if field("transfer-encoding")?.lowercased().contains("chunked") == true {
            return Self.readChunked(from: socket)
        }
        guard let length = field("content-length").flatMap({ Int($0) }) else {
            return Self.readToEnd(from: socket)
        }
        var remaining = min(length, 1024 * 1024)
        while remaining > 0 {
            guard case .bytes(let more) = socket.read() else { return false }
            if more.count > remaining { socket.unread(Array(more[remaining...])) }
            remaining -= min(more.count, remaining)
        }
        return length <= 1024 * 1024
    }

    private static func readChunked(from socket: ProbeSocket) -> Bool {
        var pending: [UInt8] = []
        var total = 0
        while total < 1024 * 1024 {
            guard case .bytes(let more) = socket.read() else { return false }
            pending += more
            total += more.count
            // The last chunk and the empty trailer end the body.
            if Self.find(Array("0\r\n\r\n".utf8), in: pending) != nil { return true }
            if pending.count > 16 { pending = Array(pending.suffix(16)) }
        }
        return false
    }

    private static func readToEnd(from socket: ProbeSocket) -> Bool {
        var total = 0
        while total < 1024 * 1024 {
            switch socket.read() {
            case .bytes(let more): total += more.count
            case .endOfFile: return true
            default: return false
            }
        }
        return false
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    private static func printable(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return "'" + text.map { $0.isASCII && !$0.isNewline ? String($0) : "." }.joined() + "'"
    }
}
