import Foundation
import TicketPulseCore

/// How alerts, messages and grouping state are kept as JSON in the store; the pipeline
/// encodes its live messages with the same ones, so what it writes every backend can read.
public enum StoreJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    package static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension OutboxMessage {
    /// An alert's message keys are relative to the alert; absolute ones (`alert:7/post/…`,
    /// another alert's post to thread under) and alert-less ones (digests) stay as they are.
    public static func storeKey(_ key: String, alertID: Int64?) -> String {
        // Live messages (`live:…`) belong to a person and a customer, not to one alert.
        guard let alertID, !key.hasPrefix("alert:"), !key.hasPrefix("live:") else { return key }
        return "alert:\(alertID)/\(key)"
    }
}

extension AlertTicket {
    /// The key `AlertStore.resolvedTickets` answers with.
    public var storeKey: String { reference }
}
