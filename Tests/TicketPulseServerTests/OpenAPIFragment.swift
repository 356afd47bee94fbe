import Foundation

/// An OpenAPI document in `docs/`, read to check that what the routes answer is what it
/// describes: every status documented, every body valid against its schema (the subset of
/// JSON Schema the document uses: `$ref`, `type`, `required`, `properties`,
/// `additionalProperties: false`, `items`, `enum`, `oneOf`).
struct OpenAPIFragment {
    let document: [String: Any]

    init(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs").appendingPathComponent(name)
        document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }

    /// What is wrong with answering `body` with `status` to `method path`; empty when nothing.
    func violations(path: String, method: String, status: Int, body: Any) -> [String] {
        let paths = document["paths"] as? [String: Any]
        guard let operation = (paths?[path] as? [String: Any])?[method.lowercased()] as? [String: Any] else {
            return ["\(method) \(path) is not in the document"]
        }
        guard let response = (operation["responses"] as? [String: Any])?[String(status)] as? [String: Any] else {
            return ["\(method) \(path) does not document \(status)"]
        }
        guard let schema = ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] else {
            return ["\(method) \(path) \(status) has no JSON schema"]
        }
        return violations(body, schema, at: "\(method) \(path) \(status)")
    }

    private func resolved(_ schema: [String: Any]) -> [String: Any] {
        guard let reference = schema["$ref"] as? String, reference.hasPrefix("#/components/schemas/") else { return schema }
        let name = String(reference.dropFirst("#/components/schemas/".count))
        return ((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] ?? [:]
    }

    private func violations(_ value: Any, _ raw: [String: Any], at place: String) -> [String] {
        let schema = resolved(raw)
        if let choices = schema["oneOf"] as? [[String: Any]] {
            return choices.contains { violations(value, $0, at: place).isEmpty } ? [] : ["\(place): matches none of oneOf"]
        }
        if let allowed = schema["enum"] as? [String], let text = value as? String, !allowed.contains(text) {
            return ["\(place): '\(text)' is not one of \(allowed)"]
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return ["\(place): not an object"] }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            var found = (schema["required"] as? [String] ?? []).filter { object[$0] == nil }.map { "\(place): \($0) is required" }
            if schema["additionalProperties"] as? Bool == false {
                found += object.keys.filter { properties[$0] == nil }.sorted().map { "\(place): \($0) is not described" }
            }
            for (key, item) in object { if let property = properties[key] { found += violations(item, property, at: "\(place).\(key)") } }
            return found
        case "array":
            guard let items = value as? [Any] else { return ["\(place): not an array"] }
            let schema = schema["items"] as? [String: Any] ?? [:]
            return items.enumerated().flatMap { violations($1, schema, at: "\(place)[\($0)]") }
        case "string":
            return value is String ? [] : ["\(place): not a string"]
        case "integer":
            // JSON's booleans are NSNumbers of type code "c" (`is Bool` holds for 0 and 1 too).
            let integral = (value as? NSNumber).map { String(cString: $0.objCType) != "c" && $0.doubleValue == $0.doubleValue.rounded() } ?? false
            return integral ? [] : ["\(place): not an integer"]
        default:
            return []
        }
    }
}
