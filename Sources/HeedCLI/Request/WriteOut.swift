import HTTPTypes
import HeedClient
import HeedCore
import NIOCore

/// curl's `-w/--write-out` variables, for the ones Heed shares with curl and a few of its own.
enum WriteOut {
    /// The variables `render` knows.
    static let variables = [
        "http_code", "response_code", "size_download", "size_upload", "time_total", "early_response",
        "url_effective", "num_redirects",
    ]

    /// What `-w` can report about one transfer; a transfer with no response has status 0 and sizes 0.
    struct Facts: Sendable {
        var status: Int
        var sizeDownload: Int64
        var sizeUpload: Int64
        var earlyResponse: Bool
        var elapsed: Duration
        /// The URL that answered (the last redirect's target).
        var urlEffective = ""
        var redirects = 0
    }

    static func render(_ format: String, response: HTTPClientResponse, elapsed: Duration) -> String {
        let facts = Facts(
            status: response.status.code,
            sizeDownload: Int64(response.body.readableBytes),
            sizeUpload: response.requestBodyBytesSent,
            earlyResponse: response.requestBodyStoppedEarly,
            elapsed: elapsed,
            urlEffective: response.url?.description ?? "",
            redirects: response.redirectCount
        )
        return Self.render(format, facts: facts)
    }

    static func render(_ format: String, facts: Facts) -> String {
        var output = ""
        var rest = Substring(format)
        while let first = rest.first {
            if rest.hasPrefix("%{"), let close = rest.firstIndex(of: "}") {
                let name = rest[rest.index(rest.startIndex, offsetBy: 2)..<close]
                output += Self.value(String(name), facts: facts) ?? String(rest[...close])
                rest = rest[rest.index(after: close)...]
            } else if rest.hasPrefix("\\n") {
                output += "\n"
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("\\t") {
                output += "\t"
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("\\r") {
                output += "\r"
                rest = rest.dropFirst(2)
            } else {
                output.append(first)
                rest = rest.dropFirst()
            }
        }
        return output
    }

    private static func value(_ name: String, facts: Facts) -> String? {
        switch name {
        // Three digits, as curl prints them: 000 when no response arrived.
        case "http_code", "response_code":
            String(repeating: "0", count: max(0, 3 - String(facts.status).count)) + String(facts.status)
        case "size_download": String(facts.sizeDownload)
        case "size_upload": String(facts.sizeUpload)
        case "time_total": Self.seconds(facts.elapsed)
        case "early_response": facts.earlyResponse ? "1" : "0"
        case "url_effective": facts.urlEffective
        case "num_redirects": String(facts.redirects)
        default: nil
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
