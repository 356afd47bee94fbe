import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `support_metrics`: the PRD-156 metrics block for a customer or the asker's portfolio.
struct SupportMetricsHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customers = try await context.askedCustomers()
        let period = context.period(defaultDays: 30)
        let subject = customers.count == 1 ? customers[0].name : customers.count <= 3 && context.slots.customers != nil ? Format.names(customers.map(\.name)) : "your \(customers.count) accounts"
        let report = try await SupportMetricsReport.build(customers: customers, period: period, store: context.store, settings: context.settings, now: context.now)
        let metrics = report.metrics
        let blocks = await Self.blocks(report, periodText: context.periodText(defaultDays: 30)) + [.context(try Format.freshness(store: context.store, now: context.now))]
        let fallback = "Support metrics for \(subject), \(context.periodText(defaultDays: 30)): \(metrics.total) tickets, \(metrics.open) open, CSAT \(Format.csat(metrics.csat)), SLA met \(metrics.slaMetPercent.map(Format.percent) ?? "n/a")."
        return HandlerResult(Reply(header: "Support metrics: \(subject)", blocks: blocks, fallbackText: fallback), shown: customers.map(\.id))
    }

    static func blocks(_ report: SupportMetricsReport, periodText: String) -> [ReplyBlock] {
        let metrics = report.metrics
        let priorities = Priority.allCases.map { "\($0.rawValue) \(metrics.byPriority[$0, default: 0])" }.joined(separator: " · ")
        var blocks: [ReplyBlock] = [
            .section("*\(periodText.prefix(1).uppercased() + periodText.dropFirst())*"),
            .fields([
                ReplyField("Tickets", "\(metrics.total) (\(priorities))"),
                ReplyField("Open now", "\(metrics.open)"),
                ReplyField("Resolved", "\(metrics.resolved)"),
                ReplyField("First response SLA", slaText(metrics.firstResponse)),
                ReplyField("Resolution SLA", slaText(metrics.resolution)),
                ReplyField("CSAT", Format.csat(metrics.csat) + (metrics.csat.previousAverage.map { ", was " + FixedPoint.string($0, decimals: 1) } ?? "")),
                ReplyField("CSAT response rate", metrics.csat.responseRate.map { Format.percent($0 * 100) } ?? "n/a"),
                ReplyField("Escalations", "\(metrics.escalations.total) (\(metrics.escalations.open) open, rate \(metrics.escalations.rate.map { Format.percent($0 * 100) } ?? "n/a"))"),
            ]),
        ]
        let top = metrics.topCategories.prefix(5)
        if !top.isEmpty {
            blocks.append(.barChart(BarChart(title: "Top categories", bars: top.map {
                BarChart.Bar(label: $0.category.label, value: Double($0.count), display: "\($0.count) (\(Format.percent($0.share * 100)))")
            })))
        }
        let weeks = report.weeklyTrend.suffix(8)
        if weeks.count > 1 {
            blocks.append(.barChart(BarChart(title: "Weekly volume", bars: weeks.map {
                BarChart.Bar(label: "wk of " + Format.day($0.start), value: Double($0.tickets), display: "\($0.tickets)")
            })))
        }
        if metrics.open > 0 {
            blocks.append(.section("Open ticket age: " + metrics.aging.map { "\($0.label) \($0.count)" }.joined(separator: " · ")))
        }
        return blocks
    }

    static func slaText(_ statistic: SLAStatistic) -> String {
        guard let met = statistic.metPercent else { return "no decided clocks" }
        let average = statistic.averageHours.map { ", avg " + FixedPoint.string($0, decimals: 1) + " h" } ?? ""
        return "\(Format.percent(met)) met (\(statistic.breached) breached\(statistic.atRisk > 0 ? ", \(statistic.atRisk) at risk" : ""))\(average)"
    }
}

/// `portfolio_summary`.
struct PortfolioSummaryHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        // The scope's customers (narrowed by the question's filters), read once for the
        // report and the audit row.
        let customers = try await context.customersInScope()
        let builder = context.settings.snapshotBuilder
        let report = try await PortfolioReport.build(for: context.asker, customers: customers, store: context.store, builder: builder,
                                                     period: context.period(defaultDays: 30), now: context.now)
        let reply = try await PortfolioSummaryAnswer(builder: builder)
            .reply(report, store: context.store, now: context.now, filterName: context.slots.hasCustomerFilter ? await context.filterSubject() : nil)
        return HandlerResult(reply, shown: customers.map(\.id))
    }
}
