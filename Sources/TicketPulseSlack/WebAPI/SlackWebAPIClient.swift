import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix
import TicketPulseCore

/// The Slack Web API over AsyncHTTPClient: JSON bodies, Bearer token, `ok:false` as a
/// typed error, 429 `Retry-After` honoured, 5xx and timeouts retried with backoff, and
/// `chat.postMessage` paced per channel. All waiting goes through `sleeper`.
public final class SlackWebAPIClient: SlackWebAPI {
    public static let defaultBaseURL = URL(string: "https://slack.com/api")!

    private let token: String
    private let baseURL: String
    private let httpClient: HTTPClient
    private let retryPolicy: SlackRetryPolicy
    private let sleeper: @Sendable (Duration) async throws -> Void
    private let now: @Sendable () -> ContinuousClock.Instant
    private let logger: Logger
    private let pacer: ChannelPacer

    public init(
        token: String,
        baseURL: URL = SlackWebAPIClient.defaultBaseURL,
        httpClient: HTTPClient,
        retryPolicy: SlackRetryPolicy = SlackRetryPolicy(),
        channelInterval: Duration = .seconds(1),
        sleeper: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        logger: Logger = Logger(label: "ticketpulse.slack.webapi")
    ) {
        self.token = token
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.httpClient = httpClient
        self.retryPolicy = retryPolicy
        self.sleeper = sleeper
        self.now = now
        self.logger = logger
        self.pacer = ChannelPacer(interval: channelInterval)
    }

    enum Body {
        case json(any Encodable & Sendable)
        case form([(String, String)])
    }

    /// Calls a Web API method and decodes its `ok:true` answer. `repeatable: false` for a
    /// call whose repetition would be seen (a post): see `send`.
    func call<Response: Decodable>(_ method: String, _ body: Body, as _: Response.Type = SlackEmptyResponse.self,
                                   repeatable: Bool = true) async throws -> Response {
        try await callWithHeaders(method, body, as: Response.self, repeatable: repeatable).response
    }

    /// `call`, with the answer's HTTP headers (names lowercased): some facts come only
    /// there (auth.test's granted scopes in `x-oauth-scopes`).
    func callWithHeaders<Response: Decodable>(_ method: String, _ body: Body, as _: Response.Type = SlackEmptyResponse.self,
                                              repeatable: Bool = true) async throws -> (response: Response, headers: [String: String]) {
        let answer = try await exchange(url: baseURL + "/" + method, label: method, body: body, authorized: true, repeatable: repeatable)
        return (try Self.decodeOK(Response.self, from: answer.body, method: method), answer.headers)
    }

    /// Waits for `channel`'s next posting slot.
    func pace(channel: String) async throws {
        let wait = pacer.reserve(channel: channel, now: now())
        if wait > .zero { try await sleeper(wait) }
    }

    /// Sends with retries; returns the body of a 2xx answer.
    ///
    /// A call that is not `repeatable` is retried only where Slack certainly did nothing
    /// (429, or a connection that was never made). A broken connection after the request
    /// left, a timeout or a 5xx may follow a post Slack made: resending then posted the
    /// message twice, so those end in `.uncertain` and the caller looks for the message by
    /// its metadata key before posting again (`postOnce`).
    func send(url: String, label method: String, body: Body, authorized: Bool, repeatable: Bool = true) async throws -> [UInt8] {
        try await exchange(url: url, label: method, body: body, authorized: authorized, repeatable: repeatable).body
    }

