import Foundation

/// Every detector over one customer's activity at `now`. Pure: the same activity, settings
/// and time give the same alerts, which is what lets `replay` backtest thresholds.
public struct AlertDetectors: Sendable {
    public var settings: DetectorSettings
    public var sla: SLAPolicy

    public init(settings: DetectorSettings = DetectorSettings(), sla: SLAPolicy = .standard) {
        self.settings = settings
        self.sla = sla
    }

    public func detect(_ activity: CustomerActivity, now: Date) -> [Alert] {
        let live = Self.live(activity, now: now)
        var alerts: [Alert] = []
        if let volume = volumeAlert(activity.customer, live, now: now) { alerts.append(volume) }
        alerts += csatAlerts(activity.customer, live, now: now)
        if let decline = csatDeclineAlert(activity.customer, live, now: now) { alerts.append(decline) }
        alerts += ticketAlerts(activity.customer, live, now: now)
        return alerts
    }

    /// The volume detectors alone, now: what they measured, and the spike or burst they
    /// raise, if any.
    public func volumeCheck(_ activity: CustomerActivity, now: Date) -> (reading: VolumeReading, alert: Alert?) {
        let live = Self.live(activity, now: now)
        return (volumeReading(activity.customer, live, now: now), volumeAlert(activity.customer, live, now: now))
    }

    /// The tickets that count at `now`: none deleted, none created later.
    static func live(_ activity: CustomerActivity, now: Date) -> [Ticket] {
        func counts(_ ticket: Ticket) -> Bool { ticket.status != .deleted && ticket.createdAt <= now }
        // Stores leave deleted tickets out already: share their array rather than copy it.
        return activity.tickets.allSatisfy(counts) ? activity.tickets : activity.tickets.filter(counts)
    }
}

// MARK: - Volume: spike (PRD-087) and 3+ in 24 h (PRD-184 FR-6)

extension AlertDetectors {
    /// The customer's daily baseline: its own average over the baseline window when it has
    /// that much history, else its tier's. Own history is what normalises for size: a
    /// large account's 10 tickets a day are its normal, a small one's 1.
    public func dailyBaseline(_ customer: Customer, _ tickets: [Ticket], windowStart: Date) -> (perDay: Double, own: Bool) {
        let baselineStart = windowStart.addingTimeInterval(-Double(settings.baselineDays) * 86_400)
        let established = customer.onboardedAt.map { $0 <= baselineStart } ?? true
        let count = tickets.lazy.filter { $0.createdAt >= baselineStart && $0.createdAt < windowStart }.count
        let own = Double(count) / Double(settings.baselineDays)
        if established, own > 0 { return (own, true) }
        return (settings.tierBaselinePerDay[customer.tier] ?? 1, false)
    }

    /// What the volume detectors measure of a customer at `now`, alert or not (the HTTP
    /// API's spike check shows it as it is).
    public struct VolumeReading: Sendable {
        /// Tickets created in the spike window, newest first.
        public var recent: [Ticket]
        /// Tickets created in the last 24 h, newest first (PRD-184 counts its 3+ in 24 h
        /// whatever the spike window is).
        public var lastDay: [Ticket]
        public var baseline: (perDay: Double, own: Bool)
        /// The window's volume over the baseline's for as long a time.
        public var multiple: Double
    }

    /// `tickets`: the customer's, deleted ones and any created after `now` left out.
    public func volumeReading(_ customer: Customer, _ tickets: [Ticket], now: Date) -> VolumeReading {
        let windowStart = now.addingTimeInterval(-settings.spikeLookback)
        let recent = tickets.filter { $0.createdAt >= windowStart }.sorted { $0.createdAt > $1.createdAt }
        let dayStart = now.addingTimeInterval(-86_400)
        let lastDay = settings.spikeLookback == 86_400 ? recent : tickets.filter { $0.createdAt >= dayStart }.sorted { $0.createdAt > $1.createdAt }
        let baseline = dailyBaseline(customer, tickets, windowStart: windowStart)
        let days = settings.spikeLookback / 86_400
        return VolumeReading(recent: recent, lastDay: lastDay, baseline: baseline, multiple: Double(recent.count) / (baseline.perDay * days))
    }

