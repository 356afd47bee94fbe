import Foundation
import TicketPulseCore

/// A large made-up book of business, for benchmarks: `customerCount` customers in books of
/// `customersPerCSM`, every CSM under one manager.
public struct SyntheticRoster: Sendable {
    public var staff: [CSM]
    public var customers: [Customer]

    public init(customerCount: Int, customersPerCSM: Int, now: Date) {
        let csmCount = max(1, (customerCount + customersPerCSM - 1) / customersPerCSM)
        let manager = CSM(email: "manager@bench.example", name: "Bench Manager", slackUserID: "UBENCHMGR", role: .manager)
        staff = [manager] + (0..<csmCount).map { n in
            CSM(email: "csm\(n)@bench.example", name: "CSM \(n)", slackUserID: "UBENCH\(n)", role: .csm, managerEmail: manager.email)
        }
        customers = (0..<customerCount).map { n in
            // 20% enterprise, 40% mid-market, 40% SMB.
            let tier: CustomerTier = n % 5 == 0 ? .enterprise : n % 5 < 3 ? .midMarket : .smb
            return Customer(
                id: "cus_bench_\(n)", name: "Bench Customer \(n)", domains: ["customer\(n).example"], tier: tier,
                arr: tier == .enterprise ? 400_000 : tier == .midMarket ? 100_000 : 20_000,
                csmEmail: "csm\(n / customersPerCSM)@bench.example", healthScore: 70,
                onboardedAt: now.addingTimeInterval(-800 * 86_400)
            )
        }
    }

    /// The `volumeScale` that makes `DemoDataGenerator` produce about `tickets` tickets over `days`.
    public func volumeScale(forTickets tickets: Int, days: Int) -> Double {
        let perDay = customers.reduce(0) { $0 + DemoDataGenerator.dailyRate($1.tier) }
        return Double(tickets) / (perDay * Double(days))
    }
}
