import ArgumentParser
import Foundation
import HeedCore
import NIOPosix

/// `heed probe URL`: checks a server's teardown manners without harming it.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Check how a server answers Expect, oversized uploads, idle keep-alive and unread bodies.",
        discussion: """
            One connection at a time, only to the URL's host, every size and wait bounded: a POST of 1 KiB with \
            Expect: 100-continue; an upload announced at --upload-size that keeps sending after an early answer \
            to see whether the server lingers or resets; a GET followed by up to --idle-wait seconds of silence; \
            a GET with a 1 KiB body followed by a second GET on the same connection. Exit 0 when every probe \
            ran (whatever the verdicts), 7 when the server cannot be reached, 2 on bad usage.
            """
    )

    @Argument(help: "The http:// URL whose host and path to probe.")
    var url: String

    @Option(name: .customLong("upload-size"), help: "Bytes the oversized-upload probe announces (at most 64 MiB).")
    var uploadSize: Int64 = 16 * 1024 * 1024

    @Option(name: .customLong("idle-wait"), help: "Seconds to wait for an idle connection to be closed (at most 120).")
    var idleWait: Double = 20

    @Flag(name: .customLong("json"), help: "Print the observations and verdicts as JSON.")
    var json = false

    func validate() throws {
        guard self.uploadSize > 0 && self.uploadSize <= 64 * 1024 * 1024 else {
            throw ValidationError("--upload-size takes 1 to 67108864 bytes.")
        }
        guard self.idleWait > 0 && self.idleWait <= 120 else {
            throw ValidationError("--idle-wait takes 0 to 120 seconds.")
        }
    }

    func run() async throws {
        let console = HeedConsole.current
        let url: HTTPURL
        do {
            url = try HTTPURL(parsing: self.url)
        } catch {
            console.errorLine("heed: \(error.description)")
            throw ExitCode(3)
        }
        guard !url.isTLS else {
            console.errorLine("heed: heed probe speaks http:// only.")
            throw ExitCode(2)
        }
        var settings = Prober.Settings(host: url.host, port: url.port, target: url.target, authority: url.authority)
        settings.uploadBytes = self.uploadSize
        settings.idleWait = .milliseconds(Int64(self.idleWait * 1000))
        let prober = Prober(settings: settings)
        let observations: ProbeObservations
        do {
            observations = try await NIOThreadPool.singleton.runIfActive { try prober.run() }
        } catch let error as ProbeError {
            console.errorLine("heed: \(error.description)")
            throw ExitCode(7)
        }
        let verdicts = ProbeVerdict.verdicts(for: observations)
        if self.json {
            console.line(try Self.json(observations, verdicts))
        } else {
            console.writeOutput(ProbeReport.render(url: self.url, verdicts: verdicts))
        }
    }

    private static func json(_ observations: ProbeObservations, _ verdicts: [ProbeVerdict]) throws -> String {
        struct Document: Encodable {
            var observations: ProbeObservations
            var verdicts: [ProbeVerdict]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(
            decoding: try encoder.encode(Document(observations: observations, verdicts: verdicts)),
            as: UTF8.self
        )
    }
}
