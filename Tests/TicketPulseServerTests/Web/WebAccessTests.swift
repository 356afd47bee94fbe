import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TicketPulseCore
import TicketPulseServer
import TicketPulseStorage
import TicketPulseTestSupport

/// Who may see and do what on the dashboard: signing in (a one-time link, Sign in with
/// Slack against the fake), the session cookie's flags, scope per role, CSRF, bad filters.
@Suite("Dashboard access", .serialized)
struct WebAccessTests {
    @Test("Not signed in: every page answers the sign-in page; a form post changes nothing")
    func notSignedIn() async throws {
        try await WebHarness.run { harness in
            for path in ["/app", "/app/customers/cus_acme", "/app/tickets", "/app/escalations", "/app/settings"] {
                let response = try await harness.get(path, cookie: nil)
                #expect(response.status == .ok, "\(path)")
                #expect(String(buffer: response.body).contains("Sign in with Slack"), "\(path)")
            }
            let forged = try await harness.get("/app", cookie: "tp_session=" + String(repeating: "ab", count: 32))
            #expect(String(buffer: forged.body).contains("Sign in to TicketPulse"), "an unknown session is nobody")
            let post = try await harness.post("/app/settings", form: [("dm", "P4")], cookie: nil)
            #expect(String(buffer: post.body).contains("Sign in to TicketPulse"))
            #expect(try await harness.store.preferences(email: WebHarness.mike.email).dmPriorities.isEmpty)
        }
    }

    @Test("A sign-in link works once, not after 10 minutes; the session cookie is HttpOnly, SameSite=Lax, and Secure behind TLS")
    func loginLink() async throws {
        try await WebHarness.run { harness in
            let link = try await WebLoginLink.create(for: WebHarness.mike.email, store: harness.store, configuration: harness.configuration,
                                                     next: "/app/customers/cus_acme", now: WebHarness.now)
            #expect(link.hasPrefix("http://127.0.0.1:0/app/login/link?token="))
            let first = try await harness.client.execute(uri: WebHarness.path(of: link), method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(first.status == .seeOther)
            #expect(first.headers[.location] == "/app/customers/cus_acme")
            let cookie = try #require(WebHarness.setCookies(first).first { $0.hasPrefix("tp_session=") })
            for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/app"] { #expect(cookie.contains(flag), "\(flag) in \(cookie)") }
            let again = try await harness.client.execute(uri: WebHarness.path(of: link), method: .get)
            #expect(again.status == .unauthorized, "used once")
            #expect(String(buffer: again.body).contains("has been used or has expired"))

            let plain = try await harness.client.execute(uri: WebHarness.path(of: try await WebLoginLink.create(for: WebHarness.mike.email, store: harness.store,
                                                                                                       configuration: harness.configuration, now: WebHarness.now)), method: .get)
            #expect(WebHarness.setCookies(plain).first { $0.hasPrefix("tp_session=") }?.contains("Secure") == false, "no TLS, no Secure")

            let old = try await WebLoginLink.create(for: WebHarness.mike.email, store: harness.store, configuration: harness.configuration, now: WebHarness.now.addingTimeInterval(-601))
            #expect(try await harness.client.execute(uri: WebHarness.path(of: old), method: .get).status == .unauthorized, "expired after 10 minutes")
            await #expect(throws: WebLoginLink.NotOnRoster.self) {
                _ = try await WebLoginLink.create(for: "stranger@example.com", store: harness.store, configuration: harness.configuration, now: WebHarness.now)
            }
            // An open redirect is not possible through `next`.
            let evil = try await WebLoginLink.create(for: WebHarness.mike.email, store: harness.store, configuration: harness.configuration, now: WebHarness.now)
            let response = try await harness.client.execute(uri: WebHarness.path(of: evil) + "&next=%2F%2Fevil.example.com", method: .get)
            #expect(response.headers[.location] == "/app")
        }
    }

    @Test("Behind an https public URL the cookie is Secure without a proxy header")
    func secureBehindPublicURL() async throws {
        try await WebHarness.run(secure: true) { harness in
            let link = try await WebLoginLink.create(for: WebHarness.mike.email, store: harness.store, configuration: harness.configuration, now: WebHarness.now)
            #expect(link.hasPrefix("https://pulse.example.com/app/login/link?token="))
            let response = try await harness.client.execute(uri: WebHarness.path(of: link), method: .get)
            #expect(WebHarness.setCookies(response).first { $0.hasPrefix("tp_session=") }?.contains("Secure") == true)
        }
    }

    @Test("Sign in with Slack: authorize, code exchange, userInfo, the roster person signed in; a stranger or a tampered state is refused")
    func signInWithSlack() async throws {
        // A browser at Slack's page: the redirect back is for the test to follow.
        let browser = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        do {
            try await Self.signInWithSlack(browser: browser)
        } catch {
            try await browser.shutdown()
            throw error
        }
        try await browser.shutdown()
    }

