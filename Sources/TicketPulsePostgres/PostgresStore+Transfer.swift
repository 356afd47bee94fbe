import Foundation
import PostgresNIO
import TicketPulseStorage

/// `store copy` in and out of PostgreSQL: rows in the shared shape (booleans as 0/1, JSON
/// as text), ids kept, then each identity continued after the highest id copied.
extension PostgresStore: StoreTransfer {
    public func transferRowCount(_ table: TransferTable) async throws -> Int {
        try await read { db in try await db.scalar(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table.name)"), as: Int.self, logger: self.logger) ?? 0 }
    }

    public func exportRows(_ table: TransferTable, after: Int64?, offset: Int, limit: Int) async throws -> [[TransferValue]] {
        let columns = table.columns.map { column in
            switch column.kind {
            case .json, .jsonb: "\(column.name)::text"
            case .boolean: "\(column.name)::int"
            default: column.name
            }
        }.joined(separator: ", ")
        // Text keys in byte order, as SQLite sorts them, so offsets page the same way.
        let order = table.orderBy.map { "\($0)" + (table.idColumn == nil ? " COLLATE \"C\"" : "") }.joined(separator: ", ")
        var sql = PostgresSQL("SELECT \(columns) FROM \(table.name) ")
        if let id = table.idColumn {
            sql.append("WHERE \(id) > \(sql.bind(after ?? Int64.min)) ORDER BY \(order) LIMIT \(sql.bind(limit))")
        } else {
            sql.append("ORDER BY \(order) LIMIT \(sql.bind(limit)) OFFSET \(sql.bind(offset))")
        }
        let query = sql.query
        return try await read { db in
            try await db.rows(query, logger: self.logger).map { row in
                let cells = row.makeRandomAccess()
                return try table.columns.indices.map { index -> TransferValue in
                    switch table.columns[index].kind {
                    case .integer: try cells[index].decode(Int64?.self).map(TransferValue.integer) ?? .null
                    case .boolean: try cells[index].decode(Int32?.self).map { .integer(Int64($0)) } ?? .null
                    case .real: try cells[index].decode(Double?.self).map(TransferValue.real) ?? .null
                    case .text, .json, .jsonb: try cells[index].decode(String?.self).map(TransferValue.text) ?? .null
                    }
                }
            }
        }
    }

    public func importRows(_ rows: [[TransferValue]], into table: TransferTable) async throws {
        guard !rows.isEmpty else { return }
        // Batches of rows per statement, under PostgreSQL's 65,535 parameters.
        let perStatement = max(1, 30_000 / table.columns.count)
        try await write { db in
            for start in stride(from: 0, to: rows.count, by: perStatement) {
                var sql = PostgresSQL("INSERT INTO \(table.name) (\(table.columnNames.joined(separator: ", "))) VALUES ")
                var tuples: [String] = []
                for row in rows[start..<min(start + perStatement, rows.count)] {
                    let values = zip(row, table.columns).map { value, column -> String in
                        let placeholder: String = switch value {
                        case .null: sql.bind(String?.none)
                        case .integer(let number): sql.bind(number)
                        case .real(let number): sql.bind(number)
                        case .text(let text): sql.bind(text)
                        }
                        return switch column.kind {
                        case .integer: "\(placeholder)::bigint"
                        case .real: "\(placeholder)::double precision"
                        case .text: "\(placeholder)::text"
                        case .boolean: "(\(placeholder)::bigint <> 0)"
                        case .json: "\(placeholder)::text::json"
                        case .jsonb: "\(placeholder)::text::jsonb"
                        }
                    }
                    tuples.append("(" + values.joined(separator: ", ") + ")")
                }
                sql.append(tuples.joined(separator: ", "))
                // Copied ids are kept: identity columns are BY DEFAULT, so explicit values are taken.
                try await db.run(sql.query, logger: self.logger)
            }
        }
    }

    public func removeAllRows(_ tables: [TransferTable]) async throws {
        try await write { db in
            try await db.run(PostgresQuery(unsafeSQL: "TRUNCATE " + tables.map(\.name).joined(separator: ", ") + " RESTART IDENTITY"), logger: self.logger)
        }
    }

    public func finishImport(_ tables: [TransferTable]) async throws {
        try await write { db in
            for table in tables {
                guard let id = table.idColumn else { continue }
                try await db.run(PostgresQuery(unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('\(table.name)', '\(id)'), COALESCE((SELECT MAX(\(id)) FROM \(table.name)), 0) + 1, false)
                    """), logger: self.logger)
            }
        }
    }
}
