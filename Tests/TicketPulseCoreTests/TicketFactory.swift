import Foundation
import TicketPulseCore

/// Hand-built tickets for tests: only what a test cares about needs saying.
enum TicketFactory {
    static let now = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!
    nonisolated(unsafe) private static var counter = 0

    static func hoursAgo(_ hours: Double) -> Date { now.addingTimeInterval(-hours * 3600) }
    static func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    static func ticket(
        id: String = UUID().uuidString, customer: String = "cus_acme", status: TicketStatus = .open, priority: Priority = .p3,
        category: TicketCategory = .technical, created: Date, firstResponse: Date? = nil, solved: Date? = nil,
        csat: Int? = nil, ratedAt: Date? = nil, escalated: Bool = false
    ) -> Ticket {
        Ticket(source: .zendesk, externalID: id, customerID: customer, subject: "Subject \(id)", status: status, priority: priority,
               category: category, createdAt: created, firstResponseAt: firstResponse, solvedAt: solved,
               csat: csat.map { CSATRating(score: $0, ratedAt: ratedAt ?? solved) },
               escalation: escalated ? Escalation(reason: "test", level: 1, escalatedAt: created) : nil)
    }
}
