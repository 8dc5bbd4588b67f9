import HeedCore

/// The text `heed probe` prints: one block per behaviour with its verdict and what it means for clients.
enum ProbeReport {
    /// The report for `verdicts` of the server at `url`.
    static func render(url: String, verdicts: [ProbeVerdict]) -> String {
        var text = "heed probe \(url)\n\n"
        let width = (verdicts.map(\.behaviour.count).max() ?? 0) + 2
        for verdict in verdicts {
            let name = verdict.behaviour.padding(toLength: width)
            let grade = verdict.grade.rawValue.uppercased().padding(toLength: 8)
            text += "\(name)\(grade)\(verdict.finding)\n"
            text += String(repeating: " ", count: width + 8) + "→ \(verdict.meaning)\n"
        }
        let bad = verdicts.filter { $0.grade == .bad }.count
        let caution = verdicts.filter { $0.grade == .caution }.count
        text +=
            "\n\(verdicts.count) behaviours: \(verdicts.count - bad - caution) good, \(caution) caution, \(bad) bad.\n"
        return text
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        self.count >= length ? self + " " : self + String(repeating: " ", count: length - self.count)
    }
}
