import Foundation
import Testing
import TicketPulseCore
import TicketPulseServer

/// The dashboard in a real browser: chromium, headless, signed in through a `login-link`,
/// loads each page and the test reads what a person sees — the numbers the server computed,
/// the rows, a chart — checks that nothing was logged as an error, and keeps a screenshot
/// per page in `.build/test-output/dashboard-browser/` (or `$TICKETPULSE_TEST_OUTPUT`).
@Suite("Dashboard in a real browser", .serialized)
struct WebBrowserTests {
    static var outputFolder: URL {
        if let folder = ProcessInfo.processInfo.environment["TICKETPULSE_TEST_OUTPUT"], !folder.isEmpty {
            return URL(fileURLWithPath: folder).appendingPathComponent("dashboard-browser")
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../.build/test-output/dashboard-browser").standardized
    }

    @Test("Each page loads in chromium after a login-link sign-in, shows its numbers, rows and charts, with no errors",
          .enabled(if: Chromium.executable != nil, Chromium.skipMessage))
    func everyPage() async throws {
        try await WebHarness.run { harness in
            let port = try #require(harness.client.port)
            let base = "http://127.0.0.1:\(port)"
            // What the server says each page holds, read over HTTP with a session of its own.
            let cookie = try await harness.signIn(WebHarness.mike)
            let portfolio = try await harness.page("/app", cookie: cookie)
            let acme = try await harness.page("/app/customers/cus_acme", cookie: cookie)
            let tickets = try await harness.page("/app/tickets", cookie: cookie)
            let open = try #require(WebHarness.value("stat-open", in: portfolio))
            let acmeOpen = try #require(WebHarness.value("stat-open", in: acme))
            let ticketCount = try #require(WebHarness.value("ticket-count", in: tickets))
            let link = try await WebLoginLink.create(for: WebHarness.mike.email, store: harness.store, configuration: harness.configuration, next: "/app", now: WebHarness.now)
            try FileManager.default.createDirectory(at: Self.outputFolder, withIntermediateDirectories: true)

            try await Chromium.withPage { page in
                let signedIn = try await page.load(base + WebHarness.path(of: link))
                #expect(signedIn.url == base + "/app", "the link signed in and went on to the portfolio: \(signedIn.url)")
                let checks: [(name: String, path: String, expect: [String], charts: Int, rows: Bool)] = [
                    ("portfolio", "/app", ["Support Metrics Dashboard", "Open tickets \(open)", "Customers needing attention", "Mike Chen"], 1, true),
                    ("customer", "/app/customers/cus_acme", ["Support Metrics: Acme Corp", "Open tickets \(acmeOpen)", "Ticket volume trend", "Top issue categories"], 2, true),
                    ("tickets", "/app/tickets", ["\(ticketCount) matching tickets", "Export CSV", "Acknowledge alerts on chosen tickets"], 0, true),
                    ("escalations", "/app/escalations", ["Escalations", "escalated tickets", "Progress"], 0, false),
                    ("settings", "/app/settings", ["Notification settings", "DM me for", "P1, P2", "Save settings"], 0, false),
                ]
                for check in checks {
                    let loaded = try await page.load(base + check.path)
                    try await page.screenshot().write(to: Self.outputFolder.appendingPathComponent("\(check.name).png"))
                    #expect(loaded.url == base + check.path, "\(check.name): not sent to sign in")
                    // As read: runs of white space (between a card's title and its number) are one space.
                    let seen = loaded.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    for text in check.expect { #expect(seen.contains(text), "\(check.name) shows “\(text)”: \(seen.prefix(600))") }
                    #expect(loaded.charts >= check.charts, "\(check.name): \(loaded.charts) charts")
                    if check.rows { #expect(loaded.tableRows > 0, "\(check.name) has table rows") }
                }
                // Keyboard: the first Tab reaches the skip link, the next the navigation.
                _ = try await page.load(base + "/app")
                #expect(try await page.tab().hasPrefix("A Skip to content #main"))
                #expect(try await page.tab().contains("/app"))
                // A phone: the customer page reflows to its width (tables scroll inside their box).
                try await page.viewport(width: 390, height: 844, mobile: true)
                let phone = try await page.load(base + "/app/customers/cus_acme")
                try await page.screenshot().write(to: Self.outputFolder.appendingPathComponent("customer-phone.png"))
                #expect(phone.text.contains("Support Metrics: Acme Corp"))
                #expect(try await page.overflow() <= 0, "no sideways scrolling on a phone")
                let errors = await page.errors()
                #expect(errors.isEmpty, "the pages logged errors: \(errors)")
            }
            for name in ["portfolio", "customer", "tickets", "escalations", "settings", "customer-phone"] {
                #expect(FileManager.default.fileExists(atPath: Self.outputFolder.appendingPathComponent("\(name).png").path))
            }
        }
    }
}
