import Foundation
import TicketPulseCore

/// A CSM action waiting to be written back to its support system.
public struct StoredWriteback: Sendable, Equatable {
    public var id: Int64
    public var source: SourceSystem
    public var externalID: String
    public var kind: TicketAction.Kind
    public var actor: String
    public var body: String
    public var attempts: Int

    public init(id: Int64, source: SourceSystem, externalID: String, kind: TicketAction.Kind, actor: String, body: String, attempts: Int = 0) {
        self.id = id
        self.source = source
        self.externalID = externalID
        self.kind = kind
        self.actor = actor
        self.body = body
        self.attempts = attempts
    }
}
