import Foundation
import TicketPulseAnswers
import TicketPulseIntents
import TicketPulseStorage

/// The intent parser, rebuilt at most once a minute so that customers imported while the
/// server runs become recognisable without a restart.
actor ParserProvider {
    private let store: any Store
    private let intentsDirectory: String?
    private let now: @Sendable () -> Date
    private var cached: (parser: IntentParser, builtAt: Date)?
    static let refreshInterval: TimeInterval = 60

    /// `initial`, when given, is the parser of the first minute (built at start-up, so that
    /// no question waits for the model to train).
    init(store: any Store, intentsDirectory: String?, now: @escaping @Sendable () -> Date, initial: IntentParser? = nil) {
        self.store = store
        self.intentsDirectory = intentsDirectory
        self.now = now
        cached = initial.map { ($0, now()) }
    }

    func parser() async throws -> IntentParser {
        if let cached, now().timeIntervalSince(cached.builtAt) < Self.refreshInterval { return cached.parser }
        let parser = try IntentParser.load(customers: try await store.customers(), intentsDirectory: intentsDirectory)
        cached = (parser, now())
        return parser
    }
}
