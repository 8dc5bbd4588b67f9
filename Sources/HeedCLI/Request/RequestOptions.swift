import Foundation
import HTTPTypes
import HeedClient

/// The parsed options of one `heed request`, independent of argument parsing so tests can build them.
struct RequestOptions: Sendable {
    enum Body: Sendable, Equatable {
        /// Text or bytes given on the command line (or read from a file for -d @file).
        case inline([UInt8])
        /// A file streamed from disk.
        case file(String)
        /// -d @file: read and strip newlines, as curl does.
        case textFile(String)
    }

    var url: String
    var method: String?
    var headers: [(name: String, value: String)] = []
    var body: Body?
    /// Whether the body came from -d (form encoding by default, as curl).
    var isFormData = false
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

    /// Every URL of the call, in order.
    var urls: [String] { [self.url] + self.moreURLs }

    init(url: String) {
        self.url = url
    }

    init(command: RequestCommand) {
        self.url = command.url
        self.method = command.method
        self.headers = command.headers.compactMap(Self.parseHeader)
        if let data = command.data {
            self.isFormData = true
            self.body = data.hasPrefix("@") ? .textFile(String(data.dropFirst())) : .inline(Array(data.utf8))
        } else if let data = command.dataBinary {
            self.body = data.hasPrefix("@") ? .file(String(data.dropFirst())) : .inline(Array(data.utf8))
        } else if let json = command.json {
            self.isJSON = true
            self.body = json.hasPrefix("@") ? .file(String(json.dropFirst())) : .inline(Array(json.utf8))
        }
        self.moreURLs = command.moreURLs
        self.fail = command.fail
        self.reportJSON = command.reportJSON
        if command.noProgress { self.progress = false }
        self.output = command.output
        self.silent = command.silent
        self.showError = command.showError
        self.include = command.include
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

    /// `Name: value` → its parts; nil if it is not a header field.
    static func parseHeader(_ text: String) -> (name: String, value: String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = String(text[..<colon]).trimmingCharacters(in: " \t")
        let value = String(text[text.index(after: colon)...]).trimmingCharacters(in: " \t")
        guard !name.isEmpty, HTTPField.Name(name) != nil, !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            return nil
        }
        return (name, value)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var result = Substring(self)
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return String(result)
    }
}
