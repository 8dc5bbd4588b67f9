import HeedCore
import HeedTestSupport
import HeedVapor
import NIOCore
import Testing
import Vapor

/// The server settings that `HeedVaporConfiguration` passes through to Heed's server: the minimum body rate and
/// the shutdown grace period.
@Suite(.timeLimit(.minutes(1))) struct HeedVaporConfigurationTests {
    /// The defaults are the server's own: 500 bytes per second after 20 s, and a 10 s grace period.
    @Test func defaultsAreTheServers() {
        let configuration = HeedVaporConfiguration()
        #expect(configuration.minimumBodyRate == MinimumBodyRate())
        #expect(configuration.minimumBodyRate == ServerLimits().minimumBodyRate)
        #expect(configuration.shutdownGracePeriod == .seconds(10))
    }

    /// An upload that sends its head and 10 of its 100 000 bytes, then stalls, is answered 408 once a short minimum
    /// body rate (1000 bytes per second after 200 ms) has passed, long before the 60 s idle timeout and the
    /// default rate's 20 s grace period.
    @Test func minimumBodyRateAnswersAStalledUpload() async throws {
        var configuration = HeedVaporConfiguration(port: 0, maxBodySize: 1024 * 1024)
        configuration.minimumBodyRate = MinimumBodyRate(bytesPerSecond: 1000, gracePeriod: .milliseconds(200))
        let response = try await withHeedVaporApp(configuration) { port in
            try await onOwnThread {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(uploadHead(length: 100_000) + "0123456789")
                return try connection.readResponse(timeoutMilliseconds: 10_000)
            }
        }
        #expect(response.statusCode == 408)
        #expect(response.headers["connection"] == "close")
    }

    /// A stop waits for an upload in progress no longer than `shutdownGracePeriod`: with 200 ms, stopping while an
    /// upload has sent its head and 10 of its 100 000 bytes returns well within the default 10 s, and the client's
    /// connection is closed.
    @Test func shutdownGracePeriodBoundsTheStop() async throws {
        let heads = PeerReports<String>()
        var configuration = HeedVaporConfiguration(
            port: 0,
            maxBodySize: 1024 * 1024,
            headResponder: { request in
                heads.send(request.url.path)
                return nil
            },
            shutdownGracePeriod: .milliseconds(200)
        )
        // Only the stop may end the upload.
        configuration.minimumBodyRate = nil
        let (stopTook, closed) = try await withHeedVaporApplication(configuration) { app, port in
            async let closed = onOwnThread {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(uploadHead(length: 100_000) + "0123456789")
                return try connection.readEOF(timeoutMilliseconds: 10_000)
            }
            #expect(await heads.next() == "/upload")
            let stopTook = await ContinuousClock().measure { await app.server.shutdown() }
            return (stopTook, try await closed)
        }
        #expect(stopTook < .seconds(5), "\(stopTook)")
        #expect(closed)
    }
}
