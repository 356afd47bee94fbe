import Foundation
import TicketPulseTestSupport

/// The four support systems' "who am I" endpoints on one fake API, each checking its own
/// kind of credentials and answering as the real one does: the fixtures of `fixtures/`
/// when they match, the system's own 401 (or Salesforce's 400 invalid_client) when not.
enum SupportSystemsFake {
    static let zendeskToken = "zd-api-token"
    static let freshdeskKey = "fd-api-key"
    static let intercomToken = "ic-access-token"
    static let salesforceClientID = "3MVG9FakeConnectedAppKey"
    static let salesforceSecret = "fake-consumer-secret"
    static let salesforceAccessToken = "00D5g000004FakeOrg!AQ0AQFakeAccessTokenNumberOne"

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ path: String) -> FakeServer.Reply {
        .json((try? Data(contentsOf: root.appendingPathComponent("fixtures/" + path))) ?? Data("missing fixture \(path)".utf8))
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    static func refused(_ status: Int, _ body: String) -> FakeServer.Reply {
        FakeServer.Reply(status: status, headers: ["Content-Type": "application/json"], body: Array(body.utf8))
    }

    static let handler: @Sendable (FakeServer.Call) -> FakeServer.Reply = { call in
        let authorization = call.headers["authorization"]
        switch (call.method, call.path) {
        case ("GET", "/api/v2/users/me.json"):
            guard authorization == basic("bot@ourcompany.example/token", zendeskToken) else { return refused(401, #"{"error":"Couldn't authenticate you"}"#) }
            return fixture("zendesk/users_me.json")
        case ("GET", "/api/v2/agents/me"):
            guard authorization == basic(freshdeskKey, "X") else {
                return refused(401, #"{"code":"invalid_credentials","message":"You have to be logged in to perform this action."}"#)
            }
            return fixture("freshdesk/agent_me.json")
        case ("GET", "/me"):
            guard authorization == "Bearer \(intercomToken)", call.headers["intercom-version"] != nil else {
                return refused(401, #"{"type":"error.list","request_id":"000q5pl3d7vpkh0ahj5g","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}"#)
            }
            return fixture("intercom/me.json")
        case ("POST", "/services/oauth2/token"):
            let form = String(decoding: call.body, as: UTF8.self)
            guard form.contains("client_id=\(salesforceClientID)"), form.contains("client_secret=\(salesforceSecret)") else {
                return refused(400, #"{"error":"invalid_client","error_description":"invalid client credentials"}"#)
            }
            return fixture("salesforce/oauth_token.json")
        case ("GET", "/services/data/v60.0/limits"):
            guard authorization == "Bearer \(salesforceAccessToken)" else {
                return refused(401, #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)
            }
            return fixture("salesforce/limits.json")
        default:
            return refused(404, #"{"error":"InvalidEndpoint"}"#)
        }
    }
}
