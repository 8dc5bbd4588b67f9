import Foundation
import HeedTestSupport
import Testing

@testable import HeedCLI

#if canImport(Glibc)
import Glibc
#endif

/// A body file that cannot be opened: `heed request` exits 26 (curl's "read error", as `curl -T missing` does) with
/// the path and the system's error by name, whichever option named the file.
@Suite(.timeLimit(.minutes(1))) struct RequestBodyFileTests {
    /// The options that take a body from a file: streamed (`--data-binary`, `--json`) or read into memory (`-d`).
    static let options = ["--data-binary", "-d", "--json"]

    /// A fresh directory for one test's files; the caller removes it.
    static func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heed-body-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    /// Runs `option @path` against a port nothing listens on: the file is refused before any connection.
    static func run(_ option: String, _ path: String) async throws -> RequestRunner.Result {
        await RequestRunner.run(
            try RequestTestSupport.options(["-m", "10", option, "@\(path)", "http://127.0.0.1:1/"])
        )
    }

    /// A file that does not exist: ENOENT.
    @Test(arguments: Self.options) func missingFile(_ option: String) async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/missing.bin"
        let result = try await Self.run(option, path)
        #expect(result.exitCode == 26)
        #expect(
            result.stderr == "heed: could not open the body file '\(path)': ENOENT (No such file or directory)\n",
            "\(result.stderr)"
        )
    }

    /// A path that goes through a regular file as if it were a directory: ENOTDIR.
    @Test(arguments: Self.options) func pathThroughAFile(_ option: String) async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/file.txt"))
        let path = directory + "/file.txt/body.bin"
        let result = try await Self.run(option, path)
        #expect(result.exitCode == 26)
        #expect(
            result.stderr.contains("could not open the body file '\(path)': ENOTDIR (Not a directory)"),
            "\(result.stderr)"
        )
    }

    /// A symbolic link that leads back to itself: ELOOP.
    @Test(arguments: Self.options) func symbolicLinkLoop(_ option: String) async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/loop"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: path)
        let result = try await Self.run(option, path)
        #expect(result.exitCode == 26)
        #expect(
            result.stderr.contains("could not open the body file '\(path)': ELOOP (Too many levels of symbolic links)"),
            "\(result.stderr)"
        )
    }

    /// A directory: EISDIR, when it is looked at (`--data-binary`, `--json`) or when it is read (`-d`).
    @Test(arguments: Self.options) func directory(_ option: String) async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await Self.run(option, directory)
        #expect(result.exitCode == 26)
        #expect(result.stderr.contains("the body file '\(directory)': EISDIR (Is a directory)"), "\(result.stderr)")
    }

    /// A file without read permission: EACCES. Root reads any file, so this case cannot happen there.
    @Test(
        .enabled(if: geteuid() != 0, "root reads any file whatever its mode, so there is no EACCES to provoke"),
        arguments: Self.options
    )
    func unreadableFile(_ option: String) async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/secret.bin"
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, 0) == 0)
        let result = try await Self.run(option, path)
        #expect(result.exitCode == 26)
        #expect(
            result.stderr.contains("could not open the body file '\(path)': EACCES (Permission denied)"),
            "\(result.stderr)"
        )
    }

    /// A `--data-binary @file` that is gone when its body is sent (the peer removes it on the request head, sent
    /// with Expect: 100-continue before the body is opened, then answers 100 Continue) fails with ENOENT, exit 26.
    @Test func fileRemovedBeforeItIsSent() async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/body.bin"
        try Data("12345".utf8).write(to: URL(fileURLWithPath: path))
        let (result, removed) = try await RequestTestSupport.sendBodyFile(path) {
            (try? FileManager.default.removeItem(atPath: path)) != nil
        }
        #expect(removed == true)
        #expect(result.exitCode == 26, "\(result.stderr)")
        #expect(
            result.stderr.contains("could not open the body file '\(path)': ENOENT (No such file or directory)"),
            "\(result.stderr)"
        )
    }
}
