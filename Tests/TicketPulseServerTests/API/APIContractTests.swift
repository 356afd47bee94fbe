import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSlack
@testable import TicketPulseServer
import TicketPulseStorage

/// docs/openapi.json is the contract: every /api route is in it with its method and every
/// operation in it is routed; every endpoint's response has the shape it documents.
@Suite("HTTP API: the OpenAPI document and the routes agree")
struct APIContractTests {
    typealias H = APIHarness

    nonisolated(unsafe) static let document: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/openapi.json").standardized
        return (try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any] ?? [:]
    }()

    /// "GET /api/tickets/{ticketId}" for every operation of the document.
    static var documented: Set<String> {
        var operations: Set<String> = []
        for (path, item) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for method in item.keys where ["get", "post", "put", "patch", "delete"].contains(method) { operations.insert("\(method.uppercased()) \(path)") }
        }
        return operations
    }

    @Test("Every route under /api is documented with its method, and every documented operation is routed")
    func routesMatchDocument() async throws {
        let router = Router()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = try H.smallStore()
        let runtime = ConnectorRuntime(configurations: [], environment: [:], store: store, now: { H.now }, logger: logger)
        // As buildApplication registers them.
        WebhookRoutes(connectors: runtime, logger: logger).register(on: router)
        APIRoutes(configuration: AppConfiguration(databasePath: ":memory:"), dependencies: AppDependencies(store: store, slack: SlackWebAPIClientStub.client, now: { H.now }),
                  tickets: TicketActionService(store: store, now: { H.now }), logger: logger).register(on: router)
        ZendeskConnectRoutes(connectors: runtime, store: store, now: { H.now }, logger: logger)
            .register(on: router, requireAdmin: ZendeskConnectRoutesTests.adminCheck, callbackAdmin: ZendeskConnectRoutesTests.adminCheck)
        let routed = Set(router.routes.map { route -> String in
            // Hummingbird writes captures as ":name"; the document as "{name}".
            let path = "\(route.path)".split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(route.method) /\(path)"
        }.filter { $0.contains(" /api/") })
        #expect(!routed.isEmpty)
        #expect(routed.subtracting(Self.documented).isEmpty, "routed, not documented: \(routed.subtracting(Self.documented).sorted())")
        #expect(Self.documented.subtracting(routed).isEmpty, "documented, not routed: \(Self.documented.subtracting(routed).sorted())")
        #expect(Self.document["openapi"] as? String == "3.1.0")
    }

    @Test("The document is served at /api/openapi.json without a token")
    func served() async throws {
        try await H.run(store: try H.smallStore()) { _, client in
            let response = try await client.execute(uri: "/api/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.json["openapi"] as? String == "3.1.0")
            #expect((response.json["paths"] as? [String: Any])?.count == (Self.document["paths"] as? [String: Any])?.count)
        }
    }

    /// Each endpoint called as documented, with the status it answers.
    static let calls: [(method: HTTPRequest.Method, path: String, operation: String, body: String?, status: Int)] = [
        (.get, "/api/tickets/customer/cus_acme?status=all&limit=2", "/api/tickets/customer/{customerId}", nil, 200),
        (.get, "/api/tickets/1001", "/api/tickets/{ticketId}", nil, 200),
        (.get, "/api/tickets/1004", "/api/tickets/{ticketId}", nil, 200),
        (.post, "/api/tickets/1001/note", "/api/tickets/{ticketId}/note", #"{"text": "called back"}"#, 201),
        (.post, "/api/tickets/1001/escalate", "/api/tickets/{ticketId}/escalate", #"{"reason": "renewal at risk"}"#, 201),
        (.get, "/api/tickets/csm/mike.chen@example.com/summary", "/api/tickets/csm/{csmId}/summary", nil, 200),
        (.get, "/api/reports/support-metrics/cus_acme", "/api/reports/support-metrics/{customerId}", nil, 200),
        (.get, "/api/reports/support-metrics?min_tickets=1", "/api/reports/support-metrics", nil, 200),
        (.get, "/api/reports/support-metrics/correlation", "/api/reports/support-metrics/correlation", nil, 200),
        (.post, "/api/support/check-spike", "/api/support/check-spike", #"{"customerId": "cus_acme"}"#, 200),
        (.get, "/api/support/summary/cus_acme", "/api/support/summary/{customerId}", nil, 200),
        (.get, "/api/integrations/zendesk/tickets/cus_acme", "/api/integrations/zendesk/tickets/{customerId}", nil, 200),
        (.get, "/api/integrations/zendesk/metrics/cus_acme", "/api/integrations/zendesk/metrics/{customerId}", nil, 200),
        (.get, "/api/tickets/customer/cus_initech", "/api/tickets/customer/{customerId}", nil, 404),
        (.get, "/api/tickets/customer/cus_acme?limit=x", "/api/tickets/customer/{customerId}", nil, 400),
        (.post, "/api/support/check-spike", "/api/support/check-spike", "{}", 400),
        (.post, "/api/webhooks/support/ticket", "/api/webhooks/support/ticket", "{}", 404),
        (.post, "/api/integrations/zendesk/webhook", "/api/integrations/zendesk/webhook", "{}", 404),
    ]

    @Test("Every endpoint's response has the documented status and shape")
    func responseShapes() async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            var covered: Set<String> = []
            for call in Self.calls {
                let headers = harness.bearer(H.mike, [.contentType: "application/json"])
                let response = try await client.execute(uri: call.path, method: call.method, headers: headers, body: call.body.map { ByteBuffer(string: $0) })
                #expect(Int(response.status.code) == call.status, "\(call.method) \(call.path)")
                let operation = try #require((Self.document["paths"] as? [String: Any])?[call.operation] as? [String: Any])
                let documented = try #require((operation[call.method.rawValue.lowercased()] as? [String: Any])?["responses"] as? [String: Any])
                var answer = try #require(documented["\(call.status)"] as? [String: Any], "\(call.method) \(call.operation) documents \(call.status)")
                if let ref = answer["$ref"] as? String { answer = try #require(Self.resolve(ref)) }
                let schema = try #require(((answer["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any])
                let body = try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView))
                let problems = Self.validate(body, against: schema, at: "$")
                #expect(problems.isEmpty, "\(call.method) \(call.path): \(problems.prefix(5))")
                covered.insert("\(call.method) \(call.operation)")
            }
            // The Zendesk connect flow's three operations are checked by ZendeskConnectRoutesTests,
            // against a fake Zendesk, through `validate` too.
            let untested = Self.documented.subtracting(covered).subtracting(["GET /api/openapi.json"] + ZendeskConnectRoutesTests.operations)
            #expect(untested.isEmpty, "operations without a shape test: \(untested.sorted())")
        }
    }

    static func resolve(_ ref: String) -> [String: Any]? {
        var node: Any? = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
        return node as? [String: Any]
    }

    /// What is wrong with answering `body` with `status` to `method` on the documented `path`; empty when nothing.
    static func violations(path: String, method: String, status: Int, body: JSONValue) -> [String] {
        guard let operation = ((document["paths"] as? [String: Any])?[path] as? [String: Any])?[method.lowercased()] as? [String: Any] else {
            return ["\(method) \(path) is not in the document"]
        }
        guard var answer = (operation["responses"] as? [String: Any])?["\(status)"] as? [String: Any] else { return ["\(method) \(path) does not document \(status)"] }
        if let ref = answer["$ref"] as? String, let resolved = resolve(ref) { answer = resolved }
        guard let schema = ((answer["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] else {
            return ["\(method) \(path) \(status) has no JSON schema"]
        }
        return validate(body, against: schema, at: "\(method) \(path) \(status)")
    }

    /// The subset of JSON Schema the document uses: $ref, oneOf, type (with null), properties,
    /// required, items, enum, additionalProperties (a schema, or false), minimum/maximum, date-time.
    static func validate(_ value: JSONValue, against schema: [String: Any], at path: String) -> [String] {
        if let ref = schema["$ref"] as? String { return resolve(ref).map { validate(value, against: $0, at: path) } ?? ["\(path): unresolved \(ref)"] }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            return choices.contains { validate(value, against: $0, at: path).isEmpty } ? [] : ["\(path): matches none of oneOf"]
        }
        var problems: [String] = []
        let types: [String] = (schema["type"] as? String).map { [$0] } ?? schema["type"] as? [String] ?? []
        if !types.isEmpty, !types.contains(where: value.isOf) { return ["\(path): \(value) is not \(types)"] }
        switch value {
        case .string(let text):
            if let allowed = schema["enum"] as? [String], !allowed.contains(text) { problems.append("\(path): '\(text)' not in \(allowed)") }
            if schema["format"] as? String == "date-time", (try? Date(text, strategy: .iso8601)) == nil { problems.append("\(path): '\(text)' is no date-time") }
        case .number(let number):
            if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue, number < minimum { problems.append("\(path): \(number) < \(minimum)") }
            if let maximum = (schema["maximum"] as? NSNumber)?.doubleValue, number > maximum { problems.append("\(path): \(number) > \(maximum)") }
        case .object(let object):
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { problems.append("\(path).\(key): required, missing") }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for (key, item) in object {
                if let property = properties[key] { problems += validate(item, against: property, at: "\(path).\(key)") }
                else if let extra = schema["additionalProperties"] as? [String: Any] { problems += validate(item, against: extra, at: "\(path).\(key)") }
                else if schema["additionalProperties"] as? Bool == false { problems.append("\(path).\(key): not described") }
            }
        case .array(let array):
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { problems += validate(item, against: items, at: "\(path)[\(index)]") }
            }
        case .null, .bool: break
        }
        return problems
    }
}

/// A JSON value with booleans and numbers kept apart (JSONDecoder decodes each strictly).
/// Equatable: the JSON encoder tests compare two encoders' output by meaning.
enum JSONValue: Decodable, Equatable, CustomStringConvertible {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else if let array = try? container.decode([JSONValue].self) { self = .array(array) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func isOf(_ type: String) -> Bool {
        switch (self, type) {
        case (.null, "null"), (.bool, "boolean"), (.number, "number"), (.string, "string"), (.array, "array"), (.object, "object"): true
        case (.number(let number), "integer"): number.rounded() == number
        default: false
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let number): "\(number)"
        case .string(let text): "\"\(text)\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A Slack client nothing calls: the routes under test never reach Slack.
enum SlackWebAPIClientStub {
    static let client = SlackWebAPIClient(token: "xoxb-test", baseURL: URL(string: "http://127.0.0.1:9/api")!, httpClient: .shared)
}
