/// Runs a ``PeerScript`` on every connection accepted by a listening socket, on the calling thread, and records
/// the peer's timeline.
///
/// Every wait is bounded by the peer's deadline; once the stop signal fires, whatever connection is in progress
/// gets a short grace period to finish (so its end of stream or reset is recorded), and no new one is accepted.
struct ScriptedPeer {
    private let script: PeerScript
    private let listener: LoopbackSocket
    private let port: Int
    private let stop: Int32
    private var deadline: ContinuousClock.Instant
    private var stopping = false
    private var recorder: TimelineRecorder
    private var requests: [RequestSeen] = []
    private var connections = 0

    /// How long a connection may keep going after the client under test has finished.
    static let grace = Duration.milliseconds(500)

    init(
        script: PeerScript,
        listener: LoopbackSocket,
        port: Int,
        stop: Int32,
        start: ContinuousClock.Instant,
        deadline: ContinuousClock.Instant
    ) {
        self.script = script
        self.listener = listener
        self.port = port
        self.stop = stop
        self.deadline = deadline
        self.recorder = TimelineRecorder(start: start, side: .server)
    }

    /// Accepts and serves connections until stopped or out of time, then closes the listener.
    consuming func run() -> PeerRecord {
        self.recorder.record(.listen, "listening on 127.0.0.1:\(self.port)", at: 0)
        while !self.stopping, let socket = self.listener.accept(deadline: self.deadline, stop: self.stop) {
            self.connections += 1
            self.recorder.record(.accept, self.tagged("accepted a connection"))
            var connection = Connection(socket: socket)
            self.serve(&connection)
        }
        self.listener.close()
        return PeerRecord(
            port: self.port,
            timeline: self.recorder.events,
            connectionsAccepted: self.connections,
            requests: self.requests
        )
    }

    // MARK: - Steps

    private struct Connection {
        let socket: LoopbackSocket
        var buffered: [UInt8] = []
        var request: Int?
        var bodyRead = 0
        var chunkTail: [UInt8] = []
        var sawEndOfStream = false
        var open = true
    }

    private mutating func serve(_ connection: inout Connection) {
        for step in self.script.steps where connection.open {
            switch step {
            case .readHead: self.readHead(&connection)
            case .readBody(let bytes): self.readBody(&connection, upTo: bytes)
            case .readWholeBody: self.readBody(&connection, upTo: nil)
            case .pause(let duration): self.pause(duration)
            case .respond(let response): self.respond(response, on: &connection)
            case .halfClose:
                let began = self.recorder.now
                connection.socket.shutdownWrite()
                self.recorder.record(
                    .halfClose,
                    self.tagged("shut down its write side (FIN), still reading"),
                    at: began
                )
            case .drain(let maxBytes, let maxDuration): self.drain(&connection, maxBytes: maxBytes, for: maxDuration)
            case .reset:
                let began = self.recorder.now
                connection.socket.reset()
                connection.open = false
                self.recorder.record(.reset, self.tagged("closed with SO_LINGER 0: the kernel sends RST"), at: began)
            case .close: self.close(&connection)
            }
        }
        if connection.open { self.close(&connection) }
    }

    private mutating func readHead(_ connection: inout Connection) {
        while HTTPHead.endOfHead(in: connection.buffered) == nil {
            guard connection.buffered.count < 65_536, self.receive(into: &connection) else { return }
        }
        guard let end = HTTPHead.endOfHead(in: connection.buffered) else { return }
        let (startLine, fields) = HTTPHead.parse(connection.buffered[..<end])
        let seen = RequestSeen(
            method: startLine.first.map(String.init) ?? "?",
            target: startLine.dropFirst().first.map(String.init) ?? "?",
            contentLength: fields["content-length"].flatMap { Int($0) },
            isChunked: fields["transfer-encoding"]?.lowercased().contains("chunked") ?? false,
            askedToContinue: fields["expect"]?.lowercased() == "100-continue",
            bodyBytesRead: 0
        )
        self.requests.append(seen)
        connection.request = self.requests.count - 1
        var text = "read the request head: \(seen.method) \(seen.target)"
        if let length = seen.contentLength { text += ", Content-Length \(length)" }
        if seen.isChunked { text += ", chunked body" }
        if seen.askedToContinue { text += ", Expect: 100-continue" }
        self.recorder.record(.requestHead, self.tagged(text), bytes: end)
        let rest = Array(connection.buffered[end...])
        connection.buffered = []
        self.countBody(rest, on: &connection)
    }

    private mutating func readBody(_ connection: inout Connection, upTo limit: Int?) {
        while !self.bodyComplete(connection), limit.map({ connection.bodyRead < $0 }) ?? true {
            guard self.receive(into: &connection) else { return }
            let bytes = connection.buffered
            connection.buffered = []
            self.countBody(bytes, on: &connection)
        }
    }

