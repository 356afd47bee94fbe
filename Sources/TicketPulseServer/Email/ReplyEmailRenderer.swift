import Foundation
import TicketPulseCore
import TicketPulseTemplates

/// A `Reply` (a digest) as an email's subject, text and HTML parts, through the
/// `digest_email_text` and `digest_email_html` templates of `prompts/`: the same message
/// model Slack renders, so the email says what the DM says. The HTML template escapes
/// every value (Mustache's `{{…}}`); the text one does not (`{{{…}}}`).
struct ReplyEmailRenderer: Sendable {
    let templates: PromptTemplates

    struct Rendered: Sendable, Equatable {
        var subject: String
        var text: String
        var html: String
    }

    func render(_ reply: Reply) throws -> Rendered {
        let values = Self.values(reply)
        return Rendered(subject: values["header"] as? String ?? reply.fallbackText,
                        text: try templates.render("digest_email_text", values),
                        html: try templates.render("digest_email_html", values))
    }

    /// The template's view of the reply: each block flagged by what it is. Buttons and
    /// charts are Slack's; an email has no use for them.
    static func values(_ reply: Reply) -> [String: Any] {
        var blocks: [[String: Any]] = []
        for block in reply.blocks {
            switch block {
            case .section(let text), .context(let text):
                blocks.append(["text": MrkdwnText.plain(text)])
            case .fields(let fields):
                blocks.append(["fields": fields.map { ["label": $0.label, "value": MrkdwnText.plain($0.value)] }])
            case .table(let table):
                let rows: [[String: Any]] = table.rows.map { cells in
                    ["cells": cells, "line": cells.filter { !$0.isEmpty }.joined(separator: " · ")]
                }
                blocks.append(["table": ["columns": table.columns, "rows": rows, "hasOmitted": table.omittedRows > 0, "omitted": table.omittedRows] as [String: Any]])
            default:
                continue
            }
        }
        return ["header": reply.header ?? reply.fallbackText, "blocks": blocks]
    }
}

/// Slack's mrkdwn, read as plain text: `<url|label>` links become their label, `*bold*`
/// loses its stars. Enough for the digest's own texts, which use little else.
enum MrkdwnText {
    static func plain(_ text: String) -> String {
        var text = text.replacing(#/<([^|>]+)\|([^>]+)>/#) { String($0.output.2) }
        text = text.replacing(#/\*([^*\n]+)\*/#) { String($0.output.1) }
        return text
    }
}

extension ReplyEmailRenderer {
    /// An outreach email's body as its author wrote it: the reply's sections, in order.
    static func plainText(_ reply: Reply) -> String {
        reply.blocks.compactMap { block -> String? in
            if case .section(let text) = block { return text }
            return nil
        }.joined(separator: "\n\n")
    }
}
