/// A mailbox: an address with an optional display name ("Mike Chen <mike.chen@example.com>").
///
/// Checked when made, so nothing later can put a CR or LF into a header or an SMTP command
/// (header and command injection) or send an address the envelope cannot carry: without
/// SMTPUTF8 an address is ASCII, so a non-ASCII address is refused here rather than mangled.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// `local@domain`, as it goes into `MAIL FROM:<…>` / `RCPT TO:<…>`.
    public let address: String
    /// Shown by mail readers; any Unicode (encoded as RFC 2047 when it is not plain ASCII).
    public let name: String?

    public init(_ address: String, name: String? = nil) throws(EmailAddressError) {
        let address = address.trimmingWhitespace()
        guard address.utf8.count <= 254 else { throw EmailAddressError("'\(address.prefix(40))…': an address is at most 254 characters") }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw EmailAddressError("'\(address)' is not an email address (local@domain)")
        }
        // Printable ASCII without space and the characters that end or delimit an address in
        // a header or command; quoted local parts are not supported (nobody uses them here).
        let forbidden: Set<Character> = ["<", ">", "(", ")", ",", ";", ":", "\\", "\"", "[", "]"]
        guard address.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 }), !address.contains(where: forbidden.contains) else {
            throw EmailAddressError("'\(address)' has characters an address cannot carry (spaces, control characters, non-ASCII or <>()[],;:\\\")")
        }
        guard !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains("..") else {
            throw EmailAddressError("'\(address)': the domain '\(parts[1])' is malformed")
        }
        let name = name?.trimmingWhitespace()
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        if let name, name.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw EmailAddressError("the display name of \(address) has a line break")
        }
        self.address = address
        self.name = (name?.isEmpty ?? true) ? nil : name
    }

    /// Parses `Name <local@domain>`, `"Name" <local@domain>` or a bare `local@domain`
    /// (how people write a From address in a configuration file).
    public init(parsing text: String) throws(EmailAddressError) {
        let text = text.trimmingWhitespace()
        guard text.hasSuffix(">"), let open = text.lastIndex(of: "<") else {
            try self.init(text)
            return
        }
        let address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var name = String(text[..<open]).trimmingWhitespace()
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast())
        }
        try self.init(address, name: name)
    }

    /// The domain part, used to make Message-IDs unique to the sender.
    public var domain: Substring { address[address.index(after: address.firstIndex(of: "@")!)...] }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address }
}

public struct EmailAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
