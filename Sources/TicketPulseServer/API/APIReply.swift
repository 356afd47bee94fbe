import Foundation
import Hummingbird
import TicketPulseStorage

/// What an API handler answers: the response, and the customers whose data it showed or
/// touched, for the call's audit row.
public struct APIReply: Sendable {
    public var response: Response
    public var customers: [String]

    public init(response: Response, customers: [String]) {
        self.response = response
        self.customers = customers
    }

    /// Reports encode their own snake_case names; times are ISO 8601 UTC.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static func json(_ body: some Encodable, status: HTTPResponse.Status = .ok, customers: [String] = []) throws -> APIReply {
        let data = try encoder.encode(body)
        return APIReply(response: Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                                           body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))),
                        customers: customers)
    }

    /// A list as CSV (PRD-122's export): one row per item, the columns `columns` names in
    /// that order; nested values (counts by category, reasons) as their JSON text.
    public static func csv(_ items: [some Encodable], columns: [String], customers: [String] = []) throws -> APIReply {
        let decoder = JSONDecoder()
        let rows = try items.map { item -> [String] in
            let object = try decoder.decode([String: CSVCell].self, from: encoder.encode(item))
            return columns.map { object[$0]?.text ?? "" }
        }
        let text = CSVTable.text(header: columns, rows: rows)
        return APIReply(response: Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                                           body: ResponseBody(byteBuffer: ByteBuffer(string: text))),
                        customers: customers)
    }
}

/// A JSON value as one CSV cell: scalars as they read, a list of texts joined by "; "
/// (attention reasons). The lists exported hold nothing more nested.
private struct CSVCell: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = ""
        } else if let flag = try? container.decode(Bool.self) {
            text = flag ? "true" : "false"
        } else if let number = try? container.decode(Double.self) {
            text = number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        } else if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = try container.decode([String].self).joined(separator: "; ")
        }
    }
}
