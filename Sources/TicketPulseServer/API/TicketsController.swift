import Foundation
import Hummingbird
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage

/// PRD-122: a customer's tickets, one ticket with its context, a CSM's summary, and the
/// CSM's actions (a note, an escalation request), recorded by the same service as Slack's.
struct TicketsController: Sendable {
    let services: APIServices

    func register<Context: RequestContext>(on router: Router<Context>) {
        let api = services.authenticator
        router.get("/api/tickets/customer/:customerId", use: api.protect("list_customer_tickets") { request, context, caller in
            try await list(request, customerID: context.parameters.require("customerId"), caller: caller, source: nil)
        })
        router.get("/api/tickets/csm/:csmId/summary", use: api.protect("csm_ticket_summary") { request, context, caller in
            try await summary(request, csmID: context.parameters.require("csmId"), caller: caller)
        })
        router.get("/api/tickets/:ticketId", use: api.protect("get_ticket") { _, context, caller in
            try await detail(context.parameters.require("ticketId"), caller: caller)
        })
        router.post("/api/tickets/:ticketId/note", use: api.protect("add_ticket_note") { request, context, caller in
            let body = try await APIBody.decode(NoteBody.self, from: request)
            return try await act(.note, text: body.text ?? "", field: "text", ticketID: context.parameters.require("ticketId"), caller: caller)
        })
        router.post("/api/tickets/:ticketId/escalate", use: api.protect("request_ticket_escalation") { request, context, caller in
            let body = try await APIBody.decode(EscalationBody.self, from: request)
            let given = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let reason = given.isEmpty ? TicketActionService.defaultEscalationReason : given
            return try await act(.escalationRequest, text: reason, field: "reason", ticketID: context.parameters.require("ticketId"), caller: caller)
        })
    }

    /// A note's or a reason's longest text: a support system's internal note, not a document.
    static let maximumTextLength = 10_000

    struct NoteBody: Decodable { var text: String? }
    struct EscalationBody: Decodable { var reason: String? }

