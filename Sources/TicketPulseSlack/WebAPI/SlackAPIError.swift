/// A failed Web API call, after the client's own retries.
public enum SlackAPIError: Error, Sendable, Equatable {
    /// Slack answered `{"ok":false,"error":code}` (e.g. `channel_not_found`); retrying
    /// the same call will not help.
    case slack(code: String, method: String)
    /// Still rate-limited after the allowed attempts, or asked to wait longer than the
    /// client will block; the caller should reschedule after `retryAfter`.
    case rateLimited(method: String, retryAfter: Duration)
    /// An HTTP status Slack does not use for logical errors (4xx other than 429, or 5xx
    /// after retries).
    case http(status: Int, method: String)
    /// No answer: connection failure or timeout, after retries.
    case transport(method: String, description: String)
    /// A 2xx whose body is not the JSON the method returns.
    case invalidResponse(method: String)
    /// A call that is not safe to repeat (`chat.postMessage`) failed after the request
    /// may have reached Slack: the connection broke after it was sent, the answer came
    /// too late, or Slack answered 5xx. The message may exist; look for it by its
    /// metadata key before posting again (`postOnce`), never just resend.
    case uncertain(method: String, description: String)
}
