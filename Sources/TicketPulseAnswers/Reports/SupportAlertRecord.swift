import Foundation
import TicketPulseCore
import TicketPulseStorage

/// PRD-156's `SupportAlert`: an alert the detectors raised and has not been resolved, as
/// the Slack alert states it.
public struct SupportAlertRecord: Codable, Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var severity: String
    public var status: String
    public var customerID: String
    public var customerName: String
    public var title: String
    public var explanation: String
    /// The ticket it is about ("zendesk:4521"), if one.
    public var ticketID: String?
    public var detectedAt: Date
    public var acknowledgedBy: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, severity, status, customerID = "customer_id", customerName = "customer_name", title, explanation
        case ticketID = "ticket_id", detectedAt = "detected_at", acknowledgedBy = "acknowledged_by"
    }

    public init(_ stored: StoredAlert) {
        id = stored.id
        kind = stored.alert.kind.rawValue
        severity = stored.alert.severity.rawValue
        status = stored.status.rawValue
        customerID = stored.alert.customerID
        customerName = stored.alert.customerName
        title = stored.alert.title
        explanation = stored.alert.explanation
        ticketID = stored.alert.ticket?.reference
        detectedAt = stored.alert.detectedAt
        acknowledgedBy = stored.acknowledgedBy
    }

    /// The alerts of these customers not yet resolved, newest first.
    public static func live(customerIDs: [String], store: any Store) async throws -> [SupportAlertRecord] {
        guard !customerIDs.isEmpty else { return [] }
        return try await store.liveAlerts(customerIDs: customerIDs).sorted { $0.alert.detectedAt > $1.alert.detectedAt }.map(SupportAlertRecord.init)
    }
}
