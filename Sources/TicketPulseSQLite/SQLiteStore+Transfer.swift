import Foundation
import GRDB
import TicketPulseStorage

/// `store copy` in and out of a SQLite file: rows as they are stored (booleans as 0/1,
/// JSON as text), ids kept.
extension SQLiteStore: StoreTransfer {
    public func transferRowCount(_ table: TransferTable) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0 }
    }

    public func exportRows(_ table: TransferTable, after: Int64?, offset: Int, limit: Int) throws -> [[TransferValue]] {
        let columns = table.columnNames.joined(separator: ", ")
        let order = table.orderBy.joined(separator: ", ")
        return try read { db in
            let rows: [Row]
            if let id = table.idColumn {
                rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table.name) WHERE \(id) > ? ORDER BY \(order) LIMIT ?", arguments: [after ?? Int64.min, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table.name) ORDER BY \(order) LIMIT ? OFFSET ?", arguments: [limit, offset])
            }
            return rows.map { row in
                table.columns.indices.map { index in
                    switch row[index] as DatabaseValue {
                    case let value where value.isNull: .null
                    case let value: switch value.storage {
                        case .int64(let number): table.columns[index].kind == .real ? .real(Double(number)) : .integer(number)
                        case .double(let number): .real(number)
                        case .string(let text): .text(text)
                        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                        case .null: .null
                        }
                    }
                }
            }
        }
    }

    public func importRows(_ rows: [[TransferValue]], into table: TransferTable) throws {
        guard !rows.isEmpty else { return }
        let sql = "INSERT INTO \(table.name) (\(table.columnNames.joined(separator: ", "))) VALUES (\(databaseQuestionMarks(count: table.columns.count)))"
        try write { db in
            let statement = try db.cachedStatement(sql: sql)
            for row in rows {
                try statement.execute(arguments: StatementArguments(row.map { value -> (any DatabaseValueConvertible)? in
                    switch value {
                    case .null: nil
                    case .integer(let number): number
                    case .real(let number): number
                    case .text(let text): text
                    }
                }))
            }
        }
    }

    public func removeAllRows(_ tables: [TransferTable]) throws {
        try write { db in
            for table in tables.reversed() { try db.execute(sql: "DELETE FROM \(table.name)") }
        }
    }

    /// Nothing to do: SQLite gives a new row the highest id plus one.
    public func finishImport(_ tables: [TransferTable]) throws {}
}
