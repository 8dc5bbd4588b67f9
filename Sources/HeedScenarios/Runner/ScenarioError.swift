/// A scenario could not be run (as opposed to a client failing it).
public struct ScenarioError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case peerSetupFailed(scenario: String, reason: String)
        case unknownScenario(String)
        case bodyFileFailed(path: String, reason: String)
    }

    private let code: Code
    private init(_ code: Code) { self.code = code }

    /// The scripted peer's listening socket could not be opened.
    public static func peerSetupFailed(scenario: String, reason: String) -> Self {
        Self(.peerSetupFailed(scenario: scenario, reason: reason))
    }

    /// No scenario has this name.
    public static func unknownScenario(_ name: String) -> Self { Self(.unknownScenario(name)) }

    /// The request body file could not be written.
    public static func bodyFileFailed(path: String, reason: String) -> Self {
        Self(.bodyFileFailed(path: path, reason: reason))
    }

    public var description: String {
        switch self.code {
        case .peerSetupFailed(let scenario, let reason):
            "The scripted peer for '\(scenario)' could not listen on 127.0.0.1: \(reason)"
        case .unknownScenario(let name):
            "There is no scenario called '\(name)'; `heed repro --list` shows them all."
        case .bodyFileFailed(let path, let reason):
            "Could not write the request body file '\(path)': \(reason)"
        }
    }
}
