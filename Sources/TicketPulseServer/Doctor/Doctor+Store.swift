import TicketPulseStorage

extension Doctor {
    static let storeTitle = "Store"

    /// Opens the store as `serve` does (which migrates an older one) and reads its schema
    /// version; a store a newer build migrated is refused by the open itself.
    func checkStore(_ configuration: AppConfiguration) async -> (DoctorLine, (any Store)?) {
        let path = configuration.databasePath
        let store: any Store
        do {
            store = try await dependencies.openStore(configuration)
        } catch {
            if let tooNew = error as? StoreSchemaTooNew {
                return (DoctorLine(.failed, Self.storeTitle, "cannot open \(path): \(tooNew.problem)", fix: tooNew.fix), nil)
            }
            return (DoctorLine(.failed, Self.storeTitle, "cannot open \(path): \(error)",
                               fix: "check the path (--db, store.path in the configuration, or TICKETPULSE_DB) and that the user TicketPulse runs as may create and write files in its directory"), nil)
        }
        guard let reporting = store as? any StoreSchemaReporting else {
            return (DoctorLine(.warning, Self.storeTitle, "\(path) opens; this backend does not report its schema version"), store)
        }
        do {
            let schema = try await reporting.schemaStatus()
            guard schema.isCurrent else {
                let missing = schema.known.filter { !schema.applied.contains($0) }
                return (DoctorLine(.failed, Self.storeTitle, "\(path) opens but its schema is at \(schema.version ?? "nothing"), missing \(missing.joined(separator: ", "))",
                                   fix: "let `ticketpulse serve` start once with this build (it migrates the store), then run doctor again"), store)
            }
            return (DoctorLine(.passed, Self.storeTitle, "\(path) opens; schema \(schema.version ?? "empty") (this build's latest, \(schema.known.count) migrations)"), store)
        } catch {
            return (DoctorLine(.failed, Self.storeTitle, "\(path) opens but its schema cannot be read: \(error)",
                               fix: "the file may be damaged: restore it from a backup"), store)
        }
    }
}
