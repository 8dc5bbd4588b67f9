import ArgumentParser
import Foundation
import HTTPTypes
import HeedClient
import HeedCore
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// `heed request URL`: curl's options, Heed's client.
///
/// Options that curl also has keep curl's names and meanings, so scripts can swap one for the
/// other. As with curl, any HTTP response (a 413 included) exits 0; failing to get one exits
/// non-zero with the reason on stderr, and the exit codes are curl's.
struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Send an HTTP request that never loses an early response.",
        discussion: """
            Exit codes follow curl: 0 any response; 2 bad usage; 3 malformed URL; 5 proxy unusable; \
            6 host not resolved; \
            7 connect failed; 22 HTTP status 400 or more with --fail; 23 output file not writable; \
            26 body file unreadable; 28 timeout; 35 TLS handshake failed; 47 too many redirects; 52 closed \
            without a response; 55 send failed; 56 receive failed or proxy refused; 60 server certificate not \
            trusted; 61 bad compressed body; 63 decompression limit; 77 CA file unusable. With several URLs, \
            the first failure's code.
            """
    )

    @Argument(help: "The http:// or https:// URL (without a scheme, http://).")
    var url: String

    @Option(name: [.customShort("X"), .customLong("request")], help: "The request method.")
    var method: String?

    @Option(
        name: [.customShort("H"), .customLong("header")],
        help: "A header field, 'Name: value'; 'Name:' removes it, 'Name;' sends it empty (repeatable)."
    )
    var headers: [String] = []

    @Option(
        name: [.customShort("d"), .customLong("data")],
        help: "Body text, or @file (newlines removed, as curl); repeated pieces are joined with '&'."
    )
    var data: [String] = []

    @Option(
        name: .customLong("data-binary"),
        help: "Body bytes exactly, or @file (streamed from disk); repeatable like -d."
    )
    var dataBinary: [String] = []

    @Option(name: [.customShort("u"), .customLong("user")], help: "Send 'user:password' with Basic authentication.")
    var user: String?

    @Option(name: [.customShort("A"), .customLong("user-agent")], help: "The User-Agent ('' sends none).")
    var userAgent: String?

    @Option(name: [.customShort("e"), .customLong("referer")], help: "The Referer header field.")
    var referer: String?

    @Flag(
        name: [.customShort("I"), .customLong("head")],
        help: "Send HEAD (with -X, that method) and print the response head only."
    )
    var head = false

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write the body to this file instead of stdout.")
    var output: String?

    @Flag(name: [.customShort("s"), .customLong("silent")], help: "Print no error messages.")
    var silent = false

    @Flag(name: [.customShort("S"), .customLong("show-error")], help: "With -s, still print errors.")
    var showError = false

    @Flag(name: [.customShort("i"), .customLong("include")], help: "Print the response head before the body.")
    var include = false

    @Option(
        name: [.customShort("w"), .customLong("write-out")],
        help: "Print this after the transfer (%{http_code} ...)."
    )
    var writeOut: String?

    @Option(name: [.customShort("m"), .customLong("max-time")], help: "Seconds the whole request may take.")
    var maxTime: Double?

    @Option(name: .customLong("connect-timeout"), help: "Seconds connecting may take.")
    var connectTimeout: Double?

    @Flag(
        name: [.customShort("v"), .customLong("verbose")],
        help: "On failure, print the whole report: timeline, TCP info, causes."
    )
    var verbose = false

    @Option(name: .customLong("expect"), help: "Expect: 100-continue: auto (bodies over 1 MiB), always or never.")
    var expect: ExpectMode = .auto

    @Argument(help: "More URLs, fetched in order over the same connection.")
    var moreURLs: [String] = []

    @Option(name: .customLong("json"), help: "A JSON body, or @file, or @- for stdin; sets the JSON headers and POST.")
    var json: String?

    @Flag(name: [.customShort("f"), .customLong("fail")], help: "Exit 22 without the body on a status of 400 or more.")
    var fail = false

    @Option(name: .customLong("report-json"), help: "Write the diagnosis and the timeline to this file as JSON.")
    var reportJSON: String?

    @Flag(name: .customLong("no-progress"), help: "Never draw the progress bar.")
    var noProgress = false

    @Option(name: .customLong("cacert"), help: "Trust the CA certificates in this PEM file instead of the system's.")
    var caCertificate: String?

    @Option(name: [.customShort("E"), .customLong("cert")], help: "Client certificate chain (PEM file).")
    var clientCertificate: String?

    @Option(name: .customLong("key"), help: "Private key for --cert (PEM file).")
    var clientKey: String?

    @Flag(
        name: [.customShort("k"), .customLong("insecure")],
        help: "Do not verify the server's certificate (dangerous)."
    )
    var insecure = false

    @Flag(name: [.customShort("L"), .customLong("location")], help: "Follow redirects.")
    var location = false

    @Option(name: .customLong("max-redirs"), help: "With -L, follow at most this many redirects (default 50).")
    var maxRedirects: Int?

    @Flag(name: .customLong("compressed"), help: "Ask for a compressed response and decompress it.")
    var compressed = false

    @Option(
        name: [.customShort("x"), .customLong("proxy")],
        help: "Use this proxy, [http://][user:password@]host[:port], instead of http_proxy/https_proxy (\"\" for none)."
    )
    var proxy: String?

    @Option(name: .customLong("noproxy"), help: "Hosts to reach without a proxy (overrides no_proxy).")
    var noProxy: String?

    enum ExpectMode: String, ExpressibleByArgument, CaseIterable {
        case auto
        case always
        case never
    }

    func validate() throws {
        if !(self.data.isEmpty && self.dataBinary.isEmpty) && self.json != nil {
            throw ValidationError("Give the body once: -d/--data and --data-binary, or --json.")
        }
        try RequestOptionsCheck.validate(command: self)
        if let maxTime = self.maxTime, !(maxTime > 0 && maxTime <= 86_400) {
            throw ValidationError("--max-time takes seconds from 0 to 86400.")
        }
        if let connectTimeout = self.connectTimeout, !(connectTimeout > 0 && connectTimeout <= 86_400) {
            throw ValidationError("--connect-timeout takes seconds from 0 to 86400.")
        }
        if let maxRedirects = self.maxRedirects, !(0...1000).contains(maxRedirects) {
            throw ValidationError("--max-redirs takes a number from 0 to 1000; Heed always bounds redirects.")
        }
        if (self.clientCertificate == nil) != (self.clientKey == nil) {
            throw ValidationError("--cert and --key go together: give both PEM files.")
        }
        for header in self.headers where RequestOptions.HeaderArgument(parsing: header) == nil {
            throw ValidationError("'\(header)' is not a header field; write 'Name: value', 'Name:' or 'Name;'.")
        }
    }

    func run() async throws {
        let options = RequestOptions(command: self)
        let meter = ProgressMeter(
            isEnabled: ProgressMeter.wantsProgress(silent: options.silent, override: options.progress),
            draw: { text in StandardStreams.writeError(text) }
        )
        // A reader that goes away is a failed write (exit 23, as curl), not a signal that kills the process.
        signal(SIGPIPE, SIG_IGN)
        TemporaryFiles.removeOnInterrupt()
        let output = RequestOutput { bytes in try await StandardStreams.writeOutput(bytes) }
        let result = await RequestRunner.run(options, output: output, meter: meter)
        if !result.stderr.isEmpty { StandardStreams.writeError(result.stderr) }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
