import Foundation
import Testing
import TicketPulseCore

/// `Ticket.asOf`: how backtesting sees a ticket at an earlier time, from its own dates.
@Suite("Ticket as of a time")
struct TicketAsOfTests {
    typealias F = DetectorFixture
    static let created = F.date("2026-11-10T09:00:00Z")

    /// Created, answered after 1 h, escalated after 2 h, solved after 10 h, rated after
    /// 12 h, closed after 4 days.
    static let lived = Ticket(source: .zendesk, externalID: "4521", customerID: "cus_acme", subject: "SSO broken", status: .closed,
                            priority: .p2, category: .technical, createdAt: created, updatedAt: created.addingTimeInterval(4 * F.day),
                            firstResponseAt: created.addingTimeInterval(F.hour), solvedAt: created.addingTimeInterval(10 * F.hour),
                            closedAt: created.addingTimeInterval(4 * F.day),
                            csat: CSATRating(score: 2, comment: "slow", ratedAt: created.addingTimeInterval(12 * F.hour)),
                            escalation: Escalation(reason: "VIP", level: 1, escalatedAt: created.addingTimeInterval(2 * F.hour)))

    static func at(_ hours: Double) -> Date { created.addingTimeInterval(hours * F.hour) }

    @Test("Before it was created there was no ticket; at its creation it was open and untouched")
    func beforeAndAtCreation() throws {
        #expect(Self.lived.asOf(Self.at(-0.001)) == nil)
        let born = try #require(Self.lived.asOf(Self.created))
        #expect(born.status == .open)
        #expect(born.firstResponseAt == nil)
        #expect(born.escalation == nil)
        #expect(born.solvedAt == nil && born.closedAt == nil)
        #expect(born.csat == nil)
        #expect(born.updatedAt == Self.created)
        #expect(born.subject == "SSO broken")
    }

    @Test("Each date takes effect at its own time")
    func datesTakeEffectInTurn() throws {
        let answered = try #require(Self.lived.asOf(Self.at(1.5)))
        #expect(answered.firstResponseAt == Self.at(1))
        #expect(answered.escalation == nil)
        #expect(answered.isUnresolved)
        let escalated = try #require(Self.lived.asOf(Self.at(3)))
        #expect(escalated.escalation?.reason == "VIP")
        #expect(escalated.isUnresolved)
        let rated = try #require(Self.lived.asOf(Self.at(12)))
        #expect(rated.csat?.score == 2)
        #expect(try #require(Self.lived.asOf(Self.at(11.9))).csat == nil)
        #expect(Self.lived.asOf(Self.at(200)) == Self.lived)
    }

    @Test("Between solved and closed the ticket was solved, not closed")
    func solvedBeforeClosed() throws {
        let solved = try #require(Self.lived.asOf(Self.at(10)))
        #expect(solved.status == .solved)
        #expect(solved.solvedAt == Self.at(10))
        #expect(solved.closedAt == nil)
        #expect(solved.updatedAt == Self.at(10))
    }

    @Test("A ticket deleted later stood as its dates tell before the deletion")
    func deletedLater() throws {
        var deleted = Self.lived
        deleted.status = .deleted
        deleted.updatedAt = Self.at(200)
        #expect(try #require(deleted.asOf(Self.at(5))).status == .open)
        #expect(try #require(deleted.asOf(Self.at(20))).status == .solved)
        #expect(try #require(deleted.asOf(Self.at(100))).status == .closed)
        #expect(try #require(deleted.asOf(Self.at(201))).status == .deleted)
    }

    @Test("A resolved ticket without dates was open until its last change")
    func resolvedWithoutDates() throws {
        var closed = Self.lived
        closed.solvedAt = nil
        closed.closedAt = nil
        #expect(try #require(closed.asOf(Self.at(50))).status == .open)
        #expect(try #require(closed.asOf(Self.at(96))).status == .closed)
    }

    @Test("Backtesting through asOf sees the SLA clock as it ran then")
    func detectorsSeeThePast() {
        var open = Self.lived
        open.priority = .p1
        open.firstResponseAt = nil
        open.escalation = nil
        open.csat = nil
        // At 45 minutes a P1 without a reply is at risk; after 10 h it is long solved.
        let customer = F.customer()
        let early = AlertDetectors().detect(CustomerActivity(customer: customer, tickets: [open.asOf(Self.at(0.75))!]), now: Self.at(0.75))
        #expect(early.of(.slaAtRisk).count == 1)
        let later = AlertDetectors().detect(CustomerActivity(customer: customer, tickets: [open.asOf(Self.at(30))!]), now: Self.at(30))
        #expect(later.filter { $0.kind.feed == .sla }.isEmpty)
    }
}
