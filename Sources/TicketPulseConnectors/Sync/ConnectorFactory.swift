import Foundation
import TicketPulseCore

/// Builds the client of a configured connection.
public enum ConnectorFactory {
    /// The read and write sides of `configuration`; the generic webhook has nothing to
    /// poll and nothing to write back to.
    /// `credentials` keeps the OAuth tokens a connection refreshes (Zendesk).
    public static func client(
        for configuration: ConnectionConfiguration, secrets: ConnectionSecrets, http: ConnectorHTTPClient,
        credentials: (any ConnectionCredentialStore)? = nil
    ) throws -> (source: any TicketSource, writer: (any NoteWriter)?) {
        switch configuration.system {
        case .zendesk:
            let client = try ZendeskClient(configuration: configuration, secrets: secrets, http: http, now: http.now, credentials: credentials)
            return (client, client)
        case .freshdesk:
            let client = try FreshdeskClient(configuration: configuration, secrets: secrets, http: http)
            return (client, client)
        case .intercom:
            let client = try IntercomClient(configuration: configuration, secrets: secrets, http: http)
            return (client, client)
        case .webhook:
            return (WebhookOnlySource(), nil)
        case .salesforce:
            let client = try SalesforceClient(configuration: configuration, secrets: secrets, http: http)
            return (client, client)
        }
    }
}
