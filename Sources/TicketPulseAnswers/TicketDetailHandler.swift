import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `ticket_detail`: one ticket with its timeline, SLA, CSAT and notes.
struct TicketDetailHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        guard let id = context.slots.ticket else { return CommonReplies.needs("a ticket number", example: "show ticket 4521") }
        guard let stored = try await context.store.tickets(externalID: id).first(where: { context.scope.allows($0.ticket.customerID) }) else {
            return CommonReplies.ticketNotFound(id)
        }
        let report = try await TicketDetailReport.build(stored, store: context.store, settings: context.settings, now: context.now, withContext: false)
        let (ticket, customer, sla) = (report.ticket, report.customer, report.sla)
        var fields = [
            ReplyField("Customer", customer?.name ?? "unmatched"),
            ReplyField("Status", ticket.status.rawValue.replacingOccurrences(of: "_", with: " ")),
            ReplyField("Priority", "\(ticket.priority.rawValue) (\(ticket.priority.label))"),
            ReplyField("Category", ticket.category.label),
            ReplyField("Requester", ticket.requesterEmail ?? "–"),
            ReplyField("Assignee", ticket.assignee ?? "unassigned"),
            ReplyField("Opened", "\(Format.relative(ticket.createdAt, now: context.now)) via \(ticket.source.rawValue)"),
            ReplyField("SLA", "first response \(TicketTable.mark(sla.firstResponse.state)), resolution \(TicketTable.mark(sla.resolution.state))"),
        ]
        if let csat = ticket.csat {
            fields.append(ReplyField("CSAT", "\(csat.score)/5" + (csat.comment.map { " “\($0)”" } ?? "")))
        }
        if let escalation = ticket.escalation {
            fields.append(ReplyField("Escalation", "level \(escalation.level)" + (escalation.reason.map { ": \($0)" } ?? "")))
        }
        let events = report.events
        let timeline = events.suffix(10).map { event in
            [Format.relative(event.at, now: context.now), TicketDetailReport.describe(event)]
        }
        var blocks: [ReplyBlock] = [.section("*\(ticket.subject)*"), .fields(fields)]
        if !timeline.isEmpty {
            blocks.append(.table(ReplyTable(columns: ["When", "What"], rows: timeline, omittedRows: max(0, events.count - timeline.count))))
        }
        var buttons: [ReplyAction] = [
            AnswerButton.ticketAction(.addNote, label: "Add note", ticket: ticket),
            AnswerButton.ticketAction(.requestEscalation, label: "Request escalation", ticket: ticket, style: .danger),
        ]
        if let history = AnswerButton.ticketHistory.action("See ticket history", AnswerRequest(intent: .ticketDetail, ticket: ticket.externalID)) {
            buttons.append(history)
        }
        blocks.append(.actions(buttons))
        await blocks.append(.context(try Format.freshness(store: context.store, now: context.now)))
        return HandlerResult(Reply(header: "Ticket #\(ticket.externalID)", blocks: blocks,
                                   fallbackText: "Ticket #\(ticket.externalID): \(ticket.subject) (\(ticket.priority.rawValue), \(ticket.status.rawValue))"),
                             shown: ticket.customerID.map { [$0] } ?? [])
    }
}
