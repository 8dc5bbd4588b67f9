import NIOSSL
import Synchronization

/// Builds the client's `NIOSSLContext` once, on first use: loading trust roots and keys is costly.
final class TLSContextCache: Sendable {
    private let cached = Mutex<Result<NIOSSLContext, HTTPClientError>?>(nil)

    /// The context for `configuration`; the first call's result is kept.
    func context(for configuration: HTTPClient.TLSConfiguration) throws(HTTPClientError) -> NIOSSLContext {
        let result = self.cached.withLock { cached in
            if let cached { return cached }
            let made = Result { () throws(HTTPClientError) in try Self.makeContext(configuration) }
            cached = made
            return made
        }
        return try result.get()
    }

    static func makeContext(_ configuration: HTTPClient.TLSConfiguration) throws(HTTPClientError) -> NIOSSLContext {
        var tls = NIOSSL.TLSConfiguration.makeClientConfiguration()
        switch configuration.certificateVerification.mode {
        case .full: tls.certificateVerification = .fullVerification
        case .noHostname: tls.certificateVerification = .noHostnameVerification
        case .none: tls.certificateVerification = .none
        }
        switch configuration.trustRoots.source {
        case .system:
            tls.trustRoots = .default
        case .pemFile(let path):
            let certificates = try Self.load("the CA certificates in '\(path)'") {
                try NIOSSLCertificate.fromPEMFile(path)
            }
            tls.trustRoots = .certificates(certificates)
        case .pemText(let pem):
            let certificates = try Self.load("the CA certificates given as PEM text") {
                try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
            }
            tls.trustRoots = .certificates(certificates)
        }
        if let identity = configuration.clientIdentity {
            switch identity.source {
            case .files(let chainPath, let keyPath):
                let chain = try Self.load("the client certificate chain in '\(chainPath)'") {
                    try NIOSSLCertificate.fromPEMFile(chainPath)
                }
                let key = try Self.load("the private key in '\(keyPath)'") {
                    try NIOSSLPrivateKey(file: keyPath, format: .pem)
                }
                tls.certificateChain = chain.map { .certificate($0) }
                tls.privateKey = .privateKey(key)
            case .text(let chainPEM, let keyPEM):
                let chain = try Self.load("the client certificate chain given as PEM text") {
                    try NIOSSLCertificate.fromPEMBytes(Array(chainPEM.utf8))
                }
                let key = try Self.load("the private key given as PEM text") {
                    try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
                }
                tls.certificateChain = chain.map { .certificate($0) }
                tls.privateKey = .privateKey(key)
            }
        }
        return try Self.load("the TLS configuration") { try NIOSSLContext(configuration: tls) }
    }

    private static func load<T>(_ what: String, _ body: () throws -> T) throws(HTTPClientError) -> T {
        let value: T
        do {
            value = try body()
        } catch {
            throw .feature(.tlsConfigurationInvalid("could not load \(what): \(error)"))
        }
        if let array = value as? [NIOSSLCertificate], array.isEmpty {
            throw .feature(.tlsConfigurationInvalid("\(what) contain no certificate"))
        }
        return value
    }
}
