import Foundation

/// The state of one `StreamingJSONEncoder.encode`: the bytes so far and the containers
/// still open, innermost last.
///
/// A container is closed (its `}` or `]` written) lazily: when a write lands in a container
/// further out, or when the value that opened it has returned from `encode(to:)`. Each
/// container knows its frame by index and id; a write to a frame that is no longer open
/// (its id gone from that index) is an interleaving this writer cannot stream, and the
/// whole value falls back to `JSONEncoder` (`Interleaved`).
final class JSONByteWriter {
    struct Interleaved: Error {}

    struct Frame {
        enum Kind { case object, array, slot }

        var id: Int
        var kind: Kind
        /// The value slot (see `pendingSlot`) whose container this is; 0 for a nested container.
        var owner: Int
        var count = 0
        /// How many of `keys` make this container's coding path.
        var pathCount: Int
        /// A nested container or a super encoder pushed its key; closing pops it.
        var pushedKey: Bool
        /// For `.sortedKeys`: each member's key and where its `"key":` starts.
        var members: [(key: String, start: Int)] = []
    }

    // Unchecked exclusivity: every append to a class's property was a dynamic access check
    // (~12% of the encoder's time, measured). A writer lives inside one `encode` call on one
    // thread and no method holds an access across a call that could reach the same property.
    @exclusivity(unchecked) var bytes: [UInt8]
    @exclusivity(unchecked) var frames: [Frame] = []
    /// The coding path of what is being written (containers keep a prefix length of it).
    @exclusivity(unchecked) var keys: [any CodingKey] = []
    /// The one value slot that may be written now: a key (or an array's comma) was written
    /// and its value not yet. 0 when none.
    @exclusivity(unchecked) var pendingSlot = 0
    /// Set by a non-throwing call (`container(keyedBy:)`, `nestedContainer`) that could not
    /// be honoured; thrown at the end even if nothing wrote through that container.
    @exclusivity(unchecked) var failure: (any Error)?
    @exclusivity(unchecked) private var lastID = 0
    private let sortsKeys: Bool
    private let escapesSlashes: Bool

    init(bytes: [UInt8], options: StreamingJSONEncoder.Options) {
        self.bytes = bytes
        sortsKeys = options.contains(.sortedKeys)
        escapesSlashes = options.contains(.escapingSlashes)
    }

    func nextID() -> Int {
        lastID += 1
        return lastID
    }

    func codingPath(_ count: Int) -> [any CodingKey] { Array(keys.prefix(min(count, keys.count))) }

    func encodeTopLevel<T: Encodable>(_ value: T) throws {
        try writeValue(value, key: nil)
        close(downTo: 0)
        if let failure { throw failure }
    }

    // MARK: Values

