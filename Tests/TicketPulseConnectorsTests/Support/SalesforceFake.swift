import Foundation
import Synchronization
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseTestSupport

/// The fake Salesforce org: OAuth client credentials, SOQL over `fixtures/salesforce/cases.json`
/// (the `WHERE SystemModstamp …` forms the client sends, `ORDER BY SystemModstamp, Id`),
/// two rows per batch chained by `nextRecordsUrl` query locators, `/query` hiding deleted
/// rows and `/queryAll` returning them, private CaseComments, and `Sforce-Limit-Info`.
final class SalesforceFake: Sendable {
    static let clientID = "3MVG9FakeConnectedAppKey"
    static let clientSecret = "fake-consumer-secret"
    static let batchSize = 2
    static let queryPath = "/services/data/v60.0/queryAll"

    private struct State {
        var tokensIssued = 0
        var validToken: String?
        var includeLateCommit = false
        var locators: [String: (path: String, condition: String?, offset: Int)] = [:]
        var nextLocator = 0
        var apiCalls = 0
    }

    private let state = Mutex(State())

    var tokensIssued: Int { state.withLock { $0.tokensIssued } }

    /// Adds the row of `case_late_commit.json`: committed late, stamped before rows already read.
    func commitLateRow() { state.withLock { $0.includeLateCommit = true } }

    /// Salesforce drops idle query locators after about 15 minutes.
    func expireLocators() { state.withLock { $0.locators = [:] } }

    static func configuration(_ url: String) -> ConnectionConfiguration {
        ConnectionConfiguration(
            name: "salesforce", system: .salesforce, baseURL: url, clientIDEnv: "SF_CLIENT_ID", clientSecretEnv: "SF_CLIENT_SECRET",
            customerFieldID: "Customer_Key__c", organizationMap: ["0015g00000GlobexAA": "globex"]
        )
    }

    static let secrets = ConnectionSecrets(clientID: clientID, clientSecret: clientSecret)

    var handler: @Sendable (FakeServer.Call) -> FakeServer.Reply {
        { call in self.answer(call) }
    }

