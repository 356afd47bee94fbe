import Foundation
import Logging
import TicketPulseCore

/// How an action names its ticket.
public enum TicketLookup: Sendable, Equatable {
    /// One ticket of one system: "zendesk:4521", as the answers' buttons carry it.
    case reference(SourceSystem, externalID: String)
    /// A number as people and the HTTP API write it: the ticket with that id in the person's
    /// scope (two systems may both have a #4521; only one is likely to be theirs).
    case externalID(String)

    /// `Ticket.reference` read back ("zendesk:4521"); nil for anything else.
    public init?(reference text: String) {
        guard let colon = text.firstIndex(of: ":"), let source = SourceSystem(rawValue: String(text[..<colon])) else { return nil }
        let externalID = String(text[text.index(after: colon)...])
        guard !externalID.isEmpty else { return nil }
        self = .reference(source, externalID: externalID)
    }

    /// The ticket's number, whichever way it is named.
    public var externalID: String {
        switch self {
        case .reference(_, let externalID), .externalID(let externalID): externalID
        }
    }
}

/// The one way a CSM's note or escalation request on a ticket is recorded, whichever
/// surface asks: a confirmed chat question, an alert's modal, an answer's modal, the HTTP
/// API. The person must be on the roster and the ticket in their scope; the text must say
/// something; the action goes on the ticket's timeline and into the write-back outbox (an
/// internal note in the support system) in one transaction. `attempt` audits the whole
/// try through `ActionAuditor`, allowed or refused; a surface that audits the try its own
/// way (a chat confirmation's `confirm:` row) calls `record` inside it.
public struct TicketActionService: Sendable {
    /// The reason an escalation request gives when its asker gave none.
    public static let defaultEscalationReason = "requested by the account's CSM"

    let store: any Store
    let now: @Sendable () -> Date
    public let auditor: ActionAuditor

    public init(store: any Store, now: @escaping @Sendable () -> Date, logger: Logger = Logger(label: "ticketpulse.audit")) {
        self.store = store
        self.now = now
        auditor = ActionAuditor(store: store, now: now, logger: logger)
    }

    /// The ticket `lookup` names, if `person` may act on it. An unknown ticket and one in
    /// another book are told apart only in the audit log (`ActionRefusal.description`
    /// says the same for both).
    public func authorizedTicket(_ lookup: TicketLookup, for person: CSM) async throws -> StoredTicket {
        guard let located = try await locate(lookup, scope: AccessScope.of(person, in: store)) else { throw ActionRefusal.unknownTicket }
        guard located.allowed else { throw ActionRefusal.ticketOutOfScope }
        return located.ticket
    }

    /// The ticket, preferring one in the scope, and whether the scope allows it.
    private func locate(_ lookup: TicketLookup, scope: AccessScope) async throws -> (ticket: StoredTicket, allowed: Bool)? {
        switch lookup {
        case .reference(let source, let externalID):
            return try await store.ticket(source: source, externalID: externalID).map { ($0, scope.allows($0.ticket.customerID)) }
        case .externalID(let externalID):
            let found = try await store.tickets(externalID: externalID)
            if let allowed = found.first(where: { scope.allows($0.ticket.customerID) }) { return (allowed, true) }
            return found.first.map { ($0, false) }
        }
    }

    /// Records the note or escalation request. Not audited here: it runs inside the
    /// caller's audited attempt. The scope is checked again, so no caller can skip it.
    @discardableResult
    public func record(_ kind: TicketAction.Kind, text: String, on ticket: StoredTicket, by person: CSM) async throws -> TicketAction {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ActionRefusal.emptyText }
        guard try await AccessScope.of(person, in: store).allows(ticket.ticket.customerID) else { throw ActionRefusal.ticketOutOfScope }
        let action = TicketAction(kind: kind, actor: person.email, body: text, createdAt: now())
        try await store.recordAction(action, ticketID: ticket.id)
        return action
    }

    /// One audited attempt on a ticket, `action` naming it in the audit log
    /// (`action:add_note`, `api:escalate`): who (resolved inside, so failing to find them
    /// is audited too), the ticket in their scope, then `body`.
    public func attempt<T>(_ action: String, ticket lookup: TicketLookup, actor: String, detail: String = "",
                           person resolve: () async throws -> CSM?, isolation: isolated (any Actor)? = #isolation,
                           _ body: (CSM, StoredTicket) async throws -> T) async throws -> T {
        let attempt = ActionAuditor.Attempt(actor: actor, action: action, detail: "#\(lookup.externalID): \(detail)")
        return try await auditor.run(attempt, isolation: isolation) { attempt in
            guard let person = try await resolve() else { throw ActionRefusal.notOnRoster }
            attempt.actor = person.email
            guard let located = try await locate(lookup, scope: AccessScope.of(person, in: store)) else { throw ActionRefusal.unknownTicket }
            // Named even when refused: the audit row says whose ticket was reached for.
            attempt.customerID = located.ticket.ticket.customerID
            guard located.allowed else { throw ActionRefusal.ticketOutOfScope }
            return try await body(person, located.ticket)
        }
    }

    /// A note or escalation request as one audited attempt.
    public func request(_ kind: TicketAction.Kind, text: String, ticket lookup: TicketLookup, action: String, actor: String,
                        person resolve: () async throws -> CSM?) async throws -> (ticket: StoredTicket, action: TicketAction) {
        try await attempt(action, ticket: lookup, actor: actor, detail: text, person: resolve) { person, stored in
            (stored, try await record(kind, text: text, on: stored, by: person))
        }
    }
}
