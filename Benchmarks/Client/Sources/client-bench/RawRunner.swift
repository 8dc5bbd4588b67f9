import BenchSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The ceiling: one blocking loopback TCP socket speaking just enough HTTP/1.1, with 1 MiB reads and writes
/// for the transfers, and one small request at a time for the sequential GETs.
enum RawRunner {
    static func run(_ workload: Workload, sizes: Sizes, port: Int) throws -> BenchResult {
        switch workload {
        case .sequential: return try self.sequential(sizes: sizes, port: port)
        case .concurrent: throw BenchmarkFailure("the raw socket runs the sequential GETs and the transfers")
        case .download, .upload: break
        }
        let bufferSize = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: UInt8(ascii: "x"))
        let socket = try self.connect(port: port)
        defer { close(socket) }
        var received = 0
        let seconds = try self.timedSync {
            if workload == .download {
                try self.send("GET /download?bytes=\(sizes.transferBytes) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", socket)
                received = try self.readResponse(socket, buffer: buffer, bodyBytes: sizes.transferBytes)
            } else {
                try self.send(
                    "PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(sizes.transferBytes)\r\n\r\n",
                    socket
                )
                var remaining = sizes.transferBytes
                while remaining > 0 {
                    let sent = Glibc.send(socket, buffer.baseAddress, min(remaining, bufferSize), 0)
                    if sent < 0 && errno == EINTR { continue }
                    guard sent > 0 else { throw BenchmarkFailure("send failed: errno \(errno)") }
                    remaining -= sent
                }
                _ = try self.readResponse(socket, buffer: buffer, bodyBytes: String(sizes.transferBytes).utf8.count)
            }
        }
        if workload == .download, received != sizes.transferBytes {
            throw BenchmarkFailure("received \(received) bytes")
        }
        return BenchResult(
            operations: 1,
            bytes: sizes.transferBytes,
            seconds: seconds,
            cpuSeconds: processCPUSeconds()
        )
    }

    /// The floor of a sequential GET: blocking `send` of the request, `recv` until the 13-byte body is in.
    private static func sequential(sizes: Sizes, port: Int) throws -> BenchResult {
        let socket = try self.connect(port: port)
        defer { close(socket) }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { buffer.deallocate() }
        let request = Array("GET /small HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        func get() throws {
            let sent = request.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
            guard sent == request.count else { throw BenchmarkFailure("send failed") }
            _ = try self.readResponse(socket, buffer: buffer, bodyBytes: 13)
        }
        for _ in 0..<sizes.warmup { try get() }
        let seconds = try self.timedSync {
            for _ in 0..<sizes.sequentialRequests { try get() }
        }
        return BenchResult(
            operations: sizes.sequentialRequests,
            bytes: 0,
            seconds: seconds,
            cpuSeconds: processCPUSeconds()
        )
    }

    private static func timedSync(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        return seconds(since: start)
    }

    private static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw BenchmarkFailure("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw BenchmarkFailure("connect failed: errno \(errno)") }
        return socket
    }

    private static func send(_ text: String, _ socket: Int32) throws {
        var bytes = Array(text.utf8)
        let sent = Glibc.send(socket, &bytes, bytes.count, 0)
        guard sent == bytes.count else { throw BenchmarkFailure("send failed") }
    }

    /// Reads a response with `bodyBytes` of body; returns the body bytes read.
    private static func readResponse(
        _ socket: Int32,
        buffer: UnsafeMutableRawBufferPointer,
        bodyBytes: Int
    ) throws
        -> Int
    {
        // The head is the stream's first bytes: keep the start of the first reads until it is complete.
        var head: [UInt8] = []
        var total = 0
        var body = 0
        while true {
            let count = recv(socket, buffer.baseAddress, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw BenchmarkFailure("the server closed early") }
            guard head.count == total else { throw BenchmarkFailure("the response head is too long") }
            total += count
            head.append(contentsOf: buffer[0..<min(count, 8192)])
            if let end = self.endOfHead(head) {
                body = total - end
                break
            }
        }
        while body < bodyBytes {
            let count = recv(socket, buffer.baseAddress, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw BenchmarkFailure("the server closed early") }
            body += count
        }
        return body
    }

    private static func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }
}

/// curl, when it is installed, as a separate process (its peak RSS is read from the children's rusage).
enum CurlRunner {
    static func run(_ workload: Workload, sizes: Sizes, port: Int) throws -> BenchResult {
        guard workload.isTransfer else { throw BenchmarkFailure("curl runs the transfers only") }
        let base = "http://127.0.0.1:\(port)"
        var arguments = ["-sS", "-o", "/dev/null", "--fail"]
        var path: String?
        if workload == .download {
            arguments.append(base + "/download?bytes=\(sizes.transferBytes)")
        } else {
            path = try sparseFile(bytes: sizes.transferBytes)
            arguments += ["-T", path ?? "", base + "/upload"]
        }
        defer { if let path { unlink(path) } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        guard process.terminationStatus == 0 else { throw BenchmarkFailure("curl exited \(process.terminationStatus)") }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return BenchResult(operations: 1, bytes: sizes.transferBytes, seconds: seconds, peakRSSKiB: usage.ru_maxrss)
    }
}
