import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT (Ctrl-C) and SIGTERM, watched so that `heed serve` can stop gracefully instead of dying at once.
struct StopSignals {
    private static let numbers = [SIGINT, SIGTERM]

    /// The signals received, by number.
    let received: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    /// Starts watching: from now on the signals no longer end the process, they arrive in ``received``.
    init() {
        let (received, sink) = AsyncStream.makeStream(of: Int32.self)
        self.received = received
        self.sources = Self.numbers.map { number in
            // Ignored by the process, so that only the dispatch source sees it.
            _ = signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { sink.yield(number) }
            source.resume()
            return source
        }
    }

    /// Stops watching: the signals end the process again.
    func stopWatching() {
        for source in self.sources {
            source.cancel()
        }
        Self.restoreDefaultActions()
    }

    /// Gives the signals their default action back (a second Ctrl-C then ends the process at once).
    static func restoreDefaultActions() {
        for number in Self.numbers {
            _ = signal(number, SIG_DFL)
        }
    }

    /// The signal's name, for the log.
    static func name(_ number: Int32) -> String {
        number == SIGINT ? "SIGINT" : number == SIGTERM ? "SIGTERM" : "signal \(number)"
    }
}
