import Foundation
import Mustache

/// The Mustache templates of `prompts/`: alert texts, emails. Loaded from the repository's
/// `prompts/` folder (or `$TICKETPULSE_PROMPTS_DIR`), so they can be edited without a
/// rebuild (a restart reads them again). Each file is read and parsed once, when the
/// templates are located, not for every alert or email.
public struct PromptTemplates: Sendable {
    public let directory: URL
    /// Each template by name (the file name without `.mustache`), or why it cannot be used.
    private let templates: [String: Parsed]

    private enum Parsed: Sendable {
        case template(MustacheTemplate)
        case unusable(String)
    }

    public init(directory: URL) {
        self.directory = directory
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var templates: [String: Parsed] = [:]
        for file in files where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            do {
                let source = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                templates[name] = .template(try MustacheTemplate(string: source))
            } catch {
                templates[name] = .unusable("\(error)")
            }
        }
        self.templates = templates
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

    /// Every template found, by name, sorted.
    public var names: [String] { templates.keys.sorted() }

    /// The templates that cannot be used (unreadable, or not valid Mustache), with why: a
    /// restart would fail only when one is first rendered, so `doctor` asks up front.
    public var problems: [(name: String, reason: String)] {
        templates.compactMap { name, parsed in
            if case .unusable(let reason) = parsed { return (name, reason) }
            return nil
        }.sorted { $0.name < $1.name }
    }

    public func render(_ name: String, _ values: [String: Any]) throws -> String {
        switch templates[name] {
        case .template(let template):
            // Blank lines left by false sections read badly in an email.
            return template.render(values).replacingOccurrences(of: "\n\n\n", with: "\n\n")
        case .unusable(let reason):
            throw PromptTemplateError.unusable(name: name, directory: directory.path, reason: reason)
        case nil:
            throw PromptTemplateError.missing(name: name, directory: directory.path)
        }
    }
}

public enum PromptTemplateError: Error, CustomStringConvertible {
    case missing(name: String, directory: String)
    case unusable(name: String, directory: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let name, let directory): "no template \(name).mustache in \(directory)"
        case .unusable(let name, let directory, let reason): "the template \(name).mustache in \(directory) cannot be used: \(reason)"
        }
    }
}
