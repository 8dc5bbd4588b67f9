import HeedTestSupport
import HeedVapor
import Testing

/// The control experiment: the same clients against the same app with the lingering close switched off.
@Suite struct HeedVaporWithoutLingeringTests {
    /// Without lingering, clients still sending see resets instead of a FIN (in every run we measured), and
    /// some of the 4 MiB pages arrive cut off (1 to 20 of 20 runs we measured: too variable to assert).
    @Test(arguments: [HeedVaporEarlyResponseTests.Answer.serverLimit, .unauthorized, .tooLarge, .hugePage])
    func withoutLingeringClientsSeeResets(answer: HeedVaporEarlyResponseTests.Answer) async throws {
        let runs = 20
        let configuration = HeedVaporEarlyResponseTests.configuration(answer, lingering: false)
        let outcomes = try await withHeedVaporApp(configuration) { port in
            let client = ServerRawClient(
                port: port,
                head: answer.head,
                bodyBytes: HeedVaporEarlyResponseTests.bodyBytes
            )
            return try await runRawClients(client, count: runs)
        }
        let resets = outcomes.filter { $0.ending == .reset || $0.writeFailed }.count
        let cutOff = outcomes.filter { !$0.receivedWholeResponse }.count
        print("without lingering (\(answer.testDescription)): \(resets) of \(runs) reset, \(cutOff) cut off")
        #expect(outcomes.count == runs)
        #expect(resets > runs / 2, "only \(resets) of \(runs) runs saw a reset without lingering")
    }
}
