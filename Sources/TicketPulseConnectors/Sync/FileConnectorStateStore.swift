import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One JSON file per connection under `directory`, replaced atomically (temporary file
/// then rename), so a crash mid-write leaves the previous cursor, never half of one.
public struct FileConnectorStateStore: ConnectorStateStore {
    public let directory: URL

    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    public func state(connection: String) throws -> ConnectionState {
        let url = file(connection)
        guard FileManager.default.fileExists(atPath: url.path) else { return ConnectionState() }
        return try JSONDecoder().decode(ConnectionState.self, from: Data(contentsOf: url))
    }

    public func save(_ state: ConnectionState, connection: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(state)
        let target = file(connection)
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp")
        // A unique temporary name per write, so concurrent saves never share one; rename is atomic.
        try data.write(to: temporary)
        if rename(temporary.path, target.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    public func connections() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(5)).removingPercentEncoding ?? String($0.dropLast(5)) }
            .sorted()
    }

    private func file(_ connection: String) -> URL {
        let safe = connection.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_"))) ?? connection
        return directory.appendingPathComponent(safe + ".json")
    }
}
