import ArgumentParser
import HTTPTypes
import HeedCore
import HeedServer
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `heed serve`: Run an upload server that closes the way RFC 9112 asks.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run an upload server that closes the way RFC 9112 asks.",
        discussion: """
            PUT or POST /NAME stores the request body as NAME in --dir (atomically: an aborted upload \
            leaves nothing behind); GET /NAME serves it back. The first line on stdout is the URL the \
            server listens on; then one log line per request goes to stderr. SIGTERM or SIGINT (Ctrl-C) \
            stops it gracefully: it stops accepting, closes idle connections, lets the requests in progress \
            finish (with Connection: close) for up to --grace-period seconds, then closes what is left and \
            exits with status 0; a second signal ends it at once.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free port.")
    var port = 8080

    @Option(help: "The directory that holds the uploaded files.")
    var dir = "."

    @Option(help: "The largest request body in bytes (suffixes K, M, G allowed).", transform: ServeCommand.parseSize)
    var maxBody = 64 * 1024 * 1024

    @Option(help: "Require 'Authorization: Bearer TOKEN' on every request; others get 401 before any body is read.")
    var requireToken: String?

    @Flag(help: "Close at once after an error response instead of lingering (shows what lingering prevents).")
    var noLinger = false

    @Option(help: "Seconds a client has to send a complete request head.")
    var headerTimeout: Double = 10

    @Option(help: "Seconds a connection may stay silent.")
    var idleTimeout: Double = 60

    @Option(help: "Seconds a stop (SIGTERM, SIGINT) waits for the requests in progress; 0 stops at once.")
    var gracePeriod: Double = 10

    @Flag(help: "Do not print the log line per request.")
    var quiet = false

    @Flag(help: .hidden)
    var hello = false

    func validate() throws {
        guard (0...65535).contains(self.port) else { throw ValidationError("--port must be between 0 and 65535.") }
        // Bounded, so that the seconds always convert to nanoseconds (1e30 used to trap; NaN fails both tests).
        guard (0.001...86_400).contains(self.headerTimeout), (0.001...86_400).contains(self.idleTimeout) else {
            throw ValidationError("--header-timeout and --idle-timeout take 0.001 to 86400 seconds.")
        }
        guard (0...86_400).contains(self.gracePeriod) else {
            throw ValidationError("--grace-period takes 0 to 86400 seconds.")
        }
        var info = stat()
        guard stat(self.dir, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ValidationError("--dir '\(self.dir)' is not a directory.")
        }
    }

    func run() async throws {
        var limits = ServerLimits()
        limits.maxBodySize = self.maxBody
        limits.headerReadTimeout = .nanoseconds(Int64(self.headerTimeout * 1e9))
        limits.idleTimeout = .nanoseconds(Int64(self.idleTimeout * 1e9))
        let configuration = HeedServerConfiguration(
            host: self.host,
            port: self.port,
            limits: limits,
            lingeringClose: self.noLinger ? nil : LingeringCloseConfiguration(),
            shutdownGracePeriod: .nanoseconds(Int64(self.gracePeriod * 1e9))
        )
        let logger = Logger(label: "heed.serve", factory: { StreamLogHandler.standardError(label: $0) })
        var accessLog: (@Sendable (ServerAccessRecord) -> Void)?
        if !self.quiet {
            accessLog = { record in
                let connection = record.closesConnection ? "close" : "keep-alive"
                let line =
                    "\(record.method) \(record.target) \(record.status.code) \(record.responseBodyBytes)B \(connection)"
                logger.notice(Logger.Message(stringLiteral: line))
            }
        }
        let routes = UploadRoutes(
            store: UploadStore(directory: self.dir),
            token: self.requireToken,
            maxBody: self.maxBody,
            hello: self.hello
        )
        let server = HeedServer(configuration: configuration, accessLog: accessLog, responder: routes.decide)
        let (host, port, gracePeriod) = (self.host, self.port, self.gracePeriod)
        // Caught before the server starts: a signal as soon as the URL is out must already stop it gracefully.
        try StopSignals.startCatching()
        defer { StopSignals.stopCatching() }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await server.run { address in
                        let shownHost = address.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? host
                        print("http://\(shownHost):\(address.port ?? port)/")
                        fflush(nil)
                    }
                }
                group.addTask {
                    guard let number = await StopSignals.next() else { return }
                    StopSignals.stopCatching()
                    logger.notice(
                        "\(StopSignals.name(number)): stopping, waiting up to \(gracePeriod) s for the requests in progress"
                    )
                }
                // A signal (or the server failing) ends the first task; cancelling the server stops it gracefully.
                try await group.next()
                group.cancelAll()
                try await group.waitForAll()
            }
        } catch let error as IOError {
            logger.error("Cannot listen on \(self.host):\(self.port): \(error.description)")
            throw ExitCode.failure
        }
    }

    static func parseSize(_ text: String) throws -> Int {
        let multipliers: [Character: Int] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024]
        var digits = Substring(text)
        var multiplier = 1
        if let last = digits.last?.uppercased().first, let value = multipliers[last] {
            multiplier = value
            digits = digits.dropLast()
        }
        guard let number = Int(digits), number >= 0, number <= Int.max / multiplier else {
            throw ValidationError("'\(text)' is not a size: use a number of bytes, optionally with K, M or G.")
        }
        return number * multiplier
    }
}
