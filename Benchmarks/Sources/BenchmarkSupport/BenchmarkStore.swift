import Foundation
import TicketPulseCore
import TicketPulseDemo
import TicketPulseSQLite
import TicketPulseStorage

/// The million-ticket store the query benchmarks read: 5,000 customers in books of 50,
/// a year of tickets. Built once into $TMPDIR and reused by later runs.
public enum BenchmarkStore {
    public static let now = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!
    public static let roster = SyntheticRoster(customerCount: 5_000, customersPerCSM: 50, now: now)
    public static let ticketTarget = 1_000_000
    public static let days = 365

    public static var path: String {
        (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/ticketpulse-bench-1m.sqlite"
    }

    /// Loads the roster and a million generated tickets into a new store at `path`, in
    /// transactions of about 10,000 tickets. Returns the ticket count.
    @discardableResult
    public static func load(into path: String, tickets: Int = ticketTarget) throws -> Int {
        try load(into: path, roster: roster, tickets: tickets)
    }

    /// The shared store, built on first use.
    public static func shared() throws -> SQLiteStore {
        if !FileManager.default.fileExists(atPath: path) { try load(into: path) }
        return try SQLiteStore(path: path)
    }
}
