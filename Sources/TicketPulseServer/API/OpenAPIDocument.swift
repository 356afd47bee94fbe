import Foundation
import Hummingbird

/// `docs/openapi.json`, the API's source of truth, served as it is. Found like `prompts/`
/// and `intents/`: `TICKETPULSE_OPENAPI`, else `docs/` under the working directory, else
/// beside the sources (a fresh `swift run`). Read once.
enum OpenAPIDocument {
    static let data: Data? = {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["TICKETPULSE_OPENAPI"], !explicit.isEmpty { candidates.append(URL(fileURLWithPath: explicit)) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("docs/openapi.json"))
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/openapi.json").standardized)
        return candidates.lazy.compactMap { try? Data(contentsOf: $0) }.first
    }()

    static func response() -> Response {
        guard let data else {
            return JSONResponse.error(.serviceUnavailable, code: "openapi_missing", message: "docs/openapi.json was not found; set TICKETPULSE_OPENAPI to its path")
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
