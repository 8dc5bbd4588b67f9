/// Turns a recorded ``ExchangeTimeline`` into a ``Diagnosis``.
///
/// The engine is a table of rules in priority order (see docs/diagnosis.md): facts are derived once from the
/// timeline, the first rule that matches writes the diagnosis, and note rules add remarks such as "the request was
/// retried and succeeded". It is pure: the same timeline always gives the same diagnosis.
public enum DiagnosisEngine {
    /// Diagnoses an exchange.
    ///
    /// - Parameters:
    ///   - timeline: What the client recorded.
    ///   - error: The error that ended the exchange, if any. SwiftNIO errors that carry an errno (`IOError`), a
    ///     connect timeout (`ChannelError.connectTimeout`) or a failed name lookup (`SocketAddressError.UnknownHost`)
    ///     fill in what the timeline lacks; any other error's text is quoted when no rule explains the failure.
    /// - Returns: The diagnosis. For a successful exchange it says so and carries any notes.
    public static func diagnose(_ timeline: ExchangeTimeline, error: (any Error)? = nil) -> Diagnosis {
        let facts = DiagnosisFacts(timeline: timeline, error: error)
        var diagnosis = Self.outcome(facts)
        diagnosis.notes += DiagnosisNoteRule.table.compactMap { $0.note(facts) }
        return diagnosis
    }

    /// The diagnosis of the first matching rule, without notes.
    static func outcome(_ facts: DiagnosisFacts) -> Diagnosis {
        for rule in DiagnosisRule.table where rule.matches(facts) {
            var diagnosis = rule.build(facts)
            diagnosis.rule = rule.name
            return diagnosis
        }
        // Unreachable: the last rule always matches. Say so plainly rather than trap.
        return Diagnosis(
            summary: "The exchange ended while \(facts.phase).",
            phase: facts.phase,
            peerAction: .nothing,
            rule: "none"
        )
    }
}