    /// `send`, keeping the 2xx answer's headers.
    private func exchange(url: String, label method: String, body: Body, authorized: Bool, repeatable: Bool) async throws -> (body: [UInt8], headers: [String: String]) {
        let request = try makeRequest(url: url, body: body, authorized: authorized)
        var attempt = 0
        while true {
            attempt += 1
            let status: Int
            let retryAfterHeader: String?
            let bytes: [UInt8]
            let headers: [String: String]
            do {
                let response = try await httpClient.execute(request, timeout: Self.timeAmount(retryPolicy.requestTimeout), logger: logger)
                status = Int(response.status.code)
                // Names lowercased, the first value of each: what callers look up.
                headers = Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
                retryAfterHeader = response.headers.first(name: "retry-after")
                bytes = Array(try await response.body.collect(upTo: 4 << 20).readableBytesView)
            } catch let error where Self.isRetryable(error) {
                if !repeatable && !Self.wasNeverSent(error) {
                    throw SlackAPIError.uncertain(method: method, description: String(describing: error))
                }
                guard attempt < retryPolicy.maxAttempts else {
                    throw SlackAPIError.transport(method: method, description: String(describing: error))
                }
                let wait = retryPolicy.backoff(afterAttempt: attempt)
                logger.warning("Slack call failed, retrying", metadata: ["method": "\(method)", "attempt": "\(attempt)", "error": "\(error)", "wait": "\(wait)"])
                try await sleeper(wait)
                continue
            }
            switch status {
            case 200..<300:
                return (bytes, headers)
            case 429:
                let retryAfter = retryPolicy.retryAfter(header: retryAfterHeader)
                guard attempt < retryPolicy.maxAttempts, retryAfter <= retryPolicy.maxRetryAfter else {
                    throw SlackAPIError.rateLimited(method: method, retryAfter: retryAfter)
                }
                let wait = retryAfter + retryPolicy.jitter()
                logger.warning("Slack rate limit, waiting", metadata: ["method": "\(method)", "attempt": "\(attempt)", "wait": "\(wait)"])
                try await sleeper(wait)
            case 500..<600:
                if !repeatable { throw SlackAPIError.uncertain(method: method, description: "HTTP \(status)") }
                guard attempt < retryPolicy.maxAttempts else { throw SlackAPIError.http(status: status, method: method) }
                let wait = retryPolicy.backoff(afterAttempt: attempt)
                logger.warning("Slack server error, retrying", metadata: ["method": "\(method)", "status": "\(status)", "attempt": "\(attempt)", "wait": "\(wait)"])
                try await sleeper(wait)
            default:
                // response_url answers 404 `expired_url` / `used_url` as text: keep the reason.
                if let code = Self.errorCode(in: bytes) { throw SlackAPIError.slack(code: code, method: method) }
                throw SlackAPIError.http(status: status, method: method)
            }
        }
    }

    private func makeRequest(url: String, body: Body, authorized: Bool) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        if authorized { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        switch body {
        case .json(let value):
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            // Streamed: JSONEncoder's value tree was ~3% of serve's CPU on chat.postMessage (issue 15).
            request.body = .bytes(ByteBuffer(bytes: try StreamingJSONEncoder().encode(value)))
        case .form(let fields):
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: SlackForm.encode(fields)))
        }
        return request
    }

    static func decodeOK<Response: Decodable>(_: Response.Type, from bytes: [UInt8], method: String) throws -> Response {
        // One parse of the body: `ok` first, the fields only when it is true (an error
        // answer lacks them). Slack echoes a posted message whole, so a body is often
        // larger than the request, and parsing it twice showed in profiles.
        let answer: SlackAnswer<Response>
        do {
            answer = try JSONDecoder().decode(SlackAnswer<Response>.self, from: Data(bytes))
        } catch {
            throw SlackAPIError.invalidResponse(method: method)
        }
        switch answer {
        case .ok(let response): return response
        case .failed(let code): throw SlackAPIError.slack(code: code ?? "unknown_error", method: method)
        }
    }

    /// Slack's error code in a JSON `{"ok":false,"error":…}` or a bare-word text body.
    static func errorCode(in bytes: [UInt8]) -> String? {
        if let status = try? JSONDecoder().decode(SlackStatus.self, from: Data(bytes)) {
            return status.ok ? nil : status.error
        }
        let text = String(decoding: bytes.prefix(100), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let isCode = !text.isEmpty && text.allSatisfy { $0.isLetter || $0 == "_" }
        return isCode ? text : nil
    }

    /// Connection failures and timeouts are retried; cancellation is not (the caller is
    /// shutting down), nor are errors that would recur, like a malformed URL.
    static func isRetryable(_ error: any Error) -> Bool {
        if error is CancellationError { return false }
        if let error = error as? HTTPClientError {
            return [
                .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .remoteConnectionClosed,
                .getConnectionFromPoolTimeout, .tlsHandshakeTimeout,
            ].contains(error)
        }
        // NIO's connect errors (refused, reset) arrive as other types: all transient.
        return true
    }

    /// Failures that happen before a request can leave: no connection was made.
    static func wasNeverSent(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [.connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout].contains(error)
        }
        if error is NIOConnectionError { return true }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        return false
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

struct SlackStatus: Decodable {
    var ok: Bool
    var error: String?
}

/// A Web API answer: `ok:true` with the method's fields, or `ok:false` with its error code.
enum SlackAnswer<Response: Decodable>: Decodable {
    case ok(Response)
    case failed(String?)

    init(from decoder: any Decoder) throws {
        let status = try SlackStatus(from: decoder)
        self = status.ok ? .ok(try Response(from: decoder)) : .failed(status.error)
    }
}

struct SlackEmptyResponse: Decodable {}
