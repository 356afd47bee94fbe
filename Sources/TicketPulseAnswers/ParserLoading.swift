import Foundation
import Synchronization
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStorage

public enum ParserLoadingError: Error, CustomStringConvertible {
    case intentsNotFound

    public var description: String {
        "cannot find the intents/ folder; run from the repository or set TICKETPULSE_INTENTS_DIR"
    }
}

extension IntentParser {
    /// Trained models by intents folder: training is the slow part of start-up and does not
    /// depend on the customers, so a server that refreshes its roster, or a test suite that
    /// builds many parsers, trains once.
    private static let models = Mutex<[String: IntentModel]>([:])

    /// The parser over `intents/` with the given customers to resolve names against.
    public static func load(customers: [Customer], intentsDirectory: String? = nil) throws -> IntentParser {
        IntentParser(model: try model(intentsDirectory: intentsDirectory), customers: CustomerDirectory(customers: customers))
    }

    /// The trained model of the intents folder, trained on first use.
    public static func model(intentsDirectory: String? = nil) throws -> IntentModel {
        guard let directory = IntentCatalogue.locateDirectory(explicit: intentsDirectory) else { throw ParserLoadingError.intentsNotFound }
        let key = directory.standardizedFileURL.path
        if let model = models.withLock({ $0[key] }) { return model }
        let model = IntentModel(catalogue: try IntentCatalogue.load(directory: directory))
        models.withLock { $0[key] = model }
        return model
    }
}
