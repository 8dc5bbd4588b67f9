// The benchmark's own HTTP/1.1 server: NIO, multi-threaded, built in release, so it is not the bottleneck.
//
//   GET  /small                13-byte body ("Hello, World!")
//   GET  /download?bytes=N     N zero bytes with Content-Length, written as slices of one preallocated
//                              1 MiB buffer (no copy), as fast as the connection takes them
//   PUT|POST /upload           discards the body, answers with the byte count
//
// Usage: bench-server [--port P] [--threads T]; prints "listening on PORT" once ready.

import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// One preallocated megabyte of zeros; every download writes slices of it.
let zeros = ByteBuffer(repeating: 0, count: 1 << 20)
let smallBody = ByteBuffer(string: "Hello, World!")

final class BenchHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Mode {
        case idle
        case small(keepAlive: Bool)
        case download(remaining: Int, keepAlive: Bool)
        case upload(received: Int, keepAlive: Bool)
        case notFound(keepAlive: Bool)
    }

    private var mode = Mode.idle
    /// A download whose body is still being written: it goes on when the channel becomes writable.
    private var downloadRemaining = 0
    private var downloadKeepAlive = true
    private var downloading = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            let keepAlive = head.isKeepAlive
            // Like nginx: a client that asks with `Expect: 100-continue` is told to go on at once.
            if head.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let proceed = HTTPResponseHead(version: .http1_1, status: .continue)
                context.writeAndFlush(Self.wrapOutboundOut(.head(proceed)), promise: nil)
            }
            if head.uri == "/small" {
                self.mode = .small(keepAlive: keepAlive)
            } else if head.uri.hasPrefix("/download"), let bytes = Self.bytesParameter(head.uri) {
                self.mode = .download(remaining: bytes, keepAlive: keepAlive)
            } else if head.uri.hasPrefix("/upload"), head.method == .PUT || head.method == .POST {
                self.mode = .upload(received: 0, keepAlive: keepAlive)
            } else {
                self.mode = .notFound(keepAlive: keepAlive)
            }
        case .body(let part):
            if case .upload(let received, let keepAlive) = self.mode {
                self.mode = .upload(received: received + part.readableBytes, keepAlive: keepAlive)
            }
        case .end:
            let mode = self.mode
            self.mode = .idle
            switch mode {
            case .idle:
                break
            case .small(let keepAlive):
                self.respond(context: context, status: .ok, body: smallBody, keepAlive: keepAlive)
            case .upload(let received, let keepAlive):
                self.respond(
                    context: context,
                    status: .ok,
                    body: ByteBuffer(string: "\(received)"),
                    keepAlive: keepAlive
                )
            case .notFound(let keepAlive):
                self.respond(context: context, status: .notFound, body: ByteBuffer(), keepAlive: keepAlive)
            case .download(let bytes, let keepAlive):
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: String(bytes))
                if !keepAlive { headers.add(name: "Connection", value: "close") }
                context.write(
                    Self.wrapOutboundOut(.head(.init(version: .http1_1, status: .ok, headers: headers))),
                    promise: nil
                )
                self.downloadRemaining = bytes
                self.downloadKeepAlive = keepAlive
                self.downloading = true
                self.writeDownload(context: context)
            }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if self.downloading, context.channel.isWritable { self.writeDownload(context: context) }
        context.fireChannelWritabilityChanged()
    }

    private func writeDownload(context: ChannelHandlerContext) {
        while self.downloadRemaining > 0, context.channel.isWritable {
            let count = min(self.downloadRemaining, zeros.readableBytes)
            self.downloadRemaining -= count
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(zeros.getSlice(at: 0, length: count)!))), promise: nil)
            if self.downloadRemaining > 0 { context.flush() }
        }
        guard self.downloadRemaining == 0 else { return }
        self.downloading = false
        let keepAlive = self.downloadKeepAlive
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }

    private func respond(context: ChannelHandlerContext, status: HTTPResponseStatus, body: ByteBuffer, keepAlive: Bool)
    {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(
            Self.wrapOutboundOut(.head(.init(version: .http1_1, status: status, headers: headers))),
            promise: nil
        )
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let done = context.writeAndFlushAndReturnFuture(.end(nil))
        if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }

    private static func bytesParameter(_ uri: String) -> Int? {
        guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("bytes=") {
            return Int(pair.dropFirst(6))
        }
        return nil
    }
}

extension ChannelHandlerContext {
    fileprivate func writeAndFlushAndReturnFuture(_ part: HTTPServerResponsePart) -> EventLoopFuture<Void> {
        let promise = self.eventLoop.makePromise(of: Void.self)
        self.writeAndFlush(NIOAny(part), promise: promise)
        return promise.futureResult
    }
}

var port = 8080
var threads = System.coreCount
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--port": port = Int(arguments.next() ?? "") ?? port
    case "--threads": threads = Int(arguments.next() ?? "") ?? threads
    default:
        print("usage: bench-server [--port P] [--threads T]")
        exit(2)
    }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
let channel = try await ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelOption(.maxMessagesPerRead, value: 16)
    .childChannelOption(
        .recvAllocator,
        value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 1 << 20)
    )
    .childChannelOption(.writeBufferWaterMark, value: .init(low: 1 << 20, high: 4 << 20))
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false)
            try channel.pipeline.syncOperations.addHandler(BenchHandler())
        }
    }
    .bind(host: "127.0.0.1", port: port)
    .get()
// Written unbuffered, so the script waiting for it sees it at once.
let banner = Array("listening on \(channel.localAddress?.port ?? port)\n".utf8)
_ = banner.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
try await channel.closeFuture.get()
