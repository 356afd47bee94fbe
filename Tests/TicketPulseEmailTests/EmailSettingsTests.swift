import Testing
@testable import TicketPulseEmail

/// The `email:` section's checks, each error naming its key.
@Suite("email: settings")
struct EmailSettingsTests {
    @Test("Defaults: STARTTLS on 587, the password from TICKETPULSE_SMTP_PASSWORD")
    func defaults() throws {
        let settings = try EmailSettings(
            file: .init(host: "smtp.example.com", from: "TicketPulse <ticketpulse@example.com>", username: "ticketpulse@example.com"),
            environment: ["TICKETPULSE_SMTP_PASSWORD": "hunter2"]
        )
        #expect(settings.security == .startTLS)
        #expect(settings.port == 587)
        #expect(settings.from == (try EmailAddress("ticketpulse@example.com", name: "TicketPulse")))
        #expect(settings.passwordVariable == "TICKETPULSE_SMTP_PASSWORD")
        let client = try settings.clientConfiguration()
        #expect(client.host == "smtp.example.com" && client.port == 587 && client.security == .startTLS)
        #expect(client.credentials?.username == "ticketpulse@example.com")
        #expect(client.credentials?.password == "hunter2")
    }

    @Test("Implicit TLS defaults to 465; a named variable holds the password; no username, no AUTH")
    func tlsAndVariable() throws {
        let tls = try EmailSettings(file: .init(host: "smtp.example.com", security: "tls", from: "a@example.com"), environment: [:])
        #expect(tls.port == 465)
        #expect(try tls.clientConfiguration().credentials == nil)
        let named = try EmailSettings(file: .init(host: "smtp.example.com", port: "2525", from: "a@example.com", username: "u", password_env: "MY_SMTP"), environment: ["MY_SMTP": "pw"])
        #expect(named.port == 2525)
        #expect(try named.clientConfiguration().credentials?.password == "pw")
    }

    @Test("A username without its password fails when a client is made, naming the variable")
    func missingPassword() throws {
        let settings = try EmailSettings(file: .init(host: "smtp.example.com", from: "a@example.com", username: "u"), environment: [:])
        let error = #expect(throws: EmailSettingsError.self) { try settings.clientConfiguration() }
        #expect(error?.description.contains("email.password_env: TICKETPULSE_SMTP_PASSWORD is not set") == true)
    }

    @Test("Bad values are refused with the key named", arguments: [
        (EmailSettings.File(from: "a@example.com"), "email.host"),
        (EmailSettings.File(host: "smtp.example.com"), "email.from"),
        (EmailSettings.File(host: "smtp.example.com", from: "not an address"), "email.from"),
        (EmailSettings.File(host: "smtp.example.com", port: "99999", from: "a@example.com"), "email.port"),
        (EmailSettings.File(host: "smtp.example.com", port: "abc", from: "a@example.com"), "email.port"),
        (EmailSettings.File(host: "smtp.example.com", security: "ssl", from: "a@example.com"), "email.security"),
        (EmailSettings.File(host: "smtp.example.com", security: "none", from: "a@example.com"), "email.security"),
        (EmailSettings.File(host: "smtp.example.com", from: "a@example.com", password_env: "not a name"), "email.password_env"),
        (EmailSettings.File(host: "smtp.example.com", from: "a@example.com", helo_name: "two words"), "email.helo_name"),
    ])
    func refused(file: EmailSettings.File, key: String) {
        let error = #expect(throws: EmailSettingsError.self) { try EmailSettings(file: file, environment: [:]) }
        #expect(error?.description.hasPrefix(key) == true, "\(String(describing: error))")
    }

    @Test("security: none is allowed for loopback hosts, and only for them")
    func plainLoopback() throws {
        for host in ["127.0.0.1", "127.0.0.2", "localhost", "::1"] {
            #expect(try EmailSettings(file: .init(host: host, security: "none", from: "a@example.com"), environment: [:]).port == 25)
        }
        for host in ["127.mail.example.com", "10.0.0.1", "smtp.example.com"] {
            #expect(throws: EmailSettingsError.self) { try EmailSettings(file: .init(host: host, security: "none", from: "a@example.com"), environment: [:]) }
        }
    }
}
