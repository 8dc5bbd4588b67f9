public import ArgumentParser

/// The `heed` command-line tool: the root command that holds every subcommand.
public struct HeedCommand: AsyncParsableCommand {
    /// The version printed by `heed --version`.
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "heed",
        abstract: "HTTP/1.1 that understands how TCP connections end.",
        discussion: """
            Heed explains socket errors, reproduces the teardown failures behind \
            "connection reset by peer", grades HTTP clients against them, and makes \
            requests that never lose an early response.
            """,
        version: HeedCommand.version,
        subcommands: HeedCommand.allSubcommands
    )

    public init() {}
}
