import Foundation

/// Where the `heed` commands write: results to standard output, diagnostics to standard error.
///
/// Commands write through ``HeedConsole/current``, a task-local value, so tests can capture what a command prints
/// by running it inside `HeedConsole.$current.withValue(...)`.
public struct HeedConsole: Sendable {
    /// Writes text to the results stream.
    public var writeOutput: @Sendable (String) -> Void
    /// Writes text to the diagnostics stream.
    public var writeError: @Sendable (String) -> Void

    /// Creates a console from two writers.
    ///
    /// - Parameters:
    ///   - writeOutput: Receives results (standard output).
    ///   - writeError: Receives diagnostics (standard error).
    public init(writeOutput: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void) {
        self.writeOutput = writeOutput
        self.writeError = writeError
    }

    /// The process's standard output and standard error.
    public static let standard = HeedConsole(
        writeOutput: { text in StandardStreams.writeOutputText(text) },
        writeError: { text in StandardStreams.writeError(text) }
    )

    /// The console the commands of the current task write to.
    @TaskLocal public static var current: HeedConsole = .standard

    /// Writes one line of results.
    func line(_ text: String = "") {
        self.writeOutput(text + "\n")
    }

    /// Writes one line of diagnostics.
    func errorLine(_ text: String) {
        self.writeError(text + "\n")
    }
}
