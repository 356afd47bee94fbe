import Foundation
import TicketPulseCore

/// What identifies one generic-webhook delivery, for recognising it when it comes again.
public struct WebhookDeliveryKeys: Sendable, Equatable {
    public var connection: String
    /// The signed request itself (its timestamped MAC): seen before means someone replays
    /// a captured request. nil when the signature form has no timestamp.
    public var signature: String?
    /// The sender's delivery id: seen before means the sender sent the same change again.
    public var deliveryID: String?
    /// Keys received before this are forgotten: a request signed that long ago is refused
    /// by its timestamp anyway.
    public var forgetBefore: Date

    public init(connection: String, signature: String?, deliveryID: String?, forgetBefore: Date) {
        self.connection = connection
        self.signature = signature
        self.deliveryID = deliveryID
        self.forgetBefore = forgetBefore
    }
}

/// What storing a webhook delivery did.
public enum WebhookDeliveryResult: Sendable, Equatable {
    case stored([UpsertResult])
    /// The same signed request was received before: nothing was changed.
    case replayed
    /// The same delivery id was received before: nothing was changed.
    case duplicate
}
