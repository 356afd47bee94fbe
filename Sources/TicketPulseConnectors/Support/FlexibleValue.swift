import Foundation

/// An id the source writes as a number or a string (Zendesk 64-bit integers, Salesforce
/// 18-character strings); kept as text.
struct FlexibleID: Decodable, Sendable, Hashable {
    var value: String

    init(_ value: String) { self.value = value }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let number = try? c.decode(Int64.self) { value = String(number) }
        else if let text = try? c.decode(String.self) { value = text }
        else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an id") }
    }
}

/// A custom field value of any JSON type, reduced to text for matching; nil, arrays
/// and objects carry no usable customer name.
struct FieldValue: Decodable, Sendable {
    var text: String?

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { text = nil }
        else if let value = try? c.decode(String.self) { text = value }
        else if let value = try? c.decode(Int64.self) { text = String(value) }
        else if let value = try? c.decode(Double.self) { text = String(value) }
        else if let value = try? c.decode(Bool.self) { text = String(value) }
        else { text = nil }
    }
}
