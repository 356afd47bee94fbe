import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage

/// PRD-087 §5.3: a card per open spike or escalation alert — severity, time since
/// detection, what was done (who acknowledged, notes, drafts, tasks) and how far it has
/// come — above the escalated tickets the `escalated_tickets` answer lists.
extension WebDashboard {
    static let escalationKinds: Set<AlertKind> = [.spike, .burst, .escalation]
    static let progressStages = ["Detected", "Acknowledged", "Acted on", "Resolved"]

    func escalations(_ who: WebAuth.SignedIn) async throws -> Output {
        let at = now()
        let scope = try await AccessScope.of(who.person, in: store)
        let alerts = try await store.liveAlerts(customerIDs: scope.queryIDs).filter { Self.escalationKinds.contains($0.alert.kind) }
            .sorted { ($0.alert.severity, $1.alert.detectedAt) > ($1.alert.severity, $0.alert.detectedAt) }
        var cards: [[String: Any]] = []
        for stored in alerts.prefix(50) {
            let actions = try await store.alertActions(alertID: stored.id)
            let tasks = try await store.tasks(alertID: stored.id)
            let actedOn = actions.contains { $0.action != "acknowledge" } || !tasks.isEmpty
            let stage = actedOn ? 2 : stored.status == .acknowledged ? 1 : 0
            cards.append([
                "id": stored.id, "title": stored.alert.title, "explanation": stored.alert.explanation,
                "customer": stored.alert.customerName, "customerHref": "/app/customers/\(stored.alert.customerID)",
                "severity": stored.alert.severity.rawValue, "severityClass": "severity-\(stored.alert.severity.rawValue)",
                "kind": stored.alert.kind.label, "status": stored.status.rawValue,
                "since": Format.age(at.timeIntervalSince(stored.alert.detectedAt)), "detected": WebFormat.dateTime(stored.alert.detectedAt),
                "acknowledgedBy": stored.acknowledgedBy ?? "",
                "actions": actions.map { ["who": $0.actor, "what": $0.action.replacingOccurrences(of: "_", with: " "), "detail": $0.detail, "when": Format.relative($0.at, now: at)] },
                "hasTasks": !tasks.isEmpty,
                "tasks": tasks.map { ["title": $0.title, "assignee": $0.assignee ?? "unassigned", "due": Format.day($0.dueAt)] },
                "progress": stage, "progressMax": Self.progressStages.count - 1,
                "stages": Self.progressStages.enumerated().map { ["label": $0.element, "done": $0.offset <= stage, "current": $0.offset == stage] },
                "draftHref": stored.alert.kind == .escalation ? "" : "/app/alerts/\(stored.id)/draft",
            ])
        }
        let escalated = try await EscalatedTickets.find(in: store, customerIDs: scope.queryIDs, status: .all, escalatedIn: nil)
        let names = try await store.customerNames()
        let values: [String: Any] = [
            "cards": cards, "cardCount": alerts.count,
            "escalatedTotal": escalated.count, "escalatedOpen": escalated.filter(\.ticket.isUnresolved).count,
            "escalated": escalated.prefix(answers.listLimit).map { stored -> [String: Any] in
                let ticket = stored.ticket
                return ["href": "/app/tickets/" + Self.ticketKey(ticket), "id": ticket.externalID, "customer": names[ticket.customerID ?? ""] ?? "–",
                        "subject": ticket.subject, "level": ticket.escalation?.level ?? 1, "reason": ticket.escalation?.reason ?? "–",
                        "status": ticket.isUnresolved ? "open" : "resolved"]
            },
        ]
        let shown = Set(alerts.map(\.alert.customerID) + escalated.compactMap(\.ticket.customerID))
        return .page(template: "escalations", title: "Escalations", values: values, shown: shown.sorted())
    }

    /// "Address spike" / "Draft response": the alert's email draft (the workflow's, else its
    /// template's), through the alert buttons' own action.
    func draft(_ who: WebAuth.SignedIn, alertID: String) async throws -> Output {
        guard let id = Int64(alertID) else { throw NotFound(what: "such alert") }
        let alert = try await authorizedAlert(who, id: id, action: "draft_response")
        let draft = try await actions.attempt("draft_response", alertID: id, clicker: who.person.slackUserID ?? who.person.email, person: { who.person }) {
            try await actions.draft($0)
        }
        let customer = try await store.customer(id: alert.alert.customerID)
        return .page(template: "draft", title: "Address: \(alert.alert.customerName)", values: [
            "alertID": id, "title": alert.alert.title, "explanation": alert.alert.explanation,
            "customer": alert.alert.customerName, "customerHref": "/app/customers/\(alert.alert.customerID)",
            "to": customer?.championEmail ?? "", "subject": draft.subject, "body": draft.body,
        ], shown: [alert.alert.customerID])
    }

    func saveDraft(_ who: WebAuth.SignedIn, alertID: String, form: WebForm) async throws -> Output {
        guard let id = Int64(alertID) else { throw NotFound(what: "such alert") }
        let alert = try await authorizedAlert(who, id: id, action: "draft_email")
        let subject = form["subject"] ?? "", body = form["body"] ?? ""
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .page(template: "draft", title: "Address: \(alert.alert.customerName)", values: [
                "alertID": id, "title": alert.alert.title, "explanation": alert.alert.explanation, "customer": alert.alert.customerName,
                "customerHref": "/app/customers/\(alert.alert.customerID)", "subject": subject, "body": body, "invalid": "The email needs a body.",
            ], shown: [alert.alert.customerID], status: .badRequest)
        }
        try await actions.attempt("draft_email", alertID: id, clicker: who.person.slackUserID ?? who.person.email, detail: subject, person: { who.person }) {
            try await actions.saveDraft($0, subject: subject, body: body)
        }
        return .redirect("/app/customers/\(alert.alert.customerID)?draft=saved")
    }

    /// The alert, if the person may act on it; an unknown one and another book's answer alike.
    private func authorizedAlert(_ who: WebAuth.SignedIn, id: Int64, action: String) async throws -> StoredAlert {
        guard let stored = try await store.alert(id: id) else { throw NotFound(what: "such alert") }
        guard try await AccessScope.of(who.person, in: store).allows(stored.alert.customerID) else {
            throw NotFound(what: "such alert", customerIDs: [stored.alert.customerID])
        }
        return stored
    }
}
