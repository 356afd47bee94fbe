import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Batches routine alerts into one digest per person per day, at the time they chose
/// (`notify me at 8am`; 09:00 by default) on their own clock: the roster's time zone, UTC
/// when none is known. Calendar arithmetic in that zone keeps 9:00 at 9:00 across
/// daylight-saving changes. The digest goes where the person takes it (`digestDelivery`):
/// a Slack DM, an email row in the same outbox, or both.
public struct DigestScheduler: Sendable {
    let store: any Store
    let messages: AlertMessages
    let email: DigestEmail?
    public static let defaultHour = 9

    /// `email`: nil when the server sends no email (no `email:` section); digests then go
    /// to Slack whatever the person chose, so nobody's digest is lost to a missing setting.
    public init(store: any Store, messages: AlertMessages, email: DigestEmail? = nil) {
        self.store = store
        self.messages = messages
        self.email = email
    }

    /// Queues the digests that are due at `now`; returns the people they go to.
    @discardableResult
    public func queueDue(at now: Date) async throws -> [String] {
        try await queue(at: now, force: false, only: nil).map { $0.email }
    }

    /// `digest --send-now`: every pending digest now, whatever its hour (`only`: just that
    /// person's); returns each person's outbox keys.
    public func queueNow(at now: Date, only: String? = nil) async throws -> [(email: String, keys: [String])] {
        try await queue(at: now, force: true, only: only)
    }

    func queue(at now: Date, force: Bool, only: String?) async throws -> [(email: String, keys: [String])] {
        var queued: [(email: String, keys: [String])] = []
        for (email, alerts) in try await store.pendingDigestItems() where !alerts.isEmpty {
            if let only, only.lowercased() != email.lowercased() { continue }
            let preferences = try await store.preferences(email: email)
            let calendar = preferences.calendar
            let today = calendar.startOfDay(for: now)
            let due = calendar.date(bySettingHour: preferences.digestHour ?? Self.defaultHour, minute: preferences.digestMinute ?? 0, second: 0, of: today) ?? today
            if !force {
                guard now >= due else { continue }
                if let last = try await store.lastDigest(email: email), last >= due { continue }
            }
            let name = try await store.csm(email: email)?.name.split(separator: " ").first.map(String.init) ?? email
            // The person's own date: a New York digest at 21:00 is that day's, not tomorrow's UTC.
            let day = today.formatted(Date.ISO8601FormatStyle(timeZone: calendar.timeZone).year().month().day())
            // A forced digest is an extra one: its own key, so it never collides with (and
            // its items are never folded into) the day's digest already sent.
            let key = force ? "digest:\(email.lowercased()):\(day):now-\(Int(now.timeIntervalSince1970))" : "digest:\(email.lowercased()):\(day)"
            let digest = messages.digest(alerts, for: name, at: now, timeZone: calendar.timeZone)
            let rows = Self.rows(digest, key: key, email: email, delivery: preferences.digestDelivery, sender: self.email)
            try await store.queueDigests(rows, email: email, alertIDs: alerts.map(\.id), at: now)
            queued.append((email, rows.map { $0.key }))
        }
        return queued
    }

    /// The outbox rows of one digest: a DM, an email (its Message-ID made now, once), or
    /// both. The email's key extends the DM's, so `lastDigest` finds either.
    static func rows(_ digest: Reply, key: String, email: String, delivery: DigestDelivery, sender: DigestEmail?) -> [OutboxMessage] {
        var rows: [OutboxMessage] = []
        let byEmail = delivery.byEmail && sender != nil
        if delivery.bySlack || !byEmail {
            rows.append(OutboxMessage(key: key, kind: .post, recipient: "user:\(email.lowercased())", message: digest))
        }
        if byEmail, let sender {
            rows.append(OutboxMessage(key: key + ":email", kind: .email, recipient: OutboxMessage.emailRecipient(email), message: digest,
                                      messageID: sender.makeMessageID()))
        }
        return rows
    }
}

/// What the digest needs of the email setup: a Message-ID maker at the sender's domain
/// (the Email module's, injected so this module knows nothing of SMTP).
public struct DigestEmail: Sendable {
    public var makeMessageID: @Sendable () -> String

    public init(makeMessageID: @escaping @Sendable () -> String) {
        self.makeMessageID = makeMessageID
    }
}
