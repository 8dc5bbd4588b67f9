import HeedCore
import NIOCore
import NIOHTTP1

/// The connection's side of an exchange's timeline: the timeline being recorded and its zero.
struct ExchangeRecorder {
    /// The current exchange's timeline; `nil` between exchanges or when recording is off.
    private(set) var timeline: ExchangeTimeline?
    /// Whether an exchange is being recorded (checked without copying the timeline).
    private(set) var isRecording = false
    /// `NIODeadline.uptimeNanoseconds` at the timeline's zero.
    private var start: UInt64 = 0

    /// Goes on recording into `timeline` (the events the client recorded so far), whose zero is `start`.
    mutating func begin(_ timeline: ExchangeTimeline?, start: UInt64) {
        self.timeline = TimelineRecording.isEnabled ? timeline : nil
        self.isRecording = self.timeline != nil
        self.start = start
        // The exchange still holds the client's copy: take storage of our own once, with room to grow.
        let recorded = self.timeline?.events.count ?? 0
        self.timeline?.reserveCapacity(recorded + 16)
    }

    /// Stops recording; the timeline went out with the exchange's outcome.
    mutating func end() {
        self.timeline = nil
        self.isRecording = false
    }

    /// Records `kind` at `time`.
    mutating func record(_ kind: ExchangeEvent.Kind, at time: NIODeadline) {
        let now = time.uptimeNanoseconds
        self.timeline?.record(kind, at: now > self.start ? now - self.start : 0)
    }

    /// About how many bytes `head` takes on the wire.
    static func estimatedSize(of head: HTTPRequestHead) -> Int {
        var size = head.method.rawValue.utf8.count + head.uri.utf8.count + 12
        for (name, value) in head.headers { size += name.utf8.count + value.utf8.count + 4 }
        return size + 2
    }
}
