import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TicketPulseAnswers
import TicketPulseCore
@testable import TicketPulseServer
import TicketPulseStorage

/// Who sees what over the API: each role's scope, ids outside it answered as unknown ones,
/// the error bodies, the rate limit, CSV, and an audit row for every call.
@Suite("HTTP API: access, errors and export")
struct APIAccessTests {
    typealias H = APIHarness

    @Test("A CSM sees their book, a manager their team's, an admin all; another book's ids answer 404 exactly as unknown ones")
    func scopeByRole() async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            let cases: [(CSM, [String: HTTPResponse.Status])] = [
                (H.mike, ["cus_acme": .ok, "cus_globex": .ok, "cus_initech": .notFound]),
                (H.sam, ["cus_acme": .notFound, "cus_initech": .ok]),
                (H.maria, ["cus_acme": .ok, "cus_initech": .ok]),
                (H.alex, ["cus_acme": .ok, "cus_globex": .ok, "cus_initech": .ok]),
            ]
            for (person, expected) in cases {
                for (customer, status) in expected {
                    for path in ["/api/tickets/customer/\(customer)", "/api/reports/support-metrics/\(customer)", "/api/support/summary/\(customer)",
                                 "/api/integrations/zendesk/tickets/\(customer)", "/api/integrations/zendesk/metrics/\(customer)"] {
                        let response = try await client.execute(uri: path, method: .get, headers: harness.bearer(person))
                        #expect(response.status == status, "\(person.email) \(path)")
                    }
                }
                let accounts = try await client.execute(uri: "/api/reports/support-metrics", method: .get, headers: harness.bearer(person)).json
                #expect((accounts["summary"] as? [String: Any])?["accounts"] as? Int == ["mike.chen@example.com": 2, "sam.carter@example.com": 1][person.email, default: 3])
            }
            let outside = try await client.execute(uri: "/api/tickets/customer/cus_initech", method: .get, headers: harness.bearer(H.mike))
            let unknown = try await client.execute(uri: "/api/tickets/customer/cus_initeck", method: .get, headers: harness.bearer(H.mike))
            #expect(outside.json["error"] as? String == "not_found" && unknown.json["error"] as? String == "not_found")
            #expect((outside.json["message"] as? String)?.replacingOccurrences(of: "cus_initech", with: "X") == (unknown.json["message"] as? String)?.replacingOccurrences(of: "cus_initeck", with: "X"))
            // The audit log tells them apart.
            let log = try harness.store.auditLog(limit: 2)
            #expect(log.map(\.outcome) == [.refused(reason: "unknown_customer"), .refused(reason: "out_of_scope")])
            #expect(log.allSatisfy { $0.actor == H.mike.email && $0.action == "api:list_customer_tickets" })
        }
    }

    @Test("Tickets and CSM summaries follow the same scope")
    func ticketsAndSummaries() async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            #expect(try await client.execute(uri: "/api/tickets/3001", method: .get, headers: harness.bearer(H.mike)).status == .notFound)
            #expect(try await client.execute(uri: "/api/tickets/3001", method: .get, headers: harness.bearer(H.sam)).status == .ok)
            #expect(try await client.execute(uri: "/api/tickets/zendesk:3001", method: .get, headers: harness.bearer(H.maria)).status == .ok)
            #expect(try await client.execute(uri: "/api/tickets/9999", method: .get, headers: harness.bearer(H.alex)).status == .notFound)
            let summaries: [(CSM, String, HTTPResponse.Status)] = [
                (H.mike, H.mike.email, .ok), (H.mike, H.sam.email, .notFound), (H.sam, H.mike.email, .notFound),
                (H.maria, H.sam.email, .ok), (H.alex, H.mike.email, .ok), (H.mike, "U0CSM0001", .ok), (H.mike, "nobody@example.com", .notFound),
            ]
            for (viewer, target, status) in summaries {
                let response = try await client.execute(uri: "/api/tickets/csm/\(target)/summary", method: .get, headers: harness.bearer(viewer))
                #expect(response.status == status, "\(viewer.email) → \(target)")
            }
            let filtered = try await client.execute(uri: "/api/reports/support-metrics?csm_id=\(H.sam.email)", method: .get, headers: harness.bearer(H.mike))
            #expect(filtered.status == .notFound, "a CSM cannot read another CSM's book")
            let team = try await client.execute(uri: "/api/reports/support-metrics?csm_id=\(H.sam.email)", method: .get, headers: harness.bearer(H.maria)).json
            #expect((team["customers"] as? [[String: Any]])?.map { $0["customer_id"] as? String } == ["cus_initech"])
        }
    }

    @Test("401 without a token, with a malformed header, an unknown or a revoked one; every refusal audited")
    func unauthorized() async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            let revoked = try await APITokenIssuer.issue(for: H.mike.email, name: "old", store: harness.store, now: H.now)
            _ = try harness.store.revokeAPIToken(id: revoked.token.id, at: H.now)
            let attempts: [HTTPFields] = [[:], [.authorization: "Basic abc"], [.authorization: "Bearer tp_nope"], [.authorization: "Bearer \(revoked.secret)"]]
            for headers in attempts {
                let response = try await client.execute(uri: "/api/reports/support-metrics", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.json["error"] as? String == "unauthorized" && (response.json["message"] as? String)?.isEmpty == false)
            }
            let log = try harness.store.auditLog(limit: 4)
            #expect(log.map(\.outcome?.reason) == ["unknown_token", "unknown_token", "malformed_header", "no_token"])
            #expect(log.allSatisfy { $0.action == "api:portfolio_support_metrics" && $0.outcome?.name == "refused" })
        }
    }

    @Test("A route that needs the admin role answers 403 to others, through the same gate the lead registers the connect flow behind")
    func adminOnly() async throws {
        try await H.run(store: try H.smallStore(), extraRoutes: { router, api in
            router.put("/api/integrations/zendesk/mapping", use: api.authenticator.protect("zendesk_mapping", requires: .admin) { _, _, caller in
                try APIReply.json(["by": caller.person.email])
            })
        }) { harness, client in
            for person in [H.mike, H.maria] {
                let response = try await client.execute(uri: "/api/integrations/zendesk/mapping", method: .put, headers: harness.bearer(person))
                #expect(response.status == .forbidden)
                #expect(response.json["error"] as? String == "forbidden")
            }
            let admin = try await client.execute(uri: "/api/integrations/zendesk/mapping", method: .put, headers: harness.bearer(H.alex))
            #expect(admin.status == .ok && admin.json["by"] as? String == H.alex.email)
            #expect(try harness.store.auditLog(limit: 3).map(\.outcome?.name) == ["allowed", "refused", "refused"])
        }
    }

    @Test("A store lost mid-call answers 503 store_unavailable with Retry-After, as every route does, not a 500")
    func storeUnavailable() async throws {
        try await H.run(store: try H.smallStore(), extraRoutes: { router, api in
            router.add(middleware: StoreUnavailableMiddleware())
            router.get("/api/test/lost-store", use: api.authenticator.protect("lost_store") { _, _, _ in
                throw StoreUnavailable(reason: "no connection to PostgreSQL within 2 seconds")
            })
        }) { harness, client in
            let response = try await client.execute(uri: "/api/test/lost-store", method: .get, headers: harness.bearer(H.mike))
            #expect(response.status == .serviceUnavailable)
            #expect(response.json["error"] as? String == "store_unavailable")
            #expect(response.headers[.retryAfter] == "5")
        }
    }

    @Test("A bad parameter is a 400 that names it", arguments: [
        ("/api/tickets/customer/cus_acme?period=fortnight", "period"), ("/api/tickets/customer/cus_acme?status=lost", "status"),
        ("/api/tickets/customer/cus_acme?priority=P9", "priority"), ("/api/tickets/customer/cus_acme?category=misc", "category"),
        ("/api/tickets/customer/cus_acme?limit=0", "limit"), ("/api/tickets/customer/cus_acme?cursor=zzz", "cursor"),
        ("/api/tickets/customer/cus_acme?sort=size", "sort"), ("/api/tickets/customer/cus_acme?format=xml", "format"),
        ("/api/reports/support-metrics?max_csat=9", "max_csat"), ("/api/reports/support-metrics?min_tickets=-1", "min_tickets"),
        ("/api/reports/support-metrics/cus_acme?period=2026-11-10/2026-11-01", "period"), ("/api/reports/support-metrics/correlation?period=0d", "period"),
    ])
    func badParameter(path: String, parameter: String) async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            let response = try await client.execute(uri: path, method: .get, headers: harness.bearer(H.mike))
            #expect(response.status == .badRequest)
            #expect(response.json["error"] as? String == "bad_parameter")
            #expect(response.json["parameter"] as? String == parameter)
            #expect((response.json["message"] as? String)?.hasPrefix("\(parameter): ") == true)
        }
    }

    @Test("Periods: days, an interval, or a question's words")
    func periods() async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            for (query, start) in [("7d", "2026-11-11T15:00:00Z"), ("2026-11-01/2026-11-18", "2026-11-01T00:00:00Z"), ("this_month", "2026-11-01T00:00:00Z")] {
                let response = try await client.execute(uri: "/api/reports/support-metrics/cus_acme?period=\(query)", method: .get, headers: harness.bearer(H.mike))
                #expect(response.status == .ok, "\(query)")
                let period = (response.json["customer"] as? [String: Any])?["period"] as? [String: Any]
                #expect(period?["start"] as? String == start, "\(query)")
            }
        }
    }

    @Test("Every period word the document lists is one the server reads")
    func documentedPeriodWords() async throws {
        let parameters = try #require(((APIContractTests.document["paths"] as? [String: Any])?["/api/reports/support-metrics/{customerId}"] as? [String: Any])
            .flatMap { ($0["get"] as? [String: Any])?["parameters"] as? [[String: Any]] })
        let period = try #require(parameters.first { $0["name"] as? String == "period" }?["schema"] as? [String: Any])
        let words = (period["anyOf"] as? [[String: Any]] ?? []).compactMap { $0["enum"] as? [String] }.flatMap { $0 }
        #expect(words.count >= 8)
        try await H.run(store: try H.smallStore()) { harness, client in
            for word in words + ["1d", "999d"] {
                let response = try await client.execute(uri: "/api/reports/support-metrics/cus_acme?period=\(word)", method: .get, headers: harness.bearer(H.mike))
                #expect(response.status == .ok, "\(word)")
            }
            for refused in ["1000d", "This_Month", "this month x"] {
                let response = try await client.execute(uri: "/api/reports/support-metrics/cus_acme?period=\(refused.replacingOccurrences(of: " ", with: "%20"))", method: .get, headers: harness.bearer(H.mike))
                #expect(response.status == .badRequest, "\(refused)")
            }
        }
    }

    @Test("A documented path asked with another method is 405 with Allow; an undocumented path stays 404")
    func methodNotAllowed() async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            let wrong = try await client.execute(uri: "/api/support/check-spike", method: .get, headers: harness.bearer(H.mike))
            #expect(wrong.status == .methodNotAllowed && wrong.headers[.allow] == "POST" && wrong.json["error"] as? String == "method_not_allowed")
            let trace = try await client.execute(uri: "/api/reports/support-metrics/correlation", method: .delete, headers: harness.bearer(H.mike))
            #expect(trace.status == .methodNotAllowed && trace.headers[.allow] == "GET")
            #expect(try await client.execute(uri: "/api/nothing/here", method: .get, headers: harness.bearer(H.mike)).status == .notFound)
        }
    }

    @Test("Above the token's rate: 429 with Retry-After, and calls come back as the clock moves")
    func rateLimit() async throws {
        try await H.run(store: try H.smallStore(), ratePerMinute: 2) { harness, client in
            for _ in 0..<2 { #expect(try await client.execute(uri: "/api/reports/support-metrics", method: .get, headers: harness.bearer(H.mike)).status == .ok) }
            let limited = try await client.execute(uri: "/api/reports/support-metrics", method: .get, headers: harness.bearer(H.mike))
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "30")
            #expect(limited.json["error"] as? String == "rate_limited")
            #expect(try await client.execute(uri: "/api/reports/support-metrics", method: .get, headers: harness.bearer(H.sam)).status == .ok, "per token")
            harness.clock.advance(29)
            #expect(try await client.execute(uri: "/api/reports/support-metrics", method: .get, headers: harness.bearer(H.mike)).headers[.retryAfter] == "1")
            harness.clock.advance(1)
            #expect(try await client.execute(uri: "/api/reports/support-metrics", method: .get, headers: harness.bearer(H.mike)).status == .ok)
            #expect(try harness.store.auditLog(limit: 10).contains { $0.outcome == .refused(reason: "rate_limited") })
        }
    }

    @Test("Lists come as CSV with ?format=csv or Accept: text/csv, a row per item")
    func csvExport() async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            for (path, headers) in [("/api/tickets/customer/cus_acme?status=all&format=csv", harness.bearer(H.mike)),
                                    ("/api/tickets/customer/cus_acme?status=all", harness.bearer(H.mike, [.accept: "text/csv"]))] {
                let response = try await client.execute(uri: path, method: .get, headers: headers)
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                let table = try CSVTable(parsing: response.text, fileName: "export.csv")
                #expect(table.header == SupportTicketRecord.fieldNames)
                #expect(table.records.count == 4)
                let ids = table.records.map { $0.fields[table.header.firstIndex(of: "external_id")!] }
                #expect(ids == ["1002", "1001", "1003", "1004"], "newest first")
                let subject = table.records[2].fields[table.header.firstIndex(of: "subject")!]
                #expect(subject == "Invoice, question", "a comma survives quoting")
            }
            let customers = try await client.execute(uri: "/api/reports/support-metrics?format=csv", method: .get, headers: harness.bearer(H.maria))
            let table = try CSVTable(parsing: customers.text, fileName: "customers.csv")
            #expect(table.records.count == 3 && table.header.first == "customer_id")
        }
    }

    @Test("Sorting and cursor pagination walk every ticket once", arguments: [("priority", ["1001", "1002", "1003", "1004"]), ("newest", ["1002", "1001", "1003", "1004"]),
                                                                             // A resolved ticket's age is its time to resolution: 1004 took 5 h.
                                                                             ("age", ["1003", "1001", "1004", "1002"])])
    func pagination(sort: String, expected: [String]) async throws {
        try await H.run(store: try H.smallStore()) { harness, client in
            var seen: [String] = []
            var cursor: String? = ""
            while let next = cursor {
                let query = "/api/tickets/customer/cus_acme?status=all&sort=\(sort)&limit=3" + (next.isEmpty ? "" : "&cursor=\(next)")
                let page = try await client.execute(uri: query, method: .get, headers: harness.bearer(H.mike)).json
                seen += (page["tickets"] as? [[String: Any]] ?? []).compactMap { $0["external_id"] as? String }
                #expect(page["total_matching"] as? Int == 4)
                cursor = page["next_cursor"] as? String
            }
            #expect(seen == expected)
        }
    }
}
