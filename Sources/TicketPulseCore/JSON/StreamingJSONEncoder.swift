import Foundation

/// Encodes an `Encodable` value as JSON bytes, written straight into one growable buffer as
/// the value's `encode(to:)` runs.
///
/// Why not `JSONEncoder`: it first builds a tree of boxed JSON values (a dictionary per
/// object), then serialises the tree; on the Slack answer path that tree was ~5.5% of all
/// `serve` CPU (issue 15). The value's own `Codable` conformance stays the one description
/// of its JSON; only the writing differs.
///
/// Output is the same JSON value `JSONEncoder` (default strategies) gives: keys in encode
/// order unless `.sortedKeys`, `encodeIfPresent(nil)` omitted, a value that encodes nothing
/// as `{}`, `URL` as its absolute string, `Data` as Base64, `Decimal` as a number, `Date`
/// through its own `encode(to:)` (`deferredToDate`), non-finite floating point refused with
/// `EncodingError.invalidValue`. Two things differ in bytes, not in meaning: `/` is written
/// as is unless `.escapingSlashes` (JSON readers take both), and a key encoded twice in one
/// container is written twice where `JSONEncoder` kept the last.
///
/// A type that writes to a container after a later sibling was started (a parent key after
/// a nested container was left, then the nested one again, or a kept `superEncoder`) cannot
/// be streamed: that value is encoded again by `JSONEncoder` with the same options.
public struct StreamingJSONEncoder: Sendable {
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Object keys in ascending order, as `JSONEncoder`'s `.sortedKeys`: the same value
        /// is the same bytes whatever order its `encode(to:)` writes them in.
        public static let sortedKeys = Options(rawValue: 1 << 0)
        /// `/` as `\/`, as `JSONEncoder` writes it by default (for JSON pasted into HTML).
        public static let escapingSlashes = Options(rawValue: 1 << 1)
    }

    public var options: Options

    public init(options: Options = []) {
        self.options = options
    }

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try encode(value, appendingTo: &bytes)
        return bytes
    }

    /// Appends `value`'s JSON to `bytes` (a journal line adds its newline without a copy).
    /// On a throw, `bytes` is as it was.
    public func encode<T: Encodable>(_ value: T, appendingTo bytes: inout [UInt8]) throws {
        let start = bytes.count
        if bytes.capacity - start < 1024 { bytes.reserveCapacity(start + 1024) }
        // Moved, not copied: the writer holds the only reference while it appends.
        let writer = JSONByteWriter(bytes: bytes, options: options)
        bytes = []
        defer { swap(&bytes, &writer.bytes) }
        do {
            try writer.encodeTopLevel(value)
        } catch let error {
            writer.bytes.removeSubrange(start...)
            guard error is JSONByteWriter.Interleaved else { throw error }
            writer.bytes.append(contentsOf: try foundationEncoder.encode(value))
        }
    }

    /// `JSONEncoder` set up to write what this encoder writes, for the values it cannot stream.
    var foundationEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        var formatting: JSONEncoder.OutputFormatting = []
        if options.contains(.sortedKeys) { formatting.insert(.sortedKeys) }
        if !options.contains(.escapingSlashes) { formatting.insert(.withoutEscapingSlashes) }
        encoder.outputFormatting = formatting
        return encoder
    }
}
