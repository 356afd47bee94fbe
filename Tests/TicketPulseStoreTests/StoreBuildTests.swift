import Foundation
import GRDB
import Testing
import TicketPulseCore
@testable import TicketPulseSQLite
import TicketPulseStorage

/// `SQLiteStore.build(at:)`: a store loaded with its tickets' indexes created afterwards must
/// be the store the same upserts give, and a load that fails must change nothing.
@Suite("SQLite store build")
struct StoreBuildTests {
    let now = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!

    /// Tickets customer by customer, each customer's spread over the same months, some
    /// resolved, rated, escalated or unmatched: every deferred index has entries.
    func tickets() -> [Ticket] {
        (0..<6).flatMap { customer in
            (0..<40).map { n in
                let created = now.addingTimeInterval(-Double((n * 7 + customer * 3) % 90) * 86_400 - Double(n) * 60)
                var ticket = Ticket(source: n % 3 == 0 ? .intercom : .zendesk, externalID: "\(customer)-\(n)",
                                    customerID: n % 11 == 0 ? nil : "cus_\(customer)", subject: "ticket \(n)",
                                    status: n % 4 == 0 ? .open : .solved, priority: .p3, createdAt: created)
                if ticket.status == .solved {
                    ticket.solvedAt = created.addingTimeInterval(3_600)
                    if n % 2 == 0 { ticket.csat = CSATRating(score: n % 5 + 1, rawValue: "\(n % 5 + 1)", comment: nil, ratedAt: created.addingTimeInterval(7_200)) }
                }
                if n % 9 == 0 { ticket.escalation = Escalation(reason: "exec ask", level: 1, escalatedAt: created.addingTimeInterval(600)) }
                if n % 5 == 0 { ticket.organizationID = "org-\(customer)" }
                return ticket
            }
        }
    }

    func withDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tp-build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    /// Everything but where SQLite put each tree: the same tables, indexes and SQL.
    func schema(_ store: SQLiteStore) throws -> [String] {
        try store.read { db in try String.fetchAll(db, sql: "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name") }
    }

    func contents(_ store: SQLiteStore) throws -> [[DatabaseValue]] {
        try store.read { db in
            try (Row.fetchAll(db, sql: "SELECT * FROM tickets ORDER BY id") + Row.fetchAll(db, sql: "SELECT * FROM ticket_events ORDER BY id")).map { Array($0.databaseValues) }
        }
    }

    @Test("A built store holds what the same upserts write, with the same schema and every index")
    func sameStore() throws {
        try withDirectory { directory in
            let reference = try SQLiteStore(path: directory.appendingPathComponent("reference.sqlite").path)
            let path = directory.appendingPathComponent("built.sqlite").path
            let tickets = tickets()
            for customer in stride(from: 0, to: tickets.count, by: 40) { try reference.upsert(Array(tickets[customer..<customer + 40]), at: now) }
            let built = try SQLiteStore.build(at: path) { store in
                #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'tickets' AND sql IS NOT NULL AND type = 'index'") } == 0,
                        "the load runs without the tickets' secondary indexes")
                for customer in stride(from: 0, to: tickets.count, by: 40) { try store.upsert(Array(tickets[customer..<customer + 40]), at: now) }
            }
            #expect(try schema(built) == schema(reference))
            #expect(try schema(built).contains { $0.hasPrefix("index tickets_customer_latest_activity: CREATE INDEX") })
            #expect(try contents(built) == contents(reference))
            #expect(try built.ticketCount() == tickets.count)
            #expect(try built.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } == ["ok"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".building") }.isEmpty,
                    "nothing staged is left beside the store")
        }
    }

    @Test("A load that fails leaves the store already at the path as it was, and nothing staged")
    func failedLoad() throws {
        struct LoadFailed: Error {}
        try withDirectory { directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            let reference = try SQLiteStore(path: directory.appendingPathComponent("reference.sqlite").path)
            let tickets = tickets()
            do {
                let existing = try SQLiteStore(path: path)
                try existing.upsert(Array(tickets.prefix(10)), at: now)
            }
            #expect(throws: LoadFailed.self) {
                _ = try SQLiteStore.build(at: path) { store in
                    try store.upsert(tickets, at: now)
                    throw LoadFailed()
                }
            }
            let reopened = try SQLiteStore(path: path)
            #expect(try reopened.ticketCount() == 10)
            #expect(try schema(reopened) == schema(reference), "every index is still there")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".building") }.isEmpty)
        }
    }

    @Test("Building over an existing store replaces it whole")
    func replaces() throws {
        try withDirectory { directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            let tickets = tickets()
            do {
                let existing = try SQLiteStore(path: path)
                try existing.upsert(Array(tickets.prefix(10)), at: now)
            }
            let built = try SQLiteStore.build(at: path) { store in try store.upsert(Array(tickets.suffix(5)), at: now) }
            #expect(try built.ticketCount() == 5)
            #expect(try built.ticket(source: tickets[0].source, externalID: tickets[0].externalID) == nil)
        }
    }
}
