/// A network check that took longer than the doctor allows.
struct DoctorTimedOut: Error, CustomStringConvertible {
    var limit: Duration
    var description: String { "no answer within \(limitText)" }
    /// Whole seconds, or milliseconds under one (tests' limits).
    var limitText: String {
        limit < .seconds(1) ? "\(limit.components.attoseconds / 1_000_000_000_000_000) ms" : "\(limit.components.seconds) s"
    }
}

/// Runs `operation`, giving up after `limit`: one silent server must not hold up the
/// whole checklist. The operation is cancelled when the time is up.
func withTimeout<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DoctorTimedOut(limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
