import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

/// Imports the roster CSVs. A file is validated whole before anything is written, and
/// written in one transaction: a bad row leaves the store exactly as it was.
extension SQLiteStore {
    public func importCustomers(csv: String, fileName: String) throws -> RosterImportSummary {
        let rows = try RosterImport.customerRows(csv: csv, fileName: fileName)
        return try write { db in
            let knownCSMs = Set(try String.fetchAll(db, sql: "SELECT email FROM csms").map { $0.lowercased() })
            let customers = try RosterImport.customers(rows, knownCSMs: knownCSMs)
            let existing = Set(try String.fetchAll(db, sql: "SELECT id FROM customers"))
            try Self.upsertCustomers(customers, in: db)
            let updated = customers.filter { existing.contains($0.id) }.count
            return RosterImportSummary(inserted: customers.count - updated, updated: updated)
        }
    }

    public func importCSMs(csv: String, fileName: String) throws -> RosterImportSummary {
        let rows = try RosterImport.csmRows(csv: csv, fileName: fileName)
        return try write { db in
            let known = Set(try String.fetchAll(db, sql: "SELECT email FROM csms").map { $0.lowercased() })
            let csms = try RosterImport.csms(rows, known: known)
            let updated = csms.filter { known.contains($0.email) }.count
            try Self.upsertCSMs(csms, in: db)
            return RosterImportSummary(inserted: csms.count - updated, updated: updated)
        }
    }
}
