import HeedCore

#if canImport(Glibc)
import Glibc
#endif

/// Runs `heed probe`'s experiments against one server, one connection at a time, every size and wait bounded.
///
/// Blocking code: call it from a thread that may block (the CLI uses NIO's thread pool).
struct Prober {
    /// What to probe and the bounds.
    struct Settings: Sendable {
        var host: String
        var port: Int
        /// The request target, such as `/upload`.
        var target: String
        /// The Host field's value.
        var authority: String
        /// The size the oversized-upload probe announces and at most sends.
        var uploadBytes: Int64 = 16 * 1024 * 1024
        /// How long to wait for an idle connection to be closed.
        var idleWait: Duration = .seconds(20)
        /// How long to wait for an answer to a request head.
        var answerWait: Duration = .seconds(3)
        /// How long the oversized-upload probe waits for an answer to its head before it starts the body (a
        /// server that judges the head answers at once; one that does not costs this much time).
        var earlyAnswerWait: Duration = .seconds(1)
        /// How long the oversized-upload probe watches for a reset after its whole body went out behind an early
        /// answer, before it calls the close a lingering one (a busy server may close a while after answering).
        var resetWatch: Duration = .seconds(3)
        /// How long the oversized-upload probe may run.
        var uploadTime: Duration = .seconds(15)
    }

    let settings: Settings

    /// Runs every probe in turn.
    func run() throws -> ProbeObservations {
        var observations = ProbeObservations(oversizeBytes: self.settings.uploadBytes)
        observations.expect = try self.probeExpect()
        observations.oversize = try self.probeOversize()
        observations.idle = try self.probeIdle()
        observations.unreadBody = try self.probeUnreadBody()
        return observations
    }

    // MARK: - Probes

    func probeExpect() throws -> ProbeObservations.ExpectAnswer {
        let socket = try self.connect()
        socket.write(self.head("POST", ["Content-Length: 1024", "Expect: 100-continue", "Connection: close"]))
        switch ProbeResponse.read(from: socket) {
        case .response(let response) where response.status == 100:
            // Send the promised body so the server is not left waiting.
            socket.write([UInt8](repeating: UInt8(ascii: "x"), count: 1024))
            _ = ProbeResponse.read(from: socket)
            return .sentContinue
        case .response(let response):
            return .finalStatus(response.status)
        case .timedOut:
            return .silent(waitedMilliseconds: Self.milliseconds(self.settings.answerWait))
        case .endOfFile, .reset, .garbage:
            return .closed
        }
    }

    func probeOversize() throws -> ProbeObservations.OversizeAnswer {
        let socket = try self.connect()
        let bound = self.settings.uploadBytes
        socket.write(self.head("POST", ["Content-Length: \(bound)", "Content-Type: application/octet-stream"]))
        let clock = ContinuousClock()
        let started = clock.now
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        var sent: Int64 = 0
        var answer: (response: ProbeResponse, after: Int64, at: ContinuousClock.Instant)?
        var afterAnswer: Int64 = 0
        var endOfFile: ContinuousClock.Instant?
        var stalled: Duration = .zero
        socket.setTimeout(.milliseconds(200))
        // Servers that judge the head (Content-Length over their limit) answer at once: give them a moment before
        // the body starts, so the answer is seen at 0 bytes rather than whenever the next poll happens to run.
        _ = socket.isReadable(
            within: Int32(Self.milliseconds(min(self.settings.answerWait, self.settings.earlyAnswerWait)))
        )
        while sent < bound && clock.now - started < self.settings.uploadTime {
            if socket.isReadable(within: 0) {
                if answer == nil {
                    socket.setTimeout(self.settings.answerWait)
                    switch ProbeResponse.read(from: socket) {
                    case .response(let response) where response.status >= 200:
                        answer = (response, sent, clock.now)
                    case .response:
                        break
                    case .reset:
                        return .resetWithoutAnswer(afterBytes: sent)
                    case .endOfFile, .garbage, .timedOut:
                        return .closedWithoutAnswer(afterBytes: sent)
                    }
                    socket.setTimeout(.milliseconds(200))
                    continue
                }
                switch socket.read() {
                case .endOfFile:
                    endOfFile = endOfFile ?? clock.now
                    // After the FIN a reset shows only as the socket's error: look for it at every turn.
                    if socket.takePendingError() != 0 {
                        return Self.early(answer, then: .reset(bytesAccepted: afterAnswer), endOfFile, now: clock.now)
                    }
                case .reset, .failed:
                    return Self.early(answer, then: .reset(bytesAccepted: afterAnswer), endOfFile, now: clock.now)
                case .bytes, .timedOut: break
                }
            }
            let count = Int(min(Int64(piece.count), bound - sent))
            let (written, error) = socket.write(Array(piece[..<count]))
            sent += Int64(written)
            if answer != nil { afterAnswer += Int64(written) }
            if error == EAGAIN || error == EWOULDBLOCK {
                stalled += .milliseconds(200)
                if stalled >= self.settings.answerWait {
                    guard answer != nil else { return .silent(afterBytes: sent) }
                    return Self.early(answer, then: .stalled(bytesAccepted: afterAnswer), endOfFile, now: clock.now)
                }
            } else if error != 0 {
                if answer == nil {
                    // Linux keeps what arrived before a reset readable: look for an answer first.
                    socket.setTimeout(.milliseconds(500))
                    if case .response(let response) = ProbeResponse.read(from: socket), response.status >= 200 {
                        return .answeredEarly(
                            status: response.status,
                            afterBytes: sent,
                            connectionClose: response.asksToClose,
                            responseComplete: response.isComplete,
                            then: .reset(bytesAccepted: 0)
                        )
                    }
                    return .resetWithoutAnswer(afterBytes: sent)
                }
                return Self.early(answer, then: .reset(bytesAccepted: afterAnswer), endOfFile, now: clock.now)
            } else if written > 0 {
                stalled = .zero
            }
        }
        if answer != nil {
            // The whole body went out after the answer. A server that closed without lingering resets the
            // connection when its unread bytes arrive, which can be after our last write succeeded: watch a
            // moment (bounded) for that reset before calling it lingering.
            let watchUntil = clock.now + self.settings.resetWatch
            socket.setTimeout(.milliseconds(100))
            while clock.now < watchUntil {
                switch socket.read() {
                case .reset, .failed:
                    return Self.early(answer, then: .reset(bytesAccepted: afterAnswer), endOfFile, now: clock.now)
                case .endOfFile:
                    // After the FIN reads return 0 at once, and a later reset shows only as the socket's error:
                    // wait for that error itself, for what is left of the watch.
                    endOfFile = endOfFile ?? clock.now
                    if socket.waitForError(within: watchUntil - clock.now) {
                        return Self.early(
                            answer,
                            then: .reset(bytesAccepted: afterAnswer),
                            endOfFile,
                            now: clock.now
                        )
                    }
                case .bytes, .timedOut: break
                }
            }
            return Self.early(answer, then: .lingered(bytesAccepted: afterAnswer), endOfFile, now: clock.now)
        }
        guard sent >= bound else { return .silent(afterBytes: sent) }
        socket.setTimeout(self.settings.answerWait)
        switch ProbeResponse.read(from: socket) {
        case .response(let response): return .answeredAfterBody(status: response.status, bodyBytes: sent)
        case .reset: return .resetWithoutAnswer(afterBytes: sent)
        case .endOfFile, .garbage: return .closedWithoutAnswer(afterBytes: sent)
        case .timedOut: return .silent(afterBytes: sent)
        }
    }

