import Foundation
import TicketPulseCore

/// Generates realistic tickets for a set of customers: deterministic for a seed and a `now`.
///
/// Volume follows the customer's tier; priority, category, response and resolution times
/// and CSAT follow the distributions a healthy B2B support team shows (about 93% of first
/// responses and 80% of resolutions within SLA, CSAT around 4.1). `DemoScenario` situations
/// are planted on top when `plantScenarios` is set.
public struct DemoDataGenerator: Sendable {
    public var seed: UInt64
    public var days: Int
    /// Multiplies every customer's daily volume (the benchmarks use it to reach a million tickets).
    public var volumeScale: Double
    public var plantScenarios: Bool
    public var policy: SLAPolicy

    public init(seed: UInt64 = 2026, days: Int = 120, volumeScale: Double = 1, plantScenarios: Bool = true, policy: SLAPolicy = .standard) {
        self.seed = seed
        self.days = days
        self.volumeScale = volumeScale
        self.plantScenarios = plantScenarios
        self.policy = policy
    }

    /// Tickets per day by tier before `volumeScale`.
    static func dailyRate(_ tier: CustomerTier) -> Double {
        switch tier {
        case .enterprise: 3.2
        case .midMarket: 1.4
        case .smb: 0.6
        // The demo roster uses the built-in tiers only; another tier gets mid-market volume.
        default: 1.4
        }
    }

