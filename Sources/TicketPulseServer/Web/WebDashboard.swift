import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage
import TicketPulseWorkflows

/// The web dashboard under `/app`: pages over the same figures the Slack answers use, within
/// the signed-in person's `AccessScope`, every view audited (`web:<page>`), every form
/// checked against the session's CSRF token.
struct WebDashboard: Sendable {
    let store: any Store
    let answers: AnswerSettings
    let settings: WebSettings
    let auth: WebAuth
    let renderer: WebRenderer
    let links: TicketLinks
    let signIn: SlackSignIn?
    let actions: AlertActions
    /// Where this server is reached: the Slack redirect and sign-in links start here.
    let base: String
    let now: @Sendable () -> Date
    let logger: Logger

    init(configuration: AppConfiguration, store: any Store, actions: AlertActions, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.store = store
        answers = configuration.answers
        settings = configuration.web
        auth = WebAuth(store: store, settings: configuration.web, now: now)
        renderer = WebRenderer.locate()
        links = TicketLinks(connections: configuration.connections, overrides: configuration.web.ticketURLs)
        signIn = configuration.web.slackClientID.flatMap { id in
            configuration.web.slackClientSecret.map { secret in
                SlackSignIn(clientID: id, clientSecret: secret, authorizeURL: configuration.web.slackAuthorizeURL, apiURL: configuration.slack.apiURL, httpClient: .shared)
            }
        }
        self.actions = actions
        base = configuration.web.base(host: configuration.host, port: configuration.port)
        self.now = now
        self.logger = logger
    }

    /// What a page handler returns: a page, a download, or somewhere to go.
    enum Output {
        case page(template: String, title: String, values: [String: Any], shown: [String], status: HTTPResponse.Status = .ok)
        case download(fileName: String, contentType: String, body: String, shown: [String])
        case redirect(String)
    }

    /// Thrown by a page for a customer, ticket or alert outside the person's scope, or
    /// unknown: both answer the same 404, so a page cannot tell whether it exists.
    struct NotFound: Error {
        var what: String
        var customerIDs: [String] = []
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/app/static/dashboard.css") { _, _ in renderer.stylesheetResponse() }
        registerSignIn(on: router)
        router.get("/app") { request, _ in await page(request, "portfolio") { try await portfolio($0, query: request.query) } }
        router.get("/app/customers/{id}") { request, context in
            let id = try context.parameters.require("id")
            return await page(request, "customer") { try await customer($0, id: id, query: request.query) }
        }
        router.get("/app/tickets") { request, _ in await page(request, "tickets") { try await tickets($0, query: request.query) } }
        router.get("/app/tickets/{source}/{externalID}") { request, context in
            let source = try context.parameters.require("source")
            let externalID = try context.parameters.require("externalID").removingPercentEncoding ?? ""
            return await page(request, "ticket") { try await ticket($0, source: source, externalID: externalID) }
        }
        router.post("/app/tickets/acknowledge") { request, _ in
            await form(request, "tickets:acknowledge") { who, form in try await acknowledge(who, form: form) }
        }
        router.get("/app/escalations") { request, _ in await page(request, "escalations") { try await escalations($0) } }
        router.get("/app/settings") { request, _ in await page(request, "settings") { try await settingsPage($0, saved: request.query["saved"] != nil) } }
        router.post("/app/settings") { request, _ in
            await form(request, "settings:save") { who, form in try await saveSettings(who, form: form) }
        }
        router.get("/app/alerts/{id}/draft") { request, context in
            let id = try context.parameters.require("id")
            return await page(request, "draft") { try await draft($0, alertID: id) }
        }
        router.post("/app/alerts/{id}/draft") { request, context in
            let id = try context.parameters.require("id")
            return await form(request, "alert:draft") { who, form in try await saveDraft(who, alertID: id, form: form) }
        }
    }

    /// A page for a signed-in person: else the sign-in page, with this page to come back to.
    func page(_ request: Request, _ name: String, _ body: (WebAuth.SignedIn) async throws -> Output) async -> Response {
        do {
            guard let who = try await auth.signedIn(request) else { return signInPage(request, next: request.uri.description) }
            do {
                let output = try await body(who)
                return try await respond(output, who: who, action: "web:\(name)", request: request)
            } catch let missing as NotFound {
                return try await notFound(missing, who: who, action: "web:\(name)", request: request)
            }
        } catch {
            logger.error("dashboard page failed", metadata: ["page": "\(name)", "error": "\(error)"])
            return renderer.failurePage(error, message: "The page could not be made; the server's log says why.")
        }
    }

