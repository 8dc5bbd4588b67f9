/// The result of grading one client: one run per scenario, renderable as text, Markdown or JSON.
public struct GradeReport: Sendable, Hashable, Codable {
    /// The client's name.
    public var client: String
    /// One run per scenario, in order.
    public var runs: [ScenarioRun]

    /// Creates a report.
    public init(client: String, runs: [ScenarioRun]) {
        self.client = client
        self.runs = runs
    }

    /// How many scenarios the client passed.
    public var passed: Int { self.runs.count { $0.verdict.grade == .pass } }

    /// One line of the text matrix: `early-reject-rst      PASS  got 413`.
    public static func textRow(_ run: ScenarioRun, colour: Bool) -> String {
        let name = run.scenario.padding(to: 24)
        let grade = run.verdict.grade.rawValue
        let painted = colour ? Self.paint(grade, for: run.verdict.grade) : grade
        return "\(name)\(painted)  \(run.verdict.reason)"
    }

    /// The whole matrix as text, with a header and a summary line.
    public func text(colour: Bool) -> String {
        var lines = ["\("scenario".padding(to: 24))verdict  (\(self.client))"]
        lines += self.runs.map { Self.textRow($0, colour: colour) }
        lines.append("\(self.client): \(self.passed)/\(self.runs.count) scenarios passed")
        return lines.joined(separator: "\n")
    }

    /// The matrix as a Markdown table.
    public func markdown() -> String {
        var lines = ["| scenario | \(self.client) | what the client reported |", "|---|---|---|"]
        for run in self.runs {
            let reason = run.verdict.reason.replacingPipes()
            lines.append("| `\(run.scenario)` | \(run.verdict.grade.rawValue) | \(reason) |")
        }
        return lines.joined(separator: "\n")
    }

    private static func paint(_ text: String, for grade: Verdict.Grade) -> String {
        let code =
            switch grade {
            case .pass: "32"
            case .fail: "31"
            case .hang: "33"
            }
        return "\u{1B}[1;\(code)m\(text)\u{1B}[0m"
    }
}

extension String {
    /// The string padded with spaces to at least `width` characters.
    func padding(to width: Int) -> String {
        self.count >= width ? self + " " : self + String(repeating: " ", count: width - self.count)
    }

    fileprivate func replacingPipes() -> String {
        String(self.map { $0 == "|" ? "/" : $0 })
    }
}
