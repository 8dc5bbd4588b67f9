import HeedCore
import NIOSSL

/// Turns NIOSSL's and BoringSSL's handshake errors into sentences about the server's certificate.
enum TLSFailures {
    static func explain(
        _ failure: TLSEventHandler.HandshakeFailure,
        host: String,
        port: Int,
        now: Int64
    ) -> HTTPClientError {
        if let extra = failure.error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            let problem = CertificateProblem.wrongHost(subject: failure.certificate?.subject ?? "")
            return .feature(.certificateNotTrusted(host: host, problem: problem))
        }
        let text = "\(failure.error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            let problem =
                failure.certificate.map { CertificateProblem.chainRejected($0, now: now) }
                ?? .unverified(reason: "the server's certificate was not available to say why")
            return .feature(.certificateNotTrusted(host: host, problem: problem))
        }
        let reason: String
        if let sslError = failure.error as? NIOSSLError, case .uncleanShutdown = sslError {
            reason = "the server closed the connection during the handshake (is the port serving TLS?)"
        } else if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG") {
            reason = "the server did not answer in TLS; the port probably serves plain http://"
        } else if text.contains("TLSV1_ALERT_UNKNOWN_CA") || text.contains("SSLV3_ALERT_BAD_CERTIFICATE")
            || text.contains("CERTIFICATE_REQUIRED") || text.contains("HANDSHAKE_FAILURE")
        {
            reason = "the server rejected the handshake (\(Self.shortReason(text))); it may want a client certificate"
        } else {
            reason = Self.shortReason(text)
        }
        return .feature(.tlsHandshakeFailed(host: host, port: port, reason: reason))
    }

    /// The BoringSSL reason names in an error's text, such as `SSLV3_ALERT_HANDSHAKE_FAILURE`.
    private static func shortReason(_ text: String) -> String {
        let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
        let reasons = words.filter { $0.count > 4 && $0.contains("_") && $0.allSatisfy { !$0.isLowercase } }
        return reasons.isEmpty ? text : reasons.map(String.init).joined(separator: ", ")
    }
}
