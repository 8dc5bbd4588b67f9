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

    static func render(_ format: String, response: HTTPClientResponse, elapsed: Duration) -> String {
        var output = ""
        var rest = Substring(format)
        while let first = rest.first {
            if rest.hasPrefix("%{"), let close = rest.firstIndex(of: "}") {
                let name = rest[rest.index(rest.startIndex, offsetBy: 2)..<close]
                output += Self.value(String(name), response: response, elapsed: elapsed) ?? String(rest[...close])
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

    private static func value(_ name: String, response: HTTPClientResponse, elapsed: Duration) -> String? {
        switch name {
        case "http_code", "response_code": String(response.status.code)
        case "size_download": String(response.body.readableBytes)
        case "size_upload": String(response.requestBodyBytesSent)
        case "time_total": Self.seconds(elapsed)
        case "early_response": response.requestBodyStoppedEarly ? "1" : "0"
        case "url_effective": response.url?.description ?? ""
        case "num_redirects": String(response.redirectCount)
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
