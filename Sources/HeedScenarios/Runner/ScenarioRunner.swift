/// Brings a scenario to life on 127.0.0.1: starts its scripted peer, lets a client send it the request, and
/// judges the outcome.
public enum ScenarioRunner {
    /// Runs `client` through `scenario`.
    /// - Parameters:
    ///   - scenario: The scenario to run.
    ///   - client: The client under test.
    ///   - bodyFile: A file holding `scenario.request.bodySize` bytes, for clients that upload from disk.
    /// - Returns: Both timelines and the verdict.
    /// - Throws: ``ScenarioError`` if the peer's socket cannot be set up.
    public static func run(
        _ scenario: Scenario,
        client: some ClientUnderTest,
        bodyFile: String? = nil
    ) async throws(ScenarioError) -> ScenarioRun {
        let listener: LoopbackSocket
        let port: Int
        let stop: StopSignal
        do {
            (listener, port) = try LoopbackSocket.listen(
                receiveBufferSize: scenario.peer.receiveBufferSize,
                sendBufferSize: scenario.peer.sendBufferSize
            )
            stop = try StopSignal()
        } catch {
            throw ScenarioError.peerSetupFailed(scenario: scenario.name, reason: error.description)
        }
        defer { stop.close() }
        let start = ContinuousClock.now
        let script = scenario.peer
        let peerDeadline = start + scenario.timeLimit + .seconds(1)
        let stopEnd = stop.readEnd
        async let peerRecord = BlockingThread.run(name: "heed-peer-\(scenario.name)") {
            ScriptedPeer(
                script: script,
                listener: listener,
                port: port,
                stop: stopEnd,
                start: start,
                deadline: peerDeadline
            ).run()
        }
        let request = ScenarioRequest(
            url: "http://127.0.0.1:\(port)\(scenario.request.path)",
            port: port,
            method: scenario.request.method,
            path: scenario.request.path,
            bodySize: scenario.request.bodySize,
            bodyFile: bodyFile,
            asksToContinue: scenario.request.asksToContinue,
            start: start,
            timeLimit: scenario.timeLimit
        )
        var outcome = await client.execute(request)
        stop.fire()
        let peer = await peerRecord
        if outcome.timeline.isEmpty {
            outcome.timeline = [
                TimelineEvent(
                    atMicroseconds: TimelineRecorder.microseconds(ContinuousClock.now - start),
                    side: .client,
                    kind: .result,
                    text: outcome.hung ? "still running at the time limit: stopped" : "reported: \(outcome.report)"
                )
            ]
        }
        return ScenarioRun(
            scenario: scenario.name,
            client: client.name,
            timeLimitMilliseconds: TimelineRecorder.microseconds(scenario.timeLimit) / 1000,
            outcome: outcome,
            peer: peer,
            verdict: scenario.expectation.judge(outcome, peer: peer, timeLimit: scenario.timeLimit)
        )
    }
}
