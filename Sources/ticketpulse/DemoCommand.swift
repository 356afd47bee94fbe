import ArgumentParser
import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseDemo
import TicketPulseStorage

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
        try await store.withStore { ticketStore in
            let stats = try await DemoStoreBuilder(seed: seed).build(into: ticketStore, now: now)
            print("Demo store: \(store.display)")
            print("  \(stats.customers) customers, \(stats.staff) people, \(stats.tickets.formatted()) tickets over \(stats.days) days (\(stats.events.formatted()) history events)\n")
            let manager = DemoRoster.staff.first { $0.role == .manager }!
            let reply = try await PortfolioSummaryAnswer().reply(for: manager, store: ticketStore, period: .trailing(days: 30, endingAt: now), now: now)
            print(TextRenderer().render(reply))
            print("\nTry: ticketpulse ask \"show support tickets for Acme\" --as \(manager.email)")
        }
    }
}

/// Fills a store with the demo roster and generated tickets, replacing what was there.
struct DemoStoreBuilder {
    var seed: UInt64

    struct Stats {
        var customers: Int, staff: Int, tickets: Int, events: Int, days: Int
    }

    func build(into store: any Store, now: Date) async throws -> Stats {
        let generator = DemoDataGenerator(seed: seed)
        let customers = DemoRoster.customers(now: now)
        try await store.removeAllData()
        try await store.upsertCSMs(DemoRoster.staff)
        try await store.upsertCustomers(customers)
        // Generated per customer (a few thousand tickets in all), stored a customer at a time.
        var batches: [[Ticket]] = []
        generator.generate(customers: customers, now: now) { batches.append($0) }
        for tickets in batches { try await store.upsert(tickets, at: now) }
        return Stats(customers: customers.count, staff: DemoRoster.staff.count, tickets: try await store.ticketCount(), events: try await store.eventCount(), days: generator.days)
    }
}
