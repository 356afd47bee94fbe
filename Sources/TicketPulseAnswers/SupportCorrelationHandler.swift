import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `support_correlation`: how support metrics move with account health across the portfolio.
///
/// TicketPulse has no churn outcomes, so the roster's account health score (which CS teams
/// keep from usage and renewal signals) stands in for churn risk; the answer says so.
struct SupportCorrelationHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customers = try await context.customersInScope().filter { $0.healthScore != nil }
        guard customers.count >= 5 else {
            let text = "I need at least 5 of your customers with a health score in the roster to correlate support with health; you have \(customers.count)."
            return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
        }
        let period = context.period(defaultDays: 90)
        let (snapshots, _) = try await context.settings.snapshotBuilder.snapshots(customers: customers, store: context.store, period: period, now: context.now)
        let health = snapshots.map { $0.customer.healthScore ?? 0 }
        let signals: [(String, [Double?])] = [
            ("CSAT average", snapshots.map(\.metrics.csat.average)),
            ("SLA met %", snapshots.map(\.metrics.slaMetPercent)),
            ("Escalation rate", snapshots.map { $0.metrics.escalations.rate }),
            ("Tickets per $100k ARR", snapshots.map { $0.customer.arr > 0 ? Double($0.metrics.total) / ($0.customer.arr / 100_000) : nil }),
            ("Support health", snapshots.map { $0.health.score }),
        ]
        let rows = signals.map { name, values -> [String] in
            let pairs = zip(values, health).compactMap { value, health in value.map { ($0, health) } }
            guard let r = Self.pearson(pairs) else { return [name, "–", "not enough data", "\(pairs.count)"] }
            return [name, String(format: "%+.2f", r), Self.strength(r), "\(pairs.count)"]
        }
        let renewing = snapshots.filter { snapshot in
            guard let renewal = snapshot.customer.renewalDate else { return false }
            return renewal > context.now && renewal.timeIntervalSince(context.now) < 90 * 86_400 && snapshot.health.score < 60
        }
        var blocks: [ReplyBlock] = [
            .section("Correlation of each support signal with account health across *\(snapshots.count)* customers, \(context.periodText(defaultDays: 90)). Positive means the signal rises with health."),
            .table(ReplyTable(columns: ["Support signal", "r", "Strength", "Customers"], rows: rows)),
        ]
        if !renewing.isEmpty {
            blocks.append(.section("*Renewal risk:* " + renewing.map { "\($0.customer.name) (support health \(Int($0.health.score)), renews \(Format.day($0.customer.renewalDate!)))" }.joined(separator: "; ")))
        }
        blocks.append(.context("Pearson r against the roster's health score, which stands in for churn risk: TicketPulse does not see renewals or churn outcomes. Correlation is not causation."))
        return HandlerResult(Reply(header: "Support vs health", blocks: blocks, fallbackText: "Support vs health across \(snapshots.count) customers: " + rows.map { "\($0[0]) r=\($0[1])" }.joined(separator: ", ")),
                             shown: customers.map(\.id))
    }

    static func pearson(_ pairs: [(Double, Double)]) -> Double? {
        guard pairs.count >= 3 else { return nil }
        let n = Double(pairs.count)
        let meanX = pairs.reduce(0) { $0 + $1.0 } / n, meanY = pairs.reduce(0) { $0 + $1.1 } / n
        var covariance = 0.0, varianceX = 0.0, varianceY = 0.0
        for (x, y) in pairs {
            covariance += (x - meanX) * (y - meanY)
            varianceX += (x - meanX) * (x - meanX)
            varianceY += (y - meanY) * (y - meanY)
        }
        guard varianceX > 0, varianceY > 0 else { return nil }
        return covariance / (varianceX * varianceY).squareRoot()
    }

    static func strength(_ r: Double) -> String {
        let magnitude = abs(r)
        let word = magnitude < 0.2 ? "weak" : magnitude < 0.5 ? "moderate" : "strong"
        return magnitude < 0.2 ? "weak / none" : "\(word) \(r > 0 ? "positive" : "negative")"
    }
}
