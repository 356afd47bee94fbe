import Foundation
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStore

public enum ParserLoadingError: Error, CustomStringConvertible {
    case intentsNotFound

    public var description: String {
        "cannot find the intents/ folder; run from the repository or set TICKETPULSE_INTENTS_DIR"
    }
}

extension IntentParser {
    /// The parser over `intents/` with the given customers to resolve names against.
    public static func load(customers: [Customer], intentsDirectory: String? = nil) throws -> IntentParser {
        guard let directory = IntentCatalogue.locateDirectory(explicit: intentsDirectory) else { throw ParserLoadingError.intentsNotFound }
        return IntentParser(catalogue: try IntentCatalogue.load(directory: directory), customers: CustomerDirectory(customers: customers))
    }
}
