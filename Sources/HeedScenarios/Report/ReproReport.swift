/// The text `heed repro` prints: the story, each client's two-column timeline, what went wrong, and why.
public struct ReproReport: Sendable {
    /// The scenario that ran.
    public var scenario: Scenario
    /// One run per client, in the order they ran, each with the title to show above it.
    public var runs: [(title: String, run: ScenarioRun)]
    /// Whether to use ANSI colours.
    public var colour: Bool

    /// Creates a report.
    public init(scenario: Scenario, runs: [(title: String, run: ScenarioRun)], colour: Bool) {
        self.scenario = scenario
        self.runs = runs
        self.colour = colour
    }

    /// The whole report.
    public func render() -> String {
        var parts = [
            self.bold("heed repro \(self.scenario.name)") + ": the server " + self.scenario.summary,
            TimelineRenderer.wrap(self.scenario.story, width: 100).joined(separator: "\n"),
        ]
        let renderer = TimelineRenderer(colour: self.colour)
        for (index, entry) in self.runs.enumerated() {
            parts.append(self.bold("\(index + 1). \(entry.title)"))
            parts.append(renderer.render(entry.run))
            parts.append(self.summary(of: entry.run))
        }
        parts.append(self.bold("What happened"))
        parts.append(TimelineRenderer.wrap(self.explanation(), width: 100).joined(separator: "\n"))
        return parts.joined(separator: "\n\n") + "\n"
    }

    // MARK: - Pieces

    /// The lines under one client's timeline: the error and its Windows twin, the lost response, the verdict.
    func summary(of run: ScenarioRun) -> String {
        var lines: [String] = []
        if let errno = run.outcome.errno {
            var line = "  \(run.client) got \(errno)"
            if let windows = errno.windowsDescription { line += "; on Windows the same moment is \(windows)" }
            lines.append(line + ".")
        }
        if let lost = run.outcome.timeline.first(where: { $0.kind == .responseLost }) {
            let response = run.peer.timeline.first { $0.kind == .response }
            let what = response.map { $0.text.replacingFirst("wrote ", with: "") } ?? "the response"
            let text = "  The response was lost: \(what) had arrived, \(ByteCount.format(lost.bytes ?? 0)) sat unread."
            lines.append(self.colour ? "\u{1B}[1;31m\(text)\u{1B}[0m" : text)
        }
        if run.outcome.succeeded, let status = run.outcome.status {
            let sent = run.peer.requests.first.map {
                ", the server read \(ByteCount.format($0.bodyBytesRead)) of the body"
            }
            let text =
                "  \(run.client) delivered \(status) (\(ByteCount.format(run.outcome.responseBodyBytes ?? 0)) body)\(sent ?? "")."
            lines.append(self.colour ? "\u{1B}[1;32m\(text)\u{1B}[0m" : text)
        }
        lines.append("  Verdict: \(run.verdict)")
        return lines.joined(separator: "\n")
    }

    /// The plain-words explanation under the timelines.
    func explanation() -> String {
        var text = "A correct client \(self.scenario.correctClient)."
        let naive = self.runs.first { $0.run.client == "naive" }?.run
        if let naive, let errno = naive.outcome.errno,
            naive.outcome.timeline.contains(where: { $0.kind == .responseLost })
        {
            text =
                "The server answered before it read the body and then closed with request bytes still unread, so "
                + "its kernel reset the connection (RST) instead of closing it (FIN). The naive client was still "
                + "writing: its next write failed with \(errno.name)"
                + (errno.windowsDescription.map { " (Windows: \($0))" } ?? "")
                + ", and because it gives up on the first error it never read the response that was already "
                + "waiting in its receive buffer. Its user sees \"\(errno.message)\" instead of the server's answer. "
                + text
                + " RFC 9112 §9.6 asks exactly that of a client that sends a body: keep reading while you send."
        }
        if let heed = self.runs.first(where: { $0.run.client == "heed" })?.run {
            if heed.verdict.grade == .pass, heed.outcome.succeeded, let status = heed.outcome.status {
                let bytes = ByteCount.format(heed.outcome.responseBodyBytes ?? 0)
                text += " Heed's client does: it delivered the \(status) with its \(bytes) body."
            } else if heed.verdict.grade == .pass {
                text += " Heed's client does: \(heed.outcome.report)"
            } else {
                text += " Heed's client: \(heed.verdict)."
            }
        }
        return text
    }

    private func bold(_ text: String) -> String {
        self.colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = self.firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + self[range.upperBound...]
    }
}
