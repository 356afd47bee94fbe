import Foundation
import HTTPTypes
import Hummingbird
import TicketPulseStorage
import TicketPulseTemplates

/// The dashboard's pages as HTML: `web/templates/*.mustache` (each page's body, then
/// `layout`), and `web/static/dashboard.css`. Found like `prompts/`: `$TICKETPULSE_WEB_DIR`,
/// else `./web`, else the source tree's, so a fresh `swift run` finds them.
struct WebRenderer: Sendable {
    let templates: PromptTemplates?
    let stylesheet: String

    static func locate(explicit: String? = nil) -> WebRenderer {
        var candidates: [URL] = []
        if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
        if let env = ProcessInfo.processInfo.environment["TICKETPULSE_WEB_DIR"], !env.isEmpty { candidates.append(URL(fileURLWithPath: env)) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("web"))
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../web").standardized)
        guard let folder = candidates.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("templates/layout.mustache").path) }) else {
            return WebRenderer(templates: nil, stylesheet: "")
        }
        let css = (try? String(contentsOf: folder.appendingPathComponent("static/dashboard.css"), encoding: .utf8)) ?? ""
        return WebRenderer(templates: PromptTemplates(directory: folder.appendingPathComponent("templates")), stylesheet: css)
    }

    /// A page: its template rendered into the layout, with the navigation of `signedIn`.
    func page(_ template: String, title: String, values: [String: Any], chrome: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        guard let templates else {
            return Self.text("The dashboard's templates were not found: set TICKETPULSE_WEB_DIR to the web/ folder.", status: .internalServerError)
        }
        do {
            var values = values
            // Forms inside a page carry the session's CSRF token.
            values["csrf"] = chrome["csrf"]
            for (key, value) in values { if let list = value as? [Any] { values["has" + key.prefix(1).uppercased() + key.dropFirst()] = !list.isEmpty } }
            let content = try templates.render(template, Self.pruned(values))
            var layout = chrome
            layout["title"] = title
            layout["content"] = content
            return Self.html(try templates.render("layout", layout), status: status)
        } catch {
            return Self.text("\(error)", status: .internalServerError)
        }
    }

    /// What a page or form that failed shows: a store that cannot be reached just now is a
    /// 503 with `Retry-After`, as every other route answers it; anything else is a 500 with
    /// `message`.
    func failurePage(_ error: any Error, message: String) -> Response {
        guard error is StoreUnavailable else {
            return page("error", title: "Something went wrong", values: ["heading": "Something went wrong", "message": message],
                        chrome: [:], status: .internalServerError)
        }
        var response = page("error", title: "Try again in a minute",
                            values: ["heading": "Try again in a minute", "message": "TicketPulse cannot reach its store just now. Reload the page in a minute."],
                            chrome: [:], status: .serviceUnavailable)
        response.headers[.retryAfter] = "5"
        return response
    }

    /// Empty strings taken out, so `{{#name}}` is false for them as for a missing value
    /// (swift-mustache counts any string as true): "no message", "no link".
    static func pruned(_ values: [String: Any]) -> [String: Any] {
        values.compactMapValues { value -> Any? in
            switch value {
            case let text as String: text.isEmpty ? nil : text
            case let object as [String: Any]: pruned(object)
            case let list as [[String: Any]]: list.map(pruned)
            default: value
            }
        }
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        // Pages show one person's book: never kept by a shared cache.
        fields[.cacheControl] = "no-store"
        fields[HTTPField.Name("Content-Security-Policy")!] = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, status: HTTPResponse.Status, contentType: String = "text/plain; charset=utf-8", headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    func stylesheetResponse() -> Response {
        Self.text(stylesheet, status: .ok, contentType: "text/css; charset=utf-8", headers: [.cacheControl: "max-age=300"])
    }
}
