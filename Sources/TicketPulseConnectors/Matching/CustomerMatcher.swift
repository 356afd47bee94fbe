import Foundation
import TicketPulseCore

/// Ties tickets to roster customers (PRD-184 FR-3) and records which rule did it.
///
/// Order: the connection's organization map (ticketpulse.yml), then the mapping set through
/// the API (`PUT /api/integrations/zendesk/mapping`, kept in the store), then the
/// organization's own name, then the configured custom field, then the requester's email
/// domain. Explicit configuration
/// wins over the domain because resellers and contractors write from other companies'
/// domains. A ticket nothing matches keeps `customerID == nil` and is listed as unmatched.
public struct CustomerMatcher: Sendable {
    public enum Rule: String, Sendable {
        case organization
        /// The store's organization → customer mapping (set through the API).
        case organizationMapping = "organization_mapping"
        case customField = "custom_field"
        case domain
    }

    public var organizationMap: [String: String]
    /// The store's mapping for this source; the file's `organization_map` wins over it.
    public var organizationMapping: [String: String]
    public var customerFieldID: String?
    private var byID: [String: String] = [:]
    private var byName: [String: String] = [:]
    private var byDomain: [String: String] = [:]

    public init(customers: [Customer], organizationMap: [String: String] = [:], organizationMapping: [String: String] = [:], customerFieldID: String? = nil) {
        self.organizationMap = organizationMap
        self.organizationMapping = organizationMapping
        self.customerFieldID = customerFieldID
        for customer in customers {
            byID[customer.id.lowercased()] = customer.id
            for name in [customer.name] + customer.aliases {
                byName[Self.normalize(name)] = customer.id
            }
            for domain in customer.domains {
                byDomain[Self.normalizeDomain(domain)] = customer.id
            }
        }
    }

    public init(customers: [Customer], configuration: ConnectionConfiguration, organizationMapping: [String: String] = [:]) {
        self.init(customers: customers, organizationMap: configuration.organizationMap, organizationMapping: organizationMapping,
                  customerFieldID: configuration.customerFieldID)
    }

    /// The customer and rule for `source`, or nil.
    public func match(_ source: SourceTicket) -> (customerID: String, rule: Rule)? {
        if let org = source.organizationID, let mapped = organizationMap[org] {
            return (mapped, .organization)
        }
        if let org = source.organizationID, let mapped = organizationMapping[org] {
            return (mapped, .organizationMapping)
        }
        if let name = source.organizationName, let id = byName[Self.normalize(name)] {
            return (id, .organization)
        }
        if let field = customerFieldID, let value = source.customFields[field]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
            if let id = byID[value.lowercased()] ?? byName[Self.normalize(value)] { return (id, .customField) }
        }
        if let email = source.ticket.requesterEmail, let id = customer(forEmail: email) {
            return (id, .domain)
        }
        return nil
    }

    /// The ticket with customer and rule set when a rule matches; a ticket the source
    /// already tied to a customer (generic webhook) is left alone.
    public func apply(_ source: SourceTicket) -> Ticket {
        var ticket = source.ticket
        guard ticket.customerID == nil, let (customer, rule) = match(source) else { return ticket }
        ticket.customerID = customer
        ticket.matchRule = rule.rawValue
        return ticket
    }

    /// Subdomains count: "eu.acme.com" matches a customer with domain "acme.com".
    func customer(forEmail email: String) -> String? {
        guard let at = email.lastIndex(of: "@") else { return nil }
        var domain = Self.normalizeDomain(String(email[email.index(after: at)...]))
        while !domain.isEmpty {
            if let id = byDomain[domain] { return id }
            guard let dot = domain.firstIndex(of: ".") else { break }
            domain = String(domain[domain.index(after: dot)...])
            if !domain.contains(".") { break }
        }
        return nil
    }

    static func normalize(_ name: String) -> String {
        name.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    static func normalizeDomain(_ domain: String) -> String {
        var text = domain.lowercased().trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("@") { text.removeFirst() }
        if text.hasPrefix("www.") { text.removeFirst(4) }
        return text
    }
}
