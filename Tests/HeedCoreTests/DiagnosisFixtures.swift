import Testing

@testable import HeedCore

/// One recorded exchange and the diagnosis it must produce, word for word.
struct RuleCase: Sendable, CustomTestStringConvertible {
    var name: String
    var timeline: ExchangeTimeline
    var error: (any Error & Sendable)? = nil
    var rule: String
    var summary: String
    var phase: ExchangePhase
    var peerAction: PeerAction
    var catalogueName: String?
    var notes: [String] = []

    var testDescription: String {
        self.name
    }
}

/// Builds a timeline the way a client records one: the events in order, with times in microseconds since the start.
func recorded(
    method: String = "POST",
    target: String = "http://127.0.0.1:8080/upload",
    host: String = "127.0.0.1",
    port: Int = 8080,
    usesTLS: Bool = false,
    bodyLength: Int64? = 32_000_000,
    expectsContinue: Bool = false,
    _ events: [(UInt64, ExchangeEvent.Kind)]
) -> ExchangeTimeline {
    var timeline = ExchangeTimeline(
        method: method,
        target: target,
        host: host,
        port: port,
        usesTLS: usesTLS,
        requestBodyLength: bodyLength,
        expectsContinue: expectsContinue
    )
    for (micros, kind) in events {
        timeline.record(kind, at: micros * 1000)
    }
    return timeline
}

/// Events shared by most recordings.
enum Recording {
    static let connect: [(UInt64, ExchangeEvent.Kind)] = [
        (0, .connecting(address: "127.0.0.1:8080")),
        (180, .connected(local: "127.0.0.1:50412", remote: "127.0.0.1:8080")),
    ]
    static let connectAndSendHead = connect + [(250, .requestHeadSent(bytes: 150))]

    /// A body upload in 64 KB writes up to `bytes`, starting at `start` microseconds, one write per 100 µs.
    static func upload(to bytes: Int64, from start: UInt64 = 300) -> [(UInt64, ExchangeEvent.Kind)] {
        var events: [(UInt64, ExchangeEvent.Kind)] = []
        var sent: Int64 = 0
        var now = start
        while sent < bytes {
            sent = min(sent + 65_536, bytes)
            events.append((now, .bodyBytesSent(total: sent)))
            now += 100
        }
        return events
    }

    static let econnreset = SystemErrorInfo(linuxErrno: 104)
    static let epipe = SystemErrorInfo(linuxErrno: 32)
}

/// Runs one case and checks every pinned field.
func check(_ ruleCase: RuleCase, sourceLocation: SourceLocation = #_sourceLocation) {
    let diagnosis = DiagnosisEngine.diagnose(ruleCase.timeline, error: ruleCase.error)
    #expect(diagnosis.rule == ruleCase.rule, sourceLocation: sourceLocation)
    #expect(diagnosis.summary == ruleCase.summary, sourceLocation: sourceLocation)
    #expect(diagnosis.phase == ruleCase.phase, sourceLocation: sourceLocation)
    #expect(diagnosis.peerAction == ruleCase.peerAction, sourceLocation: sourceLocation)
    #expect(diagnosis.catalogueName == ruleCase.catalogueName, sourceLocation: sourceLocation)
    #expect(diagnosis.notes == ruleCase.notes, sourceLocation: sourceLocation)
    #expect(diagnosis.description == diagnosis.summary, sourceLocation: sourceLocation)
}
