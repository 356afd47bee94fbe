import Foundation
import TicketPulseAnswers
import TicketPulseIntents
import TicketPulseStorage

/// The intent parser, rebuilt when the customers change, so that customers imported while
/// the server runs (by `import` on this machine, or by any replica sharing the store) become
/// recognisable without a restart. Whether they changed is one small read of the store's
/// roster version, made at most every `checkInterval`, not a reload of the customers.
actor ParserProvider {
    private let store: any Store
    private let intentsDirectory: String?
    private let now: @Sendable () -> Date
    private var cached: (parser: IntentParser, rosterVersion: Int64?)?
    private var checkedAt: Date?
    static let checkInterval: TimeInterval = 5

    /// `initial`, when given, is the parser built at start-up (so that no question waits for
    /// the model to train), for the roster as it was then.
    init(store: any Store, intentsDirectory: String?, now: @escaping @Sendable () -> Date, initial: (parser: IntentParser, rosterVersion: Int64?)? = nil) {
        self.store = store
        self.intentsDirectory = intentsDirectory
        self.now = now
        cached = initial
        checkedAt = initial.map { _ in now() }
    }

    /// Builds the start-up parser, with the roster version it was built from (nil when the
    /// version could not be read: the first check then rebuilds).
    static func initial(store: any Store, intentsDirectory: String?) async -> (parser: IntentParser, rosterVersion: Int64?)? {
        let version = try? await store.rosterVersion()
        guard let customers = try? await store.customers(), let parser = try? IntentParser.load(customers: customers, intentsDirectory: intentsDirectory) else { return nil }
        return (parser, version)
    }

    func parser() async throws -> IntentParser {
        let at = now()
        if let cached, let checkedAt, at.timeIntervalSince(checkedAt) < Self.checkInterval { return cached.parser }
        // Read before the customers: a change committed in between is seen at the next check.
        let version = try? await store.rosterVersion()
        checkedAt = at
        if let cached, let version, cached.rosterVersion == version { return cached.parser }
        let parser = try IntentParser.load(customers: try await store.customers(), intentsDirectory: intentsDirectory)
        cached = (parser, version)
        return parser
    }
}
