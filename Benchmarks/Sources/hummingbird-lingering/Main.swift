// Hummingbird 2 with Heed's LingeringCloseHandler first in every connection's pipeline
// (the example of docs/lingering-close.md). Usage: hummingbird-lingering PORT
import HeedServer
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// HTTP1Channel with a lingering close: the handler goes first, closest to the socket.
struct LingeringHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(LingeringCloseHandler(), position: .first)
        }.flatMap {
            self.base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await self.base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with Heed's lingering close.
    static func lingeringHTTP1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            LingeringHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}

@main
struct Main {
    static func main() async throws {
        let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 8083 : 8083
        let router = Router()
        router.get("/") { _, _ in "Hello, world!" }
        router.put("/upload") { _, _ -> Response in
            // Reject on the head, without reading the body.
            Response(status: .unauthorized, headers: [.connection: "close"])
        }
        let app = Application(
            router: router,
            server: .lingeringHTTP1(),
            configuration: .init(address: .hostname("127.0.0.1", port: port))
        )
        print("http://127.0.0.1:\(port)/")
        try await app.runService()
    }
}
