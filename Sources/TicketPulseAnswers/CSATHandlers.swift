import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `low_csat_customers`: customers whose average CSAT is under a threshold, worst first.
struct LowCSATCustomersHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let threshold = context.slots.threshold ?? context.settings.lowCSATThreshold
        let period = context.period(defaultDays: 90)
        let customers = try await context.customersInScope()
        let low = try await Self.csat(of: customers, period: period, context: context)
            .filter { ($0.csat.average ?? .infinity) < threshold }
            .sorted { ($0.csat.average ?? 0) < ($1.csat.average ?? 0) }
        let thresholdText = String(format: "%g", threshold)
        guard !low.isEmpty else {
            let text = "No customer of yours averages below \(thresholdText) on CSAT (\(context.periodText(defaultDays: 90)))."
            return try await context.nothingFound(header: "Low CSAT", text, shown: customers.map(\.id))
        }
        let shown = low.prefix(context.settings.listLimit)
        let rows = shown.map { customer, csat -> [String] in
            [customer.name, String(format: "%.1f", csat.average ?? 0), "\(csat.responses)", "\(csat.poor)",
             "\(csat.trend.arrow) \(csat.trend.words)"]
        }
        let blocks: [ReplyBlock] = [
            .section("*\(low.count)* customer\(low.count == 1 ? "" : "s") below \(thresholdText) on CSAT, \(context.periodText(defaultDays: 90)), worst first."),
            .table(ReplyTable(columns: ["Customer", "Avg", "Ratings", "Poor (1–2)", "Trend"], rows: rows, omittedRows: low.count - shown.count)),
            .actions(shown.prefix(5).compactMap { AnswerButton.checkCSAT.action("CSAT: \($0.customer.name)", AnswerRequest(intent: .csatTrend, customer: $0.customer.id)) }),
            await .context(try Format.freshness(store: context.store, now: context.now)),
        ]
        let fallback = "Customers below \(thresholdText) CSAT: " + shown.map { "\($0.customer.name) \(String(format: "%.1f", $0.csat.average ?? 0))" }.joined(separator: ", ")
        return HandlerResult(Reply(header: "Low CSAT", blocks: blocks, fallbackText: fallback), shown: customers.map(\.id))
    }

    /// Each customer's CSAT over `period`, in `customers`' order, as their snapshot has it
    /// (`SnapshotBuilder`, fetching to `max(period.end, now)`), from their rated tickets
    /// alone: the CSAT figures count nothing else, and reading only those rows spares
    /// decoding every other ticket of the portfolio. (The response rate also counts
    /// resolved tickets, so it is not right here; this answer does not show it.)
    static func csat(of customers: [Customer], period: Period, context: AnswerContext) async throws -> [(customer: Customer, csat: CSATStatistic)] {
        let rated = try await context.store.ratedTickets(customerIDs: customers.map(\.id), ratedIn: Period(start: period.previous.start, end: period.end),
                                                   createdBefore: max(period.end, context.now))
        let byCustomer = Dictionary(grouping: rated, by: { $0.customerID ?? "" })
        let tiers = Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0.tier) })
        let calculator = context.settings.calculator
        return customers.map { customer in
            (customer, calculator.metrics(tickets: byCustomer[customer.id] ?? [], tiers: tiers, period: period, now: context.now).csat)
        }
    }
}

/// `csat_trend`: CSAT by week (or month, over long periods) with the trend word and the poor ratings.
struct CSATTrendHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customers = try await context.askedCustomers()
        let period = context.period(defaultDays: 90)
        let subject = customers.count == 1 ? customers[0].name : "your accounts"
        let tickets = try await context.store.metricsInput(customerIDs: customers.map(\.id), period: period)
        let metrics = context.settings.calculator.metrics(tickets: tickets, period: period, now: context.now)
        let rated = CSATSeries.rated(tickets, in: period)
        let monthly = CSATSeries.isMonthly(period)
        let bars = CSATSeries.points(tickets, period: period).map { point in
            BarChart.Bar(label: (monthly ? Format.month(point.start) : "wk of " + Format.day(point.start)), value: point.average,
                         display: String(format: "%.1f (%d)", point.average, point.ratings))
        }
        var blocks: [ReplyBlock] = [
            .fields([
                ReplyField("Average", Format.csat(metrics.csat)),
                ReplyField("Previous period", metrics.csat.previousAverage.map { String(format: "%.1f", $0) } ?? "no ratings"),
                ReplyField("Trend", "\(metrics.csat.trend.arrow) \(metrics.csat.trend.words)"),
                ReplyField("Poor ratings (1–2)", "\(metrics.csat.poor)"),
            ]),
        ]
        if !bars.isEmpty { blocks.append(.barChart(BarChart(title: monthly ? "CSAT by month" : "CSAT by week", bars: bars.suffix(12), maximum: 5))) }
        let poor = rated.filter { $0.0.csat?.isPoor == true }.sorted { $0.1 > $1.1 }.prefix(5)
        if !poor.isEmpty {
            blocks.append(.table(ReplyTable(columns: ["Ticket", "Score", "Comment"], rows: poor.map {
                ["#\($0.0.externalID)", "\($0.0.csat!.score)", $0.0.csat?.comment ?? "–"]
            }, omittedRows: max(0, metrics.csat.poor - poor.count))))
        }
        blocks.append(.context("Period: \(context.periodText(defaultDays: 90)); the trend compares with the previous equal period (±10%). " + (try await Format.freshness(store: context.store, now: context.now))))
        let fallback = "CSAT for \(subject): \(Format.csat(metrics.csat)), \(metrics.csat.trend.rawValue)."
        return HandlerResult(Reply(header: "CSAT trend: \(subject)", blocks: blocks, fallbackText: fallback), shown: customers.map(\.id))
    }
}
