import GRDB
import TicketPulseStorage

extension SQLiteStore: StoreSchemaReporting {
    public func schemaStatus() async throws -> StoreSchemaStatus {
        try read { db in try Self.schemaStatus(db) }
    }

    static func schemaStatus(_ db: Database) throws -> StoreSchemaStatus {
        let migrator = StoreMigrations.migrator
        let known = migrator.migrations
        let unknown = try migrator.appliedIdentifiers(db).filter { !known.contains($0) }.sorted()
        return StoreSchemaStatus(applied: try migrator.appliedMigrations(db), known: known, unknown: unknown)
    }

    /// Refuses a store a newer build migrated. GRDB's migrator would open it silently
    /// (it only runs what is missing), and this build would then write rows without the
    /// columns and rules the newer schema has.
    static func refuseNewerSchema(_ writer: any DatabaseWriter) throws {
        let status = try writer.read { db in try schemaStatus(db) }
        guard status.unknown.isEmpty else { throw StoreSchemaTooNew(unknown: status.unknown, latestKnown: status.known.last) }
    }
}
