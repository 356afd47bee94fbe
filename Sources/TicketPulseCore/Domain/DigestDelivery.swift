/// Where a person's daily digest goes: a Slack DM (the default), an email, or both.
/// Stored by its raw value, so the names are part of the store's format.
public enum DigestDelivery: String, Sendable, Equatable, CaseIterable, Codable {
    case slack, email, both

    public var bySlack: Bool { self != .email }
    public var byEmail: Bool { self != .slack }

    /// As the settings answer shows it.
    public var label: String {
        switch self {
        case .slack: "Slack"
        case .email: "email"
        case .both: "Slack and email"
        }
    }
}
