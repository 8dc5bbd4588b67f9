extension HTTPClient {
    /// How `https://` connections verify the server and, if asked, present a client certificate.
    ///
    /// By default the server's certificate chain must lead to one of the system's trusted
    /// certificate authorities, and the certificate must name the host in the URL (an IP address
    /// is checked against the certificate's IP address entries). The host name is sent as SNI.
    public struct TLSConfiguration: Sendable, Hashable {
        /// How much of the server's certificate is checked.
        public struct CertificateVerification: Sendable, Hashable, CustomStringConvertible {
            enum Mode: Hashable, Sendable {
                case full
                case noHostname
                case none
            }

            let mode: Mode

            /// The chain must be trusted and the certificate must name the host (the default).
            public static let fullVerification = Self(mode: .full)
            /// The chain must be trusted; the host name is not checked.
            public static let noHostnameVerification = Self(mode: .noHostname)
            /// Nothing is checked. **Dangerous**: anyone on the network path can read and change
            /// the traffic. Use it only to reach a test server whose certificate you cannot fix.
            public static let none = Self(mode: .none)

            public var description: String {
                switch self.mode {
                case .full: "full verification"
                case .noHostname: "no host name verification"
                case .none: "no verification"
                }
            }
        }

        /// The certificate authorities the client trusts.
        public struct TrustRoots: Sendable, Hashable {
            enum Source: Hashable, Sendable {
                case system
                case pemFile(String)
                case pemText(String)
            }

            let source: Source

            /// The system's trust store (on Linux the distribution's CA bundle).
            public static let system = Self(source: .system)
            /// The certificates in a PEM file, instead of the system's (as curl's `--cacert`).
            public static func pemFile(_ path: String) -> Self { Self(source: .pemFile(path)) }
            /// Certificates given as PEM text, instead of the system's.
            public static func pemCertificates(_ pem: String) -> Self { Self(source: .pemText(pem)) }
        }

        /// A certificate chain and its private key, for servers that ask for a client certificate.
        public struct ClientIdentity: Sendable, Hashable {
            enum Source: Hashable, Sendable {
                case files(chain: String, key: String)
                case text(chain: String, key: String)
            }

            let source: Source

            /// Reads the chain (leaf first) and the key from PEM files.
            public static func pemFiles(certificateChain: String, privateKey: String) -> Self {
                Self(source: .files(chain: certificateChain, key: privateKey))
            }
            /// Takes the chain (leaf first) and the key as PEM text.
            public static func pem(certificateChain: String, privateKey: String) -> Self {
                Self(source: .text(chain: certificateChain, key: privateKey))
            }
        }

        /// How much of the server's certificate is checked; everything by default.
        public var certificateVerification: CertificateVerification = .fullVerification
        /// Whom to trust; the system's certificate authorities by default.
        public var trustRoots: TrustRoots = .system
        /// The client certificate to present, if any.
        public var clientIdentity: ClientIdentity? = nil

        /// Full verification against the system's trust store, no client certificate.
        public init() {}
    }
}
