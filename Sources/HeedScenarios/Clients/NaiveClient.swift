/// The client most programs are: it writes the whole request, head and body, and only then reads the response;
/// on the first write error it gives up and reports the error number.
///
/// It records its own timeline. When a write fails it also peeks, without reading, at what sits in its receive
/// buffer, so the timeline can show the response it never read.
public struct NaiveClient: ClientUnderTest {
    public var name: String { "naive" }

    /// Creates the naive client.
    public init() {}

    public func execute(_ request: ScenarioRequest) async -> ClientOutcome {
        await BlockingThread.run(name: "heed-naive-client") { Self.run(request) }
    }

    // MARK: - Steps

    private static func run(_ request: ScenarioRequest) -> ClientOutcome {
        var recorder = TimelineRecorder(start: request.start, side: .client)
        let socket: LoopbackSocket
        do {
            socket = try LoopbackSocket.connect(port: request.port)
        } catch {
            let errno = ErrnoInfo(code: error.errno)
            recorder.record(.error, "connect failed: \(errno)", errno: errno)
            return ClientOutcome(
                status: nil,
                succeeded: false,
                report: error.description,
                errno: errno,
                timeline: recorder.events
            )
        }
        defer { socket.close() }
        recorder.record(.connect, "connected to 127.0.0.1:\(request.port)")
        if let failure = self.send(request, on: socket, recorder: &recorder) {
            return failure
        }
        return self.receive(request, on: socket, recorder: &recorder)
    }

    /// Writes head and body; returns an outcome only if writing failed or timed out.
    private static func send(
        _ request: ScenarioRequest,
        on socket: LoopbackSocket,
        recorder: inout TimelineRecorder
    ) -> ClientOutcome? {
        let head =
            "\(request.method) \(request.path) HTTP/1.1\r\nHost: 127.0.0.1:\(request.port)\r\n"
            + "User-Agent: heed-naive-client\r\nContent-Length: \(request.bodySize)\r\n\r\n"
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: request.bodySize)
        recorder.record(
            .send,
            "sent the request head: \(request.method) \(request.path), then the body",
            bytes: head.utf8.count
        )
        var sent = 0
        let headResult = Array(head.utf8).withUnsafeBytes { socket.write($0, deadline: request.deadline) }
        var result = headResult
        if headResult == .written {
            result = body.withUnsafeBytes { bytes in
                socket.write(bytes, deadline: request.deadline) { written, waited in
                    if waited >= .milliseconds(50) {
                        recorder.record(.wait, "send buffer full: waited \(waited.formatted) for the server to read")
                    }
                    sent += written
                    recorder.transfer(.send, written, label: "of request body")
                }
            }
        }
        switch result {
        case .written:
            return nil
        case .timedOut:
            recorder.record(
                .giveUp,
                "still blocked writing the body at the time limit (\(ByteCount.format(sent)) of "
                    + "\(ByteCount.format(request.bodySize)) sent); it never started reading"
            )
            return ClientOutcome(
                status: nil,
                succeeded: false,
                hung: true,
                report: "blocked writing the body (\(sent) of \(request.bodySize) bytes sent)",
                timeline: recorder.events
            )
        case .failed(let code, _):
            let error = ErrnoInfo(code: code)
            recorder.record(
                .error,
                "write failed after \(ByteCount.format(sent)) of body: \(error.name) (\(error.message))",
                errno: error
            )
            let waiting = socket.peekUnread(maxBytes: 1 << 20)
            if waiting.starts(with: Array("HTTP/".utf8)) {
                let statusLine = String(decoding: waiting.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
                recorder.record(
                    .responseLost,
                    "RESPONSE LOST: \"\(statusLine)\" was already in the receive buffer "
                        + "(\(ByteCount.format(waiting.count)) unread)",
                    bytes: waiting.count
                )
            }
            recorder.record(.giveUp, "gave up on the write error and never read the response")
            return ClientOutcome(
                status: nil,
                succeeded: false,
                report: "write failed: \(error.name) (\(error.message))",
                errno: error,
                timeline: recorder.events
            )
        }
    }

    /// Reads the response after the whole body went out.
    private static func receive(
        _ request: ScenarioRequest,
        on socket: LoopbackSocket,
        recorder: inout TimelineRecorder
    ) -> ClientOutcome {
        var buffered: [UInt8] = []
        var headEnd: Int?
        var declared: Int?
        while true {
            if let end = headEnd, let declared, buffered.count - end >= declared { break }
            switch socket.read(maxBytes: 65_536, deadline: request.deadline) {
            case .bytes(let bytes):
                buffered += bytes
                recorder.transfer(.receive, bytes.count, label: "of response")
                if headEnd == nil, let end = HTTPHead.endOfHead(in: buffered) {
                    headEnd = end
                    declared = HTTPHead.parse(buffered[..<end]).fields["content-length"].flatMap { Int($0) }
                }
                continue
            case .endOfStream:
                recorder.record(.endOfStream, "read end of stream")
            case .failed(let code):
                let error = ErrnoInfo(code: code)
                recorder.record(.error, "read failed: \(error.name) (\(error.message))", errno: error)
                if headEnd == nil {
                    return ClientOutcome(
                        status: nil,
                        succeeded: false,
                        report: "read failed: \(error)",
                        errno: error,
                        timeline: recorder.events
                    )
                }
            case .timedOut, .stopped:
                recorder.record(.giveUp, "still waiting for the response at the time limit")
                return ClientOutcome(
                    status: nil,
                    succeeded: false,
                    hung: true,
                    report: "no response before the time limit",
                    timeline: recorder.events
                )
            }
            break
        }
        guard let end = headEnd else {
            recorder.record(.giveUp, "the server closed without a response")
            return ClientOutcome(
                status: nil,
                succeeded: false,
                report: "the server closed the connection without a response",
                timeline: recorder.events
            )
        }
        let (startLine, _) = HTTPHead.parse(buffered[..<end])
        let status = startLine.dropFirst().first.flatMap { Int($0) }
        let bodyBytes = buffered.count - end
        let complete = declared.map { bodyBytes >= $0 } ?? true
        let statusLine = startLine.dropFirst().joined(separator: " ")
        recorder.record(.response, "got \(statusLine) (\(ByteCount.format(bodyBytes)) body)", bytes: bodyBytes)
        return ClientOutcome(
            status: status,
            responseBodyBytes: bodyBytes,
            succeeded: complete,
            report: complete ? "got \(statusLine)" : "response body cut short: \(bodyBytes) of \(declared ?? 0) bytes",
            timeline: recorder.events
        )
    }
}
