// A Hummingbird 2 hello-world server: a peer of scripts/bench-server.sh.
// Usage: hummingbird-hello PORT
import Hummingbird

@main
struct Main {
    static func main() async throws {
        let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 8082 : 8082
        let router = Router()
        router.get("/") { _, _ in "Hello, world!" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        print("http://127.0.0.1:\(port)/")
        try await app.runService()
    }
}
