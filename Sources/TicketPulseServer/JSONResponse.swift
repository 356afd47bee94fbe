import Foundation
import Hummingbird

/// JSON bodies for acknowledgements and errors: every 4xx carries `{"error": …, "message": …}`.
enum JSONResponse {
    static func ok(_ object: [String: Any] = [:]) -> Response {
        make(.ok, object)
    }

    static func error(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) -> Response {
        make(status, ["error": code, "message": message], headers: headers)
    }

    static func make(_ status: HTTPResponse.Status, _ object: [String: Any], headers: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
