import HeedCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The poll loop of ``ServerRawClient``: writes the head and body, reads and parses the response.
struct ServerRawExchange {
    private let head: [UInt8]
    private let bodyBytes: Int
    private var headSent = 0
    private var bodySent = 0
    private var writing = true
    private var reading = true
    private var received: [UInt8] = []
    private var outcome = ServerRawClient.Outcome(
        statusCode: nil,
        sawContinue: false,
        contentLength: nil,
        bodyBytesReceived: 0,
        bytesSent: 0,
        writeFailed: false,
        closeRequested: false,
        ending: .timedOut
    )
    private var finalHeadParsed = false

    private let chunkInterval: Int?
    private var nextWrite = 0

    init(head: [UInt8], bodyBytes: Int, chunkIntervalMilliseconds: Int?) {
        self.head = head
        self.bodyBytes = bodyBytes
        self.chunkInterval = chunkIntervalMilliseconds
    }

    mutating func run(fd: CInt, timeoutMilliseconds: Int32) -> ServerRawClient.Outcome {
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        var readBuffer = [UInt8](repeating: 0, count: 256 * 1024)
        let start = LoopbackSocket.milliseconds()
        while self.reading || self.writing {
            let remaining = timeoutMilliseconds - Int32(LoopbackSocket.milliseconds() - start)
            guard remaining > 0 else { break }
            let now = LoopbackSocket.milliseconds()
            let paused = self.writing && now < self.nextWrite
            let readEvents = self.reading ? Int16(POLLIN) : 0
            let writeEvents = self.writing && !paused ? Int16(POLLOUT) : 0
            var pollFD = pollfd(fd: fd, events: readEvents | writeEvents, revents: 0)
            let wait = paused ? min(remaining, Int32(self.nextWrite - now)) : remaining
            let ready = poll(&pollFD, 1, wait)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 && paused { continue }
            guard ready > 0 else { break }
            if self.reading && pollFD.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let count = readBuffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count == 0 {
                    self.outcome.ending = .fin
                    self.reading = false
                } else if count < 0 {
                    if errno == EAGAIN || errno == EINTR { continue }
                    self.outcome.ending = .reset
                    break
                } else {
                    self.received.append(contentsOf: readBuffer[0..<count])
                    self.parse()
                }
            }

            if self.writing && pollFD.revents & Int16(POLLOUT) != 0 {
                self.writeSome(fd: fd, chunk: chunk)
            }
        }
        self.outcome.bytesSent = self.bodySent
        return self.outcome
    }

    private mutating func writeSome(fd: CInt, chunk: [UInt8]) {
        let count: Int
        if self.headSent < self.head.count {
            count = self.head[self.headSent...].withUnsafeBytes { LoopbackSocket.send(fd, $0.baseAddress, $0.count) }
            if count > 0 { self.headSent += count }
        } else {
            let wanted = min(chunk.count, self.bodyBytes - self.bodySent)
            count = chunk.withUnsafeBytes { LoopbackSocket.send(fd, $0.baseAddress, wanted) }
            if count > 0 { self.bodySent += count }
            if count > 0, let interval = self.chunkInterval {
                self.nextWrite = LoopbackSocket.milliseconds() + interval
            }
        }
        if count < 0 && errno != EAGAIN && errno != EINTR {
            // EPIPE or ECONNRESET: stop writing, keep reading what the server said.
            self.writing = false
            self.outcome.writeFailed = true
        }
        if self.headSent == self.head.count && self.bodySent >= self.bodyBytes {
            self.writing = false
        }
    }

    /// Parses interim and final response heads and counts the final body's bytes.
    private mutating func parse() {
        while !self.finalHeadParsed {
            guard let end = HTTPHeadTerminator.index(in: self.received) else { return }
            let headText = String(decoding: self.received[0..<end], as: UTF8.self)
            self.received.removeFirst(end + 4)
            let lines = headText.split(separator: "\r\n")
            let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) }
            if status == 100 {
                self.outcome.sawContinue = true
                continue
            }
            self.finalHeadParsed = true
            self.outcome.statusCode = status
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].lowercased()
                let value = parts[1].trimmingCharacters(in: " ")
                if name == "content-length" { self.outcome.contentLength = Int(value) }
                if name == "connection" && value.lowercased() == "close" { self.outcome.closeRequested = true }
            }
        }
        self.outcome.bodyBytesReceived += self.received.count
        self.received.removeAll(keepingCapacity: true)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(self.drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
