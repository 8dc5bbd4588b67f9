import NIOCore
import NIOHTTP1

/// Sits in front of NIO's response decompressor: a response whose one content coding is `x-gzip` passes as `gzip`,
/// the name the decompressor knows (RFC 9110 §8.4.1.3: a recipient SHOULD consider `x-gzip` equivalent to `gzip`).
///
/// The ``DecompressionLimitHandler`` behind the decompressor puts the server's field back, so the response head
/// still reads as the server sent it.
final class ContentCodingAliasHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = HTTPClientResponsePart

    /// The handler that restores the server's field once the decompressor has seen the aliased one.
    private let restorer: DecompressionLimitHandler

    init(restoringIn restorer: DecompressionLimitHandler) {
        self.restorer = restorer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = Self.unwrapInboundIn(data), let aliased = Self.aliased(head.headers) else {
            context.fireChannelRead(data)
            return
        }
        self.restorer.aliasedHeadWillArrive(serverFields: head.headers)
        head.headers = aliased
        context.fireChannelRead(Self.wrapInboundOut(.head(head)))
    }

    /// `fields` with `Content-Encoding: gzip` in place of a lone `x-gzip`; nil when there is nothing to alias.
    /// Several codings are left as they are: the limit handler refuses them, naming them as the server did.
    static func aliased(_ fields: HTTPHeaders) -> HTTPHeaders? {
        let codings = fields[canonicalForm: "Content-Encoding"]
        guard codings.count == 1, codings[0].lowercased() == "x-gzip" else { return nil }
        var fields = fields
        fields.replaceOrAdd(name: "Content-Encoding", value: "gzip")
        return fields
    }
}

@available(*, unavailable)
extension ContentCodingAliasHandler: Sendable {}
