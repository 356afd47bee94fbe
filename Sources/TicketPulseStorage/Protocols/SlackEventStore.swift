import Foundation

/// Slack event ids already received, so that a retried delivery is answered once.
public protocol SlackEventStore: Sendable {
    func slackEventIDs(since cutoff: Date) async throws -> [(id: String, receivedAt: Date)]
    /// Records `received` and prunes ids older than `cutoff`, in one transaction.
    func recordSlackEvents(_ received: [(id: String, receivedAt: Date)], pruningBefore cutoff: Date?) async throws
    /// Records one id unless it is there already, in one statement; false when it was (a
    /// retry another process sharing the store received first).
    func claimSlackEvent(_ id: String, at now: Date) async throws -> Bool
}

extension SlackEventStore {
    public func recordSlackEvents(_ received: [(id: String, receivedAt: Date)]) async throws {
        try await recordSlackEvents(received, pruningBefore: nil)
    }
}
