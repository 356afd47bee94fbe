/// The DATA payload as it goes on the wire (RFC 5321 §4.5.2): CRLF line ends, a line that
/// starts with `.` gets a second one (the server removes it), and `.` alone ends the data.
///
/// Without the doubling, a body line of just "." would end the message early and the rest
/// of the body would be read as SMTP commands.
enum SMTPData {
    static func encode(_ rendered: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(rendered.utf8.count + 64)
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in rendered.utf8 {
            if atLineStart, byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
            // A bare LF becomes CRLF: servers may refuse bare LFs (they are a smuggling vector).
            if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { output.append(UInt8(ascii: "\r")) }
            output.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
            previous = byte
        }
        if !atLineStart { output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")] }
        output += Array(".\r\n".utf8)
        return output
    }
}
