import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `support_health`: the support component with every signal explained, and overall health.
struct SupportHealthHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customer = try await context.requiredCustomer(example: "what's the support health for Acme?")
        let period = context.period(defaultDays: 30)
        let (snapshots, _) = try await context.settings.snapshotBuilder.snapshots(customers: [customer], store: context.store, period: period, now: context.now)
        let snapshot = snapshots[0]
        let health = snapshot.health
        var fields = [ReplyField("Support health", String(format: "%.0f/100 (%@)", health.score, health.band.rawValue.replacingOccurrences(of: "_", with: " ")))]
        if let overall = health.overall, let base = health.baseHealth {
            fields.append(ReplyField("Overall health", String(format: "%.0f/100 (account %.0f, support counts %.0f%%)", overall, base, context.settings.weights.supportShareOfHealth * 100)))
        }
        let rows = health.signals.map { signal in
            [signal.kind.label,
             signal.score.map { String(format: "%.0f", $0) } ?? "–", Format.percent(signal.weight * 100), signal.explanation]
        }
        var blocks: [ReplyBlock] = [.fields(fields), .table(ReplyTable(columns: ["Signal", "Score", "Weight", "Why"], rows: rows))]
        if snapshot.attention.needsAttention {
            blocks.append(.section("*Needs attention:* " + snapshot.attention.reasons.joined(separator: "; ")))
        }
        let buttons: [ReplyAction?] = [
            AnswerButton.viewOpenTickets.action("View open tickets", AnswerRequest(intent: .listTickets, customer: customer.id, status: .unresolved)),
            AnswerButton.checkCSAT.action("Check CSAT", AnswerRequest(intent: .csatTrend, customer: customer.id)),
        ]
        blocks.append(.actions(buttons.compactMap { $0 }))
        blocks.append(.context("Period: \(context.periodText(defaultDays: 30)). " + (try await Format.freshness(store: context.store, now: context.now))))
        let fallback = String(format: "Support health for %@: %.0f/100.", customer.name, health.score)
        return HandlerResult(Reply(header: "Support health: \(customer.name)", blocks: blocks, fallbackText: fallback), shown: [customer.id])
    }
}

extension HealthSignal.Kind {
    /// The signal's name as a table shows it: acronyms in capitals.
    var label: String {
        switch self {
        case .csat: "CSAT"
        case .sla: "SLA"
        case .escalations: "Escalations"
        case .backlog: "Backlog"
        }
    }
}