    /// Writes `value` where a value is due: primitives and Foundation's special cases
    /// directly, anything else through its `encode(to:)`, then closes what it left open.
    func writeValue<T: Encodable>(_ value: T, key: (any CodingKey)?) throws {
        // Metatype comparisons: cheap, and they catch the generic paths (`Array<String>`'s
        // elements arrive here as `T`) before a container is made for one string.
        // The metatype is checked, so the value is reinterpreted rather than cast (a runtime
        // `as!` in this unspecialised code showed in the profile).
        if T.self == String.self { return writeString(unsafeBitCast(value, to: String.self)) }
        if T.self == Bool.self { return writeBool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Int.self { return writeInteger(unsafeBitCast(value, to: Int.self)) }
        if T.self == Double.self { return try writeDouble(unsafeBitCast(value, to: Double.self), key: key) }
        if T.self == URL.self { return writeString((value as! URL).absoluteString) }
        if T.self == Data.self { return writeString((value as! Data).base64EncodedString()) }
        if T.self == Decimal.self { return writeASCII((value as! Decimal).description) }
        let depth = frames.count
        if let key { keys.append(key) }
        let slot = nextID()
        pendingSlot = slot
        try value.encode(to: StreamingValueEncoder(writer: self, slot: slot, depth: depth, pathCount: keys.count))
        close(downTo: depth)
        if pendingSlot == slot {
            writeASCII("{}")
            pendingSlot = 0
        }
        if key != nil { keys.removeLast() }
    }

    func writeNull() { writeASCII("null") }

    func writeBool(_ value: Bool) { writeASCII(value ? "true" : "false") }

    func writeInteger<T: FixedWidthInteger>(_ value: T) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // Digits right to left into a scratch buffer: 39 fit any 128-bit magnitude.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    /// The shortest text that reads back as `value`, with `JSONEncoder`'s trailing ".0"
    /// dropped; JSON has no infinity or NaN, so those throw as `JSONEncoder`'s default does.
    func writeDouble(_ value: Double, key: (any CodingKey)?) throws {
        guard value.isFinite else { throw nonFinite(value, key: key) }
        writeNumber(value.description)
    }

    func writeFloat(_ value: Float, key: (any CodingKey)?) throws {
        guard value.isFinite else { throw nonFinite(value, key: key) }
        writeNumber(value.description)
    }

    private func writeNumber(_ text: String) {
        var text = text
        if text.hasSuffix(".0") { text.removeLast(2) }
        writeASCII(text)
    }

    private func nonFinite(_ value: some BinaryFloatingPoint, key: (any CodingKey)?) -> EncodingError {
        var path = keys
        if let key { path.append(key) }
        return EncodingError.invalidValue(value, EncodingError.Context(
            codingPath: path, debugDescription: "Unable to encode \(type(of: value)).\(value) directly in JSON."))
    }

    func writeASCII(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func writeASCII(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeEscaped($0) }
    }

    /// `"…"` with what JSON requires escaped (quote, backslash, U+0000–U+001F), copying the
    /// runs between escapes whole.
    private func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = utf8.count
        while index < count {
            // Eight clean bytes at a time: most of a message's text needs no escape.
            while index + 8 <= count, !Self.needsEscape(UnsafeRawPointer(utf8.baseAddress! + index).loadUnaligned(as: UInt64.self), slashes: escapesSlashes) {
                index += 8
            }
            guard index < count else { break }
            let byte = utf8[index]
            index += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || (byte == UInt8(ascii: "/") && escapesSlashes) else { continue }
            let escaped = index - 1
            if runStart < escaped { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<escaped])) }
            runStart = index
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            default:
                let hex: StaticString = "0123456789abcdef"
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)]])
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes in `word` is below 0x20, a quote, a backslash (or a
    /// slash): the classic "has a byte less than n" and "has a zero byte" bit tests, exact
    /// for existence. Bytes of multi-byte UTF-8 (0x80 and up) never match.
    private static func needsEscape(_ word: UInt64, slashes: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        if (word &- ones &* 0x20) & ~word & highs != 0 { return true }
        if hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\"")))) || hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\\")))) { return true }
        return slashes && hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "/"))))
    }

    // MARK: Containers

    /// Opens the container of the value in `slot`, or finds it open already (a second
    /// `container(keyedBy:)` on one encoder writes into the same object, as with
    /// `JSONEncoder`). The frame's index and id, or (-1, -1) with `failure` set.
    func openContainer(_ kind: Frame.Kind, slot: Int, depth: Int, pathCount: Int) -> (index: Int, id: Int) {
        if pendingSlot == slot, frames.count == depth {
            pendingSlot = 0
            bytes.append(kind == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
            let id = nextID()
            frames.append(Frame(id: id, kind: kind, owner: slot, pathCount: pathCount, pushedKey: false))
            return (depth, id)
        }
        if depth < frames.count, frames[depth].owner == slot {
            guard frames[depth].kind == kind else {
                fail(EncodingError.invalidValue(kind == .object ? "keyed container" : "unkeyed container", EncodingError.Context(
                    codingPath: codingPath(pathCount), debugDescription: "Asked for a different kind of container than this encoder already has.")))
                return (-1, -1)
            }
            return (depth, frames[depth].id)
        }
        // A kept super encoder used after its parent went on: JSONEncoder can do that one.
        fail(slot < 0 ? Interleaved() : EncodingError.invalidValue("container", EncodingError.Context(
            codingPath: codingPath(pathCount), debugDescription: "This encoder's value was already encoded.")))
        return (-1, -1)
    }

    /// Takes `slot` for a single value; throws when it is no longer the value due.
    func claim(slot: Int, pathCount: Int) throws {
        guard pendingSlot == slot else {
            if slot < 0 { throw Interleaved() }
            throw EncodingError.invalidValue("value", EncodingError.Context(
                codingPath: codingPath(pathCount), debugDescription: "Attempt to encode value through single value container when previously value already encoded."))
        }
        pendingSlot = 0
    }

    /// Writes `"key":` in the object at `index` (closing anything open inside it first);
    /// its value is to follow.
    func beginMember(_ key: String, index: Int, id: Int) throws {
        try enter(index: index, id: id)
        if frames[index].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[index].count += 1
        if sortsKeys { frames[index].members.append((key, bytes.count)) }
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Writes the comma before the next element of the array at `index`; returns its index.
    func beginElement(index: Int, id: Int) throws -> Int {
        try enter(index: index, id: id)
        if frames[index].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[index].count += 1
        return frames[index].count - 1
    }

    private func enter(index: Int, id: Int) throws {
        guard index >= 0, index < frames.count, frames[index].id == id else { throw failure ?? Interleaved() }
        if frames.count > index + 1 { close(downTo: index + 1) }
    }

    /// A nested container opened in place, its key on the path until it is closed.
    func openNested(_ kind: Frame.Kind, key: any CodingKey) -> (index: Int, id: Int) {
        bytes.append(kind == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        keys.append(key)
        let id = nextID()
        frames.append(Frame(id: id, kind: kind, owner: 0, pathCount: keys.count, pushedKey: true))
        return (frames.count - 1, id)
    }

    /// A value slot for a super encoder, kept open (as a frame that writes nothing) until
    /// its parent writes again; an unused one is written as `{}`, as `JSONEncoder` does.
    func openSuperSlot(key: any CodingKey) -> StreamingValueEncoder {
        keys.append(key)
        // Negative: the encoder knows itself as a super encoder by its slot alone.
        let slot = -nextID()
        frames.append(Frame(id: nextID(), kind: .slot, owner: slot, pathCount: keys.count, pushedKey: true))
        pendingSlot = slot
        return StreamingValueEncoder(writer: self, slot: slot, depth: frames.count, pathCount: keys.count)
    }

    func fail(_ error: any Error) {
        if failure == nil { failure = error }
    }

    /// Writes the closing of every frame from the innermost down to `count` left open.
    func close(downTo count: Int) {
        while frames.count > count {
            let frame = frames.removeLast()
            switch frame.kind {
            case .object:
                if sortsKeys { sortMembers(of: frame) }
                bytes.append(UInt8(ascii: "}"))
            case .array:
                bytes.append(UInt8(ascii: "]"))
            case .slot:
                if pendingSlot == frame.owner {
                    writeASCII("{}")
                    pendingSlot = 0
                }
            }
            if frame.pushedKey { keys.removeLast() }
        }
    }

    /// Reorders the members of the object being closed by key, in place. Its inner
    /// objects were closed (and sorted) before it.
    private func sortMembers(of frame: Frame) {
        let members = frame.members
        guard members.count > 1 else { return }
        let end = bytes.count
        var ranges: [(key: String, range: Range<Int>)] = []
        ranges.reserveCapacity(members.count)
        for (offset, member) in members.enumerated() {
            // Each member but the last ends at the comma before the next one.
            let memberEnd = offset + 1 < members.count ? members[offset + 1].start - 1 : end
            ranges.append((member.key, member.start..<memberEnd))
        }
        if zip(ranges, ranges.dropFirst()).allSatisfy({ $0.key <= $1.key }) { return }
        var sorted: [UInt8] = []
        sorted.reserveCapacity(end - members[0].start)
        for (offset, member) in ranges.sorted(by: { $0.key < $1.key }).enumerated() {
            if offset > 0 { sorted.append(UInt8(ascii: ",")) }
            sorted.append(contentsOf: bytes[member.range])
        }
        bytes.replaceSubrange(members[0].start..<end, with: sorted)
    }
}
