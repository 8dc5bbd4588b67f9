import HeedTestSupport
import NIOCore
import NIOEmbedded
import Testing

@testable import HeedServer

@Suite struct ConnectionLimitHandlerTests {
    /// At the cap the server channel stops accepting; a closing connection resumes accepting.
    @Test func stopsAcceptingAtTheCapAndResumes() throws {
        let recorder = ServerOutputCloseRecorder()
        let server = EmbeddedChannel()
        try server.pipeline.syncOperations.addHandler(recorder)
        try server.pipeline.syncOperations.addHandler(ConnectionLimitHandler(maxConnections: 2))
        let first = EmbeddedChannel(loop: server.embeddedEventLoop)
        let second = EmbeddedChannel(loop: server.embeddedEventLoop)
        try server.writeInbound(first as any Channel)
        server.read()
        let readsWithOne = recorder.reads
        try server.writeInbound(second as any Channel)
        server.read()
        #expect(recorder.reads == readsWithOne, "accepted past the cap")
        _ = try first.finish()
        server.embeddedEventLoop.run()
        #expect(recorder.reads == readsWithOne + 1, "did not resume after a connection closed")
        _ = try second.finish()
        _ = try server.finish(acceptAlreadyClosed: true)
    }
}
