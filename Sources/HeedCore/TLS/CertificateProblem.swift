/// What a client saw of a server certificate it could not verify.
public struct CertificateFacts: Hashable, Sendable {
    /// The start of the validity period, in seconds since 1970 (UTC).
    public var notValidBefore: Int64
    /// The end of the validity period, in seconds since 1970 (UTC).
    public var notValidAfter: Int64
    /// The subject's distinguished name as text, for example `CN=localhost`.
    public var subject: String
    /// The issuer's distinguished name as text.
    public var issuer: String

    /// Facts about one certificate.
    public init(notValidBefore: Int64, notValidAfter: Int64, subject: String, issuer: String) {
        self.notValidBefore = notValidBefore
        self.notValidAfter = notValidAfter
        self.subject = subject
        self.issuer = issuer
    }
}

/// Why a server's certificate is not trusted, in words a newcomer understands.
public enum CertificateProblem: Hashable, Sendable, CustomStringConvertible {
    /// The validity period ended.
    case expired(notValidAfter: Int64)
    /// The validity period has not begun.
    case notYetValid(notValidBefore: Int64)
    /// The certificate signed itself and is not among the trusted ones.
    case selfSigned(subject: String)
    /// An issuer that is not a trusted certificate authority signed it.
    case unknownIssuer(issuer: String)
    /// It is valid, but for other host names.
    case wrongHost(subject: String)
    /// Verification failed and the certificate itself shows no reason (a broken chain, a revoked or malformed certificate).
    case unverified(reason: String)

    /// Works out why a certificate whose chain failed verification is not trusted.
    /// - Parameters:
    ///   - facts: the server's own (leaf) certificate.
    ///   - now: the current time in seconds since 1970.
    /// - Returns: the most likely problem: expiry first, then a self-signed or unknown issuer.
    public static func chainRejected(_ facts: CertificateFacts, now: Int64) -> Self {
        if now > facts.notValidAfter { return .expired(notValidAfter: facts.notValidAfter) }
        if now < facts.notValidBefore { return .notYetValid(notValidBefore: facts.notValidBefore) }
        if facts.subject == facts.issuer { return .selfSigned(subject: facts.subject) }
        return .unknownIssuer(issuer: facts.issuer)
    }

    /// A clause that completes "The server's certificate for HOST is not trusted: …".
    public var description: String {
        switch self {
        case .expired(let end):
            return
                "it expired on \(Self.utcText(end)); the server must renew it (or the clock of this machine is wrong)"
        case .notYetValid(let start):
            return "it is not valid before \(Self.utcText(start)); check the clock of this machine and of the server"
        case .selfSigned(let subject):
            return
                "it is self-signed (\(Self.quoted(subject))) and not among the trusted certificates; pass it as a trusted CA (--cacert) if you trust this server"
        case .unknownIssuer(let issuer):
            return
                "it was issued by \(Self.quoted(issuer)), which is not a trusted certificate authority; add that authority's certificate to the trust roots (--cacert)"
        case .wrongHost(let subject):
            return
                "it was issued for other host names (\(Self.quoted(subject))); connect with a name the certificate lists, or fix the certificate"
        case .unverified(let reason):
            return "its chain could not be verified (\(reason))"
        }
    }

    /// A stable label without details.
    public var shortDescription: String {
        switch self {
        case .expired: "expired"
        case .notYetValid: "not-yet-valid"
        case .selfSigned: "self-signed"
        case .unknownIssuer: "unknown-issuer"
        case .wrongHost: "wrong-host"
        case .unverified: "unverified"
        }
    }

    private static func quoted(_ name: String) -> String { name.isEmpty ? "no name" : "\"\(name)\"" }

    /// `2025-01-31 23:59:59 UTC` for seconds since 1970 (days-from-civil, H. Hinnant's algorithm).
    static func utcText(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondsOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(two(secondsOfDay / 3600)):\(two(secondsOfDay % 3600 / 60)):\(two(secondsOfDay % 60))"
        return "\(year)-\(two(month))-\(two(day)) \(time) UTC"
    }
}