    struct TicketListBody: Encodable {
        var customerID: String
        var source: String?
        var totalMatching: Int
        var tickets: [SupportTicketRecord]
        var nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case customerID = "customer_id", source, totalMatching = "total_matching", tickets, nextCursor = "next_cursor"
        }
    }

    /// A customer's tickets, filtered, sorted and paged; as CSV when asked. The filters
    /// are the chat's (`list_tickets`), and so is the count.
    func list(_ request: Request, customerID: String, caller: APICaller, source: SourceSystem?) async throws -> APIReply {
        let parameters = APIParameters(request: request, now: services.now())
        let customer = try await APIScope(caller: caller, store: services.store).customer(customerID)
        let status = try parameters.status()
        let createdIn: Period? = parameters.query("period") == nil ? nil : try parameters.period(defaultDays: 30)
        let query = TicketQuery(customerIDs: [customer.id], status: status, priorities: try parameters.priorities(), category: try parameters.category(), createdIn: createdIn)
        let (sort, offset, limit, csv) = (try parameters.sort(), try parameters.offset(), try parameters.limit(), try parameters.wantsCSV())
        let page = try await TicketList.build(query, source: source, sort: sort, offset: csv ? 0 : offset, limit: csv ? TicketList.readLimit : limit,
                                              store: services.store, policy: services.settings.policy, now: parameters.now)
        if csv { return try APIReply.csv(page.tickets, columns: SupportTicketRecord.fieldNames, customers: [customer.id]) }
        return try APIReply.json(TicketListBody(customerID: customer.id, source: source?.rawValue, totalMatching: page.totalMatching, tickets: page.tickets,
                                                nextCursor: page.nextOffset.map(APIParameters.cursor(offset:))), customers: [customer.id])
    }

    func detail(_ ticketID: String, caller: APICaller) async throws -> APIReply {
        let stored = try await ticket(ticketID, caller: caller)
        let now = services.now()
        let report = try await TicketDetailReport.build(stored, store: services.store, settings: services.settings, now: now, withContext: true)
        return try APIReply.json(report.detail(now: now), customers: stored.ticket.customerID.map { [$0] } ?? [])
    }

    /// The ticket, if the caller may see it: another book's answers as an unknown one.
    func ticket(_ ticketID: String, caller: APICaller) async throws -> StoredTicket {
        do {
            return try await services.tickets.authorizedTicket(APIScope(caller: caller, store: services.store).ticket(ticketID), for: caller.person)
        } catch let refusal as ActionRefusal {
            throw APIError.notFound("ticket", ticketID, reason: refusal.code)
        }
    }

    struct ActionBody: Encodable {
        var ticketID: String
        var kind: String
        var actor: String
        var body: String
        var createdAt: Date
        var writebackStatus: String

        enum CodingKeys: String, CodingKey {
            case ticketID = "ticket_id", kind, actor, body, createdAt = "created_at", writebackStatus = "writeback_status"
        }
    }

    /// A note or escalation request through `TicketActionService`, as Slack records one:
    /// audited (`action:add_note` / `action:request_escalation`), on the ticket's timeline,
    /// queued for write-back to the support system.
    func act(_ kind: TicketAction.Kind, text: String, field: String, ticketID: String, caller: APICaller) async throws -> APIReply {
        guard text.count <= Self.maximumTextLength else { throw APIError.badParameter(field, "at most \(Self.maximumTextLength) characters") }
        let lookup = APIScope(caller: caller, store: services.store).ticket(ticketID)
        do {
            let (stored, action) = try await services.tickets.request(kind, text: text, ticket: lookup, action: kind == .note ? "action:add_note" : "action:request_escalation",
                                                                    actor: caller.person.email, person: { caller.person })
            return try APIReply.json(ActionBody(ticketID: stored.ticket.reference, kind: action.kind.rawValue, actor: action.actor,
                                                body: action.body, createdAt: action.createdAt, writebackStatus: action.writebackStatus),
                                     status: .created, customers: stored.ticket.customerID.map { [$0] } ?? [])
        } catch ActionRefusal.emptyText {
            throw APIError.badParameter(field, "write something")
        } catch let refusal as ActionRefusal {
            throw APIError.notFound("ticket", ticketID, reason: refusal.code)
        }
    }

    struct SummaryBody: Encodable {
        struct Person: Encodable { var email: String; var name: String; var role: String }
        var csm: Person
        var summary: PortfolioSupportSummary
        var customers: [CustomerSupportSummary]
        var alerts: [SupportAlertRecord]
    }

    /// A CSM's portfolio as the chat's summary shows it to them: for themselves, their
    /// manager (up the roster's `manager_email`) or an admin; anyone else gets 404.
    func summary(_ request: Request, csmID: String, caller: APICaller) async throws -> APIReply {
        let parameters = APIParameters(request: request, now: services.now())
        let period = try parameters.period(defaultDays: 30)
        guard let person = try await services.store.csm(emailOrSlackUserID: csmID) else { throw APIError.notFound("CSM", csmID, reason: "unknown_csm") }
        guard try await Self.oversees(caller.person, person, store: services.store) else { throw APIError.notFound("CSM", csmID, reason: "out_of_scope") }
        let report = try await PortfolioReport.build(for: person, store: services.store, builder: services.settings.snapshotBuilder, period: period, now: parameters.now)
        let ids = report.snapshots.map(\.customer.id)
        let customers = report.attention.map(CustomerSupportSummary.init) + report.snapshots.filter { !$0.attention.needsAttention }.map(CustomerSupportSummary.init)
        return try APIReply.json(SummaryBody(csm: .init(email: person.email, name: person.name, role: person.role.rawValue), summary: report.summary,
                                             customers: customers, alerts: try await SupportAlertRecord.live(customerIDs: ids, store: services.store)),
                                 customers: ids)
    }

    /// Whether `viewer` may see `person`'s portfolio: their own, an admin's any, a
    /// manager's anyone below them on the roster.
    static func oversees(_ viewer: CSM, _ person: CSM, store: any Store) async throws -> Bool {
        if viewer.role == .admin || viewer.email.lowercased() == person.email.lowercased() { return true }
        var manager = person.managerEmail
        var seen: Set<String> = []
        while let email = manager?.lowercased(), seen.insert(email).inserted {
            if email == viewer.email.lowercased() { return true }
            manager = try await store.csm(email: email)?.managerEmail
        }
        return false
    }
}
