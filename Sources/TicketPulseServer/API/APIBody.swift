import Foundation
import Hummingbird

/// A JSON request body: at most 256 KB (room for the longest note however its JSON escapes
/// it, so a text too long is a 400 naming `text`), an object, decoded into `T`; anything
/// else is a 400 naming `body`.
enum APIBody {
    static let maximumSize = 262_144

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumSize)
        } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "request bodies are at most 256 KB", parameter: "body")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError.badParameter("body", "a JSON object is expected")
        }
    }
}
