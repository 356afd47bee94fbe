/// A CSV file read into a header and rows (RFC 4180: quoted fields, doubled quotes,
/// commas and newlines inside quotes, CRLF or LF line ends).
package struct CSVTable {
    package struct Record {
        /// 1-based line number in the file where the record starts, for error messages.
        package let line: Int
        package let fields: [String]
    }

    package let header: [String]
    package let records: [Record]

    package init(parsing text: String, fileName: String) throws(RosterImportError) {
        var records: [Record] = []
        var field = "", fields: [String] = []
        var inQuotes = false, fieldWasQuoted = false
        var line = 1, recordLine = 1
        var characters = text.makeIterator()
        var pending: Character? = nil

        func endRecord() {
            fields.append(field)
            // Blank lines are not records.
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []; field = ""; fieldWasQuoted = false
        }

        while let character = pending ?? characters.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty:
                inQuotes = true; fieldWasQuoted = true
            case ",":
                fields.append(field); field = ""; fieldWasQuoted = false
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(character)
            }
        }
        if inQuotes { throw RosterImportError(file: fileName, line: recordLine, field: nil, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = records.first else { throw RosterImportError(file: fileName, line: 1, field: nil, message: "the file is empty; expected a header row") }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        self.records = Array(records.dropFirst())
    }
}

import Foundation

extension CSVTable {
    /// `header` and `rows` as RFC 4180 text, the form this parser reads: fields with a comma,
    /// a quote or a line break quoted, quotes doubled, CRLF line ends.
    package static func text(header: [String], rows: [[String]]) -> String {
        func field(_ value: String) -> String {
            value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
        }
        return ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }
}
