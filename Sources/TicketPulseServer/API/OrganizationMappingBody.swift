import Foundation

/// The body of `PUT /api/integrations/zendesk/mapping`: `{"mappings": [{"organization_id",
/// "customer_id"}, …]}` or `{"mappings": {"<organization_id>": "<customer_id>"}}` (a bare
/// list or map is taken too). Organization ids may be numbers, as Zendesk writes them.
enum OrganizationMappingBody {
    struct Problem: Error, Equatable {
        var code: String
        var message: String
    }

    /// Organization id → customer id, or the first problem, naming where it is.
    static func parse(_ body: Any, customerIDs: Set<String>) -> Result<[String: String], Problem> {
        let list: Any = (body as? [String: Any]).flatMap { $0["mappings"] } ?? body
        var pairs: [(at: String, organization: Any?, customer: Any?)] = []
        if let entries = list as? [Any] {
            for (index, entry) in entries.enumerated() {
                guard let object = entry as? [String: Any] else {
                    return .failure(Problem(code: "invalid_parameter", message: "mappings[\(index)]: must be an object with organization_id and customer_id"))
                }
                pairs.append(("mappings[\(index)]", object["organization_id"], object["customer_id"]))
            }
        } else if let map = list as? [String: Any], (body as? [String: Any])?["mappings"] != nil || (!map.isEmpty && !map.keys.contains("organization_id")) {
            // A bare `{}` is refused rather than read as "no mappings": clearing them all takes `{"mappings": {}}`.
            for (organization, customer) in map.sorted(by: { $0.key < $1.key }) {
                pairs.append(("mappings.\(organization)", organization, customer))
            }
        } else {
            return .failure(Problem(code: "invalid_parameter", message: "mappings: required, a list of {organization_id, customer_id} or a map of organization id to customer id"))
        }
        var mappings: [String: String] = [:]
        for pair in pairs {
            guard let organization = text(pair.organization), !organization.isEmpty else {
                return .failure(Problem(code: "invalid_parameter", message: "\(pair.at).organization_id: required, a Zendesk organization id"))
            }
            guard let customer = pair.customer as? String, !customer.isEmpty else {
                return .failure(Problem(code: "invalid_parameter", message: "\(pair.at).customer_id: required, a customer id of the roster"))
            }
            guard customerIDs.contains(customer) else {
                return .failure(Problem(code: "unknown_customer", message: "\(pair.at).customer_id: no customer '\(customer)' in the roster"))
            }
            if let earlier = mappings[organization], earlier != customer {
                return .failure(Problem(code: "invalid_parameter", message: "\(pair.at).organization_id: organization \(organization) is mapped twice ('\(earlier)' and '\(customer)')"))
            }
            mappings[organization] = customer
        }
        return .success(mappings)
    }

    /// An id written as a string or a whole number.
    private static func text(_ value: Any?) -> String? {
        if let string = value as? String { return string.trimmingCharacters(in: .whitespaces) }
        // JSON's true and false are NSNumbers too, told apart by their type code ("c"); `is Bool` holds for 0 and 1 as well.
        if let number = value as? NSNumber, String(cString: number.objCType) != "c", number.doubleValue == number.doubleValue.rounded() {
            return String(number.int64Value)
        }
        return nil
    }
}
