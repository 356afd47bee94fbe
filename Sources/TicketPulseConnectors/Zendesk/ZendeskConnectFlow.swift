import Crypto
import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Connecting a Zendesk account with OAuth 2.0's authorization-code flow (PRD-184 FR-1):
/// `start` makes the authorize URL for a subdomain with a signed, expiring `state`;
/// `complete` (the callback) checks that state, spends it, exchanges the code at the
/// account's `/oauth/tokens`, stores the connection with its tokens and hands it to the
/// runtime, whose stored connections' service begins the historical import at once.
public struct ZendeskConnectFlow: Sendable {
    public struct Authorization: Sendable, Equatable {
        public var authorizeURL: String
        public var connection: String
        public var subdomain: String
        public var expiresAt: Date
    }

    public struct Connected: Sendable, Equatable {
        public var connection: StoredConnection
        /// Why the connection does not run (its import waits for the fix); nil when it runs.
        public var setupError: String?
    }

    /// What the caller asked that cannot be done; nothing was stored.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// A missing or bad parameter (400).
        case invalid(parameter: String, message: String)
        /// The name or the account is connected already (409).
        case conflict(String)
        /// A state this server did not sign, changed, expired or used before (400).
        case invalidState(String)
        /// Zendesk did not exchange the code (502).
        case exchangeFailed(String)

