import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing
import TicketPulseStorage
@testable import TicketPulseServer

@Suite("Dashboard failure pages")
struct WebFailurePageTests {
    struct Broken: Error {}

    @Test("A lost store is a 503 page with Retry-After, as every other route answers it; anything else a 500")
    func lostStore() async throws {
        let renderer = WebRenderer.locate()
        let lost = renderer.failurePage(StoreUnavailable(reason: "no connection to PostgreSQL within 2 seconds"), message: "unused")
        #expect(lost.status == .serviceUnavailable)
        #expect(lost.headers[.retryAfter] == "5")
        #expect(try await Self.text(of: lost).contains("Try again in a minute"))

        let broken = renderer.failurePage(Broken(), message: "Nothing may have been saved; the server's log says why.")
        #expect(broken.status == .internalServerError)
        #expect(broken.headers[.retryAfter] == nil)
        #expect(try await Self.text(of: broken).contains("Nothing may have been saved"))
    }

    static func text(of response: Response) async throws -> String {
        let collected = Collected()
        try await response.body.write(CollectingWriter(into: collected))
        return String(buffer: collected.buffer.withLock { $0 })
    }

    final class Collected: Sendable {
        let buffer = Mutex(ByteBuffer())
    }

    /// The body as the server would send it, kept.
    struct CollectingWriter: ResponseBodyWriter {
        let into: Collected
        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            _ = into.buffer.withLock { $0.writeBuffer(&buffer) }
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
