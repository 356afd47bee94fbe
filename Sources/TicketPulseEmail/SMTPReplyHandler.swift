import NIOCore
import NIOSSL

/// The inbound end of an SMTP connection: splits the server's bytes into lines, the lines
/// into replies, and hands each reply to the one waiter (SMTP without PIPELINING is strictly
/// one command, one reply). Lives on the channel's event loop; reached through `SMTPConnection`.
final class SMTPReplyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    enum Failure: Error {
        case closed
        case timedOut
        case malformed(String)
        case tls(String)
        /// Any other I/O error (a reset connection): as good as closed.
        case io(String)
    }

    /// RFC 5321 §4.5.3.1.5 allows 512 octets a reply line; more is tolerated, not unbounded.
    static let maximumLineLength = 4096

    private var buffer = ByteBuffer()
    private var parser = SMTPReplyParser()
    private var ready = CircularBuffer<SMTPReply>()
    private var waiter: (promise: EventLoopPromise<SMTPReply>, timeout: Scheduled<Void>)?
    /// Why the connection failed, once it has; kept so that later calls get the first cause.
    private(set) var failure: Failure?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readableBytesView.startIndex
            var line = buffer.readString(length: length) ?? ""
            buffer.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            do {
                if let reply = try parser.feed(line) { deliver(reply) }
            } catch {
                fail(.malformed(String(describing: error)), closing: context)
                return
            }
        }
        if buffer.readableBytes > Self.maximumLineLength {
            fail(.malformed("a reply line longer than \(Self.maximumLineLength) bytes"), closing: context)
            return
        }
        buffer.discardReadBytes()
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed, closing: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            fail(.tls(String(describing: error)), closing: context)
        } else {
            fail(.io(String(describing: error)), closing: context)
        }
    }

    /// The next reply, or the connection's failure; `timeout` after which the connection is
    /// closed (a late reply would answer the wrong command).
    func nextReply(timeout: TimeAmount, on eventLoop: any EventLoop) -> EventLoopFuture<SMTPReply> {
        precondition(waiter == nil, "one command at a time")
        if let reply = ready.popFirst() { return eventLoop.makeSucceededFuture(reply) }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        let scheduled = eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            fail(.timedOut, closing: context)
        }
        waiter = (promise, scheduled)
        return promise.futureResult
    }

    /// True when the server sent more than the reply just read: after STARTTLS's 220 that
    /// would be clear text injected ahead of the TLS session (CVE-2011-0411), never trusted.
    var hasUnreadInput: Bool { buffer.readableBytes > 0 || !ready.isEmpty || parser.isInsideReply }

    private func deliver(_ reply: SMTPReply) {
        if let waiter {
            self.waiter = nil
            waiter.timeout.cancel()
            waiter.promise.succeed(reply)
        } else {
            ready.append(reply)
        }
    }

    private func fail(_ failure: Failure, closing context: ChannelHandlerContext?) {
        if self.failure == nil { self.failure = failure }
        if let waiter {
            self.waiter = nil
            waiter.timeout.cancel()
            waiter.promise.fail(self.failure!)
        }
        context?.close(promise: nil)
    }
}