    func probeIdle() throws -> ProbeObservations.IdleClose {
        let socket = try self.connect()
        socket.write(self.head("GET", []))
        let answer = ProbeResponse.read(from: socket)
        guard case .response(let response) = answer else {
            throw ProbeError("The server did not answer a plain GET on \(self.settings.target) (\(answer.words)).")
        }
        if response.asksToClose { return .closesEveryConnection }
        let clock = ContinuousClock()
        let started = clock.now
        socket.setTimeout(self.settings.idleWait)
        while true {
            let result = socket.read()
            let waited = Self.milliseconds(clock.now - started)
            switch result {
            case .endOfFile: return .closedAfter(milliseconds: waited, reset: false)
            case .reset, .failed: return .closedAfter(milliseconds: waited, reset: true)
            case .timedOut: return .stillOpen(waitedMilliseconds: waited)
            case .bytes:
                // Unsolicited bytes (such as a 408 before closing): keep waiting for the close, bounded.
                if clock.now - started >= self.settings.idleWait { return .stillOpen(waitedMilliseconds: waited) }
            }
        }
    }

    func probeUnreadBody() throws -> ProbeObservations.UnreadBody {
        let socket = try self.connect()
        socket.write(self.head("GET", ["Content-Length: 1024"]) + [UInt8](repeating: UInt8(ascii: "x"), count: 1024))
        guard case .response(let first) = ProbeResponse.read(from: socket) else {
            throw ProbeError("The server did not answer a GET with a small body on \(self.settings.target).")
        }
        if first.asksToClose { return .closedAfterResponse }
        socket.write(self.head("GET", ["Connection: close"]))
        switch ProbeResponse.read(from: socket) {
        case .response(let second) where second.status == 400:
            return .misread("400 to the next request")
        case .response(let second):
            return .drained(secondStatus: second.status)
        case .endOfFile, .reset:
            return .closedAfterResponse
        case .garbage(let text):
            return .misread(text)
        case .timedOut:
            return .misread("no answer to the next request")
        }
    }

    // MARK: - Helpers

    private func connect() throws -> ProbeSocket {
        let socket = try ProbeSocket(
            host: self.settings.host,
            port: self.settings.port,
            timeout: self.settings.answerWait
        )
        return socket
    }

    private func head(_ method: String, _ fields: [String]) -> [UInt8] {
        let lines =
            [
                "\(method) \(self.settings.target) HTTP/1.1", "Host: \(self.settings.authority)",
                "User-Agent: heed-probe",
            ]
            + fields
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    private static func early(
        _ answer: (response: ProbeResponse, after: Int64, at: ContinuousClock.Instant)?,
        then: ProbeObservations.AfterEarlyAnswer,
        _ endOfFile: ContinuousClock.Instant?,
        now: ContinuousClock.Instant
    ) -> ProbeObservations.OversizeAnswer {
        guard let answer else { return .silent(afterBytes: 0) }
        var then = then
        // A FIN, then the connection open for a while before the reset: a lingering close that ended. A reset
        // right after the FIN is a plain close with unread data. Bytes accepted are no evidence either way: on
        // loopback the kernel's buffers take megabytes that the server never reads.
        if case .reset(let bytes) = then, let endOfFile, now - endOfFile >= .milliseconds(250) {
            then = .lingeredThenClosed(bytesAccepted: bytes)
        }
        return .answeredEarly(
            status: answer.response.status,
            afterBytes: answer.after,
            connectionClose: answer.response.asksToClose,
            responseComplete: answer.response.isComplete,
            then: then
        )
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
