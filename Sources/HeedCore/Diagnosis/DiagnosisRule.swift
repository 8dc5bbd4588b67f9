/// One entry of the diagnosis table: when it applies and what it says.
struct DiagnosisRule: Sendable {
    /// A stable name, used in tests, the report and docs/diagnosis.md.
    let name: String
    /// Whether the rule explains these facts.
    let matches: @Sendable (DiagnosisFacts) -> Bool
    /// The diagnosis, built only when ``matches`` returned `true`. Its `rule` is filled in by the engine.
    let build: @Sendable (DiagnosisFacts) -> Diagnosis
}

/// A remark added to whichever diagnosis the rules produce; `nil` when it does not apply.
struct DiagnosisNoteRule: Sendable {
    let name: String
    let note: @Sendable (DiagnosisFacts) -> String?
}

extension DiagnosisRule {
    /// The rules in priority order: the first that matches explains the exchange. The last always matches.
    static let table: [DiagnosisRule] = [
        .resolutionFailed,
        .connectTimeout,
        .setupTimeout,
        .connectRefused,
        .connectFailed,
        .tlsFailed,
        // An early rejection tells its own story, cut short or not; any other response that ended early is the
        // failure, even one that answered before the body was sent.
        .earlyRejection,
        .responseCutShort,
        .earlyAnswer,
        .readIdleTimeout,
        .requestTimeout,
        .staleConnectionClosed,
        .closedBeforeRequest,
        .resetWhileSendingBody,
        .closedWhileSendingBody,
        .resetWithoutResponse,
        .closedWithoutResponse,
        .cancelledByUs,
        .completed,
        .unexplainedFailure,
    ]
}

extension DiagnosisNoteRule {
    /// The note rules, in the order their notes appear.
    static let table: [DiagnosisNoteRule] = [
        .staleConnectionRetried,
        .otherRetry,
        .continueWaitExpired,
        .writeFailedResponseRecovered,
    ]
}
