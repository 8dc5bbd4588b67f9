import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates made at test time, once per test process: a CA, leaves it signs (for
/// 127.0.0.1/localhost, expired, for another host, for a client) and a self-signed leaf.
/// Nothing is committed, so nothing expires in the repository.
public struct TestCertificates: Sendable {
    /// A certificate and its private key, both PEM.
    public struct Identity: Sendable {
        public let certificatePEM: String
        public let privateKeyPEM: String
    }

    /// The test CA's certificate (PEM), to trust.
    public let caPEM: String
    /// Signed by the CA for `127.0.0.1`, `::1` and `localhost`, valid now.
    public let leaf: Identity
    /// Signed by the CA for 127.0.0.1 and localhost; it expired a day ago.
    public let expiredLeaf: Identity
    /// Signed by the CA for `wrong.example` only.
    public let wrongHostLeaf: Identity
    /// Signed by itself for 127.0.0.1 and localhost.
    public let selfSignedLeaf: Identity
    /// Signed by the CA, for client authentication.
    public let clientLeaf: Identity

    /// The certificates, made on first use.
    public static func shared() throws -> TestCertificates { try Self.made.get() }

    private static let made = Result { try TestCertificates() }

    private init() throws {
        let now = Date()
        let day: TimeInterval = 86_400
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            CommonName("Heed Test CA")
            OrganizationName("Heed")
        }
        let ca = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(caKey.publicKey),
            notValidBefore: now - day,
            notValidAfter: now + 30 * day,
            issuer: caName,
            subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey)
        )
        self.caPEM = try ca.serializeAsPEM().pemString
        let local: [GeneralName] = [
            .dnsName("localhost"),
            .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
            .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
        ]
        func leaf(
            _ commonName: String,
            names: [GeneralName],
            from start: Date,
            to end: Date,
            usage: ExtendedKeyUsage.Usage = .serverAuth,
            selfSigned: Bool = false
        ) throws -> Identity {
            let key = P256.Signing.PrivateKey()
            let subject = try DistinguishedName { CommonName(commonName) }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: .init(),
                publicKey: .init(key.publicKey),
                notValidBefore: start,
                notValidAfter: end,
                issuer: selfSigned ? subject : caName,
                subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([usage])
                    SubjectAlternativeNames(names)
                },
                issuerPrivateKey: selfSigned ? .init(key) : .init(caKey)
            )
            return Identity(
                certificatePEM: try certificate.serializeAsPEM().pemString,
                privateKeyPEM: key.pemRepresentation
            )
        }
        self.leaf = try leaf("localhost", names: local, from: now - day, to: now + 30 * day)
        self.expiredLeaf = try leaf("localhost", names: local, from: now - 30 * day, to: now - day)
        self.wrongHostLeaf = try leaf(
            "wrong.example",
            names: [.dnsName("wrong.example")],
            from: now - day,
            to: now + 30 * day
        )
        self.selfSignedLeaf = try leaf("localhost", names: local, from: now - day, to: now + 30 * day, selfSigned: true)
        self.clientLeaf = try leaf(
            "heed-client",
            names: [.dnsName("heed-client")],
            from: now - day,
            to: now + 30 * day,
            usage: .clientAuth
        )
    }

    /// Writes `text` to a new file under /tmp and returns its path.
    public static func writeTemporary(_ text: String, name: String) throws -> String {
        let path = "/tmp/heed-test-\(getpid())-\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
