import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import TicketPulseSlack

/// Once the server listens, it sends itself one signed `url_verification`, as Slack does
/// when the Request URL is saved. A fresh process took 6–12 ms over the first request that
/// reached it (the HTTP pipeline, routing, reading and verifying the body, decoding the
/// envelope: code and type metadata touched for the first time), and the first question
/// asked paid for it. The request changes nothing: it is answered with its challenge.
///
/// A Service, not work done in Hummingbird's `onServerRunning`: the server accepts no
/// connection until that callback returns, so it only hands over the address.
final class RequestPathWarmUp: Service, Sendable {
    private let signingSecret: String?
    private let now: @Sendable () -> Date
    private let httpClient: HTTPClient
    private let logger: Logger
    private let addresses: AsyncStream<SocketAddress?>
    private let listening: AsyncStream<SocketAddress?>.Continuation

    init(signingSecret: String?, now: @escaping @Sendable () -> Date, httpClient: HTTPClient, logger: Logger) {
        self.signingSecret = signingSecret
        self.now = now
        self.httpClient = httpClient
        self.logger = logger
        (addresses, listening) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Hummingbird's `onServerRunning`.
    func serverRunning(_ channel: any Channel) {
        listening.yield(channel.localAddress)
        listening.finish()
    }

    func run() async {
        for await address in addresses.cancelOnGracefulShutdown() {
            await warm(address)
        }
        try? await gracefulShutdown()
    }

    /// True when the server answered its own request with a 200.
    @discardableResult
    func warm(_ address: SocketAddress?) async -> Bool {
        guard let signingSecret, let url = Self.eventsURL(of: address) else { return false }
        let body = Array(#"{"type":"url_verification","token":"warm-up","challenge":"ticketpulse-warm-up"}"#.utf8)
        let timestamp = String(Int(now().timeIntervalSince1970))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: SlackSignatureVerifier.timestampHeader, value: timestamp)
        request.headers.add(name: SlackSignatureVerifier.signatureHeader, value: SlackSignatureVerifier(signingSecret: signingSecret, now: now).signature(body: body, timestamp: timestamp))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(2))
            _ = try await response.body.collect(upTo: 4_096)
            guard response.status == .ok else {
                logger.warning("the server refused its own signed url_verification", metadata: ["status": "\(response.status.code)"])
                return false
            }
            Self.decodeAQuestion()
            return true
        } catch {
            logger.debug("could not warm the request path", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// What a url_verification does not reach: decoding an `event_callback` with its event
    /// (other types, other metadata) and reading the question out of its text; the first
    /// question still paid ~1 ms for it. In-process, not sent: a real event would be
    /// journaled, answered and counted.
    @discardableResult
    static func decodeAQuestion() -> String? {
        let envelope = try? SlackEnvelope.decode(Array(sampleMention.utf8))
        guard case .eventCallback(let event) = envelope?.kind else { return nil }
        return event.question(botUserID: envelope?.botUserID)
    }

    /// An `app_mention` envelope in Slack's shape.
    static let sampleMention = #"{"token":"warm-up","team_id":"T0WARMUP","api_app_id":"A0WARMUP","type":"event_callback","event_id":"EvWARMUP","event_time":1763478000,"event":{"type":"app_mention","user":"U0WARMUP","text":"<@U0BOTWARM> show support tickets for Acme","ts":"1763478000.000100","channel":"C0WARMUP","event_ts":"1763478000.000100"},"authorizations":[{"team_id":"T0WARMUP","user_id":"U0BOTWARM","is_bot":true}]}"#

    /// `/slack/events` at the address the server listens on; a wildcard address is reached
    /// on loopback.
    static func eventsURL(of address: SocketAddress?) -> String? {
        guard let address, let port = address.port, var host = address.ipAddress else { return nil }
        switch address.protocol {
        case .inet6:
            if host == "::" { host = "::1" }
            host = "[\(host)]"
        default:
            if host == "0.0.0.0" { host = "127.0.0.1" }
        }
        return "http://\(host):\(port)/slack/events"
    }
}