    static func signInWithSlack(browser: HTTPClient) async throws {
        try await WebHarness.run { harness in
            harness.fake.signInAs(email: WebHarness.mike.email, userID: "U0CSM0001")
            let start = try await harness.get("/app/auth/slack?next=%2Fapp%2Ftickets", cookie: nil)
            #expect(start.status == .seeOther)
            let authorize = try #require(start.headers[.location])
            #expect(authorize.contains("/openid/connect/authorize?") && authorize.contains("scope=openid%20email%20profile") && authorize.contains("client_id=\(FakeSlack.oidcClientID)"))
            let state = try #require(WebHarness.cookie(WebSessionName.oidc, in: start))
            #expect(WebHarness.setCookies(start).first { $0.hasPrefix("tp_oidc=") }?.contains("HttpOnly") == true)

            // The browser at Slack: approved, back to the callback with a code.
            var request = HTTPClientRequest(url: authorize)
            request.method = .GET
            let approved = try await browser.execute(request, timeout: .seconds(5))
            #expect(approved.status == .found)
            let callback = try #require(approved.headers.first(name: "location"))
            let callbackURL = try #require(URL(string: callback))
            #expect(callbackURL.path == "/app/auth/slack/callback")

            // A callback whose state is not the one this browser started with is refused.
            let tampered = try await harness.get(WebHarness.path(of: callback).replacingOccurrences(of: "state=", with: "state=x"), cookie: state)
            #expect(tampered.status == .badRequest)
            #expect(harness.fake.calls("openid.connect.token").isEmpty, "nothing was exchanged")

            let done = try await harness.get(WebHarness.path(of: callback), cookie: state)
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/app/tickets")
            let session = try #require(WebHarness.cookie(WebSessionName.session, in: done))
            let token = try #require(harness.fake.calls("openid.connect.token").first?.form)
            #expect(token["grant_type"] == "authorization_code" && token["redirect_uri"] == "http://127.0.0.1:0/app/auth/slack/callback")
            #expect(harness.fake.calls("openid.connect.userInfo").first?.authorization?.hasPrefix("Bearer xoxp-oidc-") == true)
            let page = try await harness.page("/app/tickets", cookie: session)
            #expect(page.contains("Mike Chen"))
            // The code was used: the same callback again signs nobody in.
            #expect(try await harness.get(WebHarness.path(of: callback), cookie: state).status == .badGateway)

            // Someone Slack knows but the roster does not.
            harness.fake.signInAs(email: "stranger@example.com", userID: "U0STRANGER")
            let second = try await harness.get("/app/auth/slack", cookie: nil)
            let secondState = try #require(WebHarness.cookie(WebSessionName.oidc, in: second))
            var again = HTTPClientRequest(url: try #require(second.headers[.location]))
            again.method = .GET
            let back = try #require(try await browser.execute(again, timeout: .seconds(5)).headers.first(name: "location"))
            let refused = try await harness.get(WebHarness.path(of: back), cookie: secondState)
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("is not on TicketPulse"))
            #expect(WebHarness.cookie(WebSessionName.session, in: refused) == nil)
            #expect(try await harness.store.auditLog().contains { $0.action == "web:sign_in" && $0.outcome == .refused(reason: "not_on_roster") })
        }
    }

    @Test("Scope: a CSM sees their accounts only (another's customer is a 404, audited refused); a manager sees the team; an admin all")
    func scopePerRole() async throws {
        try await WebHarness.run { harness in
            let mike = try await harness.signIn(WebHarness.mike)
            let other = try await harness.get("/app/customers/cus_umbrella", cookie: mike)
            #expect(other.status == .notFound)
            let unknown = try await harness.get("/app/customers/cus_nobody", cookie: mike)
            #expect(unknown.status == .notFound)
            #expect(String(buffer: other.body) == String(buffer: unknown.body).replacingOccurrences(of: "cus_nobody", with: "cus_umbrella"), "cannot tell which exists")
            #expect(try await harness.store.auditLog().contains { $0.actor == WebHarness.mike.email && $0.action == "web:customer" && $0.customerIDs == ["cus_umbrella"]
                && $0.outcome == .refused(reason: "not_found_or_out_of_scope") })
            let tickets = try await harness.page("/app/tickets?status=all", cookie: mike)
            #expect(!tickets.contains("Umbrella Health") && tickets.contains("Acme Corp"))
            let filtered = try await harness.page("/app/tickets?customer=cus_umbrella", cookie: mike, status: .badRequest)
            #expect(filtered.contains("Invalid filter customer"))
            let umbrellaTicket = try #require(try await harness.store.tickets(TicketQuery(customerIDs: ["cus_umbrella"], limit: 1)).tickets.first?.ticket)
            let path = "/app/tickets/\(umbrellaTicket.source.rawValue)/\(umbrellaTicket.externalID)"
            #expect(try await harness.get(path, cookie: mike).status == .notFound, "another's ticket")
            #expect(try await harness.get(path, cookie: try await harness.signIn(WebHarness.sam)).status == .ok, "its CSM's")

