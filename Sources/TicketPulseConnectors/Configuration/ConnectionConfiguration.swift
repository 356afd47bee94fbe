import Foundation
import TicketPulseCore

/// One configured support-system connection, as written under `connections:` in
/// `ticketpulse.yml`. Secrets are never in the file: the `*_env` keys name environment
/// variables that hold them.
public struct ConnectionConfiguration: Decodable, Sendable, Equatable {
    public var name: String
    public var system: SourceSystem
    public var baseURL: String?
    public var subdomain: String?
    public var domain: String?
    public var email: String?
    public var tokenEnv: String?
    /// Zendesk OAuth: the refresh token, exchanged at `POST /oauth/tokens` when the access
    /// token is rejected or expires (with `client_id_env` and `client_secret_env`).
    public var refreshTokenEnv: String?
    public var clientIDEnv: String?
    public var clientSecretEnv: String?
    public var webhookSecretEnv: String?
    public var pollIntervalSeconds: Int
    /// The source's custom field whose value names the customer (id, name or alias).
    public var customerFieldID: String?
    /// Source organization / account / company id → roster customer id.
    public var organizationMap: [String: String]
    /// Where the first historical import starts; nil imports everything the source keeps.
    public var importSince: Date?
    /// Prepended to external ids so two connections of one system cannot collide on
    /// (source, external id) in the store ("eu-" → "eu-4521").
    public var externalIDPrefix: String
    /// Intercom: the admin in whose name notes are written back.
    public var adminID: String?
    /// Salesforce: how far before the watermark each pass starts reading again, so rows
    /// whose transaction committed late are not missed.
    public var lookbackSeconds: Int
    /// Generic webhook: also accept the old signatures without a timestamp
    /// (`sha256=<hex HMAC of the body>`, `Authorization: Bearer <secret>`). Weaker: a
    /// captured delivery can be replayed whenever its delivery id has been forgotten.
    public var legacySignature: Bool

    public init(
        name: String, system: SourceSystem, baseURL: String? = nil, subdomain: String? = nil, domain: String? = nil,
        email: String? = nil, tokenEnv: String? = nil, refreshTokenEnv: String? = nil, clientIDEnv: String? = nil, clientSecretEnv: String? = nil,
        webhookSecretEnv: String? = nil, pollIntervalSeconds: Int = 300, customerFieldID: String? = nil,
        organizationMap: [String: String] = [:], importSince: Date? = nil, externalIDPrefix: String = "", adminID: String? = nil,
        lookbackSeconds: Int = 300, legacySignature: Bool = false
    ) {
        self.name = name
        self.system = system
        self.baseURL = baseURL
        self.subdomain = subdomain
        self.domain = domain
        self.email = email
        self.tokenEnv = tokenEnv
        self.refreshTokenEnv = refreshTokenEnv
        self.clientIDEnv = clientIDEnv
        self.clientSecretEnv = clientSecretEnv
        self.webhookSecretEnv = webhookSecretEnv
        self.pollIntervalSeconds = pollIntervalSeconds
        self.customerFieldID = customerFieldID
        self.organizationMap = organizationMap
        self.importSince = importSince
        self.externalIDPrefix = externalIDPrefix
        self.adminID = adminID
        self.lookbackSeconds = lookbackSeconds
        self.legacySignature = legacySignature
    }

