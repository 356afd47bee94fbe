import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Batches routine alerts into one digest DM per person per day, at the time they chose
/// (`notify me at 8am`; 09:00 by default) on their own clock: the roster's time zone, UTC
/// when none is known. Calendar arithmetic in that zone keeps 9:00 at 9:00 across
/// daylight-saving changes.
public struct DigestScheduler: Sendable {
    let store: any Store
    let messages: AlertMessages
    public static let defaultHour = 9

    public init(store: any Store, messages: AlertMessages) {
        self.store = store
        self.messages = messages
    }

    /// Queues the digests that are due at `now`; returns the people they go to.
    @discardableResult
    public func queueDue(at now: Date) async throws -> [String] {
        var queued: [String] = []
        for (email, alerts) in try await store.pendingDigestItems() where !alerts.isEmpty {
            let preferences = try await store.preferences(email: email)
            let calendar = preferences.calendar
            let today = calendar.startOfDay(for: now)
            let due = calendar.date(bySettingHour: preferences.digestHour ?? Self.defaultHour, minute: preferences.digestMinute ?? 0, second: 0, of: today) ?? today
            guard now >= due else { continue }
            if let last = try await store.lastDigest(email: email), last >= due { continue }
            let name = try await store.csm(email: email)?.name.split(separator: " ").first.map(String.init) ?? email
            // The person's own date: a New York digest at 21:00 is that day's, not tomorrow's UTC.
            let day = today.formatted(Date.ISO8601FormatStyle(timeZone: calendar.timeZone).year().month().day())
            let message = OutboxMessage(key: "digest:\(email.lowercased()):\(day)", kind: .post, recipient: "user:\(email.lowercased())",
                                        message: messages.digest(alerts, for: name, at: now, timeZone: calendar.timeZone))
            try await store.queueDigest(message, email: email, alertIDs: alerts.map(\.id), at: now)
            queued.append(email)
        }
        return queued
    }
}
