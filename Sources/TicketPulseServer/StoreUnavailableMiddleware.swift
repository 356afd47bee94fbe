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
    /// The one 503 answer for a store that failed, whichever route met it.
    static func storeUnavailable(_ failure: any Error) -> Response {
        let message = (failure as? StoreUnavailable)?.description ?? "the store could not be read or written: \(failure)"
        return error(.serviceUnavailable, code: "store_unavailable", message: message, headers: [.retryAfter: "5"])
    }
}
