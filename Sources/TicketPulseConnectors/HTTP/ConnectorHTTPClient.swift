import AsyncHTTPClient
import Foundation
import Logging

public struct ConnectorRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct ConnectorResponse: Sendable {
    public var status: Int
    /// Header names lowercased; the first value of each.
    public var headers: [String: String]
    public var body: [UInt8]
}

/// AsyncHTTPClient with the support systems' rules: 429 waits for `Retry-After` or
/// `X-RateLimit-Reset`, 5xx/408 and transport errors back off exponentially (transport
/// errors within `RetryPolicy.maxTransportWait` in all), a spent `X-RateLimit-Remaining`
/// waits for the reset before the next call. Every wait goes through `sleeper`, so tests
/// never sleep.
public struct ConnectorHTTPClient: Sendable {
    public typealias Sleeper = @Sendable (Duration) async throws -> Void

    /// The pool's settings for support systems. AsyncHTTPClient by default retries a
    /// refused connection inside the request until the request's deadline (60 s here), so
    /// each attempt at a closed port took a minute and five of them over five minutes.
    /// Failing the attempt at once leaves the retrying to `send`, which bounds it.
    public static let poolConfiguration: HTTPClient.Configuration = {
        var pool = HTTPClient.Configuration.ConnectionPool()
        pool.retryConnectionEstablishment = false
        return HTTPClient.Configuration(timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10)), connectionPool: pool)
    }()

    /// One client for every connection, for the process's lifetime (like `HTTPClient.shared`).
    public static let sharedHTTPClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: poolConfiguration)

    let httpClient: HTTPClient
    let policy: RetryPolicy
    let sleeper: Sleeper
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        httpClient: HTTPClient = ConnectorHTTPClient.sharedHTTPClient, policy: RetryPolicy = RetryPolicy(),
        sleeper: @escaping Sleeper = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "ticketpulse.connectors.http")
    ) {
        self.httpClient = httpClient
        self.policy = policy
        self.sleeper = sleeper
        self.now = now
        self.logger = logger
    }

    /// Sends with retries and returns a 2xx answer; anything else throws `ConnectorError`.
    public func send(_ request: ConnectorRequest) async throws -> ConnectorResponse {
        var failures = 0
        var rateLimited = 0
        var transportFailures = 0
        var firstTransportFailure: Date?
        while true {
            try Task.checkCancellation()
            let response: ConnectorResponse
            let attemptStarted = now()
            do {
                response = try await execute(request)
            } catch let error as CancellationError {
                throw error
            } catch {
                failures += 1
                transportFailures += 1
                let since = firstTransportFailure ?? attemptStarted
                firstTransportFailure = since
                let wait = policy.backoff(afterAttempt: failures)
                // Counted from the start of the first failed attempt, so connect timeouts count too.
                let spent = Duration.seconds(max(0, now().timeIntervalSince(since)))
                guard failures < policy.maxAttempts, spent + wait <= policy.maxTransportWait else {
                    throw ConnectorError.transport(Self.describeTransport(error, url: request.url, attempts: transportFailures, over: spent))
                }
                logger.warning("request failed, retrying", metadata: ["url": "\(request.url)", "error": "\(error)", "wait": "\(wait)"])
                try await sleeper(wait)
                continue
            }
            switch response.status {
            case 200..<300:
                try await waitIfBudgetSpent(response)
                return response
            case let status where status == 429 || (status == 403 && Self.isRequestLimit(response)):
                // Salesforce answers its API limits with 403 REQUEST_LIMIT_EXCEEDED, not 429.
                rateLimited += 1
                let wait = rateLimitWait(response) ?? policy.backoff(afterAttempt: rateLimited)
                guard wait <= policy.maxRateLimitWait, rateLimited < policy.maxRateLimitedAttempts else {
                    throw ConnectorError.rateLimited(retryAfter: wait)
                }
                logger.notice("rate limited, waiting", metadata: ["url": "\(request.url)", "wait": "\(wait)"])
                try await sleeper(wait)
            case 408, 500..<600:
                failures += 1
                guard failures < policy.maxAttempts else {
                    throw ConnectorError.http(status: response.status, body: Self.snippet(response.body))
                }
                let wait = policy.backoff(afterAttempt: failures)
                logger.warning("server error, retrying", metadata: ["url": "\(request.url)", "status": "\(response.status)", "wait": "\(wait)"])
                try await sleeper(wait)
            case 401, 403:
                throw ConnectorError.unauthorized(status: response.status)
            case 404:
                throw ConnectorError.notFound
            default:
                throw ConnectorError.http(status: response.status, body: Self.snippet(response.body))
            }
        }
    }

    private func execute(_ request: ConnectorRequest) async throws -> ConnectorResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .init(rawValue: request.method)
        outgoing.headers.add(name: "User-Agent", value: "TicketPulse")
        outgoing.headers.add(name: "Accept", value: "application/json")
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(body) }
        let timeout = policy.requestTimeout.components
        let response = try await httpClient.execute(outgoing, timeout: .seconds(max(1, timeout.seconds)), logger: logger)
        var headers: [String: String] = [:]
        for header in response.headers where headers[header.name.lowercased()] == nil {
            headers[header.name.lowercased()] = header.value
        }
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return ConnectorResponse(status: Int(response.status.code), headers: headers, body: Array(buffer.readableBytesView))
    }

    /// `Retry-After` in seconds (or an HTTP date), else `X-RateLimit-Reset` as epoch
    /// seconds (Intercom) or seconds from now.
    func rateLimitWait(_ response: ConnectorResponse) -> Duration? {
        if let value = response.headers["retry-after"]?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Double(value) { return .seconds(max(0, seconds)) }
            if let date = Self.httpDate(value) {
                return .seconds(max(0, date.timeIntervalSince(now())))
            }
        }
        if let value = response.headers["x-ratelimit-reset"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) {
            // Epoch seconds are ~1.7e9; anything small is a relative delay.
            let seconds = value > 1_000_000_000 ? value - now().timeIntervalSince1970 : value
            return .seconds(max(1, seconds))
        }
        return nil
    }

    private func waitIfBudgetSpent(_ response: ConnectorResponse) async throws {
        guard response.headers["x-ratelimit-remaining"].flatMap({ Int($0) }) == 0, let wait = rateLimitWait(response) else { return }
        try await sleeper(min(wait, policy.maxRateLimitWait))
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    static func isRequestLimit(_ response: ConnectorResponse) -> Bool {
        String(decoding: response.body.prefix(4096), as: UTF8.self).contains("REQUEST_LIMIT_EXCEEDED")
    }

    /// "cannot reach 127.0.0.1:8443: connection refused (3 attempts over 3 s)": what failed,
    /// where, and that it was retried, instead of a NIO error's dump.
    static func describeTransport(_ error: any Error, url: String, attempts: Int, over spent: Duration) -> String {
        let detail = String(describing: error)
        let reason: String
        if let error = error as? HTTPClientError, error == .connectTimeout {
            reason = "connect timed out"
        } else if let error = error as? HTTPClientError, error == .deadlineExceeded {
            reason = "no answer in time"
        } else if detail.localizedCaseInsensitiveContains("refused") {
            reason = "connection refused (is the address right, and the service up?)"
        } else if detail.localizedCaseInsensitiveContains("reset") {
            reason = "connection reset"
        } else {
            reason = detail
        }
        let components = URLComponents(string: url)
        let host = components.map { "\($0.host ?? "?")\($0.port.map { ":\($0)" } ?? "")" } ?? url
        let seconds = Int(Double(spent.components.seconds) + Double(spent.components.attoseconds) / 1e18)
        return "cannot reach \(host): \(reason) (\(attempts) attempt\(attempts == 1 ? "" : "s") over \(seconds) s)"
    }

    static func snippet(_ body: [UInt8]) -> String {
        String(decoding: body.prefix(300), as: UTF8.self)
    }
}
