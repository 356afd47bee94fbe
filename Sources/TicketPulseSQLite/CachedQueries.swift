import GRDB

// The queries an answer runs (who is asking, their scope, the customer, the tickets, the
// data's freshness, the audit row) run hundreds of times a second under load. Preparing
// each one again every time (SQLite's parser and planner, and GRDB's authorizer, which
// inspects every column a statement reads) cost more than running it. These fetch through
// the connection's statement cache instead: the same SQL text is prepared once per
// connection. Only for SQL whose text repeats: a query built with a varying number of
// `?` (an IN list) is cached once per length, which stays small.

extension Row {
    static func cachedAll(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func cachedOne(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
    static func cachedOne(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension Database {
    /// Runs a cached write statement (an INSERT that every answer makes).
    func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
