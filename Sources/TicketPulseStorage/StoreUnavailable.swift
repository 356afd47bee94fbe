/// The store cannot be reached now (its server is down, restarting, or cut off): a request
/// answers 503 so that its sender retries, and background work waits for it to come back.
/// A transaction the loss interrupted was rolled back whole, never half applied.
public struct StoreUnavailable: Error, CustomStringConvertible, Equatable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "the store is unavailable: \(reason)" }
}
