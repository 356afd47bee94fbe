import Foundation
import Mustache

/// The Mustache templates of `prompts/`: alert texts, emails. Loaded from the repository's
/// `prompts/` folder (or `$TICKETPULSE_PROMPTS_DIR`), so they can be edited without a rebuild.
public struct PromptTemplates: Sendable {
    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// `$TICKETPULSE_PROMPTS_DIR`, else `./prompts`, else the source tree's `prompts/`.
    public static func locate(explicit: String? = nil) -> PromptTemplates? {
        var candidates: [URL] = []
        if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
        if let env = ProcessInfo.processInfo.environment["TICKETPULSE_PROMPTS_DIR"], !env.isEmpty { candidates.append(URL(fileURLWithPath: env)) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("prompts"))
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../prompts").standardized)
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("outreach_email.mustache").path) }.map(PromptTemplates.init)
    }

    public func render(_ name: String, _ values: [String: Any]) throws -> String {
        let url = directory.appendingPathComponent("\(name).mustache")
        let source = try String(contentsOf: url, encoding: .utf8)
        let template = try MustacheTemplate(string: source)
        // Blank lines left by false sections read badly in an email.
        return template.render(values).replacingOccurrences(of: "\n\n\n", with: "\n\n")
    }
}
