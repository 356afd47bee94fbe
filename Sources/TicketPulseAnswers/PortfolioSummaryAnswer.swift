import Foundation
import TicketPulseCore
import TicketPulseStorage

/// The `portfolio_summary` answer: the asker's accounts (a manager's team, an admin's
/// whole book) with the customers that need attention first.
public struct PortfolioSummaryAnswer: Sendable {
    public var builder: SnapshotBuilder

    public init(builder: SnapshotBuilder = SnapshotBuilder()) {
        self.builder = builder
    }

    /// The person's whole scope.
    public func reply(for person: CSM, store: any Store, period: Period, now: Date) async throws -> Reply {
        try await reply(PortfolioReport.build(for: person, store: store, builder: builder, period: period, now: now), store: store, now: now)
    }

    /// The reply for a report already built. `filterName`, for a report narrowed to some of
    /// the scope's customers ("my enterprise accounts renewing this quarter"), says so in
    /// the header instead of the whole scope's name.
    public func reply(_ report: PortfolioReport, store: any Store, now: Date, filterName: String? = nil) async throws -> Reply {
        let (person, period) = (report.person, report.period)
        let scopeName = filterName ?? report.scopeName
        guard !report.snapshots.isEmpty else {
            if let filterName {
                return Reply(header: "Support summary: \(scopeName)", blocks: [.section("None of your accounts match: I looked for \(filterName).")],
                             fallbackText: "None of your accounts match: I looked for \(filterName).")
            }
            return Reply(header: "Support summary: \(scopeName)", blocks: [.section("No accounts are assigned to you yet. Ask an admin to set `csm_email` in the customer roster.")],
                         fallbackText: "No accounts are assigned to \(person.name) yet.")
        }
        let (snapshots, combined, attention) = (report.snapshots, report.combined, report.attention)

        var blocks: [ReplyBlock] = [
            .fields([
                ReplyField("Accounts", "\(snapshots.count)"),
                ReplyField("Open tickets", "\(combined.open) (\(report.openP1P2) P1/P2)"),
                ReplyField("Tickets \(Format.periodLabel(period))", "\(combined.total)"),
                ReplyField("Avg CSAT", Format.csat(combined.csat)),
                ReplyField("Open escalations", "\(combined.escalations.open)"),
                ReplyField("SLA met", combined.slaMetPercent.map { Format.percent($0) } ?? "n/a"),
            ]),
        ]
        if attention.isEmpty {
            blocks.append(.section("*No customer needs attention right now.*"))
        } else {
            blocks.append(.section("*\(attention.count) customer\(attention.count == 1 ? "" : "s") need\(attention.count == 1 ? "s" : "") attention*"))
            let shown = attention.prefix(10)
            blocks.append(.table(ReplyTable(
                columns: ["Customer", "Open", "CSAT", "Health", "Why"],
                rows: shown.map { snapshot in
                    [snapshot.customer.name, "\(snapshot.metrics.open)", snapshot.metrics.csat.average.map { String(format: "%.1f", $0) } ?? "–",
                     String(format: "%.0f", snapshot.health.score), snapshot.attention.reasons.joined(separator: "; ")]
                },
                omittedRows: attention.count - shown.count
            )))
        }
        let byBreaches = snapshots.filter { $0.metrics.slaMetPercent != nil }.sorted { ($0.metrics.slaMetPercent ?? 0) < ($1.metrics.slaMetPercent ?? 0) }.prefix(8)
        if !byBreaches.isEmpty {
            blocks.append(.barChart(BarChart(title: "SLA met, lowest first", bars: byBreaches.map {
                BarChart.Bar(label: $0.customer.name, value: $0.metrics.slaMetPercent ?? 0, display: Format.percent($0.metrics.slaMetPercent ?? 0))
            }, maximum: 100)))
        }
        await blocks.append(.context(try Format.freshness(store: store, now: now)))
        let fallback = "Support summary for \(scopeName): \(combined.open) open tickets, avg CSAT \(Format.csat(combined.csat)), \(combined.escalations.open) open escalations, \(attention.count) customers need attention."
        return Reply(header: "Support summary: \(scopeName)", blocks: blocks, fallbackText: fallback)
    }
}
