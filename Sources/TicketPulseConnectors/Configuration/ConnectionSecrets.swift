import Foundation

/// The secrets of one connection, read from the environment variables its configuration names.
public struct ConnectionSecrets: Sendable, Equatable {
    public var token: String?
    public var refreshToken: String?
    public var clientID: String?
    public var clientSecret: String?
    public var webhookSecret: String?
    /// The tokens the connect flow obtained (a stored connection's), instead of variables.
    public var authorizedTokens: OAuthTokens?

    public init(token: String? = nil, refreshToken: String? = nil, clientID: String? = nil, clientSecret: String? = nil, webhookSecret: String? = nil,
                authorizedTokens: OAuthTokens? = nil) {
        self.authorizedTokens = authorizedTokens
        self.token = token
        self.refreshToken = refreshToken
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.webhookSecret = webhookSecret
    }

    /// Fails when a named variable is unset, so a typo shows at start-up rather than as
    /// 401s at the first sync.
    public init(configuration: ConnectionConfiguration, environment: [String: String]) throws {
        func lookup(_ name: String?) throws -> String? {
            guard let name, !name.isEmpty else { return nil }
            guard let value = environment[name], !value.isEmpty else {
                throw ConnectorConfigurationError.missingSecret(connection: configuration.name, variable: name)
            }
            return value
        }
        token = try lookup(configuration.tokenEnv)
        refreshToken = try lookup(configuration.refreshTokenEnv)
        clientID = try lookup(configuration.clientIDEnv)
        clientSecret = try lookup(configuration.clientSecretEnv)
        webhookSecret = try lookup(configuration.webhookSecretEnv)
    }
}

public enum ConnectorConfigurationError: Error, Equatable, CustomStringConvertible {
    case missingSecret(connection: String, variable: String)
    case missingSetting(connection: String, key: String)
    case unsupported(connection: String, reason: String)

    public var description: String {
        switch self {
        case .missingSecret(let connection, let variable): "connection '\(connection)': environment variable \(variable) is not set"
        case .missingSetting(let connection, let key): "connection '\(connection)': '\(key)' is required"
        case .unsupported(let connection, let reason): "connection '\(connection)': \(reason)"
        }
    }
}
