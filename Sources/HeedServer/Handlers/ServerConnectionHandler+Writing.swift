import HTTPTypes
import HeedCore
import NIOCore
import NIOHTTP1

extension ServerConnectionHandler {
    /// Writes `response` as raw bytes (head and a small body in one buffer), flushes, logs it, and closes
    /// the connection after it if `close`.
    func write(_ response: ServerResponse, close: Bool, context: ChannelHandlerContext) {
        // No body after a HEAD request's head, nor after a 1xx, 204 or 304 one: the bytes would be read as
        // the start of the client's next response.
        let sendsBody = self.requestMethod != .HEAD && ServerResponseHeadEncoder.allowsBody(response.head.status)
        let bodyBytes = sendsBody ? response.body.readableBytes : 0
        let inline = bodyBytes <= 16 * 1024
        var buffer = context.channel.allocator.buffer(capacity: 256 + (inline ? bodyBytes : 0))
        let connection: ServerResponseHeadEncoder.ConnectionField =
            close ? .close : (self.requestVersion == .http1_0 ? .keepAlive : .none)
        ServerResponseHeadEncoder.write(
            response.head,
            contentLength: response.body.readableBytes,
            connection: connection,
            into: &buffer
        )
        if inline {
            if bodyBytes > 0 {
                buffer.writeImmutableBuffer(response.body)
            }
            context.write(Self.wrapOutboundOut(buffer), promise: nil)
        } else {
            context.write(Self.wrapOutboundOut(buffer), promise: nil)
            context.write(Self.wrapOutboundOut(response.body), promise: nil)
        }
        context.flush()
        if let accessLog = self.accessLog {
            accessLog(
                ServerAccessRecord(
                    method: self.requestMethod.rawValue,
                    target: self.requestTarget,
                    status: response.head.status,
                    responseBodyBytes: bodyBytes,
                    closesConnection: close
                )
            )
        }
        if close {
            context.close(promise: nil)
        }
    }
}
