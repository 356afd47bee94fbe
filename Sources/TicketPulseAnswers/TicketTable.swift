import Foundation
import TicketPulseCore
import TicketPulseStorage

/// The ticket rows every list answer shows: id, subject, priority, status, age, SLA mark.
enum TicketTable {
    static func mark(_ state: SLAState) -> String {
        switch state {
        case .met: "✅ met"
        case .onTrack: "⏳ on track"
        case .atRisk: "⚠️ at risk"
        case .breached: "🔴 breached"
        }
    }

    static func shortSubject(_ subject: String, limit: Int = 48) -> String {
        subject.count <= limit ? subject : String(subject.prefix(limit - 1)) + "…"
    }

    static func table(_ tickets: [StoredTicket], totalMatching: Int, context: AnswerContext, customerNames: [String: String]? = nil) async throws -> ReplyTable {
        var tiers: [String: CustomerTier] = [:]
        for id in Set(tickets.compactMap(\.ticket.customerID)) { tiers[id] = try await context.tier(of: id) }
        let showCustomer = customerNames != nil
        let rows = tickets.map { stored -> [String] in
            let ticket = stored.ticket
            let sla = context.settings.policy.evaluate(ticket, tier: ticket.customerID.flatMap { tiers[$0] }, now: context.now)
            var row = ["#\(ticket.externalID)", shortSubject(ticket.subject), ticket.priority.rawValue, ticket.status.rawValue.replacingOccurrences(of: "_", with: " "),
                       Format.age(ticket.age(at: context.now)), mark(sla.overall)]
            if showCustomer { row.insert(customerNames?[ticket.customerID ?? ""] ?? "–", at: 1) }
            return row
        }
        var columns = ["Ticket", "Subject", "Pri", "Status", "Age", "SLA"]
        if showCustomer { columns.insert("Customer", at: 1) }
        return ReplyTable(columns: columns, rows: rows, omittedRows: max(0, totalMatching - tickets.count))
    }

    static func names(_ store: any Store) async throws -> [String: String] {
        try await store.customerNames()
    }

    /// The names of the customers of `tickets` only: a table of 15 rows needs a few names,
    /// not the whole roster's.
    static func names(_ store: any Store, of tickets: some Sequence<Ticket>) async throws -> [String: String] {
        let ids = Set(tickets.compactMap(\.customerID)).sorted()
        return Dictionary(try await store.customers(ids: ids).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
