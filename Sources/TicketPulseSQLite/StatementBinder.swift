import Foundation
import GRDB
import GRDBSQLite

/// Binds values straight into a prepared statement and steps it. A sync or bulk load binds
/// tens of millions of values; going through `StatementArguments` allocates for each one,
/// which cost more than SQLite's own insert work. Only for INSERT/UPDATE statements that
/// no GRDB observer watches.
struct StatementBinder {
    private let owner: Statement
    private let statement: SQLiteStatement
    private var index: Int32 = 0
    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    init(_ statement: Statement) {
        owner = statement
        self.statement = statement.sqliteStatement
        sqlite3_reset(self.statement)
    }

    /// Runs the statement once with what was bound.
    func run(in db: Database) throws {
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(statement)
            // `Statement.sql` is costly to build: only on the error path.
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: owner.sql)
        }
        sqlite3_reset(statement)
    }

    mutating func bind(_ text: String?) {
        index += 1
        if let text { sqlite3_bind_text(statement, index, text, -1, Self.transient) } else { sqlite3_bind_null(statement, index) }
    }

    mutating func bind(_ number: Int?) {
        index += 1
        if let number { sqlite3_bind_int64(statement, index, Int64(number)) } else { sqlite3_bind_null(statement, index) }
    }

    mutating func bind(_ number: Int64) {
        index += 1
        sqlite3_bind_int64(statement, index, number)
    }

    mutating func bind(_ date: Date?) {
        index += 1
        if let date { sqlite3_bind_double(statement, index, date.storeValue) } else { sqlite3_bind_null(statement, index) }
    }

    mutating func bind(_ flag: Bool) {
        index += 1
        sqlite3_bind_int64(statement, index, flag ? 1 : 0)
    }
}
