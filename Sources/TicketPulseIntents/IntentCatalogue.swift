import Foundation
import Yams

/// One intent of `intents/*.yaml` (Snips style: `type: intent`, `name`, `slots`,
/// `utterances` with slots marked `[slot](value)`).
public struct IntentDefinition: Sendable, Equatable {
    public var name: IntentName
    public var slots: [SlotName]
    public var utterances: [String]

    /// "[customer](Acme)" in an utterance; built once, not once per utterance.
    nonisolated(unsafe) static let markedSlot = (#/\[([a-z_]+)\]\(([^)]*)\)/#).quick

    /// The utterance with every marked slot replaced by its placeholder (`{customer}`), as
    /// the classifier learns it.
    /// Free text, feeds and "me" stay as written: the parser does not mask them in a message
    /// either, and their words ("note", "escalations", "me") say which intent it is.
    static func template(_ utterance: String) -> String {
        func replacement(slot: String, value: String) -> String {
            switch slot {
            case "text", "feed": return value
            case "target" where !value.hasPrefix("#"): return value
            default: return "{\(slot)}"
            }
        }
        // Start-up reads some 750 utterances: scanned by hand, not by `Regex`, when ASCII.
        return ASCIIText.replacingMarks(in: utterance, open: UInt8(ascii: "["), replacement)
            ?? utterance.replacing(Self.markedSlot) { replacement(slot: String($0.1), value: String($0.2)) }
    }
}

public struct IntentCatalogueError: Error, CustomStringConvertible {
    public var file: String
    public var problem: String
    public var description: String { "\(file): \(problem)" }
}

public struct IntentCatalogue: Sendable {
    public var intents: [IntentDefinition]

    public init(intents: [IntentDefinition]) {
        self.intents = intents
    }

    private struct File: Decodable {
        struct Slot: Decodable { var name: String; var entity: String? }
        var type: String
        var name: String
        var slots: [Slot]?
        var utterances: [String]
    }

    /// Reads every `*.yaml` in `directory`; errors name the file and the problem.
    public static func load(directory: URL) throws -> IntentCatalogue {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var intents: [IntentDefinition] = []
        for fileName in files {
            let text = try String(contentsOf: directory.appendingPathComponent(fileName), encoding: .utf8)
            let file: File
            do {
                file = try YAMLDecoder().decode(File.self, from: text)
            } catch {
                throw IntentCatalogueError(file: fileName, problem: "not a valid intent file: \(error)")
            }
            guard file.type == "intent" else { throw IntentCatalogueError(file: fileName, problem: "type must be 'intent'") }
            guard let name = IntentName(rawValue: file.name) else { throw IntentCatalogueError(file: fileName, problem: "unknown intent '\(file.name)'") }
            let slots = try (file.slots ?? []).map { slot -> SlotName in
                guard let name = SlotName(rawValue: slot.name) else { throw IntentCatalogueError(file: fileName, problem: "unknown slot '\(slot.name)'") }
                return name
            }
            guard !file.utterances.isEmpty else { throw IntentCatalogueError(file: fileName, problem: "no utterances") }
            intents.append(IntentDefinition(name: name, slots: slots, utterances: file.utterances))
        }
        let missing = Set(IntentName.allCases).subtracting(intents.map(\.name))
        guard missing.isEmpty else {
            throw IntentCatalogueError(file: directory.path, problem: "missing intents: \(missing.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        return IntentCatalogue(intents: intents)
    }

    /// An explicit path, else `$TICKETPULSE_INTENTS_DIR`, else `./intents`, else the source
    /// tree's `intents/` (so `swift run` and the tests work from any directory).
    public static func locateDirectory(explicit: String?) -> URL? {
        var candidates: [URL] = []
        if let explicit { candidates.append(URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath)) }
        if let env = ProcessInfo.processInfo.environment["TICKETPULSE_INTENTS_DIR"], !env.isEmpty { candidates.append(URL(fileURLWithPath: env)) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("intents"))
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../intents").standardized)
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("help.yaml").path) }
    }

    func slots(of intent: IntentName) -> Set<SlotName> {
        Set(intents.first { $0.name == intent }?.slots ?? [])
    }
}