    func volumeAlert(_ customer: Customer, _ tickets: [Ticket], now: Date) -> Alert? {
        let reading = volumeReading(customer, tickets, now: now)
        let (recent, lastDay, baseline, multiple) = (reading.recent, reading.lastDay, reading.baseline, reading.multiple)
        guard recent.count >= settings.burstCount || lastDay.count >= settings.burstCount else { return nil }
        let window = Self.window(settings.spikeLookback)
        let baselineText = baseline.own
            ? "the \(settings.baselineDays)-day average of \(Self.rate(baseline.perDay))/day"
            : "the \(customer.tier.rawValue) baseline of \(Self.rate(baseline.perDay))/day (no \(settings.baselineDays)-day history yet)"
        var numbers = ["count": Double(recent.count), "baseline_per_day": baseline.perDay, "multiple": multiple, "window_hours": settings.spikeLookback / 3600]
        // A spike needs as many tickets in its window as a burst does in a day, so a quiet
        // account's one or two tickets are no "30× critical".
        if recent.count >= settings.burstCount, multiple > settings.spikeThreshold {
            let critical = multiple > settings.spikeCriticalMultiple
            let rule = critical ? "critical above \(Self.multiple(settings.spikeCriticalMultiple))"
                                : "a spike above \(Self.multiple(settings.spikeThreshold)), critical above \(Self.multiple(settings.spikeCriticalMultiple))"
            numbers["threshold"] = settings.spikeThreshold
            let themes = SubjectThemes.themes(of: recent.map(\.subject))
            return Alert(
                kind: .spike, severity: critical ? .critical : .high, customer: customer, dedupKey: "spike:\(customer.id)",
                ticket: AlertTicket(Self.lead(recent)), title: "Ticket spike: \(customer.name)",
                explanation: "\(recent.count) tickets in \(window), \(Self.multiple(multiple)) \(baselineText); \(rule)",
                facts: Self.volumeFacts(recent, window: window, baseline: baseline, tier: customer.tier, multiple: multiple)
                    + (themes.isEmpty ? [] : [AlertFact("Themes", themes.joined(separator: ", "))]),
                numbers: numbers, themes: themes, ticketIDs: recent.map(\.externalID), detectedAt: now
            )
        }
        guard lastDay.count >= settings.burstCount else { return nil }
        // The burst names the day's tickets; over a longer spike window it also says how the
        // window compares with the baseline.
        let comparison = settings.spikeLookback == 86_400
            ? "\(Self.multiple(multiple)) \(baselineText)"
            : "\(recent.count) in \(window), \(Self.multiple(multiple)) \(baselineText)"
        numbers["burst_count"] = Double(lastDay.count)
        return Alert(
            kind: .burst, severity: .low, customer: customer, dedupKey: "burst:\(customer.id)",
            ticket: AlertTicket(Self.lead(lastDay)), title: "\(lastDay.count) tickets in 24 h: \(customer.name)",
            explanation: "\(lastDay.count) tickets in 24 h (\(settings.burstCount) or more alert, PRD-184); \(comparison), under the \(Self.multiple(settings.spikeThreshold)) spike threshold",
            facts: Self.volumeFacts(lastDay, window: "24 h", baseline: baseline, tier: customer.tier, multiple: multiple),
            numbers: numbers, themes: SubjectThemes.themes(of: lastDay.map(\.subject)), ticketIDs: lastDay.map(\.externalID), detectedAt: now
        )
    }

    /// The newest ticket of the most common category (ties: the category first by name):
    /// what notes and escalation requests from a volume alert attach to.
    static func lead(_ newestFirst: [Ticket]) -> Ticket {
        let dominant = Dictionary(grouping: newestFirst, by: \.category).max { ($0.value.count, $1.key.rawValue) < ($1.value.count, $0.key.rawValue) }?.key
        return newestFirst.first { $0.category == dominant } ?? newestFirst[0]
    }

    static func volumeFacts(_ tickets: [Ticket], window: String, baseline: (perDay: Double, own: Bool), tier: CustomerTier, multiple: Double) -> [AlertFact] {
        [
            AlertFact("Tickets", "\(tickets.count) in \(window)"),
            AlertFact("Baseline", "\(rate(baseline.perDay))/day\(baseline.own ? "" : " (\(tier.rawValue) tier)")"),
            // Signed, so a burst under its baseline reads "-40%", not "+-40%".
            AlertFact("Multiple", "\(Self.multiple(multiple)) (\(String(format: "%+.0f%%", (multiple - 1) * 100)))"),
            AlertFact("By category", breakdown(tickets.map(\.category.label))),
            AlertFact("By priority", breakdown(tickets.map(\.priority.rawValue))),
        ]
    }

