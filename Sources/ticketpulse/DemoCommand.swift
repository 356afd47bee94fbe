import ArgumentParser
import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseDemo
import TicketPulseStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create (or refresh) a realistic demo store and print a portfolio summary."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var clock: ClockOptions
    @Option(help: "Seed of the generator; the same seed and --now give the same store.")
    var seed: UInt64 = 2026

    func run() async throws {
        let now = try clock.resolve()
        let ticketStore = try store.open()
        let stats = try DemoStoreBuilder(seed: seed).build(into: ticketStore, now: now)
        print("Demo store: \(store.path)")
        print("  \(stats.customers) customers, \(stats.staff) people, \(stats.tickets.formatted()) tickets over \(stats.days) days (\(stats.events.formatted()) history events)\n")
        let manager = DemoRoster.staff.first { $0.role == .manager }!
        let reply = try PortfolioSummaryAnswer().reply(for: manager, store: ticketStore, period: .trailing(days: 30, endingAt: now), now: now)
        print(TextRenderer().render(reply))
        print("\nTry: ticketpulse ask \"show support tickets for Acme\" --as \(manager.email)")
    }
}

/// Fills a store with the demo roster and generated tickets, replacing what was there.
struct DemoStoreBuilder {
    var seed: UInt64

    struct Stats {
        var customers: Int, staff: Int, tickets: Int, events: Int, days: Int
    }

    func build(into store: TicketStore, now: Date) throws -> Stats {
        let generator = DemoDataGenerator(seed: seed)
        let customers = DemoRoster.customers(now: now)
        try store.removeAllData()
        try store.upsertCSMs(DemoRoster.staff)
        try store.upsertCustomers(customers)
        try generator.generate(customers: customers, now: now) { tickets in
            try store.upsert(tickets, at: now)
        }
        return Stats(customers: customers.count, staff: DemoRoster.staff.count, tickets: try store.ticketCount(), events: try store.eventCount(), days: generator.days)
    }
}
