/// The `email:` section of ticketpulse.yml, read and checked.
///
/// ```yaml
/// email:
///   host: smtp.example.com
///   port: 587                     # default: 587 (starttls), 465 (tls), 25 (none)
///   security: starttls            # starttls | tls | none (none: loopback hosts only)
///   from: "TicketPulse <ticketpulse@example.com>"
///   username: ticketpulse@example.com
///   password_env: TICKETPULSE_SMTP_PASSWORD   # the variable holding the password (this is the default)
///   helo_name: bot.example.com    # default: this machine's host name
/// ```
public struct EmailSettings: Sendable {
    public static let defaultPasswordVariable = "TICKETPULSE_SMTP_PASSWORD"

    public var host: String
    public var port: Int
    public var security: SMTPConfiguration.Security
    public var from: EmailAddress
    public var username: String?
    /// The environment variable the password is read from.
    public var passwordVariable: String
    /// Its value when the configuration was read; nil when unset or empty.
    public var password: String?
    public var heloName: String?

    /// The client's configuration. Throws, naming the variable, when a username is set and
    /// its password is not: only what sends email needs it, so reading the file does not.
    public func clientConfiguration() throws(EmailSettingsError) -> SMTPConfiguration {
        var credentials: SMTPConfiguration.Credentials?
        if let username {
            guard let password else {
                throw EmailSettingsError("email.password_env: \(passwordVariable) is not set (email.username \(username) needs a password)")
            }
            credentials = .init(username: username, password: password)
        }
        return SMTPConfiguration(host: host, port: port, security: security, credentials: credentials, heloName: heloName)
    }

    /// Checks `file` and reads the password from `environment`; errors name the key.
    public init(file: File, environment: [String: String]) throws(EmailSettingsError) {
        guard let host = file.host?.trimmingWhitespace(), !host.isEmpty else { throw EmailSettingsError("email.host: required (the SMTP submission server)") }
        guard !host.contains(where: { $0 == " " || $0 == "/" }) else { throw EmailSettingsError("email.host: '\(host)' is not a host name") }
        self.host = host
        let securityName = file.security?.trimmingWhitespace().lowercased() ?? SMTPConfiguration.Security.startTLS.rawValue
        guard let security = SMTPConfiguration.Security(rawValue: securityName) else {
            throw EmailSettingsError("email.security: '\(securityName)' is not one of starttls, tls, none")
        }
        // Clear text is for a server on this machine; anywhere else the password and the
        // customers' data would cross the network readable.
        guard security != .none || SMTPConfiguration.isLoopback(host) else {
            throw EmailSettingsError("email.security: none is only allowed for a loopback host (127.0.0.1, ::1, localhost), not \(host); use starttls or tls")
        }
        self.security = security
        if let text = file.port?.trimmingWhitespace() {
            guard let port = Int(text), (1...65535).contains(port) else { throw EmailSettingsError("email.port: '\(text)' is not a port number (1–65535)") }
            self.port = port
        } else {
            port = security.defaultPort
        }
        guard let fromText = file.from, !fromText.trimmingWhitespace().isEmpty else {
            throw EmailSettingsError("email.from: required (the sender, e.g. \"TicketPulse <ticketpulse@example.com>\")")
        }
        do {
            from = try EmailAddress(parsing: fromText)
        } catch {
            throw EmailSettingsError("email.from: \(error)")
        }
        let username = file.username?.trimmingWhitespace()
        self.username = (username?.isEmpty ?? true) ? nil : username
        let variable = file.password_env?.trimmingWhitespace() ?? Self.defaultPasswordVariable
        guard !variable.isEmpty, variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw EmailSettingsError("email.password_env: '\(variable)' is not an environment variable name")
        }
        passwordVariable = variable
        password = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        let helo = file.helo_name?.trimmingWhitespace()
        if let helo, helo.isEmpty || helo.contains(" ") { throw EmailSettingsError("email.helo_name: '\(helo)' is not a host name") }
        heloName = helo
    }

    /// The section as written. Everything is read as text so that a bad value gets an error
    /// naming its key, not the YAML decoder's; unknown keys are refused, since a misspelt
    /// one would otherwise be dropped and the setting silently not apply.
    public struct File: Decodable, Sendable {
        public var host: String?
        public var port: String?
        public var security: String?
        public var from: String?
        public var username: String?
        public var password_env: String?
        public var helo_name: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case host, port, security, from, username, password_env, helo_name
        }

        public init(host: String? = nil, port: String? = nil, security: String? = nil, from: String? = nil, username: String? = nil, password_env: String? = nil, helo_name: String? = nil) {
            self.host = host
            self.port = port
            self.security = security
            self.from = from
            self.username = username
            self.password_env = password_env
            self.helo_name = helo_name
        }

        public init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue).sorted()
            let known = CodingKeys.allCases.map(\.rawValue)
            if let unknown = keys.first(where: { !known.contains($0) }) {
                throw EmailSettingsError("email.\(unknown): unknown key (\(known.joined(separator: ", ")))")
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func text(_ key: CodingKeys) throws -> String? {
                do {
                    return try container.decodeIfPresent(String.self, forKey: key)
                } catch {
                    throw EmailSettingsError("email.\(key.rawValue): expected a single value")
                }
            }
            host = try text(.host)
            port = try text(.port)
            security = try text(.security)
            from = try text(.from)
            username = try text(.username)
            password_env = try text(.password_env)
            helo_name = try text(.helo_name)
        }

        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }
}

public struct EmailSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
