import Hummingbird
import TicketPulseStorage

/// A request that reached the store while it was unreachable (PostgreSQL down or cut off)
/// answers 503 with a JSON error and a `Retry-After`, whichever route it came by: Slack and
/// the support systems retry a 503, and the store's transactions left nothing half written.
struct StoreUnavailableMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StoreUnavailable {
            return JSONResponse.storeUnavailable(error)
        }
    }
}

extension JSONResponse {
    static func storeUnavailable(_ failure: StoreUnavailable) -> Response {
        error(.serviceUnavailable, code: "store_unavailable", message: failure.description, headers: [.retryAfter: "5"])
    }
}
