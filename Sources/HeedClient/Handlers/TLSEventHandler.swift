import HeedCore
import NIOCore
import NIOSSL
import NIOTLS

/// Tells the code that opened a connection when its TLS handshake ended, and how; after the
/// handshake it only passes bytes on.
///
/// When the handshake fails it records what the server's certificate says (validity, subject,
/// issuer) while the certificate is still at hand, so the failure can be explained.
final class TLSEventHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// A handshake that failed, with the server certificate's facts if it sent one.
    struct HandshakeFailure: Error {
        var error: any Error
        var certificate: CertificateFacts?
    }

    private var handshake: EventLoopPromise<Void>?
    private let host: String
    private let port: Int

    init(handshake: EventLoopPromise<Void>, host: String, port: Int) {
        self.handshake = handshake
        self.host = host
        self.port = port
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent, let promise = self.handshake {
            self.handshake = nil
            promise.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let promise = self.handshake {
            self.handshake = nil
            let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self)
            promise.fail(HandshakeFailure(error: error, certificate: handler?.peerCertificate.map(Self.facts)))
            context.close(promise: nil)
            return
        }
        // A server that closes without close_notify: HTTP framing tells whether the response was complete.
        if let sslError = error as? NIOSSLError, case .uncleanShutdown = sslError { return }
        // With TLS 1.3 the server judges a client certificate after the client's handshake is done:
        // its refusal arrives as the first read.
        if error is NIOSSLError || error is BoringSSLError {
            let failure = HandshakeFailure(error: error, certificate: nil)
            return context.fireErrorCaught(TLSFailures.explain(failure, host: self.host, port: self.port, now: 0))
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let promise = self.handshake {
            self.handshake = nil
            promise.fail(HandshakeFailure(error: NIOSSLError.uncleanShutdown, certificate: nil))
        }
        context.fireChannelInactive()
    }

    // MARK: - Helpers

    static func facts(_ certificate: NIOSSLCertificate) -> CertificateFacts {
        CertificateFacts(
            notValidBefore: Int64(certificate.notValidBefore),
            notValidAfter: Int64(certificate.notValidAfter),
            subject: Self.text(certificate.subjectName),
            issuer: Self.text(certificate.issuerName)
        )
    }

    private static func text(_ names: [SSLCertificateName]) -> String {
        let labels: [(SSLCertificateNameType, String)] = [
            (.commonName, "CN"), (.organization, "O"), (.organizationalUnit, "OU"), (.city, "L"),
            (.state, "ST"), (.country, "C"), (.emailAddress, "emailAddress"), (.userId, "UID"),
        ]
        return names.map { name in
            let label = labels.first { $0.0 == name.type }?.1 ?? "?"
            return "\(label)=\(name.value)"
        }.joined(separator: ", ")
    }
}

@available(*, unavailable)
extension TLSEventHandler: Sendable {}
