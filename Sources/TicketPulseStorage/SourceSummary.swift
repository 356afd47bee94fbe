import Foundation
import TicketPulseCore

/// How much data the store holds and how fresh it is, for answers' small print.
public struct SourceSummary: Sendable, Equatable {
    /// The newest change seen per source system.
    public var newestUpdateBySource: [String: Date]

    public init(newestUpdateBySource: [String: Date]) { self.newestUpdateBySource = newestUpdateBySource }

    public var newestUpdate: Date? { newestUpdateBySource.values.max() }
}