    /// A form post: signed in, its CSRF token the session's (else 403 and nothing done).
    func form(_ request: Request, _ action: String, _ body: (WebAuth.SignedIn, WebForm) async throws -> Output) async -> Response {
        var request = request
        do {
            guard let who = try await auth.signedIn(request) else { return signInPage(request, next: "/app") }
            let form = WebForm(String(buffer: try await request.collectBody(upTo: 1 << 20)))
            guard auth.csrfValid(form[WebAuth.csrfField], for: who) else {
                try await store.audit(AuditEntry(at: now(), actor: who.person.email, action: "web:\(action)", detail: request.uri.description,
                                                 outcome: .refused(reason: "csrf")))
                return renderer.page("error", title: "Refused", values: ["heading": "Refused", "message": "This form has expired or did not come from this dashboard. Nothing was changed; go back, reload and try again."],
                                     chrome: chrome(who, active: ""), status: .forbidden)
            }
            do {
                let output = try await body(who, form)
                if case .redirect = output {
                    try await store.audit(AuditEntry(at: now(), actor: who.person.email, action: "web:\(action)", detail: request.uri.description, outcome: .allowed))
                }
                return try await respond(output, who: who, action: "web:\(action)", request: request)
            } catch let missing as NotFound {
                return try await notFound(missing, who: who, action: "web:\(action)", request: request)
            }
        } catch {
            logger.error("dashboard form failed", metadata: ["action": "\(action)", "error": "\(error)"])
            return renderer.failurePage(error, message: "Nothing may have been saved; the server's log says why.")
        }
    }

    /// The same 404 for what does not exist and what is another's, the attempt audited refused.
    private func notFound(_ missing: NotFound, who: WebAuth.SignedIn, action: String, request: Request) async throws -> Response {
        try await store.audit(AuditEntry(at: now(), actor: who.person.email, action: action, detail: request.uri.description,
                                         customerIDs: missing.customerIDs, outcome: .refused(reason: "not_found_or_out_of_scope")))
        return renderer.page("error", title: "Not found", values: ["heading": "Not found", "message": "There is no \(missing.what) here you can see."],
                             chrome: chrome(who, active: ""), status: .notFound)
    }

    private func respond(_ output: Output, who: WebAuth.SignedIn, action: String, request: Request) async throws -> Response {
        switch output {
        case .page(let template, let title, let values, let shown, let status):
            try await store.audit(AuditEntry(at: now(), actor: who.person.email, action: action, detail: request.uri.description, customerIDs: shown))
            return renderer.page(template, title: title, values: values, chrome: chrome(who, active: template), status: status)
        case .download(let fileName, let contentType, let body, let shown):
            try await store.audit(AuditEntry(at: now(), actor: who.person.email, action: action + ":export", detail: request.uri.description, customerIDs: shown))
            return WebRenderer.text(body, status: .ok, contentType: contentType, headers: [
                HTTPField.Name("Content-Disposition")!: "attachment; filename=\"\(fileName)\"", .cacheControl: "no-store",
            ])
        case .redirect(let location):
            return WebRenderer.redirect(location)
        }
    }

    /// The layout's navigation, person and sign-out form.
    func chrome(_ who: WebAuth.SignedIn?, active: String) -> [String: Any] {
        guard let who else { return [:] }
        let items: [(String, String, [String])] = [
            ("/app", "Portfolio", ["portfolio", "customer"]), ("/app/tickets", "Tickets", ["tickets", "ticket"]),
            ("/app/escalations", "Escalations", ["escalations", "draft"]), ("/app/settings", "Settings", ["settings"]),
        ]
        return [
            "signedIn": true, "personName": who.person.name, "personRole": who.person.role.rawValue, "csrf": who.csrf,
            "nav": items.map { ["href": $0.0, "label": $0.1, "current": $0.2.contains(active)] },
        ]
    }
}

extension Request {
    /// The query string as a form: every value of every parameter.
    var query: WebForm { WebForm(uri.query ?? "") }
}