    private func answer(_ call: FakeServer.Call) -> FakeServer.Reply {
        if call.method == "POST", call.path == "/services/oauth2/token" { return token(call) }
        let (authorized, calls) = state.withLock { state -> (Bool, Int) in
            state.apiCalls += 1
            return (state.validToken != nil && call.headers["authorization"] == "Bearer \(state.validToken!)", state.apiCalls)
        }
        guard authorized else { return Self.error(401, "salesforce/error_session_expired.json") }
        let limits = ["Sforce-Limit-Info": "api-usage=\(calls)/15000"]
        switch (call.method, call.path) {
        case ("GET", "/services/data/v60.0/query"), ("GET", Self.queryPath):
            guard let soql = call.query["q"], soql.hasPrefix("SELECT "), soql.contains(" FROM Case") else { return Self.error(400, "salesforce/error_invalid_query_locator.json") }
            let condition = Self.condition(soql)
            if soql.contains(" WHERE "), condition == nil {
                return FakeServer.Reply(status: 400, headers: [:], body: Array(#"[{"errorCode":"MALFORMED_QUERY","message":"unexpected token"}]"#.utf8))
            }
            return batch(path: call.path, condition: condition, offset: 0, headers: limits)
        case ("GET", let path) where path.hasPrefix("/services/data/v60.0/query/"):
            let locator = String(path.dropFirst("/services/data/v60.0/query/".count))
            guard let open = state.withLock({ $0.locators.removeValue(forKey: locator) }) else {
                return Self.error(400, "salesforce/error_invalid_query_locator.json")
            }
            return batch(path: open.path, condition: open.condition, offset: open.offset, headers: limits)
        case ("POST", "/services/data/v60.0/sobjects/CaseComment"):
            return FakeServer.Reply(status: 201, headers: ["Content-Type": "application/json"].merging(limits) { a, _ in a }, body: Fixtures.bytes("salesforce/casecomment_created.json"))
        default:
            return FakeServer.Reply(status: 404, headers: [:], body: Array(#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#.utf8))
        }
    }

    private func token(_ call: FakeServer.Call) -> FakeServer.Reply {
        var form: [String: String] = [:]
        for pair in String(decoding: call.body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if parts.count == 2 { form[parts[0]] = parts[1] }
        }
        guard form["grant_type"] == "client_credentials", form["client_id"] == Self.clientID, form["client_secret"] == Self.clientSecret else {
            return FakeServer.Reply(status: 400, headers: ["Content-Type": "application/json"], body: Array(#"{"error":"invalid_client","error_description":"invalid client credentials"}"#.utf8))
        }
        let issued = state.withLock { state -> String in
            state.tokensIssued += 1
            state.validToken = "00D5g000004FakeOrg!token-\(state.tokensIssued)"
            return state.validToken!
        }
        var object = (try? JSONSerialization.jsonObject(with: Fixtures.data("salesforce/oauth_token.json"))) as? [String: Any] ?? [:]
        object["access_token"] = issued
        return .json((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    /// One batch of the rows `condition` selects, from `offset`, with a locator for the rest.
    private func batch(path: String, condition: Condition?, offset: Int, headers: [String: String]) -> FakeServer.Reply {
        let rows = rows(includeDeleted: path == Self.queryPath).filter { condition?.matches($0) ?? true }
        let slice = Array(rows.dropFirst(offset).prefix(Self.batchSize))
        var result: [String: Any] = ["totalSize": rows.count, "done": offset + Self.batchSize >= rows.count, "records": slice]
        if offset + Self.batchSize < rows.count {
            let locator = state.withLock { state -> String in
                state.nextLocator += 1
                let id = "01g5g00000Loc\(state.nextLocator)AAA-\(offset + Self.batchSize)"
                state.locators[id] = (path, condition?.text, offset + Self.batchSize)
                return id
            }
            result["nextRecordsUrl"] = "/services/data/v60.0/query/\(locator)"
        }
        return .json((try? JSONSerialization.data(withJSONObject: result)) ?? Data(), headers: headers)
    }

    private func batch(path: String, condition text: String?, offset: Int, headers: [String: String]) -> FakeServer.Reply {
        batch(path: path, condition: text.flatMap(Condition.init(text:)), offset: offset, headers: headers)
    }

    private func rows(includeDeleted: Bool) -> [[String: Any]] {
        var rows = ((try? JSONSerialization.jsonObject(with: Fixtures.data("salesforce/cases.json"))) as? [String: Any])?["records"] as? [[String: Any]] ?? []
        if state.withLock({ $0.includeLateCommit }), let late = (try? JSONSerialization.jsonObject(with: Fixtures.data("salesforce/case_late_commit.json"))) as? [String: Any] {
            rows.append(late)
        }
        return rows.filter { includeDeleted || ($0["IsDeleted"] as? Bool) != true }
            .sorted { (Self.stamp($0), $0["Id"] as? String ?? "") < (Self.stamp($1), $1["Id"] as? String ?? "") }
    }

    static func stamp(_ row: [String: Any]) -> Date {
        (row["SystemModstamp"] as? String).flatMap { try? Date(String($0.prefix(19)) + "Z", strategy: .iso8601) } ?? .distantPast
    }

    private static func condition(_ soql: String) -> Condition? {
        guard let whereRange = soql.range(of: " WHERE ") else { return nil }
        let end = soql.range(of: " ORDER BY ")?.lowerBound ?? soql.endIndex
        return Condition(text: String(soql[whereRange.upperBound..<end]))
    }

    static func error(_ status: Int, _ fixture: String) -> FakeServer.Reply {
        FakeServer.Reply(status: status, headers: ["Content-Type": "application/json"], body: Fixtures.bytes(fixture))
    }

    /// The three WHERE forms the client writes: `Id = '…'`, `SystemModstamp >= T`, and the
    /// keyset `(SystemModstamp > T OR (SystemModstamp = T AND Id > '…'))`.
    struct Condition: Sendable {
        var text: String
        var id: String?
        var since: Date?
        var strictlyAfter: (Date, String)?

        init?(text: String) {
            self.text = text
            let words = text.replacingOccurrences(of: "(", with: " ").replacingOccurrences(of: ")", with: " ").split(separator: " ").map(String.init)
            func date(_ word: String) -> Date? { try? Date(word, strategy: .iso8601) }
            if words.count == 3, words[0] == "Id", words[1] == "=" {
                id = words[2].trimmingCharacters(in: CharacterSet(charactersIn: "'"))
            } else if words.count == 3, words[0] == "SystemModstamp", words[1] == ">=", let at = date(words[2]) {
                since = at
            } else if words.count == 11, words[1] == ">", words[3] == "OR", words[5] == "=", words[7] == "AND", words[8] == "Id", words[9] == ">",
                      let at = date(words[2]), date(words[6]) == at {
                strictlyAfter = (at, words[10].trimmingCharacters(in: CharacterSet(charactersIn: "'")))
            } else {
                return nil
            }
        }

        func matches(_ row: [String: Any]) -> Bool {
            let stamp = SalesforceFake.stamp(row)
            let rowID = row["Id"] as? String ?? ""
            if let id { return rowID == id }
            if let since { return stamp >= since }
            if let (at, after) = strictlyAfter { return stamp > at || (stamp == at && rowID > after) }
            return true
        }
    }
}
