import TicketPulseEmail

extension Doctor {
    static let emailTitle = "Email (SMTP)"

    /// Logs in to the submission server as a send would (EHLO, STARTTLS, AUTH) and QUITs.
    func checkEmail(_ configuration: AppConfiguration) async -> [DoctorLine] {
        guard let email = configuration.email else {
            return [DoctorLine(.warning, Self.emailTitle, "not configured: digests and outreach go through Slack only",
                               fix: "to send email, add an email: section (README, Email)")]
        }
        var smtp: SMTPConfiguration
        do {
            smtp = try email.clientConfiguration()
        } catch {
            return [DoctorLine(.failed, Self.emailTitle, error.description, fix: "put the SMTP password in \(email.passwordVariable) (under systemd: /etc/ticketpulse/ticketpulse.env) and restart")]
        }
        // Each step within the doctor's limit (the client enforces its own timeouts).
        smtp.timeouts = SMTPConfiguration.Timeouts(connect: dependencies.timeout, reply: dependencies.timeout, dataTermination: dependencies.timeout)
        let server = "\(email.host):\(email.port) (\(email.security.rawValue))"
        let login = email.username.map { " as \($0)" } ?? " (no login configured)"
        let configured = smtp
        return [await timed({
            try await SMTPClient(configuration: configured).verify()
            return DoctorLine(.passed, Self.emailTitle, "logged in to \(server)\(login)")
        }, failure: { error in
            DoctorLine(.failed, Self.emailTitle, "\(server): \(error)", fix: Self.emailFix(error as? SMTPError, passwordVariable: email.passwordVariable))
        })]
    }

    static func emailFix(_ error: SMTPError?, passwordVariable: String) -> String {
        switch error {
        case .rejected(.authentication, _)?, .noSupportedAuthMechanism?:
            "check email.username and the password in \(passwordVariable) (many providers want an app password for SMTP)"
        case .startTLSUnavailable?, .tls?:
            "check email.security and email.port: starttls on 587, tls on 465; the server's certificate must be valid for email.host"
        case .connectFailed?, .timedOut?:
            "check email.host and email.port, and that this machine may reach them (firewall, provider blocks)"
        default:
            "check the email: settings against your provider's SMTP submission settings"
        }
    }
}
