/// Why an inbound Slack payload could not be read; the server answers 400 with
/// `{"error": code, "message": message}`.
public enum SlackDecodingError: Error, Sendable, Equatable {
    case malformedJSON(String)
    case malformedForm(String)
    case missingField(String)

    public var code: String {
        switch self {
        case .malformedJSON: "malformed_json"
        case .malformedForm: "malformed_form"
        case .missingField: "missing_field"
        }
    }

    public var message: String {
        switch self {
        case .malformedJSON(let detail): "The body is not valid JSON: \(detail)"
        case .malformedForm(let detail): "The body is not a valid form: \(detail)"
        case .missingField(let name): "The payload has no `\(name)`."
        }
    }
}
