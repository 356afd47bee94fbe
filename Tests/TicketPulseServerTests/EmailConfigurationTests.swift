import Foundation
import Testing
import TicketPulseEmail
@testable import TicketPulseServer

/// `email:` in ticketpulse.yml, read through `AppConfiguration.load` like the other sections.
@Suite("Email configuration")
struct EmailConfigurationTests {
    static func load(_ yaml: String, environment: [String: String] = [:]) throws -> AppConfiguration {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wt-email-config-\(UUID().uuidString).yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try AppConfiguration.load(path: path, databasePath: ":memory:", environment: environment)
    }

    @Test("The section is read, with the password from the named environment variable")
    func section() throws {
        let configuration = try Self.load("""
        email:
          host: smtp.example.com
          port: 465
          security: tls
          from: "TicketPulse <ticketpulse@example.com>"
          username: ticketpulse@example.com
          password_env: SMTP_PASSWORD
        """, environment: ["SMTP_PASSWORD": "pw"])
        let email = try #require(configuration.email)
        #expect(email.host == "smtp.example.com" && email.port == 465 && email.security == .tls)
        #expect(email.from.name == "TicketPulse")
        #expect(try email.clientConfiguration().credentials?.password == "pw")
    }

    @Test("No section, no email settings")
    func absent() throws {
        #expect(try Self.load("server:\n  port: 8080\n").email == nil)
    }

    @Test("Bad settings stop the load with the key named", arguments: [
        ("email:\n  host: smtp.example.com\n  from: a@example.com\n  pasword_env: X\n", "email.pasword_env: unknown key"),
        ("email:\n  host: smtp.example.com\n  from: a@example.com\n  port: [1, 2]\n", "email.port"),
        ("email:\n  host: smtp.example.com\n  from: a@example.com\n  security: ssl\n", "email.security"),
        ("email:\n  from: a@example.com\n", "email.host"),
    ])
    func refused(yaml: String, mentions: String) {
        let error = #expect(throws: ConfigurationError.self) { try Self.load(yaml) }
        #expect(error?.description.contains(mentions) == true, "\(String(describing: error))")
    }
}
