import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `support_correlation`: how support metrics move with account health across the
/// portfolio (`SupportCorrelationReport`, which says what stands in for churn).
struct SupportCorrelationHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customers = try await context.customersInScope()
        let report = try await SupportCorrelationReport.build(customers: customers, period: context.period(defaultDays: 90), store: context.store,
                                                              builder: context.settings.snapshotBuilder, now: context.now)
        guard report.hasEnoughCustomers else {
            let text = "I need at least \(SupportCorrelationReport.minimumCustomers) of your customers with a health score in the roster to correlate support with health; you have \(report.customers)."
            return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
        }
        let rows = report.signals.map { signal -> [String] in
            guard let r = signal.r else { return [signal.signal, "–", signal.strength, "\(signal.customers)"] }
            return [signal.signal, String(format: "%+.2f", r), signal.strength, "\(signal.customers)"]
        }
        var blocks: [ReplyBlock] = [
            .section("Correlation of each support signal with account health across *\(report.customers)* customers, \(context.periodText(defaultDays: 90)). Positive means the signal rises with health."),
            .table(ReplyTable(columns: ["Support signal", "r", "Strength", "Customers"], rows: rows)),
        ]
        if !report.renewalRisk.isEmpty {
            blocks.append(.section("*Renewal risk:* " + report.renewalRisk.map { "\($0.name) (support health \(Int($0.supportHealth)), renews \(Format.day($0.renewalDate)))" }.joined(separator: "; ")))
        }
        blocks.append(.context(report.note))
        let scored = customers.filter { $0.healthScore != nil }
        return HandlerResult(Reply(header: "Support vs health", blocks: blocks, fallbackText: "Support vs health across \(report.customers) customers: " + rows.map { "\($0[0]) r=\($0[1])" }.joined(separator: ", ")),
                             shown: scored.map(\.id))
    }
}
