import NIOCore
import Testing

@testable import HeedClient

/// The hand-over of request body parts from the producer to the connection, without a connection.
@Suite struct RequestBodyPipeTests {
    private func part(_ count: Int) -> ByteBuffer {
        ByteBuffer(repeating: 0x61, count: count)
    }

    /// The connection is told about the first part only; it takes parts in order and, once it found none, must be
    /// told again.
    @Test func wakesTheConnectionOnlyWhenItIsNotComing() {
        let pipe = RequestBodyPipe(highWater: 100, lowWater: 50)
        #expect(pipe.offer(self.part(10)) == .accepted(wakeConnection: true, wait: false))
        #expect(pipe.offer(self.part(20)) == .accepted(wakeConnection: false, wait: false))
        guard case .part(let first) = pipe.take(), case .part(let second) = pipe.take(), case .empty = pipe.take()
        else {
            Issue.record("expected two parts, then none")
            return
        }
        #expect(first.readableBytes == 10)
        #expect(second.readableBytes == 20)
        #expect(pipe.offer(self.part(1)) == .accepted(wakeConnection: true, wait: false))
    }

    /// The window counts bytes until they are written, not until they are taken.
    @Test func windowCountsBytesUntilWritten() async {
        let pipe = RequestBodyPipe(highWater: 100, lowWater: 50)
        #expect(pipe.offer(self.part(60)) == .accepted(wakeConnection: true, wait: false))
        _ = pipe.take()
        // The connection took a part and has not come back empty-handed: it is still coming.
        #expect(pipe.offer(self.part(40)) == .accepted(wakeConnection: false, wait: true))
        _ = pipe.take()
        let room = Task { await pipe.waitForRoom() }
        for _ in 0..<10_000 where !pipe.producerIsWaiting { await Task.yield() }
        #expect(pipe.producerIsWaiting)
        pipe.written(40)  // 60 in flight: still above the low-water mark
        #expect(pipe.producerIsWaiting)
        pipe.written(10)  // 50: let go
        #expect(await room.value)
        #expect(!pipe.producerIsWaiting)
        // With room already there, waiting returns at once.
        #expect(await pipe.waitForRoom())
    }

    /// Stopping drops the parts not yet taken, lets a waiting producer go with `false` and refuses what follows.
    @Test func stopDropsPartsAndReleasesTheProducer() async {
        let pipe = RequestBodyPipe(highWater: 100, lowWater: 50)
        #expect(pipe.offer(self.part(100)) == .accepted(wakeConnection: true, wait: true))
        let room = Task { await pipe.waitForRoom() }
        for _ in 0..<10_000 where !pipe.producerIsWaiting { await Task.yield() }
        pipe.stop()
        #expect(await room.value == false)
        guard case .empty = pipe.take() else {
            Issue.record("a stopped pipe still held a part")
            return
        }
        #expect(pipe.offer(self.part(1)) == .stopped)
        #expect(!pipe.finish())
        #expect(await pipe.waitForRoom() == false)
    }

    /// The end comes once, after every part.
    @Test func endComesOnceAfterTheParts() {
        let pipe = RequestBodyPipe(highWater: 100, lowWater: 50)
        #expect(pipe.offer(self.part(5)) == .accepted(wakeConnection: true, wait: false))
        #expect(!pipe.finish())  // the connection is coming for the part anyway
        #expect(pipe.offer(self.part(5)) == .stopped)
        guard case .part = pipe.take(), case .end = pipe.take(), case .empty = pipe.take() else {
            Issue.record("expected the part, the end, then nothing")
            return
        }
        let empty = RequestBodyPipe(highWater: 100, lowWater: 50)
        #expect(empty.finish())
        guard case .end = empty.take() else {
            Issue.record("expected the end of an empty body")
            return
        }
    }
}
