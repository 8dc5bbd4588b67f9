import HeedCore
import Testing

@Suite struct CertificateProblemTests {
    static let now: Int64 = 1_767_225_600  // 2026-01-01 00:00:00 UTC

    static func facts(
        from start: Int64,
        to end: Int64,
        subject: String = "CN=localhost",
        issuer: String = "CN=CA"
    )
        -> CertificateFacts
    {
        CertificateFacts(notValidBefore: start, notValidAfter: end, subject: subject, issuer: issuer)
    }

    /// Expiry is named first, with the date, whoever issued the certificate.
    @Test func expiredFirst() {
        let problem = CertificateProblem.chainRejected(
            Self.facts(from: Self.now - 100_000, to: Self.now - 86_400, issuer: "CN=localhost"),
            now: Self.now
        )
        #expect(problem == .expired(notValidAfter: Self.now - 86_400))
        #expect(problem.description.hasPrefix("it expired on 2025-12-31 00:00:00 UTC"))
    }

    /// A certificate that is not yet valid.
    @Test func notYetValid() {
        let problem = CertificateProblem.chainRejected(
            Self.facts(from: Self.now + 60, to: Self.now + 600),
            now: Self.now
        )
        #expect(problem == .notYetValid(notValidBefore: Self.now + 60))
        #expect(problem.description.contains("2026-01-01 00:01:00 UTC"))
    }

    /// Subject equal to issuer: self-signed; otherwise the issuer is unknown and named.
    @Test func selfSignedOrUnknownIssuer() {
        let selfSigned = CertificateProblem.chainRejected(
            Self.facts(from: 0, to: Self.now + 1, issuer: "CN=localhost"),
            now: Self.now
        )
        #expect(selfSigned == .selfSigned(subject: "CN=localhost"))
        #expect(selfSigned.description.hasPrefix("it is self-signed"))
        let unknown = CertificateProblem.chainRejected(
            Self.facts(from: 0, to: Self.now + 1, issuer: "CN=Rogue CA"),
            now: Self.now
        )
        #expect(unknown == .unknownIssuer(issuer: "CN=Rogue CA"))
        #expect(unknown.description.contains("\"CN=Rogue CA\", which is not a trusted certificate authority"))
    }

    /// Dates print in UTC, leap days and the epoch included.
    @Test(arguments: [
        (Int64(0), "1970-01-01 00:00:00 UTC"),
        (Int64(951_782_400), "2000-02-29 00:00:00 UTC"),
        (Int64(4_102_444_799), "2099-12-31 23:59:59 UTC"),
    ])
    func dates(seconds: Int64, text: String) {
        #expect(CertificateProblem.expired(notValidAfter: seconds).description.contains(text))
    }
}
