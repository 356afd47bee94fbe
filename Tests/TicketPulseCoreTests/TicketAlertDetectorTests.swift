import Foundation
import Testing
import TicketPulseCore

/// Per-ticket detectors: escalation, SLA breached and at risk, aging, new and resolved tickets.
@Suite("Ticket alert detectors")
struct TicketAlertDetectorTests {
    typealias F = DetectorFixture

    static func created(ago seconds: TimeInterval) -> Date { F.now.addingTimeInterval(-seconds) }

    // MARK: - New and resolved tickets

    @Test("A new ticket is news at once for P1/P2, for the digest below", arguments: [
        (Priority.p1, AlertSeverity.high), (.p2, .medium), (.p3, .low), (.p4, .low),
    ])
    func newTicket(priority: Priority, severity: AlertSeverity) throws {
        let ticket = F.open("501", created: Self.created(ago: 600), priority: priority, subject: "Checkout down")
        let alerts = F.alerts([ticket])
        let new = try #require(alerts.of(.newTicket).first)
        #expect(alerts.count == 1)
        #expect(new.severity == severity)
        #expect(new.dedupKey == "new_ticket:zendesk:501")
        #expect(new.title == "New ticket: Acme Corp #501")
        #expect(new.ticket?.priority == priority)
        #expect(new.ticketIDs == ["501"])
        #expect(new.explanation == "new \(priority.rawValue) ticket (\(priority.label)); P1/P2 notify at once, P3/P4 in the digest (PRD-122)")
        #expect(new.facts.prefix(3) == [AlertFact("Ticket", "#501 Checkout down"), AlertFact("Priority", "\(priority.rawValue) (\(priority.label))"),
                                        AlertFact("Category", "technical")])
    }

    @Test("A ticket created more than a day ago is no longer news")
    func oldTicketIsNoNews() {
        let ticket = F.open("501", created: Self.created(ago: F.day + 1), priority: .p4)
        #expect(F.alerts([ticket]).of(.newTicket).isEmpty)
        let justInside = F.open("502", created: Self.created(ago: F.day), priority: .p4)
        #expect(F.alerts([justInside]).of(.newTicket).count == 1)
    }

    @Test("A ticket resolved in the last day is news, low; one resolved earlier is not")
    func resolvedTicket() throws {
        let resolved = F.closed("601", created: Self.created(ago: 10 * F.hour))
        let alerts = F.alerts([resolved])
        let alert = try #require(alerts.of(.ticketResolved).first)
        #expect(alert.severity == .low)
        #expect(alert.dedupKey == "ticket_resolved:zendesk:601")
        #expect(alert.explanation == "resolved after 1 h")
        #expect(F.alerts([F.closed("602", created: Self.created(ago: 26 * F.hour))]).of(.ticketResolved).isEmpty)
        // Solved but reopened since: not resolved.
        var reopened = resolved
        reopened.status = .open
        #expect(F.alerts([reopened]).of(.ticketResolved).isEmpty)
    }

    // MARK: - Escalation

    @Test("An escalation alerts with its reason and level", arguments: [
        (Priority.p1, 1, CustomerTier.midMarket, AlertSeverity.critical),
        (.p2, 1, .midMarket, .high),
        (.p3, 2, .smb, .high),
        (.p3, 1, .smb, .medium),
        (.p4, 1, .enterprise, .high),
    ])
    func escalation(priority: Priority, level: Int, tier: CustomerTier, severity: AlertSeverity) throws {
        let ticket = F.open("701", created: Self.created(ago: 3600), priority: priority,
                            escalation: Escalation(reason: "Customer threatening to churn", level: level, escalatedAt: Self.created(ago: 600)))
        let alerts = F.alerts([ticket], customer: F.customer(tier: tier))
        let escalation = try #require(alerts.of(.escalation).first)
        #expect(escalation.severity == severity)
        #expect(escalation.dedupKey == "escalation:zendesk:701:\(level)")
        let levelName = level == 2 ? "engineering" : "team lead"
        #expect(escalation.explanation == "escalated to level \(level) (\(levelName)): Customer threatening to churn")
        #expect(escalation.facts.suffix(2) == [AlertFact("Reason", "Customer threatening to churn"), AlertFact("Level", "\(level) (\(levelName))")])
        #expect(escalation.feed == .escalations)
    }

    @Test("An escalation without a reason says so; a resolved escalated ticket is no alert")
    func escalationEdges() {
        let noReason = F.open("702", created: Self.created(ago: 3600), escalation: Escalation(level: 3))
        let alert = F.alerts([noReason]).of(.escalation).first
        #expect(alert?.explanation == "escalated to level 3 (executive)")
        #expect(alert?.facts.contains(AlertFact("Reason", "not given")) == true)
        var resolved = F.closed("703", created: Self.created(ago: 3 * F.hour))
        resolved.escalation = Escalation(reason: "VIP", level: 1)
        #expect(F.alerts([resolved]).of(.escalation).isEmpty)
    }

    // MARK: - SLA (standard policy: P1 1 h first response / 4 h resolution; at risk at 75%)

    @Test("P1 first response: on track until 45 min, at risk from 45 min through the due minute, breached after", arguments: [
        (44 * 60 + 59, nil), (45 * 60, .slaAtRisk), (3600, .slaAtRisk), (3601, .slaBreach),
    ] as [(TimeInterval, AlertKind?)])
    func firstResponseBoundaries(age: TimeInterval, kind: AlertKind?) {
        let ticket = F.open("801", created: Self.created(ago: age), priority: .p1, responded: false)
        let sla = F.alerts([ticket]).filter { $0.kind.feed == .sla }
        #expect(sla.map(\.kind) == (kind.map { [$0] } ?? []))
        #expect(sla.allSatisfy { $0.dedupKey.hasSuffix(":zendesk:801:first_response") })
    }

    @Test("P1 resolution: at risk from 3 h, breached after 4 h, with the clock's explanation")
    func resolutionBoundaries() throws {
        func sla(_ age: TimeInterval) -> [Alert] {
            F.alerts([F.open("802", created: Self.created(ago: age), priority: .p1)]).filter { $0.kind.feed == .sla }
        }
        #expect(sla(3 * F.hour - 1).isEmpty)
        let atRisk = try #require(sla(3 * F.hour).first)
        #expect(atRisk.kind == .slaAtRisk)
        #expect(atRisk.dedupKey == "sla_at_risk:zendesk:802:resolution")
        #expect(atRisk.severity == .high)
        #expect(atRisk.explanation == "resolution due in 1 h; at risk after 75% of the 4 h target")
        #expect(atRisk.facts.last == AlertFact("Due", "2026-11-18T16:00:00Z"))
        #expect(sla(4 * F.hour).map(\.kind) == [.slaAtRisk])
        let breach = try #require(sla(6 * F.hour).first)
        #expect(sla(6 * F.hour).map(\.kind) == [.slaBreach])
        #expect(breach.dedupKey == "sla_breach:zendesk:802:resolution")
        #expect(breach.severity == .critical)
        #expect(breach.explanation == "resolution overdue by 2 h (P1 target 4 h)")
        #expect(breach.facts.last == AlertFact("Due", "2026-11-18T13:00:00Z"))
    }

    @Test("SLA severity follows priority, one step up for high-value accounts; at risk one step down", arguments: [
        (Priority.p2, 50_000.0, AlertSeverity.high, AlertSeverity.medium),
        (.p2, 250_000, .critical, .high),
        (.p3, 50_000, .medium, .low),
        (.p4, 50_000, .low, .low),
    ])
    func slaSeverity(priority: Priority, arr: Double, breach: AlertSeverity, atRisk: AlertSeverity) {
        let target = SLAPolicy.standard.targets(for: priority, tier: .midMarket).firstResponse
        let customer = F.customer(arr: arr)
        let late = F.alerts([F.open("803", created: Self.created(ago: target + 60), priority: priority, responded: false)], customer: customer)
        #expect(late.of(.slaBreach).map(\.severity) == [breach])
        let close = F.alerts([F.open("804", created: Self.created(ago: target * 0.8), priority: priority, responded: false)], customer: customer)
        #expect(close.of(.slaAtRisk).map(\.severity) == [atRisk])
    }

    @Test("A resolved ticket has no SLA alerts, however late it was")
    func resolvedTicketsHaveNoSLAAlerts() {
        var late = F.closed("805", created: Self.created(ago: 20 * F.hour), priority: .p1)
        late.firstResponseAt = nil
        late.solvedAt = Self.created(ago: 2 * F.hour)
        #expect(F.alerts([late]).filter { $0.kind.feed == .sla }.isEmpty)
    }

    // MARK: - Aging

    @Test("A ticket open more than twice its resolution target is aging", arguments: [
        (Priority.p1, 8 * 3600.0), (.p4, 144 * 3600),
    ])
    func aging(priority: Priority, limit: TimeInterval) throws {
        #expect(F.alerts([F.open("901", created: Self.created(ago: limit), priority: priority)]).of(.aging).isEmpty)
        let alerts = F.alerts([F.open("901", created: Self.created(ago: limit + 1), priority: priority)])
        let aging = try #require(alerts.of(.aging).first)
        #expect(aging.dedupKey == "aging:zendesk:901")
        // One step below the priority's SLA severity: P1 critical → high, P4 stays low.
        #expect(aging.severity == (priority == .p1 ? .high : .low))
        #expect(aging.explanation.hasPrefix("open "))
        #expect(aging.explanation.hasSuffix("more than 2× its \(priority == .p1 ? "4 h" : "3.0 days") resolution target"))
    }

    // MARK: - What is ignored

    @Test("Deleted tickets raise no alert of any kind")
    func deletedTicketsAreIgnored() {
        var deleted = F.open("950", created: Self.created(ago: 10 * F.hour), priority: .p1, responded: false,
                             escalation: Escalation(reason: "x", level: 2))
        deleted.status = .deleted
        deleted.csat = CSATRating(score: 1, ratedAt: Self.created(ago: 600))
        #expect(F.alerts([deleted]).isEmpty)
        // The same ticket not deleted raises them all: the test above can fail.
        deleted.status = .open
        #expect(Set(F.alerts([deleted]).map(\.kind)) == [.newTicket, .escalation, .slaBreach, .aging, .csatLow])
    }
}