            let maria = try await harness.signIn(WebHarness.maria)
            #expect(try await harness.get("/app/customers/cus_umbrella", cookie: maria).status == .ok, "Sam is on Maria's team")
            let alex = try await harness.signIn(WebHarness.alex)
            #expect(try await harness.get("/app/customers/cus_gringotts", cookie: alex).status == .ok)
            let portfolio = try await harness.page("/app", cookie: alex)
            #expect(portfolio.contains("24 accounts"))
            // Every page view is in the audit log, with what it showed.
            let log = try await harness.store.auditLog(limit: 200)
            #expect(log.contains { $0.actor == WebHarness.alex.email && $0.action == "web:portfolio" && $0.customerIDs.count == 24 })
            #expect(log.contains { $0.actor == WebHarness.mike.email && $0.action == "web:tickets" && !$0.customerIDs.contains("cus_umbrella") })
        }
    }

    @Test("Bad filters name the filter and show the page; the period picker takes only its choices")
    func badFilters() async throws {
        try await WebHarness.run { harness in
            let cookie = try await harness.signIn(WebHarness.mike)
            for (path, name) in [("/app/tickets?priority=P9", "priority"), ("/app/tickets?status=exploded", "status"), ("/app/tickets?category=cheese", "category"),
                                 ("/app/tickets?sort=size", "sort"), ("/app/tickets?period=forever", "period"), ("/app?period=yesterday%27%3B", "period"),
                                 ("/app/customers/cus_acme?period=eons", "period")] {
                let html = try await harness.page(path, cookie: cookie, status: .badRequest)
                #expect(html.contains("Invalid filter \(name)"), "\(path)")
                #expect(html.contains("<h1>"), "the page itself, with its filters: \(path)")
            }
            #expect(try await harness.get("/app/tickets?format=csv&priority=P9", cookie: cookie).status == .badRequest)
        }
    }

    @Test("CSRF: a form without the session's token is refused 403 and changes nothing; with it, it acts")
    func csrf() async throws {
        try await WebHarness.run { harness in
            let cookie = try await harness.signIn(WebHarness.mike)
            for token in [nil, "", String(repeating: "0", count: 64)] as [String?] {
                let form = [("dm", "P4")] + (token.map { [("csrf", $0)] } ?? [])
                let response = try await harness.post("/app/settings", form: form, cookie: cookie)
                #expect(response.status == .forbidden)
            }
            #expect(try await harness.store.preferences(email: WebHarness.mike.email).dmPriorities.isEmpty, "nothing changed")
            // Another person's token is not this session's.
            let samsPage = try await harness.page("/app/settings", cookie: try await harness.signIn(WebHarness.sam))
            #expect(try await harness.post("/app/settings", form: [("csrf", try WebHarness.csrf(in: samsPage)), ("dm", "P4")], cookie: cookie).status == .forbidden)

            let alert = try #require(try await harness.store.liveAlerts(customerIDs: try await harness.store.customerIDs(visibleTo: WebHarness.mike))
                .first { $0.status == .open && $0.alert.ticket != nil })
            let ticket = try #require(alert.alert.ticket)
            let key = "\(ticket.source.rawValue)/\(ticket.externalID)"
            #expect(try await harness.post("/app/tickets/acknowledge", form: [("ticket", key)], cookie: cookie).status == .forbidden)
            #expect(try await harness.store.alert(id: alert.id)?.status == .open, "not acknowledged without the token")
            #expect(try await harness.store.auditLog().contains { $0.action == "web:tickets:acknowledge" && $0.outcome == .refused(reason: "csrf") })

            let page = try await harness.page("/app/tickets", cookie: cookie)
            let done = try await harness.post("/app/tickets/acknowledge", form: [("csrf", try WebHarness.csrf(in: page)), ("ticket", key), ("return", "status=all")], cookie: cookie)
            #expect(done.status == .seeOther)
            #expect(done.headers[.location]?.hasPrefix("/app/tickets?status=all&acknowledged=") == true)
            let acknowledged = try await harness.store.alert(id: alert.id)
            #expect(acknowledged?.status == .acknowledged && acknowledged?.acknowledgedBy == WebHarness.mike.email, "the alert buttons' own acknowledgement")
            #expect(try await harness.store.auditLog().contains { $0.action == "alert:acknowledge" && $0.actor == WebHarness.mike.email && $0.outcome == .allowed })

            // Signing out ends the session.
            let settings = try await harness.page("/app/settings", cookie: cookie)
            #expect(try await harness.post("/app/logout", form: [("csrf", try WebHarness.csrf(in: settings))], cookie: cookie).status == .seeOther)
            #expect(String(buffer: try await harness.get("/app", cookie: cookie).body).contains("Sign in to TicketPulse"))
        }
    }
}
