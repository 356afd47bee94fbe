/// The `Encoder` a value's `encode(to:)` is handed by `StreamingJSONEncoder`: a value slot
/// in the writer.
///
/// Three words at most, so that `any Encoder` holds it inline: one is made per nested value.
struct StreamingValueEncoder: Encoder {
    let writer: JSONByteWriter
    /// Negative for a super encoder's: it may be used after its parent went on, which
    /// `JSONEncoder` allows and this encoder hands to `JSONEncoder`.
    let slot: Int
    private let frameIndex: Int32
    private let pathLength: Int32

    init(writer: JSONByteWriter, slot: Int, depth: Int, pathCount: Int) {
        self.writer = writer
        self.slot = slot
        frameIndex = Int32(truncatingIfNeeded: depth)
        pathLength = Int32(truncatingIfNeeded: pathCount)
    }

    /// The frame index this value's container gets.
    var depth: Int { Int(frameIndex) }
    var pathCount: Int { Int(pathLength) }

    var codingPath: [any CodingKey] { writer.codingPath(pathCount) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) -> KeyedEncodingContainer<Key> {
        let frame = writer.openContainer(.object, slot: slot, depth: depth, pathCount: pathCount)
        return KeyedEncodingContainer(StreamingObjectContainer<Key>(writer: writer, index: frame.index, id: frame.id))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let frame = writer.openContainer(.array, slot: slot, depth: depth, pathCount: pathCount)
        return StreamingArrayContainer(writer: writer, index: frame.index, id: frame.id)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingleValueContainer(encoder: self)
    }
}

/// A JSON object being written: each `encode` writes `"key":value` at once.
struct StreamingObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONByteWriter
    let index: Int
    let id: Int

    var codingPath: [any CodingKey] {
        writer.codingPath(index >= 0 && index < writer.frames.count ? writer.frames[index].pathCount : writer.keys.count)
    }

    private func begin(_ key: Key) throws { try writer.beginMember(key.stringValue, index: index, id: id) }

    mutating func encodeNil(forKey key: Key) throws { try begin(key); writer.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try begin(key); writer.writeBool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try begin(key); writer.writeString(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try begin(key); try writer.writeDouble(value, key: key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try begin(key); try writer.writeFloat(value, key: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try begin(key)
        try writer.writeValue(value, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let frame = nested(.object, key)
        return KeyedEncodingContainer(StreamingObjectContainer<NestedKey>(writer: writer, index: frame.index, id: frame.id))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let frame = nested(.array, key)
        return StreamingArrayContainer(writer: writer, index: frame.index, id: frame.id)
    }

    /// Non-throwing by protocol: a failure is kept in the writer and thrown at the end.
    private func nested(_ kind: JSONByteWriter.Frame.Kind, _ key: Key) -> (index: Int, id: Int) {
        do {
            try begin(key)
            return writer.openNested(kind, key: key)
        } catch {
            writer.fail(error)
            return (-1, -1)
        }
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: StreamingCodingKey.super) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        do {
            try writer.beginMember(key.stringValue, index: index, id: id)
        } catch {
            writer.fail(error)
        }
        return writer.openSuperSlot(key: key)
    }
}

/// A JSON array being written.
struct StreamingArrayContainer: UnkeyedEncodingContainer {
    let writer: JSONByteWriter
    let index: Int
    let id: Int

    var codingPath: [any CodingKey] {
        writer.codingPath(isOpen ? writer.frames[index].pathCount : writer.keys.count)
    }

    var count: Int { isOpen ? writer.frames[index].count : 0 }

    private var isOpen: Bool { index >= 0 && index < writer.frames.count && writer.frames[index].id == id }

    @discardableResult
    private func begin() throws -> Int { try writer.beginElement(index: index, id: id) }

    mutating func encodeNil() throws { try begin(); writer.writeNull() }
    mutating func encode(_ value: Bool) throws { try begin(); writer.writeBool(value) }
    mutating func encode(_ value: String) throws { try begin(); writer.writeString(value) }
    mutating func encode(_ value: Double) throws { try writer.writeDouble(value, key: StreamingCodingKey(index: try begin())) }
    mutating func encode(_ value: Float) throws { try writer.writeFloat(value, key: StreamingCodingKey(index: try begin())) }
    mutating func encode(_ value: Int) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try begin(); writer.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let element = try begin()
        try writer.writeValue(value, key: StreamingCodingKey(index: element))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let frame = nested(.object)
        return KeyedEncodingContainer(StreamingObjectContainer<NestedKey>(writer: writer, index: frame.index, id: frame.id))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let frame = nested(.array)
        return StreamingArrayContainer(writer: writer, index: frame.index, id: frame.id)
    }

    private func nested(_ kind: JSONByteWriter.Frame.Kind) -> (index: Int, id: Int) {
        do {
            return writer.openNested(kind, key: StreamingCodingKey(index: try begin()))
        } catch {
            writer.fail(error)
            return (-1, -1)
        }
    }

    mutating func superEncoder() -> any Encoder {
        var element = count
        do {
            element = try begin()
        } catch {
            writer.fail(error)
        }
        return writer.openSuperSlot(key: StreamingCodingKey(index: element))
    }
}

/// One value written where its encoder's slot is.
struct StreamingSingleValueContainer: SingleValueEncodingContainer {
    let encoder: StreamingValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }
    private var writer: JSONByteWriter { encoder.writer }

    private func claim() throws { try writer.claim(slot: encoder.slot, pathCount: encoder.pathCount) }

    mutating func encodeNil() throws { try claim(); writer.writeNull() }
    mutating func encode(_ value: Bool) throws { try claim(); writer.writeBool(value) }
    mutating func encode(_ value: String) throws { try claim(); writer.writeString(value) }
    mutating func encode(_ value: Double) throws { try claim(); try writer.writeDouble(value, key: nil) }
    mutating func encode(_ value: Float) throws { try claim(); try writer.writeFloat(value, key: nil) }
    mutating func encode(_ value: Int) throws { try claim(); writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try claim(); writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try claim(); writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try claim(); writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try claim(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try claim(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try claim(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try claim(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try claim(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try claim(); writer.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try claim()
        try writer.writeValue(value, key: nil)
    }
}

/// The keys `JSONEncoder` puts on a coding path where the type gave none: an array index,
/// or "super". Only the index is stored (its text made when asked for): one is made per
/// array element, and it must stay small enough to sit in an existential unboxed.
struct StreamingCodingKey: CodingKey {
    /// nil for "super".
    let intValue: Int?

    var stringValue: String { intValue.map { "Index \($0)" } ?? "super" }

    init?(stringValue: String) {
        guard stringValue == "super" else { return nil }
        intValue = nil
    }

    init(intValue: Int) { self.intValue = intValue }

    init(index: Int) { self.init(intValue: index) }

    private init() { intValue = nil }

    static let `super` = StreamingCodingKey()
}
