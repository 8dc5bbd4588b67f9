import Synchronization
import Testing

@testable import HeedCLI

@Suite struct ProgressRendererTests {
    /// Upload and download each show bytes, total, percentage, rate and ETA.
    @Test func showsBothDirections() {
        var snapshot = ProgressRenderer.Snapshot()
        snapshot.hasUpload = true
        snapshot.uploaded = 1_000_000
        snapshot.uploadTotal = 4_000_000
        snapshot.uploadElapsed = .seconds(2)
        #expect(
            ProgressRenderer.line(snapshot) == "up 1 MB of 4 MB 25% 500 KB/s ETA 6s | down waiting for the response"
        )
        snapshot.uploaded = 4_000_000
        snapshot.uploadElapsed = .seconds(4)
        snapshot.status = 200
        snapshot.downloaded = 250_000
        snapshot.downloadTotal = 1_000_000
        snapshot.downloadElapsed = .milliseconds(500)
        #expect(
            ProgressRenderer.line(snapshot)
                == "up 4 MB of 4 MB 100% 1 MB/s | down 250 KB of 1 MB 25% 500 KB/s ETA 1s (200)"
        )
    }

    /// An early answer replaces the upload part with the moment the server answered.
    @Test func marksTheEarlyAnswer() {
        var snapshot = ProgressRenderer.Snapshot()
        snapshot.hasUpload = true
        snapshot.uploaded = 1_200_000
        snapshot.uploadTotal = 32_000_000
        snapshot.status = 413
        snapshot.answeredEarly = true
        #expect(
            ProgressRenderer.line(snapshot)
                == "up: server answered 413 after 1.2 MB of 32 MB — upload stopped | down 0 B 0 B/s (413)"
        )
    }

    /// Without a known length there is no percentage or ETA; with no time passed the rate is 0.
    @Test func unknownLengthAndZeroTime() {
        #expect(ProgressRenderer.direction(5000, nil, .seconds(1)) == "5 KB 5 KB/s")
        #expect(ProgressRenderer.direction(0, 100, .zero) == "0 B of 100 B 0% 0 B/s ETA --")
        #expect(ProgressRenderer.clock(seconds: 125) == "2m05s")
        #expect(ProgressRenderer.clock(seconds: 3720) == "1h02m")
    }

    /// The meter draws at most once per interval, always on the response head, and ends with a newline.
    @Test func meterThrottlesAndEnds() {
        let drawn = DrawnLines()
        let meter = ProgressMeter(isEnabled: true, interval: .seconds(3600)) { drawn.append($0) }
        meter.exchangeStarted(hasUpload: true, uploadTotal: 3000)
        meter.bodyBytesSent(1000)
        meter.bodyBytesSent(1000)
        meter.responseArrived(status: 413, length: 2, earlyAfter: 2000)
        meter.bodyBytesReceived(2)
        meter.exchangeEnded()
        // Once ended (or handed over to a body printed on the terminal), nothing more is drawn.
        meter.responseArrived(status: 200, length: nil)
        meter.exchangeEnded()
        let lines = drawn.lines
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("\r") })
        #expect(lines[1].contains("server answered 413 after 2 KB of 3 KB"))
        #expect(lines[2].hasSuffix("\n"))
        #expect(meter.snapshot.status == 200)
    }
}

/// Collects what a meter draws.
final class DrawnLines: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { self.storage.withLock { $0.append(line) } }
    var lines: [String] { self.storage.withLock { $0 } }
}