    /// "24 h", "7 days", "36 h".
    static func window(_ seconds: TimeInterval) -> String {
        let days = seconds / 86_400
        if days == 1 { return "24 h" }
        // Formatted, not converted to Int: a huge window from `replay --set` must not trap.
        return days.rounded() == days ? String(format: "%.0f days", days) : String(format: "%.0f h", seconds / 3600)
    }

    static func rate(_ value: Double) -> String {
        value >= 10 ? String(format: "%.0f", value) : value >= 1 ? String(format: "%.1f", value) : String(format: "%.2f", value)
    }

    static func multiple(_ value: Double) -> String {
        value.truncatingRemainder(dividingBy: 1) == 0 ? String(format: "%.0f×", value) : String(format: "%.1f×", value)
    }

    /// "technical 9, billing 3": counts, most first.
    static func breakdown(_ labels: [String]) -> String {
        Dictionary(grouping: labels, by: { $0 }).map { ($0.key, $0.value.count) }
            .sorted { ($0.1, $1.0) > ($1.1, $0.0) }
            .map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }
}

// MARK: - CSAT (PRD-102)

extension AlertDetectors {
    func csatAlerts(_ customer: Customer, _ tickets: [Ticket], now: Date) -> [Alert] {
        let since = now.addingTimeInterval(-settings.eventLookback)
        // Most customers have no poor rating today: skip sorting their ratings.
        guard tickets.contains(where: { ticket in
            guard let score = ticket.csat?.score, score <= settings.csatPoorMax, let ratedAt = ticket.ratedAt else { return false }
            return ratedAt >= since && ratedAt <= now
        }) else { return [] }
        let rated = tickets.filter { $0.csat != nil }.sorted { $0.ratedAt! < $1.ratedAt! }
        let monthStart = Self.utcCalendar.dateInterval(of: .month, for: now)?.start ?? now
        return rated.compactMap { ticket -> Alert? in
            guard let csat = ticket.csat, csat.score <= settings.csatPoorMax, let ratedAt = ticket.ratedAt, ratedAt >= since, ratedAt <= now else { return nil }
            let monthBefore = ratedAt.addingTimeInterval(-30 * 86_400)
            let earlier = rated.filter { $0.ratedAt! >= monthBefore && $0.ratedAt! < ratedAt && $0.externalID != ticket.externalID }
            let secondLow = earlier.contains { $0.csat!.score <= settings.csatPoorMax }
            let previous = earlier.isEmpty ? nil : Double(earlier.map { $0.csat!.score }.reduce(0, +)) / Double(earlier.count)
            var severity: AlertSeverity = csat.score <= 1 ? .high : .medium
            if customer.arr >= settings.highValueARR { severity = severity.raised }
            if secondLow, severity < .high { severity = .high }
            let target = sla.targets(for: ticket.priority, tier: customer.tier).resolution
            let resolution: String
            if let resolved = ticket.resolvedAt {
                let took = resolved.timeIntervalSince(ticket.createdAt)
                resolution = "\(Self.hours(took)) against a \(Self.hours(target)) target (\(took <= target ? "met" : "breached"))"
            } else {
                resolution = "still open after \(Self.hours(now.timeIntervalSince(ticket.createdAt))) (target \(Self.hours(target)))"
            }
            let thisMonth = tickets.lazy.filter { $0.createdAt >= monthStart }.count
            var facts = [
                AlertFact("Rating", "\(csat.score)/5\(csat.rawValue.map { " (\($0))" } ?? "")"),
                AlertFact("Ticket", "#\(ticket.externalID) \(ticket.subject)"),
                AlertFact("Category", ticket.category.label),
                AlertFact("Resolution", resolution),
                AlertFact("ARR", Self.money(customer.arr)),
                AlertFact("Tickets this month", "\(thisMonth)"),
                AlertFact("Previous average", previous.map { String(format: "%.1f", $0) } ?? "no other ratings in 30 days"),
            ]
            if let comment = csat.comment, !comment.isEmpty { facts.insert(AlertFact("Comment", "“\(comment)”"), at: 2) }
            if secondLow { facts.append(AlertFact("Pattern", "second low rating in 30 days")) }
            var numbers: [String: Double] = ["rating": Double(csat.score), "arr": customer.arr, "tickets_this_month": Double(thisMonth)]
            numbers["previous_average"] = previous
            return Alert(
                kind: .csatLow, severity: severity, customer: customer, dedupKey: "csat_low:\(ticket.source.rawValue):\(ticket.externalID)",
                ticket: AlertTicket(ticket), title: "Low CSAT: \(customer.name) rated \(csat.score)/5",
                explanation: "rated \(csat.score)/5 on #\(ticket.externalID); \(settings.csatPoorMax) or less alerts at once (PRD-102)\(secondLow ? "; second low rating in 30 days" : "")",
                facts: facts, numbers: numbers, ticketIDs: [ticket.externalID], detectedAt: now
            )
        }
    }

