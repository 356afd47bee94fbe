import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `compare_customers`: two or more customers' support metrics side by side, one row each,
/// from the same calculator and health scorer as `support_metrics` and `support_health`, so
/// the numbers agree with what those answers say about each customer.
struct CompareCustomersHandler: IntentHandler {
    /// Rows in one comparison; a filter that keeps more ("compare my enterprise accounts")
    /// shows the first ones by ARR and says how many were left out.
    static let maximumRows = 10

    /// The one customer named, when only one is: the first of the names if in scope, else
    /// the single customer the question names (or its refusal).
    private func firstNamed(_ context: AnswerContext) async throws -> Customer? {
        if let first = context.slots.customers?.first, context.scope.allows(first.id),
           let customer = try await context.store.customer(id: first.id) { return customer }
        return try await context.namedCustomer()
    }

    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customers: [Customer]
        if let named = try await context.namedCustomers() {
            customers = named
        } else if let one = try await firstNamed(context) {
            // One name is not a comparison: ask for the other rather than guess it.
            return CommonReplies.needs("a second customer to compare \(one.name) with", example: "compare \(one.name) and …")
        } else if context.slots.hasCustomerFilter {
            customers = try await context.filteredCustomers().sorted { ($0.arr, $1.name) > ($1.arr, $0.name) }
        } else {
            return CommonReplies.needs("two or more customers", example: "compare Acme and Globex")
        }
        guard customers.count >= 2 else {
            return CommonReplies.needs("two or more customers; only \(customers.first?.name ?? "one") matched", example: "compare Acme and Globex")
        }
        let shown = Array(customers.prefix(Self.maximumRows))
        let period = context.period(defaultDays: 30)
        let periodText = context.periodText(defaultDays: 30)
        let (snapshots, _) = try await context.settings.snapshotBuilder.snapshots(customers: shown, store: context.store, period: period, now: context.now)
        let rows = snapshots.map(Self.row)
        let names = Format.names(shown.map(\.name))
        var blocks: [ReplyBlock] = [
            .section("*\(names)*, \(periodText):"),
            .table(ReplyTable(columns: Self.columns, rows: rows, omittedRows: customers.count - shown.count)),
        ]
        if let worst = snapshots.min(by: { $0.health.score < $1.health.score }), snapshots.count > 1 {
            blocks.append(.section("Lowest support health: *\(worst.customer.name)* (\(String(format: "%.0f", worst.health.score)))."))
        }
        await blocks.append(.context(try Format.freshness(store: context.store, now: context.now)))
        let fallback = "Comparison, \(periodText): " + snapshots.map { snapshot in
            "\(snapshot.customer.name) \(snapshot.metrics.total) tickets, \(snapshot.metrics.open) open, CSAT \(Format.csat(snapshot.metrics.csat)), health \(String(format: "%.0f", snapshot.health.score))"
        }.joined(separator: "; ")
        return HandlerResult(Reply(header: "Compare: \(names)", blocks: blocks, fallbackText: fallback), shown: shown.map(\.id))
    }

    static let columns = ["Customer", "Tickets", "Open", "SLA met", "1st response", "CSAT", "Escalations", "Support health"]

    static func row(_ snapshot: CustomerSnapshot) -> [String] {
        let metrics = snapshot.metrics
        return [
            snapshot.customer.name,
            "\(metrics.total)",
            "\(metrics.open)",
            metrics.slaMetPercent.map(Format.percent) ?? "n/a",
            metrics.firstResponse.averageHours.map { String(format: "%.1f h", $0) } ?? "n/a",
            Format.csat(metrics.csat),
            "\(metrics.escalations.total) (\(metrics.escalations.open) open)",
            String(format: "%.0f", snapshot.health.score),
        ]
    }
}
