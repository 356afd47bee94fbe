import Foundation
import Hummingbird

/// A documented /api path asked with a method it does not take answers 405 with `Allow`
/// (the router alone would say 404, as if the path did not exist). The paths and methods
/// are docs/openapi.json's, which a test keeps equal to the routes. Added after the routes,
/// so it sees only what no route answered.
struct APIMethodNotAllowed<Context: RequestContext>: RouterMiddleware {
    /// Each documented path as segments (nil: a parameter) with its methods.
    let paths: [(segments: [String?], methods: [String])]

    init(document: Data?) {
        let object = document.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        let items = object?["paths"] as? [String: [String: Any]] ?? [:]
        paths = items.map { path, item in
            let segments = path.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }
            let methods = item.keys.map { $0.uppercased() }.filter { ["GET", "POST", "PUT", "PATCH", "DELETE"].contains($0) }.sorted()
            return (segments, methods)
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let segments = request.uri.path.split(separator: "/").map(String.init)
            guard segments.first == "api", let allowed = methods(for: segments), !allowed.contains(request.method.rawValue) else { throw error }
            var response = APIError(.methodNotAllowed, code: "method_not_allowed", message: "\(request.method) is not allowed here; use \(allowed.joined(separator: ", "))").response
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }

    /// The methods of the documented path `segments` match, literal segments first (as the
    /// router prefers them).
    func methods(for segments: [String]) -> [String]? {
        let matching = paths.filter { path in
            path.segments.count == segments.count && zip(path.segments, segments).allSatisfy { $0 == nil || $0 == $1 }
        }
        return matching.max { $0.segments.compactMap { $0 }.count < $1.segments.compactMap { $0 }.count }?.methods
    }
}