    func csatDeclineAlert(_ customer: Customer, _ tickets: [Ticket], now: Date) -> Alert? {
        let current = Period.trailing(days: 30, endingAt: now)
        let previous = current.previous
        // One pass for both periods: this runs for every customer on every pass.
        var now30 = (sum: 0, count: 0), before30 = (sum: 0, count: 0)
        for ticket in tickets {
            guard let score = ticket.csat?.score, let ratedAt = ticket.ratedAt else { continue }
            if current.contains(ratedAt) {
                now30.sum += score
                now30.count += 1
            } else if previous.contains(ratedAt) {
                before30.sum += score
                before30.count += 1
            }
        }
        guard now30.count >= settings.csatDeclineMinimumRatings, before30.count >= settings.csatDeclineMinimumRatings else { return nil }
        let average = Double(now30.sum) / Double(now30.count)
        let before = Double(before30.sum) / Double(before30.count)
        let decline = (before - average) / before
        guard decline > settings.csatDeclineShare else { return nil }
        let week = Self.utcCalendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: now)
        let weekKey = String(format: "%04d-W%02d", week.yearForWeekOfYear ?? 0, week.weekOfYear ?? 0)
        var severity: AlertSeverity = decline > 2 * settings.csatDeclineShare ? .high : .medium
        if customer.arr >= settings.highValueARR { severity = severity.raised }
        return Alert(
            kind: .csatDecline, severity: severity, customer: customer, dedupKey: "csat_decline:\(customer.id):\(weekKey)",
            title: "CSAT declining: \(customer.name)",
            explanation: String(format: "30-day CSAT %.1f, down %.0f%% from %.1f; a fall of more than %.0f%% alerts weekly (PRD-102)",
                                average, decline * 100, before, settings.csatDeclineShare * 100),
            facts: [
                AlertFact("Last 30 days", String(format: "%.1f (%d ratings)", average, now30.count)),
                AlertFact("30 days before", String(format: "%.1f (%d ratings)", before, before30.count)),
                AlertFact("Change", String(format: "−%.0f%%", decline * 100)),
                AlertFact("ARR", Self.money(customer.arr)),
            ],
            numbers: ["average": average, "previous_average": before, "decline": decline],
            detectedAt: now
        )
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func hours(_ seconds: TimeInterval) -> String {
        let hours = seconds / 3600
        return hours >= 48 ? String(format: "%.1f days", hours / 24) : String(format: "%.0f h", hours.rounded())
    }

    /// "$1,250,000": whole dollars, grouped by thousands. Grouped by hand: making a
    /// NumberFormatter for every CSAT alert was a quarter of the detectors' time in a full pass.
    public static func money(_ value: Double) -> String {
        let digits = String(format: "%.0f", abs(value))
        var grouped = value < 0 && digits != "0" ? "-" : ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return "$" + grouped
    }
}

// MARK: - Per ticket: escalation, SLA, aging, new and resolved tickets

