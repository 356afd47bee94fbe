import Foundation

extension JSONValue {
    /// `bytes` read as a JSON document (a fragment too): two encoders' output compared by
    /// meaning, objects without order.
    init(parsing bytes: some Sequence<UInt8>) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    func member(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}
