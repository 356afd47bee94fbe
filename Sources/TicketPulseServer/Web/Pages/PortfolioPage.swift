import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage

/// PRD-156 §7.1: the portfolio's open tickets, CSAT and escalations against last week and
/// the targets, the customers needing attention and why, SLA performance; a manager's or
/// admin's filter by CSM. The figures are the `portfolio_summary` answer's (`SnapshotBuilder`).
extension WebDashboard {
    func portfolio(_ who: WebAuth.SignedIn, query: WebForm) async throws -> Output {
        let at = now()
        let visible = try await store.customerIDs(visibleTo: who.person)
        var customers = try await store.customers(ids: visible)
        var invalid: InvalidFilter?
        var (period, choice) = (Period.trailing(days: 30, endingAt: at), WebPeriod.defaultChoice)
        do { (period, choice) = try WebPeriod.resolve(query["period"], now: at) } catch let error as InvalidFilter { invalid = error }

        // The CSMs whose accounts the person sees, for the filter.
        let csmEmails = Set(customers.compactMap { $0.csmEmail?.lowercased() })
        let csms = try await store.csms().filter { csmEmails.contains($0.email.lowercased()) }.sorted { $0.name < $1.name }
        let csmFilter = query["csm"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if let csmFilter {
            if csms.contains(where: { $0.email.lowercased() == csmFilter }) {
                customers = customers.filter { $0.csmEmail?.lowercased() == csmFilter }
            } else {
                invalid = InvalidFilter(name: "csm", value: csmFilter)
                customers = []
            }
        }

        let builder = answers.snapshotBuilder
        let (snapshots, combined) = try await builder.snapshots(customers: customers, store: store, period: period, now: at)
        let weekAgo = at.addingTimeInterval(-7 * 86_400)
        let before = try await builder.combined(customers: customers, store: store,
                                                period: Period(start: period.start.addingTimeInterval(-7 * 86_400), end: period.end.addingTimeInterval(-7 * 86_400)), asOf: weekAgo)
        let thisWeek = try await builder.combined(customers: customers, store: store, period: .trailing(days: 7, endingAt: at), asOf: at)
        let attention = PortfolioReport.needingAttention(snapshots)

        let openChange = combined.open - before.open
        let csatVsTarget = combined.csat.average.map { $0 - settings.csatTarget }
        var values: [String: Any] = [
            "periods": WebPeriod.options(selected: choice), "period": choice,
            "showCSMFilter": who.person.role != .csm,
            "csms": csms.map { ["email": $0.email, "name": $0.name, "selected": $0.email.lowercased() == csmFilter] },
            "accounts": customers.count,
            "open": combined.open, "openP1P2": snapshots.reduce(0) { $0 + $1.openP1P2 },
            "openChange": WebFormat.signed(openChange) + " vs last week",
            "csat": combined.csat.average.map { String(format: "%.1f", $0) } ?? "n/a",
            "csatVsTarget": csatVsTarget.map { String(format: "%+.1f vs target %.1f", $0, settings.csatTarget) } ?? "no ratings (target \(String(format: "%.1f", settings.csatTarget)))",
            "csatBelowTarget": (csatVsTarget ?? 0) < 0,
            "escalationsOpen": combined.escalations.open,
            "escalationsThisWeek": WebFormat.signed(thisWeek.escalations.total) + " this week",
            "slaMet": combined.slaMetPercent.map { Format.percent($0) } ?? "n/a",
            "attentionCount": attention.count,
            "attention": attention.prefix(25).map { snapshot in
                [
                    "id": snapshot.customer.id, "href": "/app/customers/\(snapshot.customer.id)", "name": snapshot.customer.name,
                    "open": snapshot.metrics.open,
                    "csat": snapshot.metrics.csat.average.map { String(format: "%.1f", $0) } ?? "–",
                    "health": String(format: "%.0f", snapshot.health.score),
                    "why": snapshot.attention.reasons.joined(separator: "; "),
                ] as [String: Any]
            },
            "customers": snapshots.sorted { $0.customer.name < $1.customer.name }.map { snapshot in
                [
                    "href": "/app/customers/\(snapshot.customer.id)", "name": snapshot.customer.name, "open": snapshot.metrics.open,
                    "csat": snapshot.metrics.csat.average.map { String(format: "%.1f", $0) } ?? "–",
                    "sla": snapshot.metrics.slaMetPercent.map { Format.percent($0) } ?? "–",
                    "health": String(format: "%.0f", snapshot.health.score),
                ] as [String: Any]
            },
            "slaChart": SVGChart.bars(id: "sla-chart", title: "SLA performance, \(choice)", bars: [
                SVGChart.Point(label: "First response", value: combined.firstResponse.metPercent ?? 0,
                               display: combined.firstResponse.metPercent.map { Format.percent($0) } ?? "n/a"),
                SVGChart.Point(label: "Resolution", value: combined.resolution.metPercent ?? 0,
                               display: combined.resolution.metPercent.map { Format.percent($0) } ?? "n/a"),
            ], maximum: 100, target: settings.slaTargetPercent, targetLabel: "Target: \(Format.percent(settings.slaTargetPercent))"),
        ]
        if let invalid { values["invalid"] = invalid.message }
        return .page(template: "portfolio", title: "Support metrics", values: values, shown: customers.map(\.id), status: invalid == nil ? .ok : .badRequest)
    }
}
