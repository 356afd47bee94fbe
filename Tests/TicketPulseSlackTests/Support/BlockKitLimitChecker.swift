import Foundation

/// Walks encoded Block Kit JSON and lists every Slack limit it breaks, independently of
/// the renderer's own bookkeeping.
enum BlockKitLimitChecker {
    static func violations(message json: [String: Any]) -> [String] {
        var problems: [String] = []
        let text = json["text"] as? String ?? ""
        if text.isEmpty { problems.append("no fallback text") }
        if text.utf16.count > 3000 { problems.append("fallback text \(text.utf16.count) > 3000") }
        let blocks = json["blocks"] as? [[String: Any]] ?? []
        if blocks.count > 50 { problems.append("\(blocks.count) blocks > 50") }
        problems += violations(blocks: blocks)
        let total = blocks.reduce(0) { $0 + textLength($1) }
        if total > 12_000 { problems.append("message text \(total) > 12000") }
        return problems
    }

    static func violations(view json: [String: Any]) -> [String] {
        let blocks = json["blocks"] as? [[String: Any]] ?? []
        var problems = blocks.count > 100 ? ["\(blocks.count) blocks > 100"] : []
        if let metadata = json["private_metadata"] as? String, metadata.utf16.count > 3000 { problems.append("private_metadata > 3000") }
        for key in ["title", "submit", "close"] {
            if let text = (json[key] as? [String: Any])?["text"] as? String, text.utf16.count > 24 { problems.append("\(key) > 24") }
        }
        return problems + violations(blocks: blocks)
    }

    static func violations(blocks: [[String: Any]]) -> [String] {
        var problems: [String] = []
        for (index, block) in blocks.enumerated() {
            let type = block["type"] as? String ?? "?"
            func text(_ object: Any?) -> String? { (object as? [String: Any])?["text"] as? String }
            switch type {
            case "header":
                let header = text(block["text"]) ?? ""
                if header.isEmpty || header.utf16.count > 150 { problems.append("block \(index): header length \(header.utf16.count)") }
            case "section":
                let body = text(block["text"])
                let fields = (block["fields"] as? [Any] ?? []).compactMap(text)
                if body == nil, fields.isEmpty { problems.append("block \(index): empty section") }
                if let body, body.isEmpty || body.utf16.count > 3000 { problems.append("block \(index): section text \(body.utf16.count)") }
                if fields.count > 10 { problems.append("block \(index): \(fields.count) fields") }
                if fields.contains(where: { $0.utf16.count > 2000 }) { problems.append("block \(index): field > 2000") }
            case "context":
                let elements = block["elements"] as? [Any] ?? []
                if elements.isEmpty || elements.count > 10 { problems.append("block \(index): \(elements.count) context elements") }
            case "actions":
                let elements = block["elements"] as? [[String: Any]] ?? []
                if elements.isEmpty || elements.count > 25 { problems.append("block \(index): \(elements.count) action elements") }
                let ids = elements.compactMap { $0["action_id"] as? String }
                if Set(ids).count != ids.count { problems.append("block \(index): repeated action_id") }
                let menus = elements.filter { $0["type"] as? String == "overflow" }
                if menus.count > 1 { problems.append("block \(index): \(menus.count) overflow menus") }
                for menu in menus {
                    let options = menu["options"] as? [[String: Any]] ?? []
                    if !(2...5).contains(options.count) { problems.append("block \(index): overflow with \(options.count) options") }
                    for option in options {
                        let label = text(option["text"]) ?? ""
                        if label.isEmpty || label.utf16.count > 75 { problems.append("block \(index): option text \(label.utf16.count)") }
                        let value = option["value"] as? String ?? ""
                        if value.isEmpty || value.utf16.count > 150 { problems.append("block \(index): option value \(value.utf16.count)") }
                    }
                    if let id = menu["action_id"] as? String, id.isEmpty || id.utf16.count > 255 { problems.append("block \(index): action_id") }
                }
                for element in elements where element["type"] as? String != "overflow" {
                    let label = text(element["text"]) ?? ""
                    if label.isEmpty || label.utf16.count > 75 { problems.append("block \(index): button text \(label.utf16.count)") }
                    if let value = element["value"] as? String, value.utf16.count > 2000 { problems.append("block \(index): value > 2000") }
                    if let id = element["action_id"] as? String, id.isEmpty || id.utf16.count > 255 { problems.append("block \(index): action_id") }
                }
            case "divider", "input":
                break
            default:
                problems.append("block \(index): unknown type \(type)")
            }
            if let id = block["block_id"] as? String, id.utf16.count > 255 { problems.append("block \(index): block_id > 255") }
        }
        return problems
    }

    static func textLength(_ block: [String: Any]) -> Int {
        func text(_ object: Any?) -> Int { ((object as? [String: Any])?["text"] as? String)?.utf16.count ?? 0 }
        var total = text(block["text"])
        total += (block["fields"] as? [Any] ?? []).reduce(0) { $0 + text($1) }
        total += (block["elements"] as? [[String: Any]] ?? []).reduce(0) { $0 + text($1) + text($1["text"]) }
        total += (block["elements"] as? [[String: Any]] ?? []).flatMap { $0["options"] as? [[String: Any]] ?? [] }.reduce(0) { $0 + text($1["text"]) }
        return total
    }
}
