import Foundation
import NIOSSL

/// How to reach and log in to the submission server.
public struct SMTPConfiguration: Sendable {
    public enum Security: String, Sendable, CaseIterable {
        /// Connect in clear text and upgrade with STARTTLS before anything else (submission, 587).
        case startTLS = "starttls"
        /// TLS from the first byte (submissions, 465).
        case tls
        /// No encryption at all: for a server on loopback (tests, a local relay) only.
        case none

        public var defaultPort: Int {
            switch self {
            case .startTLS: 587
            case .tls: 465
            case .none: 25
            }
        }
    }

    public struct Credentials: Sendable {
        public var username: String
        public var password: String
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// Time limits. Each is enforced by the connection itself (a scheduled task on its event
    /// loop), so a server that stops talking cannot hold a send, or the outbox, forever.
    public struct Timeouts: Sendable {
        public var connect: Duration
        /// For the greeting and each command's reply.
        public var reply: Duration
        /// For the reply after the final `.`: servers scan the message before answering,
        /// so RFC 5321 §4.5.3.2.6 asks clients to wait longer here (10 minutes).
        public var dataTermination: Duration

        public init(connect: Duration = .seconds(30), reply: Duration = .seconds(120), dataTermination: Duration = .seconds(600)) {
            self.connect = connect
            self.reply = reply
            self.dataTermination = dataTermination
        }
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var credentials: Credentials?
    /// The name given in EHLO: this machine's name, as RFC 5321 §4.1.4 asks.
    public var heloName: String
    public var timeouts: Timeouts
    /// Trust roots, minimum version and so on; the system's trust store by default. Tests
    /// trust their self-signed certificate through it.
    public var tls: TLSConfiguration

    public init(
        host: String, port: Int? = nil, security: Security = .startTLS, credentials: Credentials? = nil,
        heloName: String? = nil, timeouts: Timeouts = Timeouts(), tls: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.host = host
        self.port = port ?? security.defaultPort
        self.security = security
        self.credentials = credentials
        self.heloName = heloName ?? Self.defaultHeloName()
        self.timeouts = timeouts
        self.tls = tls
    }

    /// True for names and addresses that never leave the machine.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host == "[::1]" { return true }
        // 127.0.0.0/8 as an address only: "127.mail.example.com" is a name like any other.
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    static func defaultHeloName() -> String {
        let name = ProcessInfo.processInfo.hostName
        // A name with spaces or nothing at all would make EHLO a syntax error.
        return name.isEmpty || name.contains(" ") ? "localhost" : name
    }
}