        public var description: String {
            switch self {
            case .invalid(let parameter, let message): "\(parameter): \(message)"
            case .conflict(let message), .invalidState(let message), .exchangeFailed(let message): message
            }
        }
    }

    /// The intent the state's nonce is claimed under (`AuditStore.claimConfirmation`).
    static let stateIntent = "zendesk_oauth_state"

    public let settings: ZendeskOAuthSettings
    let runtime: ConnectorRuntime
    let makeNonce: @Sendable () -> String

    public init(settings: ZendeskOAuthSettings, runtime: ConnectorRuntime, makeNonce: @escaping @Sendable () -> String = Self.randomNonce) {
        self.settings = settings
        self.runtime = runtime
        self.makeNonce = makeNonce
    }

    public static func randomNonce() -> String {
        ConnectState.base64URL(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) })
    }

    // MARK: Connect

    /// The authorize URL for `subdomain` ("acme" or "acme.zendesk.com"); `name` defaults to
    /// `zendesk-<subdomain>`; `externalIDPrefix` to none for the first Zendesk account and
    /// `<subdomain>-` for any further one, so that two accounts' ticket numbers stay apart.
    public func start(subdomain rawSubdomain: String?, name: String?, externalIDPrefix: String?, admin: String) async throws -> Authorization {
        let subdomain = try Self.subdomain(rawSubdomain)
        // Another replica may have connected one since this one last read the store.
        try await runtime.loadStoredConnections()
        let name = name ?? "zendesk-\(subdomain)"
        guard ConnectionsFile.isValidName(name) else {
            throw Failure.invalid(parameter: "name", message: "'\(name)' must be letters, digits, '-' or '_'")
        }
        try checkFree(name: name, subdomain: subdomain)
        let zendesk = runtime.connections.filter { $0.configuration.system == .zendesk }
        let prefix = externalIDPrefix ?? (zendesk.isEmpty ? "" : "\(subdomain)-")
        guard prefix.isEmpty || ConnectionsFile.isValidName(prefix) else {
            throw Failure.invalid(parameter: "external_id_prefix", message: "'\(prefix)' must be letters, digits, '-' or '_'")
        }
        let expiresAt = runtime.now().addingTimeInterval(settings.stateLifetime)
        let state = ConnectState(subdomain: subdomain, connection: name, externalIDPrefix: prefix, nonce: makeNonce(),
                                 expires: Int(expiresAt.timeIntervalSince1970), admin: admin)
        let token: String
        do {
            token = try state.signed(secret: settings.stateSecret)
        } catch {
            throw Failure.invalid(parameter: "subdomain", message: "cannot be encoded: \(error)")
        }
        let query = [
            ("response_type", "code"), ("client_id", settings.clientID), ("redirect_uri", settings.redirectURI),
            ("scope", settings.scope), ("state", token),
        ].map { "\($0.0)=\($0.1.queryEscaped)" }.joined(separator: "&")
        return Authorization(authorizeURL: "\(settings.baseURL(subdomain: subdomain))/oauth/authorizations/new?\(query)",
                             connection: name, subdomain: subdomain, expiresAt: Date(timeIntervalSince1970: TimeInterval(state.expires)))
    }

    // MARK: Callback

    /// The admin who started the flow `token` belongs to, when this server signed it and it
    /// has not expired (whether it was used is `complete`'s to say): the callback's caller,
    /// since the browser Zendesk sends back carries no API token.
    public func admin(ofState token: String?) throws -> String {
        guard let token, !token.isEmpty else { throw Failure.invalid(parameter: "state", message: "required") }
        do {
            return try ConnectState.verified(token, secret: settings.stateSecret, now: runtime.now()).admin
        } catch {
            throw Failure.invalidState(error.description)
        }
    }

    /// Creates the connection `state` describes with the tokens `code` is exchanged for.
    /// A bad state is refused before anything else, and nothing is stored unless the
    /// exchange succeeded; the state cannot be used twice, whatever the outcome.
    public func complete(code: String?, state token: String?, admin: String) async throws -> Connected {
        guard let token, !token.isEmpty else { throw Failure.invalid(parameter: "state", message: "required") }
        guard let code, !code.isEmpty else { throw Failure.invalid(parameter: "code", message: "required") }
        let state: ConnectState
        do {
            state = try ConnectState.verified(token, secret: settings.stateSecret, now: runtime.now())
        } catch {
            throw Failure.invalidState(error.description)
        }
        guard try await runtime.store.claimConfirmation(nonce: "\(Self.stateIntent):\(state.nonce)", actor: admin, intent: Self.stateIntent, at: runtime.now()) else {
            throw Failure.invalidState("the state was used already; start the connection again")
        }
        try await runtime.loadStoredConnections()
        try checkFree(name: state.connection, subdomain: state.subdomain)
        let endpoint = ZendeskTokenEndpoint(baseURL: settings.baseURL(subdomain: state.subdomain),
                                            client: .init(id: settings.clientID, secret: settings.clientSecret), http: runtime.http, now: runtime.now)
        let tokens: OAuthTokens
        do {
            tokens = try await endpoint.exchange(.authorizationCode(code: code, redirectURI: settings.redirectURI, scope: settings.scope), chain: nil)
        } catch ZendeskTokenEndpoint.Failure.refused(let what) {
            throw Failure.exchangeFailed("Zendesk refused the authorization code (\(what)); start the connection again")
        } catch ZendeskTokenEndpoint.Failure.noAccessToken {
            throw Failure.exchangeFailed("Zendesk's token answer has no access_token")
        } catch let error as ConnectorError {
            throw Failure.exchangeFailed("Zendesk's /oauth/tokens could not be reached: \(error)")
        }
        let connection = StoredConnection(
            name: state.connection, system: .zendesk, subdomain: state.subdomain, baseURL: settings.storedBaseURL(subdomain: state.subdomain),
            externalIDPrefix: state.externalIDPrefix, createdAt: runtime.now(), createdBy: state.admin
        )
        do {
            try await runtime.store.addStoredConnection(connection, credentials: try StoreConnectorStateStore.encoded(tokens),
                                                        credentialsKey: StoreConnectorStateStore.credentialsKey(connection.name))
        } catch let exists as StoredConnectionExists {
            throw Failure.conflict(exists.description)
        }
        let running = await runtime.add(connection)
        return Connected(connection: connection, setupError: running?.setupError)
    }

    // MARK: Checks

    /// "acme", "ACME" or "acme.zendesk.com" → "acme".
    static func subdomain(_ raw: String?) throws(Failure) -> String {
        guard var text = raw?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty else {
            throw .invalid(parameter: "subdomain", message: "required: the account's subdomain (acme for acme.zendesk.com)")
        }
        if text.hasSuffix(".zendesk.com") { text.removeLast(".zendesk.com".count) }
        let allowed = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        guard allowed, text.count <= 63, text.first != "-", text.last != "-" else {
            throw .invalid(parameter: "subdomain", message: "'\(raw ?? "")' is not a Zendesk subdomain (letters, digits and '-')")
        }
        return text
    }

    /// Refuses a name or an account another connection has (the file's, or the store's).
    private func checkFree(name: String, subdomain: String) throws(Failure) {
        let taken = runtime.connections.map { ($0.name, $0.configuration.system == .zendesk ? $0.configuration.subdomain : nil, $0.origin.rawValue) }
            + runtime.shadowedStoredConnections.map { ($0.name, Optional($0.subdomain), ConnectorRuntime.Origin.store.rawValue) }
        if let clash = taken.first(where: { $0.0 == name }) {
            throw .conflict("a connection named '\(name)' exists already (\(clash.2))")
        }
        if let clash = taken.first(where: { $0.1 == subdomain }) {
            throw .conflict("\(subdomain).zendesk.com is connected already as '\(clash.0)' (\(clash.2))")
        }
    }
}
