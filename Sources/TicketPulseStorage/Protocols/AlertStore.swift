import Foundation
import TicketPulseCore

/// Alerts, what was done about them, and the grouped messages people see them in.
public protocol AlertStore: Sendable {
    /// Alerts not yet resolved, for some customers (nil: all).
    func liveAlerts(customerIDs: [String]?) async throws -> [StoredAlert]
    /// Which of `keys` an alert was already raised for.
    func alertKeysSeen(_ keys: [String]) async throws -> Set<String>
    func alert(id: Int64) async throws -> StoredAlert?
    func alerts(detectedIn period: Period?, limit: Int) async throws -> [StoredAlert]
    /// A detector pass's plans — new alerts, updates, resolutions, with their messages,
    /// tasks and drafts — in one transaction; returns the ids of the alerts written.
    @discardableResult
    func apply(_ plans: [AlertPlan], at now: Date) async throws -> [Int64]
    /// A person's action on an alert, with the status it sets and the messages it queues, in one transaction.
    func recordAlertAction(alertID: Int64, actor: String, action: String, detail: String, status: AlertStatus?,
                           messages: [OutboxMessage], liveMessages: [LiveMessageRow], at now: Date) async throws
    func alertActions(alertID: Int64) async throws -> [(actor: String, action: String, detail: String, at: Date)]
    func tasks(alertID: Int64) async throws -> [AlertTask]
    func addTask(_ task: AlertTask, alertID: Int64?, customerID: String, at now: Date) async throws
    func saveEmailDraft(alertID: Int64?, customerID: String, author: String, subject: String, body: String, at now: Date) async throws
    func emailDrafts(alertID: Int64) async throws -> [(author: String, subject: String, body: String)]
    func emailDrafts(customerID: String) async throws -> [(alertID: Int64?, author: String, subject: String, body: String)]
    /// The health-score change live alerts make to a customer.
    func healthAdjustment(customerID: String) async throws -> Double

    // Grouping: one live message per person and customer incident.
    func pendingGrouping() async throws -> [(alert: StoredAlert, dms: PendingDMs, silent: Bool)]
    func liveMessages(customerIDs: [String]?) async throws -> [LiveMessageRow]
    func pings(since: Date) async throws -> [String: [Date]]
    /// The sources each watched customer has had its first look at.
    func watchedSources() async throws -> [String: Set<SourceSystem>]
    /// A grouping pass's messages, live rows, pings and digest items, in one transaction.
    func applyGrouping(_ write: GroupingWrite, at now: Date) async throws
    func acknowledgers(alertIDs: [Int64]) async throws -> [Int64: String]
    /// Which of `tickets` (by `AlertTicket.storeKey`) are solved, closed or deleted now.
    func resolvedTickets(_ tickets: [AlertTicket]) async throws -> Set<String>
    func markWatched(_ customerIDs: [String], sources: [SourceSystem], at now: Date) async throws

    // In-app notifications (the Home tab): every alert, whatever reached Slack.
    /// Alerts of these customers (nil: all) detected since `since`, newest first.
    func recentAlerts(customerIDs: [String]?, since: Date, limit: Int) async throws -> [StoredAlert]
    /// Records that `email` looked at their notifications at `now`; returns when they had
    /// looked before (nil: never), so what came after that can be marked new.
    func markNotificationsSeen(email: String, at now: Date) async throws -> Date?
}

extension AlertStore {
    public func liveAlerts() async throws -> [StoredAlert] { try await liveAlerts(customerIDs: nil) }

    public func alerts(detectedIn period: Period? = nil) async throws -> [StoredAlert] {
        try await alerts(detectedIn: period, limit: 1000)
    }

    public func recordAlertAction(alertID: Int64, actor: String, action: String, detail: String = "", status: AlertStatus? = nil,
                                  messages: [OutboxMessage] = [], liveMessages: [LiveMessageRow] = [], at now: Date) async throws {
        try await recordAlertAction(alertID: alertID, actor: actor, action: action, detail: detail, status: status,
                                    messages: messages, liveMessages: liveMessages, at: now)
    }

    public func liveMessages() async throws -> [LiveMessageRow] { try await liveMessages(customerIDs: nil) }

    public func markWatched(_ customerIDs: [String], at now: Date) async throws {
        try await markWatched(customerIDs, sources: SourceSystem.allCases, at: now)
    }
}
