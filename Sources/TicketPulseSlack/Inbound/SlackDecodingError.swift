/// Why an inbound Slack payload could not be read; the server answers 400 with
/// `{"error": code, "message": message}`.
public enum SlackDecodingError: Error, Sendable, Equatable {
    case malformedJSON(String)
    case malformedForm(String)
    case missingField(String)
    /// Valid JSON, but not an object (`null`, a number, a list): there is no field to name.
    case notAnObject

    public var code: String {
        switch self {
        case .malformedJSON: "malformed_json"
        case .malformedForm: "malformed_form"
        case .missingField: "missing_field"
        case .notAnObject: "not_an_object"
        }
    }

    public var message: String {
        switch self {
        case .malformedJSON(let detail): "The body is not valid JSON: \(detail)"
        case .malformedForm(let detail): "The body is not a valid form: \(detail)"
        case .missingField(let name): "The payload has no `\(name)`."
        case .notAnObject: "The body is JSON but not an object: a Slack payload is an object with a `type`."
        }
    }
}
