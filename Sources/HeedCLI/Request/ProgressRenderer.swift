import HeedCore

/// Draws one line of the progress bar from plain values: no clock, no terminal, so tests can check every line.
///
/// Upload and download are shown separately; once the server has answered before the upload was complete, the
/// upload part says so ("server answered 413 after 1.2 MB — upload stopped").
enum ProgressRenderer {
    /// What the progress bar knows at one moment.
    struct Snapshot: Sendable, Equatable {
        /// Request body bytes the connection accepted so far.
        var uploaded: Int64 = 0
        /// The request body's length, if known; nil also when there is no body.
        var uploadTotal: Int64?
        /// Whether there is a request body at all.
        var hasUpload = false
        /// How long the upload has been running (or ran, once it ended).
        var uploadElapsed: Duration = .zero
        /// Response body bytes received so far.
        var downloaded: Int64 = 0
        /// The response body's length from Content-Length, if given.
        var downloadTotal: Int64?
        /// How long the download has been running, from the response head.
        var downloadElapsed: Duration = .zero
        /// The final status, once the response head arrived.
        var status: Int?
        /// Whether the response head arrived before the upload was complete.
        var answeredEarly = false
    }

    /// The progress line for `snapshot`, without the carriage return.
    static func line(_ snapshot: Snapshot) -> String {
        var parts: [String] = []
        if snapshot.hasUpload {
            if snapshot.answeredEarly, let status = snapshot.status {
                let total = snapshot.uploadTotal.map { " of \(HumanUnits.bytes($0))" } ?? ""
                parts.append(
                    "up: server answered \(status) after \(HumanUnits.bytes(snapshot.uploaded))\(total) — upload stopped"
                )
            } else {
                parts.append("up " + Self.direction(snapshot.uploaded, snapshot.uploadTotal, snapshot.uploadElapsed))
            }
        }
        if let status = snapshot.status {
            parts.append(
                "down " + Self.direction(snapshot.downloaded, snapshot.downloadTotal, snapshot.downloadElapsed)
                    + " (\(status))"
            )
        } else {
            parts.append("down waiting for the response")
        }
        return parts.joined(separator: " | ")
    }

    /// "1.2 MB of 32.0 MB 4% 3.4 MB/s ETA 9s", or without total, percentage and ETA when the length is unknown.
    static func direction(_ done: Int64, _ total: Int64?, _ elapsed: Duration) -> String {
        let rate = Self.rate(bytes: done, elapsed: elapsed)
        var text = HumanUnits.bytes(done)
        if let total, total > 0 {
            let percent = min(100, done * 100 / total)
            text += " of \(HumanUnits.bytes(total)) \(percent)%"
        }
        text += " \(HumanUnits.bytes(rate))/s"
        if let total, total > done {
            text += rate > 0 ? " ETA \(Self.clock(seconds: (total - done) / rate))" : " ETA --"
        }
        return text
    }

    /// Bytes per second over `elapsed`; 0 before any time has passed.
    static func rate(bytes: Int64, elapsed: Duration) -> Int64 {
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return 0 }
        return bytes * 1000 / milliseconds
    }

    /// "9s", "2m05s", "1h02m".
    static func clock(seconds: Int64) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" + Self.twoDigits(seconds % 60) + "s" }
        return "\(seconds / 3600)h" + Self.twoDigits(seconds % 3600 / 60) + "m"
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
