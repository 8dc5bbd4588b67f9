public import HeedCore

/// Failures of TLS, redirects, decompression and proxies: one case of ``HTTPClientError``'s code,
/// kept in its own file so the exchange's own failures stay readable.
enum FeatureFailure: Hashable, Sendable {
    case certificateNotTrusted(host: String, problem: CertificateProblem)
    case tlsHandshakeFailed(host: String, port: Int, reason: String)
    case tlsConfigurationInvalid(String)
    case redirectLoop([HTTPURL])
    case tooManyRedirects(limit: Int, chain: [HTTPURL])
    case invalidRedirect(location: String, error: HTTPURLError)
    case decompressionSizeLimit(limit: Int)
    case decompressionRatioLimit(ratio: Int)
    case decompressionFailed(String)
    case proxyRefused(proxy: String, target: String, status: Int, reason: String)
    case proxyFailed(proxy: String, target: String, reason: String)

    var shortDescription: String {
        switch self {
        case .certificateNotTrusted(_, let problem): "tls-certificate-\(problem.shortDescription)"
        case .tlsHandshakeFailed: "tls-handshake-failed"
        case .tlsConfigurationInvalid: "tls-configuration-invalid"
        case .redirectLoop: "redirect-loop"
        case .tooManyRedirects: "too-many-redirects"
        case .invalidRedirect: "invalid-redirect"
        case .decompressionSizeLimit, .decompressionRatioLimit: "decompression-limit"
        case .decompressionFailed: "decompression-failed"
        case .proxyRefused: "proxy-refused"
        case .proxyFailed: "proxy-failed"
        }
    }

    var description: String {
        switch self {
        case .certificateNotTrusted(let host, let problem):
            return "The server's certificate for \(host) is not trusted: \(problem)."
        case .tlsHandshakeFailed(let host, let port, let reason):
            return "The TLS handshake with \(host):\(port) failed: \(reason)."
        case .tlsConfigurationInvalid(let reason):
            return "The TLS configuration is not usable: \(reason)."
        case .redirectLoop(let chain):
            return "The server redirected in a loop: \(Self.chain(chain)). The request was not sent again."
        case .tooManyRedirects(let limit, let chain):
            return
                "The server redirected more than \(limit) times (\(Self.chain(chain)) → ...); the limit stopped it."
        case .invalidRedirect(let location, let error):
            return "The server redirected to '\(location)', which cannot be followed: \(error.problem)."
        case .decompressionSizeLimit(let limit):
            return
                "The decompressed response body is larger than the decompression limit of \(HumanUnits.bytes(Int64(limit))); it was not read further (a decompression bomb, or a limit set too low)."
        case .decompressionRatioLimit(let ratio):
            return
                "The response body decompresses to more than \(ratio) times its compressed size, the decompression ratio limit; it was not read further (a likely decompression bomb)."
        case .decompressionFailed(let reason):
            return "The response body could not be decompressed: \(reason)."
        case .proxyRefused(let proxy, let target, let status, let reason):
            return "The proxy \(proxy) refused to open a tunnel to \(target): it answered \(status) \(reason)."
        case .proxyFailed(let proxy, let target, let reason):
            return "Opening a tunnel to \(target) through the proxy \(proxy) failed: \(reason)."
        }
    }

    private static func chain(_ urls: [HTTPURL]) -> String {
        urls.map(\.description).joined(separator: " → ")
    }
}

extension HTTPClientError {
    /// Why the server's certificate was not trusted, when that is the failure.
    public var certificateProblem: CertificateProblem? {
        if case .certificateNotTrusted(_, let problem) = self.featureFailure { return problem }
        return nil
    }

    /// Whether the failure is about TLS: the certificate, the handshake or the TLS configuration.
    public var isTLSFailure: Bool {
        switch self.featureFailure {
        case .certificateNotTrusted, .tlsHandshakeFailed, .tlsConfigurationInvalid: true
        default: false
        }
    }

    /// Whether following redirects failed: a loop, too many, or a `Location` that cannot be followed.
    public var isRedirectFailure: Bool {
        switch self.featureFailure {
        case .redirectLoop, .tooManyRedirects, .invalidRedirect: true
        default: false
        }
    }
}
