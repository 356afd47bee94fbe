import Foundation

enum Authorization {
    static func basic(user: String, password: String) -> (String, String) {
        ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
    }

    static func bearer(_ token: String) -> (String, String) {
        ("Authorization", "Bearer " + token)
    }
}

extension String {
    /// For query values; `+` and `:` escaped too because sources read them as space / separators.
    var queryEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self
    }
}
