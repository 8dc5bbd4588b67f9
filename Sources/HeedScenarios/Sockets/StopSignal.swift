import Glibc

/// A pipe that wakes a peer's `poll` when the client under test has finished.
struct StopSignal: Sendable {
    /// The end that becomes readable once ``fire()`` has been called.
    let readEnd: Int32
    private let writeEnd: Int32

    init() throws(SocketSetupError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SocketSetupError(operation: "pipe", errno: errno) }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        self.readEnd = ends[0]
        self.writeEnd = ends[1]
    }

    /// Makes ``readEnd`` readable for good.
    func fire() {
        var byte: UInt8 = 1
        _ = Glibc.write(self.writeEnd, &byte, 1)
    }

    /// Closes both ends; call once the peer's thread has finished.
    func close() {
        _ = Glibc.close(self.readEnd)
        _ = Glibc.close(self.writeEnd)
    }
}
