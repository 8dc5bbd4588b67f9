import ArgumentParser
import HeedCLI
import Testing

@Suite struct HeedCommandTests {
    /// `heed --version` is handled by the root command and names the package version.
    @Test func versionFlagPrintsVersion() throws {
        #expect(throws: (any Error).self) { try HeedCommand.parseAsRoot(["--version"]) }
        #expect(HeedCommand.configuration.version == HeedCommand.version)
        #expect(HeedCommand.version.split(separator: ".").count == 3)
    }

    /// An unknown subcommand is a usage error, not a crash.
    @Test func unknownSubcommandIsAUsageError() {
        #expect(throws: (any Error).self) { try HeedCommand.parseAsRoot(["no-such-command"]) }
    }
}
