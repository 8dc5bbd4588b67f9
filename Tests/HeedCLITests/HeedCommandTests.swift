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

    /// `heed serve` refuses timeouts it cannot represent (1e30 seconds used to trap converting to nanoseconds) and
    /// accepts sensible ones.
    @Test(arguments: ["1e30", "0", "-1", "nan", "86401"])
    func serveRefusesUnusableTimeouts(value: String) {
        for option in ["--idle-timeout", "--header-timeout"] {
            #expect(throws: (any Error).self, "\(option) \(value)") {
                try HeedCommand.parseAsRoot(["serve", "--dir", "/tmp", option, value])
            }
        }
    }

    /// `heed serve --grace-period` takes 0 (stop at once) to 86400 seconds.
    @Test func serveGracePeriodIsBounded() throws {
        for value in ["0", "2.5", "86400"] {
            _ = try HeedCommand.parseAsRoot(["serve", "--dir", "/tmp", "--grace-period", value])
        }
        for value in ["-1", "nan", "1e30"] {
            #expect(throws: (any Error).self, "\(value)") {
                try HeedCommand.parseAsRoot(["serve", "--dir", "/tmp", "--grace-period", value])
            }
        }
    }

    @Test func serveAcceptsSensibleTimeouts() throws {
        _ = try HeedCommand.parseAsRoot(["serve", "--dir", "/tmp", "--idle-timeout", "0.5", "--header-timeout", "30"])
    }
}
