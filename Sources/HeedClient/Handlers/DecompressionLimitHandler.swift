import NIOCore
import NIOHTTP1
import NIOHTTPCompression

/// Sits behind NIO's response decompressor: enforces the absolute size limit on decompressed
/// bodies, and turns the decompressor's errors into ``HTTPClientError``s that name the limit.
///
/// After a failure it drops the rest of the response; the exchange handler fails the request and
/// closes the connection.
final class DecompressionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = HTTPClientResponsePart

    private let maxSize: Int
    private let maxRatio: Int
    private var isCompressed = false
    private var decompressed = 0
    private var sawBody = false
    private var failed = false
    /// The server's header fields of the head on its way, when ``ContentCodingAliasHandler`` renamed its coding.
    private var serverFields: HTTPHeaders?

    init(maxSize: Int, maxRatio: Int) {
        self.maxSize = maxSize
        self.maxRatio = maxRatio
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.failed else { return }
        var data = data
        switch Self.unwrapInboundIn(data) {
        case .head(var head):
            let codings = head.headers[canonicalForm: "Content-Encoding"].map { $0.lowercased() }
            self.decompressed = 0
            self.sawBody = false
            // Codings are listed in the order they were applied (RFC 9110 §8.4). NIO's decompressor undoes only the
            // first one listed, so a body with several would come back decoded once, or in the wrong order, and
            // look fine: refuse it instead.
            if codings.count > 1 {
                let listed = codings.joined(separator: ", ")
                return self.fail(
                    .decompressionFailed(
                        "it is encoded with several codings in turn (\(listed)); the client decodes one gzip or deflate layer"
                    ),
                    context: context
                )
            }
            self.isCompressed = codings.first == "gzip" || codings.first == "deflate"
            if let serverFields = self.serverFields {
                self.serverFields = nil
                head.headers = serverFields
                data = Self.wrapInboundOut(.head(head))
            }
        case .body(let part):
            self.sawBody = true
            if self.isCompressed {
                self.decompressed += part.readableBytes
                if self.decompressed > self.maxSize {
                    return self.fail(.decompressionSizeLimit(limit: self.maxSize), context: context)
                }
            }
        case .end:
            break
        }
        context.fireChannelRead(data)
    }

    /// ``ContentCodingAliasHandler`` renamed the coding of the head that comes next; `serverFields` are the fields
    /// as the server sent them, which that head gets back here.
    func aliasedHeadWillArrive(serverFields: HTTPHeaders) {
        self.serverFields = serverFields
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !self.failed else { return }
        if let decompressionError = error as? NIOHTTPDecompression.DecompressionError {
            switch decompressionError {
            case .limit:
                return self.fail(.decompressionRatioLimit(ratio: self.maxRatio), context: context)
            case .inflationError(let code):
                return self.fail(.decompressionFailed("zlib could not inflate it (error \(code))"), context: context)
            case .initializationError(let code):
                return self.fail(.decompressionFailed("zlib could not start (error \(code))"), context: context)
            }
        }
        if let extra = error as? NIOHTTPDecompression.ExtraDecompressionError {
            // A response without a body (HEAD, 204, 304, an empty 200) keeps its Content-Encoding: nothing to inflate.
            if extra == .truncatedData && !self.sawBody { return }
            let reason =
                extra == .truncatedData
                ? "the compressed data ended too early" : "bytes follow the end of the compressed data"
            return self.fail(.decompressionFailed(reason), context: context)
        }
        context.fireErrorCaught(error)
    }

    private func fail(_ failure: FeatureFailure, context: ChannelHandlerContext) {
        self.failed = true
        context.fireErrorCaught(HTTPClientError.feature(failure))
    }
}

@available(*, unavailable)
extension DecompressionLimitHandler: Sendable {}
