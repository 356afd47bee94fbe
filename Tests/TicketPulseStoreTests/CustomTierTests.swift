import Foundation
import Testing
import TicketPulseCore
@testable import TicketPulseSQLite
import TicketPulseStorage

/// Real CRMs name their tiers their own way; the roster takes any name, and the SLA policy
/// and spike baselines can be set for it.
@Suite("Custom tiers")
struct CustomTierTests {
    static let header = "id,name,aliases,domains,tier,arr,csm_email,renewal_date,health_score\n"

    @Test("Any tier name imports, in one canonical form", arguments: StoreBackend.available)
    func anyTierImports(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let csv = Self.header + "cus_a,A Co,,,Strategic,1,,,50\ncus_b,B Co,,,growth,1,,,50\ncus_c,C Co,,,Tier 1,1,,,50\ncus_d,D Co,,,Mid-Market,1,,,50\n"
            let summary = try await store.importCustomers(csv: csv, fileName: "tiers.csv")
            #expect(summary.inserted == 4)
            #expect(try await store.customer(id: "cus_a")?.tier == CustomerTier("strategic"))
            #expect(try await store.customer(id: "cus_b")?.tier.rawValue == "growth")
            #expect(try await store.customer(id: "cus_c")?.tier.rawValue == "tier_1")
            // The built-in tier keeps its defaults however the CRM spells it.
            #expect(try await store.customer(id: "cus_d")?.tier == .midMarket)
        }
    }

    @Test("A custom tier's SLA targets decide a ticket's SLA", arguments: StoreBackend.available)
    func customTierSLA(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.importCustomers(csv: Self.header + "cus_s,Strat Co,,,strategic,1,,,50\ncus_g,Growth Co,,,growth,1,,,50\n", fileName: "tiers.csv")
            let strategic = try #require(try await store.customer(id: "cus_s")?.tier)
            let growth = try #require(try await store.customer(id: "cus_g")?.tier)
            var policy = SLAPolicy.standard
            policy.tierOverrides[strategic] = [.p2: SLATargets(firstResponseHours: 1, resolutionHours: 4)]
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            // A P2 answered after 2 hours: late for a strategic account (1 h), in time for growth (standard).
            let ticket = Ticket(source: .zendesk, externalID: "1", customerID: "cus_s", subject: "x", status: .open, priority: .p2, category: .technical,
                                createdAt: now.addingTimeInterval(-3 * 3600), firstResponseAt: now.addingTimeInterval(-3600))
            #expect(policy.targets(for: .p2, tier: strategic).firstResponse == 3600)
            #expect(policy.evaluate(ticket, tier: strategic, now: now).firstResponse.state == .breached)
            #expect(policy.evaluate(ticket, tier: growth, now: now).firstResponse.state != .breached)
        }
    }

    @Test("A custom tier's spike baseline is a detector setting")
    func customTierBaseline() throws {
        var settings = DetectorSettings()
        try settings.set("spike.baseline.strategic", to: "2.5")
        #expect(settings.tierBaselinePerDay[CustomerTier("strategic")] == 2.5)
        #expect(throws: (any Error).self) { try settings.set("spike.baseline.strategic", to: "0") }
    }
}
