/// Renders a run's two timelines side by side: time, then what the client did, then what the server did.
public struct TimelineRenderer: Sendable {
    /// Whether to use ANSI colours.
    public var colour: Bool
    /// The width of each of the two text columns.
    public var columnWidth: Int

    /// Creates a renderer.
    public init(colour: Bool, columnWidth: Int = 52) {
        self.colour = colour
        self.columnWidth = columnWidth
    }

    /// The two-column timeline of `run`, one line per event (long texts wrap within their column).
    public func render(_ run: ScenarioRun) -> String {
        var lines = [
            "  " + "time".padding(to: 16) + "client".padding(to: self.columnWidth) + "│ server",
            "  " + String(repeating: "─", count: 16 + self.columnWidth) + "┼" + String(repeating: "─", count: 30),
        ]
        for event in run.timeline {
            let wrapped = Self.wrap(self.marker(for: event) + event.text, width: self.columnWidth - 2)
            for (index, piece) in wrapped.enumerated() {
                let time = index == 0 ? Self.time(event) : ""
                let painted = self.paint(piece, for: event)
                let pad = String(repeating: " ", count: max(1, self.columnWidth - piece.count))
                switch event.side {
                case .client: lines.append("  " + time.padding(to: 16) + painted + pad + "│")
                case .server:
                    lines.append(
                        "  " + time.padding(to: 16) + String(repeating: " ", count: self.columnWidth) + "│ " + painted
                    )
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `+4.4 ms`, or `+0.6–6.2 ms` for a merged run of transfers.
    static func time(_ event: TimelineEvent) -> String {
        let start = Self.milliseconds(event.atMicroseconds)
        guard let until = event.untilMicroseconds, until - event.atMicroseconds >= 100 else { return "+\(start) ms" }
        return "+\(start)–\(Self.milliseconds(until)) ms"
    }

    private static func milliseconds(_ microseconds: Int64) -> String {
        let tenths = microseconds / 100
        return "\(tenths / 10).\(tenths % 10)"
    }

    private func marker(for event: TimelineEvent) -> String {
        switch event.kind {
        case .responseLost: "✗ "
        case .error, .giveUp: "! "
        case .response: "→ "
        default: ""
        }
    }

    private func paint(_ text: String, for event: TimelineEvent) -> String {
        guard self.colour else { return text }
        let code: String? =
            switch event.kind {
            case .responseLost: "1;31"
            case .error, .giveUp: "31"
            case .reset: "35"
            case .response: event.side == .client ? "1;32" : "32"
            case .halfClose, .close, .endOfStream: "36"
            case .wait: "33"
            default: nil
            }
        guard let code else { return text }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// Splits `text` into lines of at most `width` characters, at spaces where possible.
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = Substring(word)
            while word.count > width {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
