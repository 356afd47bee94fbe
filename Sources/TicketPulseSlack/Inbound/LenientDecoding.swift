import Foundation

// Slack adds fields and reuses names with other shapes across event types (`user` is a
// string in a message and an object in `user_change`); reading them leniently keeps an
// unknown event an ignorable one instead of a 400.
extension KeyedDecodingContainer {
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}

enum SlackJSON {
    static func decode<T: Decodable>(_ type: T.Type, from body: some Collection<UInt8>) throws(SlackDecodingError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw .malformedJSON(String(describing: error))
        }
    }

    private static func describe(_ error: DecodingError) -> SlackDecodingError {
        switch error {
        case .keyNotFound(let key, let context):
            .missingField((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))
        case .valueNotFound(_, let context) where context.codingPath.isEmpty:
            .notAnObject
        case .valueNotFound(_, let context):
            .missingField(context.codingPath.map(\.stringValue).joined(separator: "."))
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            .notAnObject
        case .typeMismatch(_, let context), .dataCorrupted(let context):
            .malformedJSON(context.debugDescription)
        @unknown default:
            .malformedJSON(String(describing: error))
        }
    }
}
