import Foundation
import TicketPulseCore
import TicketPulseStorage

extension SnapshotBuilder {
    /// The customers' metrics together over `period` as they stood at `then`, every ticket
    /// as it was then (`Ticket.asOf`): the dashboard's "vs last week" and "this week".
    public func combined(customers: [Customer], store: any Store, period: Period, asOf then: Date) async throws -> SupportMetrics {
        let tickets = try await store.metricsInput(customerIDs: customers.map(\.id), period: period.extendedToInclude(Period(start: then, end: period.end)))
        let tiers = Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0.tier) })
        return calculator.metrics(tickets: tickets.compactMap { $0.asOf(then) }, tiers: tiers, period: period, now: then)
    }
}
