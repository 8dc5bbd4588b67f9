import HeedCore
import NIOCore
import NIOHTTP1

/// An exchange's timeline while it is recorded, shared by the client and the connection that runs the exchange.
///
/// One storage for the whole request, so that handing the timeline to the connection and back copies nothing.
/// Only one side touches it at a time: the client until it starts an exchange on the connection's event loop
/// (`EventLoop.execute` orders the two), the connection until it completes the exchange's promise (which
/// orders it before the client's next read); the connection stops recording before it completes the promise.
final class TimelineRecord: @unchecked Sendable {
    var timeline: ExchangeTimeline
    /// `NIODeadline.uptimeNanoseconds` at the timeline's zero.
    let start: UInt64

    init(_ timeline: ExchangeTimeline, start: UInt64) {
        self.timeline = timeline
        self.start = start
    }

    /// Records `kind` now.
    func record(_ kind: ExchangeEvent.Kind) {
        let now = NIODeadline.now().uptimeNanoseconds
        self.timeline.record(kind, at: now > self.start ? now - self.start : 0)
    }
}

/// The connection's side of an exchange's timeline: the record it writes into while the exchange runs.
struct ExchangeRecorder {
    /// The current exchange's record; `nil` between exchanges or when recording is off.
    private var record: TimelineRecord?

    /// Whether an exchange is being recorded.
    var isRecording: Bool { self.record != nil }

    /// A copy of the timeline so far, for a failure to carry.
    var timeline: ExchangeTimeline? { self.record?.timeline }

    /// Whether the timeline so far has a reset in it.
    var sawReset: Bool { self.record?.timeline.sawReset ?? false }

    /// Goes on recording into `record` (which holds what the client recorded so far).
    mutating func begin(_ record: TimelineRecord?) {
        self.record = TimelineRecording.isEnabled ? record : nil
    }

    /// Stops recording; from now on the client owns the record again.
    mutating func end() {
        self.record = nil
    }

    /// Records `kind` at `time`.
    func record(_ kind: ExchangeEvent.Kind, at time: NIODeadline) {
        guard let record = self.record else { return }
        let now = time.uptimeNanoseconds
        record.timeline.record(kind, at: now > record.start ? now - record.start : 0)
    }

    /// About how many bytes `head` takes on the wire.
    static func estimatedSize(of head: HTTPRequestHead) -> Int {
        var size = head.method.rawValue.utf8.count + head.uri.utf8.count + 12
        for (name, value) in head.headers { size += name.utf8.count + value.utf8.count + 4 }
        return size + 2
    }
}
