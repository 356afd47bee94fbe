import Foundation

/// A source that can show, with one cheap authenticated request, that its credentials
/// work: what `ticketpulse doctor` asks of every configured connection.
public protocol CredentialChecking: Sendable {
    /// Who the credentials belong to, as the source says ("agent bot@acme.example").
    /// Throws `ConnectorError` (401/403 as `.unauthorized`) or `CredentialCheckInconclusive`.
    func checkCredentials() async throws -> String
}

/// The check could not tell without changing something (a refresh that would invalidate
/// the tokens a running server holds): a warning, not a failure.
public struct CredentialCheckInconclusive: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension ConnectorFactory {
    /// Builds `configuration`'s client as `serve` does and makes its one cheap request. A
    /// missing variable throws `ConnectorConfigurationError`; rejected credentials throw
    /// `ConnectorError.credentialsRejected` with the same fix a failing sync gives.
    public static func checkCredentials(
        of configuration: ConnectionConfiguration, environment: [String: String], http: ConnectorHTTPClient,
        credentials: (any ConnectionCredentialStore)? = nil
    ) async throws -> String {
        let secrets = try ConnectionSecrets(configuration: configuration, environment: environment)
        let (source, _) = try client(for: configuration, secrets: secrets, http: http, credentials: credentials)
        guard let checking = source as? any CredentialChecking else {
            return "webhook only: nothing to call" + (secrets.webhookSecret == nil ? "" : "; its secret is set")
        }
        do {
            return try await checking.checkCredentials()
        } catch {
            throw CredentialAdvice.explained(error, configuration)
        }
    }
}

extension ConnectorResponse {
    /// The body as `T`, or `malformedResponse` naming what was read.
    func decoded<T: Decodable>(_: T.Type, what: String) throws -> T {
        do {
            return try JSONDecoder.sourceDecoder.decode(T.self, from: Data(body))
        } catch {
            throw ConnectorError.malformedResponse("\(what): \(error)")
        }
    }
}
