import ArgumentParser
import Foundation

extension HeedCommand {
    /// The commands that speak curl's dialect and so exit 2 on bad usage, as curl does, instead of
    /// argument-parser's 64.
    static let curlStyleCommands: Set<String> = ["request", "get", "post", "put"]

    /// Parses the process's arguments, runs the command and exits; like `AsyncParsableCommand.main()`, except that
    /// usage errors of the curl-style commands exit 2.
    public static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try Self.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = Self.exitCode(for: error)
            guard code == .validationFailure, let first = arguments.first, Self.curlStyleCommands.contains(first)
            else {
                Self.exit(withError: error)
            }
            StandardStreams.writeError(Self.fullMessage(for: error) + "\n")
            Foundation.exit(2)
        }
    }
}
