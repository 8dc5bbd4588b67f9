import Foundation
import HeedCore

/// What `--report-json FILE` writes: for every URL of the call, the outcome, the diagnosis and the timeline, so a
/// bug report can carry the whole story.
struct RequestReport: Encodable {
    /// One URL's exchange.
    struct Entry: Encodable {
        /// The URL as given.
        var url: String
        /// `"response"` when a response arrived, otherwise `"failure"`.
        var outcome: String
        /// The final status, when a response arrived.
        var status: Int?
        /// The exit code this exchange alone would give.
        var exitCode: Int32
        /// One sentence: the diagnosis summary, or what went wrong before the exchange began.
        var summary: String
        /// The whole diagnosis (phase, peer action, causes, advice, catalogue name, notes), when there is a timeline.
        var diagnosis: Diagnosis?
        /// Notes on how the exchange went (a retried stale connection, an early answer).
        var notes: [String]
        /// What happened, event by event, when the client recorded it.
        var timeline: ExchangeTimeline?
    }

    /// The version of `heed` that wrote the report.
    var heedVersion = HeedCommand.version
    /// Every exchange of the call, in order.
    var exchanges: [Entry] = []

    /// Writes the report as pretty JSON to `path`, replacing the file atomically.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var data = try encoder.encode(self)
        data.append(10)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