    private mutating func drain(_ connection: inout Connection, maxBytes: Int, for maxDuration: Duration) {
        let saved = self.deadline
        self.deadline = min(self.deadline, ContinuousClock.now + maxDuration)
        var drained = 0
        while drained < maxBytes, self.receive(into: &connection, label: "of request body, discarded") {
            drained += connection.buffered.count
            self.countBody(connection.buffered, on: &connection)
            connection.buffered = []
        }
        self.deadline = saved
    }

    private mutating func pause(_ duration: Duration) {
        self.recorder.record(.wait, self.tagged("does nothing for \(duration.formatted) (stops reading)"))
        let until = min(self.deadline, ContinuousClock.now + duration)
        if LoopbackSocket(fd: self.stop).waitUntilReadable(deadline: until) {
            self.stopping = true
            self.deadline = min(self.deadline, ContinuousClock.now + Self.grace)
        }
    }

    private mutating func respond(_ response: ScriptedResponse, on connection: inout Connection) {
        let bytes = HTTPHead.response(response)
        let began = self.recorder.now
        let result = bytes.withUnsafeBytes { connection.socket.write($0, deadline: self.deadline) }
        var text = "wrote \(response.status) \(response.reason) (\(ByteCount.format(bytes.count)))"
        if response.bodyBytesWritten < response.bodySize {
            text += ": declared a \(ByteCount.format(response.bodySize)) body, wrote only "
            text += ByteCount.format(response.bodyBytesWritten)
        }
        switch result {
        case .written:
            self.recorder.record(.response, self.tagged(text), bytes: bytes.count, at: began)
        case .failed(let code, let written):
            let error = ErrnoInfo(code: code)
            self.recorder.record(
                .error,
                self.tagged("writing the response failed after \(ByteCount.format(written)): \(error)"),
                errno: error
            )
            self.close(&connection)
        case .timedOut(let written):
            self.recorder.record(
                .giveUp,
                self.tagged("still writing the response at the time limit (\(ByteCount.format(written)) written)")
            )
            self.close(&connection)
        }
    }

    private mutating func close(_ connection: inout Connection) {
        guard connection.open else { return }
        let unread = connection.socket.peekUnread(maxBytes: 65_536).count
        let began = self.recorder.now
        connection.socket.close()
        connection.open = false
        if unread > 0 {
            self.recorder.record(
                .reset,
                self.tagged("closed with \(ByteCount.format(unread))+ unread: the kernel sends RST, not FIN"),
                at: began
            )
        } else {
            self.recorder.record(.close, self.tagged("closed (FIN)"), at: began)
        }
    }

    // MARK: - Helpers

    /// Reads once into the connection's buffer; returns false at end of stream, on an error or out of time.
    private mutating func receive(into connection: inout Connection, label: String = "of request body") -> Bool {
        while true {
            let result = connection.socket.read(
                maxBytes: 65_536,
                deadline: self.deadline,
                stop: self.stopping ? nil : self.stop
            )
            switch result {
            case .bytes(let bytes):
                connection.buffered += bytes
                if connection.request != nil {
                    self.recorder.transfer(.receive, bytes.count, label: self.tagged(label))
                }
                return true
            case .endOfStream:
                connection.sawEndOfStream = true
                self.recorder.record(.endOfStream, self.tagged("read end of stream: the client closed its side"))
                return false
            case .failed(let code):
                let error = ErrnoInfo(code: code)
                self.recorder.record(.error, self.tagged("read failed: \(error)"), errno: error)
                connection.socket.close()
                connection.open = false
                return false
            case .timedOut:
                return false
            case .stopped:
                self.stopping = true
                self.deadline = min(self.deadline, ContinuousClock.now + Self.grace)
            }
        }
    }

    private mutating func countBody(_ bytes: [UInt8], on connection: inout Connection) {
        guard !bytes.isEmpty, let index = connection.request else { return }
        connection.bodyRead += bytes.count
        self.requests[index].bodyBytesRead = connection.bodyRead
        connection.chunkTail = Array((connection.chunkTail + bytes.suffix(5)).suffix(5))
    }

    private func bodyComplete(_ connection: Connection) -> Bool {
        guard let index = connection.request else { return true }
        let request = self.requests[index]
        if request.isChunked { return connection.chunkTail == Array("0\r\n\r\n".utf8) }
        return connection.bodyRead >= (request.contentLength ?? 0)
    }

    private func tagged(_ text: String) -> String {
        self.connections > 1 ? "[connection \(self.connections)] \(text)" : text
    }
}

extension Duration {
    /// `300 ms`, `1.5 s`.
    var formatted: String {
        let milliseconds = TimelineRecorder.microseconds(self) / 1000
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        let tenths = milliseconds / 100
        return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
    }
}
