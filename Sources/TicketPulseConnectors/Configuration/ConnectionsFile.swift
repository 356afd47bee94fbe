import Foundation
import Yams

/// The `connections:` list of `ticketpulse.yml`, checked as a whole: every error names the
/// connection and the key, so a typo shows at start-up instead of as a failing sync.
public enum ConnectionsFile {
    private struct File: Decodable {
        var connections: [ConnectionConfiguration]?
    }

    /// The connections in `yaml` (other top-level keys are ignored); `source` names the
    /// file in errors.
    public static func parse(yaml: String, source: String = "ticketpulse.yml") throws -> [ConnectionConfiguration] {
        let connections: [ConnectionConfiguration]
        do {
            connections = try YAMLDecoder().decode(File.self, from: yaml).connections ?? []
        } catch let error as DecodingError {
            throw ConnectionsFileError(source: source, detail: describe(error))
        } catch {
            throw ConnectionsFileError(source: source, detail: "\(error)")
        }
        try validate(connections, source: source)
        return connections
    }

    public static func load(path: String) throws -> [ConnectionConfiguration] {
        let expanded = (path as NSString).expandingTildeInPath
        guard let text = try? String(contentsOfFile: expanded, encoding: .utf8) else {
            throw ConnectionsFileError(source: path, detail: "cannot read the file")
        }
        return try parse(yaml: text, source: path)
    }

    /// Per-system required keys, unique names that are safe in a URL path.
    public static func validate(_ connections: [ConnectionConfiguration], source: String = "ticketpulse.yml") throws {
        var seen: Set<String> = []
        for (index, connection) in connections.enumerated() {
            let at = "connections[\(index)]"
            func fail(_ key: String, _ message: String) -> ConnectionsFileError {
                ConnectionsFileError(source: source, detail: "\(at).\(key) (\(connection.name)): \(message)")
            }
            guard isValidName(connection.name) else {
                throw ConnectionsFileError(source: source, detail: "\(at).name: '\(connection.name)' must be letters, digits, '-' or '_' (it is part of the webhook URL)")
            }
            guard seen.insert(connection.name).inserted else { throw fail("name", "another connection has this name") }
            if let base = connection.baseURL {
                guard let url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil else {
                    throw fail("base_url", "'\(base)' is not an http(s) URL")
                }
            }
            guard connection.pollIntervalSeconds >= 10 else { throw fail("poll_interval_seconds", "must be at least 10") }
            if connection.legacySignature && connection.system != .webhook {
                throw fail("legacy_signature", "only the generic webhook (system: webhook) has a legacy signature form")
            }
            switch connection.system {
            case .zendesk:
                guard connection.resolvedBaseURL != nil else { throw fail("subdomain", "required (or base_url)") }
                if connection.refreshTokenEnv != nil {
                    // OAuth with refresh: the access token may be left out (the first call refreshes).
                    guard connection.email == nil else { throw fail("email", "an email means an API token; leave it out with refresh_token_env (OAuth)") }
                    guard connection.clientIDEnv != nil else { throw fail("client_id_env", "required with refresh_token_env: the variable holding the OAuth client's unique identifier") }
                    guard connection.clientSecretEnv != nil else { throw fail("client_secret_env", "required with refresh_token_env: the variable holding the OAuth client's secret") }
                } else {
                    guard connection.tokenEnv != nil else { throw fail("token_env", "required: the variable holding the API token (with email) or OAuth access token") }
                }
            case .freshdesk:
                guard connection.resolvedBaseURL != nil else { throw fail("domain", "required (or base_url)") }
                guard connection.tokenEnv != nil else { throw fail("token_env", "required: the variable holding the API key") }
            case .intercom:
                guard connection.tokenEnv != nil else { throw fail("token_env", "required: the variable holding the access token") }
            case .salesforce:
                guard connection.resolvedBaseURL != nil else { throw fail("domain", "required: the org's My Domain (or base_url)") }
                let clientCredentials = connection.clientIDEnv != nil && connection.clientSecretEnv != nil
                guard clientCredentials || connection.tokenEnv != nil else {
                    throw fail("client_id_env", "client_id_env and client_secret_env are required (the connected app's key and secret)")
                }
            case .webhook:
                guard connection.webhookSecretEnv != nil else { throw fail("webhook_secret_env", "required: the variable holding the shared secret") }
            }
        }
    }

    /// Letters, digits, '-' and '_': a connection's name is part of its webhook URL.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { text, key in
                if let index = key.intValue { return text + "[\(index)]" }
                return text.isEmpty ? key.stringValue : text + "." + key.stringValue
            }
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): required key is missing"
        case .typeMismatch(_, let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "\(path(context.codingPath)): value is missing"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

public struct ConnectionsFileError: Error, Equatable, CustomStringConvertible {
    public var source: String
    public var detail: String
    public var description: String { "\(source): \(detail)" }
}