    enum CodingKeys: String, CodingKey {
        case name, system, subdomain, domain, email
        case baseURL = "base_url"
        case tokenEnv = "token_env"
        case refreshTokenEnv = "refresh_token_env"
        case clientIDEnv = "client_id_env"
        case clientSecretEnv = "client_secret_env"
        case webhookSecretEnv = "webhook_secret_env"
        case pollIntervalSeconds = "poll_interval_seconds"
        case customerFieldID = "customer_field_id"
        case organizationMap = "organization_map"
        case importSince = "import_since"
        case externalIDPrefix = "external_id_prefix"
        case adminID = "admin_id"
        case lookbackSeconds = "lookback_seconds"
        case legacySignature = "legacy_signature"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        let systemWord = try c.decode(String.self, forKey: .system)
        guard let system = SourceSystem(rawValue: systemWord.lowercased()) else {
            throw DecodingError.dataCorruptedError(forKey: .system, in: c, debugDescription: "unknown system '\(systemWord)' (zendesk, intercom, salesforce, freshdesk, webhook)")
        }
        self.system = system
        baseURL = try c.decodeIfPresent(String.self, forKey: .baseURL)
        subdomain = try c.decodeIfPresent(String.self, forKey: .subdomain)
        domain = try c.decodeIfPresent(String.self, forKey: .domain)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        tokenEnv = try c.decodeIfPresent(String.self, forKey: .tokenEnv)
        refreshTokenEnv = try c.decodeIfPresent(String.self, forKey: .refreshTokenEnv)
        clientIDEnv = try c.decodeIfPresent(String.self, forKey: .clientIDEnv)
        clientSecretEnv = try c.decodeIfPresent(String.self, forKey: .clientSecretEnv)
        webhookSecretEnv = try c.decodeIfPresent(String.self, forKey: .webhookSecretEnv)
        pollIntervalSeconds = try c.decodeIfPresent(Int.self, forKey: .pollIntervalSeconds) ?? 300
        // YAML writers put numeric ids unquoted; both spellings mean the same field.
        customerFieldID = try c.decodeIfPresent(LenientString.self, forKey: .customerFieldID)?.value
        organizationMap = (try c.decodeIfPresent([String: LenientString].self, forKey: .organizationMap) ?? [:]).mapValues(\.value)
        if let since = try c.decodeIfPresent(String.self, forKey: .importSince) {
            guard let date = SourceDate.parse(since) else {
                throw DecodingError.dataCorruptedError(forKey: .importSince, in: c, debugDescription: "import_since must be an ISO 8601 date")
            }
            importSince = date
        } else {
            importSince = nil
        }
        externalIDPrefix = try c.decodeIfPresent(String.self, forKey: .externalIDPrefix) ?? ""
        adminID = try c.decodeIfPresent(LenientString.self, forKey: .adminID)?.value
        lookbackSeconds = try c.decodeIfPresent(Int.self, forKey: .lookbackSeconds) ?? 300
        guard lookbackSeconds >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .lookbackSeconds, in: c, debugDescription: "lookback_seconds must not be negative")
        }
        legacySignature = try c.decodeIfPresent(Bool.self, forKey: .legacySignature) ?? false
    }

    /// The API root, without a trailing slash.
    public var resolvedBaseURL: String? {
        var base: String?
        if let baseURL {
            base = baseURL
        } else {
            switch system {
            case .zendesk: base = subdomain.map { "https://\($0).zendesk.com" }
            case .freshdesk: base = domain.map { $0.contains(".") ? "https://\($0)" : "https://\($0).freshdesk.com" }
            case .intercom: base = "https://api.intercom.io"
            // The org's My Domain: "acme" → https://acme.my.salesforce.com.
            case .salesforce: base = domain.map { $0.contains(".") ? "https://\($0)" : "https://\($0).my.salesforce.com" }
            case .webhook: base = nil
            }
        }
        guard var result = base else { return nil }
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }

    public var pollInterval: Duration { .seconds(max(10, pollIntervalSeconds)) }
}

/// A YAML/JSON scalar read as text whatever its type.
struct LenientString: Decodable, Sendable {
    var value: String

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let text = try? c.decode(String.self) { value = text }
        else if let number = try? c.decode(Int64.self) { value = String(number) }
        else if let number = try? c.decode(Double.self) { value = String(number) }
        else if let flag = try? c.decode(Bool.self) { value = String(flag) }
        else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a scalar") }
    }
}
