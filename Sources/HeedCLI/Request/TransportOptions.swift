import HeedClient
import HeedCore

/// curl's TLS, redirect, compression and proxy options, and the environment curl reads for proxies.
struct TransportOptions: Sendable, Equatable {
    /// `--cacert FILE`.
    var caCertificate: String?
    /// `--cert FILE` and `--key FILE`.
    var clientCertificate: String?
    var clientKey: String?
    /// `-k/--insecure`.
    var insecure = false
    /// `-L/--location`: off by default, as in curl.
    var followRedirects = false
    /// `--max-redirs N`; curl's default with -L is 50.
    var maxRedirects = 50
    /// `--compressed`.
    var compressed = false
    /// `-x/--proxy URL`; empty means no proxy.
    var proxy: String?
    /// `--noproxy LIST`.
    var noProxy: String?
    /// The process environment, for `http_proxy`, `https_proxy`, `all_proxy` and `no_proxy`.
    var environment: [String: String] = [:]

    init() {}

    init(command: RequestCommand, environment: [String: String]) {
        self.caCertificate = command.caCertificate
        self.clientCertificate = command.clientCertificate
        self.clientKey = command.clientKey
        self.insecure = command.insecure
        self.followRedirects = command.location
        self.maxRedirects = command.maxRedirects ?? 50
        self.compressed = command.compressed
        self.proxy = command.proxy
        self.noProxy = command.noProxy
        self.environment = environment
    }

    /// Sets the client configuration these options ask for.
    /// - Throws: ``ProxyConfigurationError`` when a proxy setting is unusable.
    func apply(to configuration: inout HTTPClient.Configuration) throws {
        if let path = self.caCertificate { configuration.tls.trustRoots = .pemFile(path) }
        if let chain = self.clientCertificate, let key = self.clientKey {
            configuration.tls.clientIdentity = .pemFiles(certificateChain: chain, privateKey: key)
        }
        if self.insecure { configuration.tls.certificateVerification = .none }
        configuration.redirects = self.followRedirects ? .follow(max: self.maxRedirects) : .disallow
        if self.compressed {
            // Repetitive pages can pass 100:1; the ratio cap stops a decompression bomb. The body streams to its
            // destination and is never held in memory, so there is no size cap (1 PiB stands for none).
            let limit = HTTPClient.DecompressionPolicy.Limit(maxSize: 1 << 50, maxRatio: 1000)
            configuration.decompression = .enabled(limit: limit)
        }
        configuration.proxy = try self.proxyConfiguration()
    }

    /// `-x` wins over the environment, and `-x ""` turns proxies off whatever the environment says; `--noproxy`
    /// wins over `no_proxy`.
    func proxyConfiguration() throws -> ProxyConfiguration? {
        var configuration: ProxyConfiguration?
        if self.proxy == "" { return nil }
        if let proxy = self.proxy {
            let endpoint = try ProxyConfiguration.endpoint(parsing: proxy, variable: "--proxy")
            configuration = ProxyConfiguration(httpProxy: endpoint, httpsProxy: endpoint)
            if let noProxy = self.environment["no_proxy"] ?? self.environment["NO_PROXY"] {
                configuration?.noProxy = NoProxyList(noProxy)
            }
        } else {
            configuration = try ProxyConfiguration.fromEnvironment(self.environment)
        }
        if let noProxy = self.noProxy { configuration?.noProxy = NoProxyList(noProxy) }
        return configuration
    }
}
