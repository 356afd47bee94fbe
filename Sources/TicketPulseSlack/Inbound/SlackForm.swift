import Foundation

/// An `application/x-www-form-urlencoded` body, as Slack sends slash commands and
/// interactions.
public struct SlackForm: Sendable, Equatable {
    /// Fields in body order; a repeated name keeps its first value.
    public private(set) var fields: [(name: String, value: String)]

    public init(parsing body: some Collection<UInt8>) throws(SlackDecodingError) {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .malformedForm("the body is not UTF-8")
        }
        fields = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            fields.append((name, value))
        }
    }

    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Encodes fields the way a browser would: for test clients and Web API form calls.
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    public static func == (lhs: SlackForm, rhs: SlackForm) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._*")

    private static func escape(_ text: String) -> String {
        (text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text)
            .replacingOccurrences(of: "%20", with: "+")
    }

    private static func decode(_ raw: Substring) throws(SlackDecodingError) -> String {
        // `+` means space only before percent-decoding; an encoded `%2B` stays a plus.
        let spaced = raw.replacingOccurrences(of: "+", with: " ")
        guard let decoded = spaced.removingPercentEncoding else {
            throw .malformedForm("bad percent-encoding in `\(raw.prefix(40))`")
        }
        return decoded
    }
}
