/// Records one side's events as offsets from a shared start, merging consecutive sends and receives.
///
/// A recorder belongs to the one thread or task that drives its side of the connection.
struct TimelineRecorder {
    private let start: ContinuousClock.Instant
    private let side: TimelineEvent.Side
    private(set) var events: [TimelineEvent] = []

    init(start: ContinuousClock.Instant, side: TimelineEvent.Side) {
        self.start = start
        self.side = side
    }

    /// Microseconds since the run's start.
    var now: Int64 {
        Self.microseconds(ContinuousClock.now - self.start)
    }

    /// Records an event that happens now, or that began at `at` (microseconds since the start).
    mutating func record(
        _ kind: TimelineEvent.Kind,
        _ text: String,
        bytes: Int? = nil,
        errno: ErrnoInfo? = nil,
        at: Int64? = nil
    ) {
        self.events.append(
            TimelineEvent(
                atMicroseconds: at ?? self.now,
                side: self.side,
                kind: kind,
                bytes: bytes,
                errno: errno,
                text: text
            )
        )
    }

    /// Records `count` bytes sent or received, adding to the previous event if it was the same kind with the same
    /// label.
    mutating func transfer(_ kind: TimelineEvent.Kind, _ count: Int, label: String) {
        let now = self.now
        if var last = self.events.last, last.kind == kind, last.text.hasSuffix(label) {
            let total = (last.bytes ?? 0) + count
            last.bytes = total
            last.untilMicroseconds = now
            last.text = Self.transferText(kind, total, label: label)
            self.events[self.events.count - 1] = last
        } else {
            self.events.append(
                TimelineEvent(
                    atMicroseconds: now,
                    side: self.side,
                    kind: kind,
                    bytes: count,
                    text: Self.transferText(kind, count, label: label)
                )
            )
        }
    }

    static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    private static func transferText(_ kind: TimelineEvent.Kind, _ count: Int, label: String) -> String {
        let verb = kind == .send ? "sent" : "read"
        return "\(verb) \(ByteCount.format(count)) \(label)"
    }
}

/// Formats byte counts for people: `143 B`, `64 KiB`, `8 MiB`, `2.5 MiB`.
public enum ByteCount {
    /// Formats `count` bytes in binary units.
    public static func format(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return "\(text) \(units[unit])"
    }
}
