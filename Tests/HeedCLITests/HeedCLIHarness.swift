import ArgumentParser
import HeedCLI
import Synchronization

/// Runs `heed` commands in-process and captures what they print.
struct HeedCLIHarness {
    /// What one command run printed, and how it ended.
    struct Outcome {
        var output: String
        var error: String
        var exitCode: Int32
        /// The argument-parser error text, for usage errors thrown while parsing or validating.
        var thrownMessage: String
    }

    private final class Buffer: Sendable {
        private let text = Mutex<(output: String, error: String)>(("", ""))

        func appendOutput(_ piece: String) { self.text.withLock { $0.output += piece } }
        func appendError(_ piece: String) { self.text.withLock { $0.error += piece } }
        var contents: (output: String, error: String) { self.text.withLock { $0 } }
    }

    /// Parses `arguments` as `heed` does, runs the command with a capturing console and returns what happened.
    static func run(_ arguments: [String]) async -> Outcome {
        let buffer = Buffer()
        let console = HeedConsole(
            writeOutput: { buffer.appendOutput($0) },
            writeError: { buffer.appendError($0) }
        )
        var exitCode: Int32 = 0
        var thrownMessage = ""
        do {
            var command = try HeedCommand.parseAsRoot(arguments)
            try await HeedConsole.$current.withValue(console) {
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            }
        } catch {
            exitCode = HeedCommand.exitCode(for: error).rawValue
            thrownMessage = HeedCommand.message(for: error)
        }
        let (output, error) = buffer.contents
        return Outcome(output: output, error: error, exitCode: exitCode, thrownMessage: thrownMessage)
    }
}
