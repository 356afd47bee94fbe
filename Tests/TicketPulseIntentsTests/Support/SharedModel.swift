import Foundation
import Testing
import TicketPulseDemo
@testable import TicketPulseIntents

/// One model trained on `intents/` for the whole test process: training is the slow part,
/// and it does not depend on the customers.
enum SharedModel {
    static let model: IntentModel = {
        let directory = IntentCatalogue.locateDirectory(explicit: nil)!
        return IntentModel(catalogue: try! IntentCatalogue.load(directory: directory))
    }()

    static let reference = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!

    /// A parser over the demo roster.
    static func demoParser() -> IntentParser {
        IntentParser(model: model, customers: CustomerDirectory(customers: DemoRoster.customers(now: reference)))
    }
}
