import Foundation
import HTTPTypes
import HeedClient
import HeedCore

/// The parsed options of one `heed request`, independent of argument parsing so tests can build them.
struct RequestOptions: Sendable {
    enum Body: Sendable, Equatable {
        /// Text or bytes given on the command line (or read from a file for -d @file).
        case inline([UInt8])
        /// A file streamed from disk.
        case file(String)
        /// -d @file: read and strip newlines, as curl does.
        case textFile(String)
        /// Several -d/--data-binary pieces, read into memory and joined with `&` as curl does.
        case joined([Body])
    }

    /// The first URL, with `http://` added when it has no scheme and without its user information.
    var url: String
    var method: String?
    /// The -H fields to send, in order (without the ones another -H removes).
    var headers: [(name: String, value: String)] = []
    /// Canonical names that `-H 'Name:'` removes, Heed's own defaults included.
    var removedHeaders: Set<String> = []
    /// `user:password`, percent-decoded, from each URL that had user information.
    var urlCredentials: [HTTPURL: String] = [:]
    /// `-u/--user`: wins over the URL's credentials.
    var user: String?
    /// `-A/--user-agent`: nil keeps the client's; empty sends none.
    var userAgent: String?
    /// `-e/--referer`.
    var referer: String?
    var body: Body?
    /// Whether the body came from -d (form encoding by default, as curl).
    var isFormData = false
    /// `-I`: the response is read as the answer to `HEAD`: its head is printed and no body is waited for. With
    /// `-X` the request line says that method instead, as in curl (see ``skipsResponseBody``).
    var headOnly = false
    var output: String?
    var silent = false
    var showError = false
    var include = false
    var verbose = false
    var writeOut: String?
    var maxTime: Double?
    var connectTimeout: Double?
    var expect: HTTPClient.ExpectContinuePolicy = .automatic()
    /// TLS, redirects, decompression and proxies (curl's names).
    var transport = TransportOptions()
    /// More URLs after the first, fetched in order over the same client (and connection).
    var moreURLs: [String] = []
    /// --fail: an HTTP status of 400 or more prints no body and exits 22.
    var fail = false
    /// --json: the body is JSON; sets Content-Type and Accept and defaults to POST.
    var isJSON = false
    /// --report-json FILE: where to write the diagnosis and the timeline.
    var reportJSON: String?
    /// Whether to draw the progress bar; nil decides from the terminal (see ``ProgressMeter``).
    var progress: Bool?

    /// Whether the response body is left unread: `-I` with a method other than `HEAD`, whose response may well have a
    /// body. The connection then closes after the head, so a body the server sends anyway cannot be taken for the
    /// next response.
    var skipsResponseBody: Bool { self.headOnly && self.method != "HEAD" }

    /// Every URL of the call, in order.
    var urls: [String] { [self.url] + self.moreURLs }

    init(url: String) {
        self.url = url
    }

    init(command: RequestCommand) {
        self.url = command.url
        self.moreURLs = command.moreURLs
        self.takeCredentials()
        // -I sends HEAD unless -X names the method (curl: -X changes the word in the request line, nothing else).
        self.method = command.method ?? (command.head ? "HEAD" : nil)
        self.headOnly = command.head
        self.takeHeaders(command.headers)
        self.user = command.user
        self.userAgent = command.userAgent
        self.referer = command.referer
        // curl cannot keep the order between -d and --data-binary apart either: -d pieces come first.
        let pieces =
            command.data.map { $0.hasPrefix("@") ? Body.textFile(String($0.dropFirst())) : .inline(Array($0.utf8)) }
            + command.dataBinary.map { $0.hasPrefix("@") ? Body.file(String($0.dropFirst())) : .inline(Array($0.utf8)) }
        if !pieces.isEmpty {
            self.isFormData = !command.data.isEmpty
            self.body = pieces.count == 1 ? pieces[0] : .joined(pieces)
        } else if let json = command.json {
            self.isJSON = true
            self.body = json.hasPrefix("@") ? .file(String(json.dropFirst())) : .inline(Array(json.utf8))
        }
        self.fail = command.fail
        self.reportJSON = command.reportJSON
        if command.noProgress { self.progress = false }
        self.output = command.output
        self.silent = command.silent
        self.showError = command.showError
        self.include = command.include || command.head
        self.verbose = command.verbose
        self.writeOut = command.writeOut
        self.maxTime = command.maxTime
        self.connectTimeout = command.connectTimeout
        self.transport = TransportOptions(command: command, environment: ProcessInfo.processInfo.environment)
        switch command.expect {
        case .auto: self.expect = .automatic()
        case .always: self.expect = .always
        case .never: self.expect = .never
        }
    }
}
