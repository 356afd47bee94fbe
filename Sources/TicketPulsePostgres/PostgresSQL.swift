import PostgresNIO

/// A statement built in pieces (optional filters, repeated parts), its values bound as
/// `$n` parameters in the order they are added. Lists are bound as one array parameter
/// (`= ANY($n)`), so the text stays the same whatever their length.
struct PostgresSQL {
    var text: String
    var binds = PostgresBindings()

    init(_ text: String = "") { self.text = text }

    /// Binds `value` and returns its placeholder.
    mutating func bind<T: PostgresNonThrowingEncodable>(_ value: T) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func bind<T: PostgresNonThrowingEncodable>(_ value: T?) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func append(_ fragment: String) { text += fragment }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: binds) }
}
