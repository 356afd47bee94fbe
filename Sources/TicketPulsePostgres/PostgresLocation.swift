import Foundation
import Logging
import PostgresNIO

/// Where a PostgreSQL store is: a `postgres://user:pass@host:port/db` URL, parsed once.
/// `description` never shows the password, so error messages and logs can name it.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// `sslmode` from the query string: disable, prefer (the default) or require.
    public var tlsMode: String

    /// Whether `text` names a PostgreSQL server rather than a file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(url text: String) throws {
        guard Self.isURL(text), let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw PostgresStoreError.badURL(Self.redacted(text))
        }
        self.host = host
        port = components.port ?? 5432
        username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : path
        tlsMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(tlsMode) else {
            throw PostgresStoreError.badURL(Self.redacted(text) + " (sslmode must be disable, prefer or require)")
        }
    }

    /// The URL's server, with `password` (from the environment) when the URL has none.
    public init(url text: String, password: String?) throws {
        try self.init(url: text)
        if self.password == nil { self.password = password }
    }

    /// The URL with the password left out.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)" + (tlsMode == "prefer" ? "" : "?sslmode=\(tlsMode)")
    }

    /// The same server, another database (tests create one each).
    public func database(_ name: String) -> PostgresLocation {
        var location = self
        location.database = name
        return location
    }

    /// A store location as given (a path, or a URL with or without a password) fit to
    /// print or log: a URL's password is replaced.
    public static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound < at else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    var tls: PostgresClient.Configuration.TLS {
        switch tlsMode {
        case "disable": .disable
        case "require": .require(.makeClientConfiguration())
        default: .prefer(.makeClientConfiguration())
        }
    }

    var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    var connectionConfiguration: PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch tlsMode {
        case "disable": .disable
        case "require": .require(try! .init(configuration: .makeClientConfiguration()))
        default: .prefer(try! .init(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }
}

extension PostgresLocation {
    /// One connection outside the pool for `body` (migrations, creating databases), closed
    /// after it. Failing to connect is `unreachable`, naming the server without the password.
    func withSingleConnection(logger: Logger, _ body: (PostgresConnection) async throws -> Void) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: connectionConfiguration, id: 0, logger: logger)
        } catch {
            throw PostgresStoreError.unreachable(location: description, reason: PostgresStoreError.describe(error))
        }
        do {
            try await body(connection)
            try? await connection.close()
        } catch {
            try? await connection.close()
            if let error = error as? PostgresStoreError { throw error }
            throw PostgresStoreError.server(PostgresStoreError.describe(error))
        }
    }
}
