import Foundation
import TicketPulseCore
import TicketPulseDemo
import TicketPulseSQLite
import TicketPulseStorage

/// The store the detector benchmark reads (issue 6): a million tickets over 10,000
/// customers in books of 50, a year of history, seed 42. Twice the customers of the query
/// store, so a full detector pass is measured over the roster size the issue names.
/// Built once into $TMPDIR and reused by later runs; delete the file to rebuild it.
public enum DetectorBenchmarkStore {
    public static let now = BenchmarkStore.now
    public static let roster = SyntheticRoster(customerCount: 10_000, customersPerCSM: 50, now: now)
    public static let ticketTarget = 1_000_000

    public static var path: String {
        (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/ticketpulse-bench-1m-10k.sqlite"
    }

    /// The shared store, built on first use. Returns whether it had to be built.
    public static func shared() throws -> (store: SQLiteStore, built: Bool) {
        var built = false
        if !FileManager.default.fileExists(atPath: path) {
            try BenchmarkStore.load(into: path, roster: roster, tickets: ticketTarget)
            built = true
        }
        return (try SQLiteStore(path: path), built)
    }
}

extension BenchmarkStore {
    /// Loads `roster` and `tickets` generated tickets (seed 42, a year) into a new store at
    /// `path` (replacing any), in transactions of about 10,000 tickets, built by
    /// `SQLiteStore.build` (indexes created after the load). Returns the ticket count.
    @discardableResult
    public static func load(into path: String, roster: SyntheticRoster, tickets: Int) throws -> Int {
        let store = try SQLiteStore.build(at: path) { staged in
            try staged.upsertCSMs(roster.staff)
            try staged.upsertCustomers(roster.customers)
            // The generator's volume is approximate: aim 2% high and stop at exactly `tickets`.
            let scale = roster.volumeScale(forTickets: tickets, days: days) * 1.02
            let generator = DemoDataGenerator(seed: 42, days: days, volumeScale: scale, plantScenarios: false)
            var buffer: [Ticket] = []
            buffer.reserveCapacity(11_000)
            var remaining = tickets
            try generator.generate(customers: roster.customers, now: now) { generated in
                let taken = generated.prefix(remaining)
                remaining -= taken.count
                buffer += taken
                if buffer.count >= 10_000 {
                    try staged.upsert(buffer, at: now)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try staged.upsert(buffer, at: now)
        }
        return try store.ticketCount()
    }
}