extension AlertDetectors {
    func ticketAlerts(_ customer: Customer, _ tickets: [Ticket], now: Date) -> [Alert] {
        let since = now.addingTimeInterval(-settings.eventLookback)
        var alerts: [Alert] = []
        for ticket in tickets {
            let reference = ticket.reference
            func alert(_ kind: AlertKind, _ severity: AlertSeverity, key: String, explanation: String, facts: [AlertFact] = []) -> Alert {
                Alert(kind: kind, severity: severity, customer: customer, dedupKey: key, ticket: AlertTicket(ticket),
                      title: "\(kind.label): \(customer.name) #\(ticket.externalID)", explanation: explanation,
                      facts: [AlertFact("Ticket", "#\(ticket.externalID) \(ticket.subject)"), AlertFact("Priority", "\(ticket.priority.rawValue) (\(ticket.priority.label))"),
                              AlertFact("Category", ticket.category.label)] + facts,
                      ticketIDs: [ticket.externalID], detectedAt: now)
            }
            if ticket.createdAt >= since {
                let severity: AlertSeverity = switch ticket.priority { case .p1: .high; case .p2: .medium; default: .low }
                alerts.append(alert(.newTicket, severity, key: "new_ticket:\(reference)",
                                    explanation: "new \(ticket.priority.rawValue) ticket (\(ticket.priority.label)); P1/P2 notify at once, P3/P4 in the digest (PRD-122)"))
            }
            if ticket.status.isResolved, let resolved = ticket.resolvedAt, resolved >= since, resolved <= now {
                alerts.append(alert(.ticketResolved, .low, key: "ticket_resolved:\(reference)",
                                    explanation: "resolved after \(Self.hours(resolved.timeIntervalSince(ticket.createdAt)))"))
            }
            guard ticket.isUnresolved else { continue }
            let bySeverity = prioritySeverity(ticket.priority, customer)
            if let escalation = ticket.escalation {
                var severity: AlertSeverity = ticket.priority == .p1 ? .critical : (ticket.priority == .p2 || escalation.level >= 2) ? .high : .medium
                if customer.tier == .enterprise, severity < .high { severity = .high }
                let levelName = escalation.level >= 3 ? "executive" : escalation.level == 2 ? "engineering" : "team lead"
                alerts.append(alert(.escalation, severity, key: "escalation:\(reference):\(escalation.level)",
                                    explanation: "escalated to level \(escalation.level) (\(levelName))\(escalation.reason.map { ": \($0)" } ?? "")",
                                    facts: [AlertFact("Reason", escalation.reason ?? "not given"), AlertFact("Level", "\(escalation.level) (\(levelName))")]))
            }
            let evaluation = sla.evaluate(ticket, tier: customer.tier, now: now)
            for (name, clock) in [("first response", evaluation.firstResponse), ("resolution", evaluation.resolution)] {
                let clockKey = name == "first response" ? "first_response" : "resolution"
                let target = clock.dueAt.timeIntervalSince(ticket.createdAt)
                switch clock.state {
                case .breached:
                    alerts.append(alert(.slaBreach, bySeverity, key: "sla_breach:\(reference):\(clockKey)",
                                        explanation: "\(name) overdue by \(Self.hours(now.timeIntervalSince(clock.dueAt))) (\(ticket.priority.rawValue) target \(Self.hours(target)))",
                                        facts: [AlertFact("Due", clock.dueAt.formatted(.iso8601))]))
                case .atRisk:
                    alerts.append(alert(.slaAtRisk, bySeverity.lowered, key: "sla_at_risk:\(reference):\(clockKey)",
                                        explanation: "\(name) due in \(Self.hours(clock.dueAt.timeIntervalSince(now))); at risk after \(Int(sla.atRiskFraction * 100))% of the \(Self.hours(target)) target",
                                        facts: [AlertFact("Due", clock.dueAt.formatted(.iso8601))]))
                case .met, .onTrack:
                    break
                }
            }
            let resolutionTarget = sla.targets(for: ticket.priority, tier: customer.tier).resolution
            let age = now.timeIntervalSince(ticket.createdAt)
            if age > resolutionTarget * settings.agingMultiple {
                alerts.append(alert(.aging, bySeverity.lowered, key: "aging:\(reference)",
                                    explanation: "open \(Self.hours(age)), more than \(Self.multiple(settings.agingMultiple)) its \(Self.hours(resolutionTarget)) resolution target"))
            }
        }
        return alerts
    }

    /// P1 critical … P4 low, one step up for high-value accounts.
    func prioritySeverity(_ priority: Priority, _ customer: Customer) -> AlertSeverity {
        let base: AlertSeverity = switch priority { case .p1: .critical; case .p2: .high; case .p3: .medium; case .p4: .low }
        return customer.arr >= settings.highValueARR ? base.raised : base
    }
}
