import Foundation

extension SalesforceClient: CredentialChecking {
    /// `GET /services/data/vXX.X/limits`: cheap (it does not count against the daily API
    /// budget it reports), and it needs a working token, which the client-credentials flow
    /// fetches first, so a wrong key or secret shows too.
    public func checkCredentials() async throws -> String {
        let response = try await send { ConnectorRequest(url: "\(baseURL)/services/data/\(Self.apiVersion)/limits", headers: [$0]) }
        let limits = try response.decoded(SalesforceLimits.self, what: "Salesforce limits")
        guard let daily = limits.DailyApiRequests, let max = daily.Max, let remaining = daily.Remaining else { return "API access works" }
        return "API access works; \(max - remaining) of \(max) daily API requests used"
    }
}

/// `GET /services/data/vXX.X/limits`: each limit as `{"Max": …, "Remaining": …}`.
struct SalesforceLimits: Decodable {
    struct Limit: Decodable {
        var Max: Int?
        var Remaining: Int?
    }
    var DailyApiRequests: Limit?
}