    /// Calls `emit` once per customer with that customer's tickets, oldest first, so a
    /// million tickets never sit in memory at once.
    public func generate(customers: [Customer], now: Date, emit: ([Ticket]) throws -> Void) rethrows {
        var ids = ExternalIDs()
        for (index, customer) in customers.enumerated() {
            var rng = SeededGenerator(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
            var tickets = baseline(for: customer, index: index, now: now, rng: &rng, ids: &ids)
            if plantScenarios {
                tickets += planted(for: customer, now: now, rng: &rng, ids: &ids)
            }
            tickets.sort { $0.createdAt < $1.createdAt }
            try emit(tickets)
        }
    }

    private func baseline(for customer: Customer, index: Int, now: Date, rng: inout SeededGenerator, ids: inout ExternalIDs) -> [Ticket] {
        let firstDay = customer.onboardedAt.map { max(0, Int(now.timeIntervalSince($0) / 86_400)) }.map { min(days, $0) } ?? days
        let rate = Self.dailyRate(customer.tier) * (0.7 + 0.6 * rng.unit()) * volumeScale
        let source = Self.source(forCustomerAt: index)
        let csatDrop = plantScenarios && customer.id == DemoScenario.csatDropCustomerID
        var tickets: [Ticket] = []
        for day in stride(from: firstDay, to: 0, by: -1) {
            let dayStart = now.addingTimeInterval(-Double(day) * 86_400)
            for _ in 0..<rng.poisson(rate) {
                // Business hours are busier: half the tickets land in an 8-hour window.
                let hour = rng.chance(0.5) ? 13 + rng.unit() * 8 : rng.unit() * 24
                let created = dayStart.addingTimeInterval(hour * 3600)
                guard created < now else { continue }
                let recentDrop = csatDrop && now.timeIntervalSince(created) < 35 * 86_400
                tickets.append(ticket(for: customer, source: source, created: created, now: now, poorCSAT: recentDrop, rng: &rng, ids: &ids))
            }
        }
        return tickets
    }

    static func source(forCustomerAt index: Int) -> SourceSystem {
        switch index % 8 {
        case 1: .intercom
        case 3: .salesforce
        case 5: .freshdesk
        default: .zendesk
        }
    }

    /// One ticket created at `created`, with its life up to `now` simulated.
    func ticket(for customer: Customer, source: SourceSystem, created: Date, now: Date, poorCSAT: Bool = false,
                priority fixedPriority: Priority? = nil, category fixedCategory: TicketCategory? = nil, subject fixedSubject: String? = nil,
                rng: inout SeededGenerator, ids: inout ExternalIDs) -> Ticket {
        let priority = fixedPriority ?? rng.pick([(Priority.p1, 0.05), (.p2, 0.20), (.p3, 0.50), (.p4, 0.25)])
        let category = fixedCategory ?? rng.pick([(TicketCategory.technical, 0.40), (.billing, 0.15), (.training, 0.15), (.featureRequest, 0.15), (.security, 0.05), (.outage, 0.04), (.other, 0.06)])
        let targets = policy.targets(for: priority, tier: customer.tier)
        let responseHours = targets.firstResponse / 3600 * (rng.normal() * 0.6 - 0.9).exp
        let resolutionHours = max(responseHours * 1.2, targets.resolution / 3600 * (rng.normal() * 0.7 - 0.6).exp)
        let responded = created.addingTimeInterval(responseHours * 3600)
        let solved = created.addingTimeInterval(resolutionHours * 3600)

        var status: TicketStatus
        var solvedAt: Date?, closedAt: Date?
        if solved <= now {
            solvedAt = solved
            let closed = solved.addingTimeInterval(4 * 86_400)
            if closed <= now { status = .closed; closedAt = closed } else { status = .solved }
        } else {
            status = responded <= now ? rng.pick([(TicketStatus.open, 0.6), (.pending, 0.3), (.onHold, 0.1)]) : .new
        }

        var csat: CSATRating?
        if let solvedAt, rng.chance(poorCSAT ? 0.7 : 0.45) {
            let breached = resolutionHours * 3600 > targets.resolution
            let score: Int = poorCSAT
                ? rng.pick([(1, 0.25), (2, 0.30), (3, 0.25), (4, 0.15), (5, 0.05)])
                : breached ? rng.pick([(1, 0.10), (2, 0.15), (3, 0.25), (4, 0.30), (5, 0.20)])
                : rng.pick([(1, 0.03), (2, 0.05), (3, 0.10), (4, 0.32), (5, 0.50)])
            let ratedAt = min(now, solvedAt.addingTimeInterval((1 + rng.unit() * 23) * 3600))
            let comment = score <= 2 ? rng.element(TicketTemplates.poorComments) : rng.element(TicketTemplates.goodComments)
            csat = CSATRating(score: score, rawValue: Self.rawCSAT(score, source: source), comment: comment, ratedAt: ratedAt)
        }

        let escalationChance: Double = priority == .p1 ? 0.10 : priority == .p2 ? 0.04 : 0.005
        let escalation: Escalation? = rng.chance(escalationChance)
            ? Escalation(reason: rng.element(TicketTemplates.escalationReasons), level: rng.chance(0.8) ? 1 : 2,
                         escalatedAt: min(now, created.addingTimeInterval(responseHours * 3600 + rng.unit() * 12 * 3600)))
            : nil
        let requester = rng.chance(0.2) ? customer.championEmail : nil
        return Ticket(
            source: source, externalID: ids.next(source), customerID: customer.id, matchRule: "demo",
            subject: fixedSubject ?? rng.element(TicketTemplates.subjects[category]!),
            description: "Reported by the customer via \(source.rawValue).",
            status: status, priority: priority, category: category,
            tags: [category.rawValue, customer.tier.rawValue],
            requesterEmail: requester ?? "\(rng.element(TicketTemplates.requesterNames))@\(customer.domains.first ?? "example.com")",
            assignee: rng.element(TicketTemplates.agents),
            createdAt: created,
            updatedAt: [solvedAt, closedAt, csat?.ratedAt, responded <= now ? responded : nil].compactMap { $0 }.max() ?? created,
            firstResponseAt: responded <= now ? responded : nil,
            solvedAt: solvedAt, closedAt: closedAt, csat: csat, escalation: escalation
        )
    }

    /// What the source itself would have recorded: Zendesk only knows good/bad.
    static func rawCSAT(_ score: Int, source: SourceSystem) -> String {
        switch source {
        case .zendesk: score >= 4 ? "good" : score <= 2 ? "bad" : "offered"
        default: String(score)
        }
    }
}

/// Per-system ticket numbering, as each system would show it.
struct ExternalIDs {
    private var counters: [SourceSystem: Int] = [:]

    mutating func next(_ source: SourceSystem) -> String {
        let n = counters[source, default: 0] + 1
        counters[source] = n
        switch source {
        case .zendesk: return String(4000 + n)
        case .intercom: return String(21_540_000_000 + n)
        case .salesforce: return String(format: "%08d", 1000 + n)
        case .freshdesk: return String(9000 + n)
        case .webhook: return "TKT-2026-\(n)"
        }
    }
}
