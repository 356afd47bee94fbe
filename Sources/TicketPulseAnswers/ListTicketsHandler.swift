import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `list_tickets`: a customer's tickets (or all the asker's), newest first.
struct ListTicketsHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let asked = try await context.ticketScope()
        let customer = asked.named.count == 1 ? asked.named.first : nil
        let status = context.slots.status ?? .unresolved
        let query = TicketQuery(
            customerIDs: asked.ids,
            status: status, priorities: context.slots.priority, category: context.slots.category,
            createdIn: context.slots.period?.period, limit: context.settings.listLimit
        )
        let page = try await context.store.tickets(query)
        let subject = asked.subject
        var filters = [status.label]
        if let priorities = context.slots.priority { filters.append(priorities.map(\.rawValue).joined(separator: "/")) }
        if let category = context.slots.category { filters.append(category.label) }
        let description = filters.joined(separator: " ") + " tickets"
        let periodText = context.slots.period.map { " created \($0.text)" } ?? ""

        guard page.totalMatching > 0 else {
            let text = "No \(description) for \(subject)\(periodText)."
            return try await context.nothingFound(header: "Tickets: \(subject)", text, shown: asked.named.map(\.id))
        }
        let names = await customer == nil ? try TicketTable.names(context.store, of: page.tickets.map(\.ticket)) : nil
        let table = try await TicketTable.table(page.tickets, totalMatching: page.totalMatching, context: context, customerNames: names)
        let summary = "*\(page.totalMatching)* \(description) for *\(subject)*\(periodText), newest first."
        var blocks: [ReplyBlock] = [.section(summary), .table(table)]
        if let customer {
            let buttons: [ReplyAction?] = [
                AnswerButton.checkCSAT.action("Check CSAT", AnswerRequest(intent: .csatTrend, customer: customer.id)),
                AnswerButton.supportMetrics.action("Support metrics", AnswerRequest(intent: .supportMetrics, customer: customer.id)),
            ]
            blocks.append(.actions(buttons.compactMap { $0 }))
        }
        await blocks.append(.context(try Format.freshness(store: context.store, now: context.now)))
        let shown = Array(Set(page.tickets.compactMap(\.ticket.customerID))).sorted()
        return HandlerResult(Reply(header: "Tickets: \(subject)", blocks: blocks, fallbackText: "\(page.totalMatching) \(description) for \(subject)."), shown: shown)
    }
}

extension TicketStatusFilter {
    var label: String {
        switch self {
        case .unresolved: "open"
        case .resolved: "resolved"
        case .all: "all"
        case .status(let status): status.rawValue.replacingOccurrences(of: "_", with: " ")
        }
    }
}
