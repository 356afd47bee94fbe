import Foundation
import TicketPulseCore

/// Feeds channels and people subscribe to, notification settings, and CSM actions on tickets.
public protocol SubscriptionStore: Sendable {
    /// False when the same subscription already exists.
    func subscribe(_ subscription: Subscription) async throws -> Bool
    /// The subscriptions removed.
    func unsubscribe(target: SubscriptionTarget, feed: AlertFeed?, customerID: String?) async throws -> [Subscription]
    func subscriptions(target: SubscriptionTarget?) async throws -> [Subscription]
    func preferences(email: String) async throws -> NotificationPreferences
    /// nil: everyone's saved preferences.
    func preferences(emails: [String]?) async throws -> [String: NotificationPreferences]
    func savePreferences(_ preferences: NotificationPreferences, email: String, at now: Date) async throws
    /// A note or escalation request on a ticket, on its timeline and queued for write-back, in one transaction.
    func recordAction(_ action: TicketAction, ticketID: Int64) async throws
    func actions(ticketID: Int64) async throws -> [TicketAction]
}

extension SubscriptionStore {
    public func subscriptions() async throws -> [Subscription] { try await subscriptions(target: nil) }
}
