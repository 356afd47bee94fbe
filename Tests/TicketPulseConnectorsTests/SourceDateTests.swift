import Foundation
import Testing
@testable import TicketPulseConnectors

/// The fast path for `YYYY-MM-DDTHH:MM:SS[.fff]Z` agrees with Foundation's ISO 8601 parser
/// and leaves every other spelling to it.
@Suite struct SourceDateTests {
    @Test(arguments: [
        "2026-03-02T09:00:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2000-03-01T00:00:00Z",
        "1999-12-31T23:59:59Z", "2100-02-28T12:34:56Z", "2026-11-23T08:52:39Z",
    ])
    func fastPathMatchesFoundation(text: String) throws {
        let expected = try Date(text, strategy: Date.ISO8601FormatStyle())
        #expect(SourceDate.utcFastPath(text) == expected)
        #expect(SourceDate.parse(text) == expected)
    }

    @Test func fractionsOffsetsAndNonsense() throws {
        let millis = try #require(SourceDate.utcFastPath("2026-03-02T09:00:00.250Z"))
        #expect(abs(millis.timeIntervalSince1970 - 1_772_442_000.25) < 0.000_1)
        // Not the fast path's business: the general parser reads them (or refuses).
        for text in ["2026-03-02T09:00:00+01:00", "2024-05-01T10:00:00.000+0000", "2026-03-02", " 2026-03-02T09:00:00Z", "2026-02-30T09:00:00Z", "2026-13-02T09:00:00Z", "2026-03-02T09:00:00.Z"] {
            #expect(SourceDate.utcFastPath(text) == nil, "\(text)")
        }
        #expect(SourceDate.parse("2026-03-02T09:00:00+01:00") == SourceDate.parse("2026-03-02T08:00:00Z"))
        #expect(SourceDate.parse("2024-05-01T10:00:00.000+0000") == SourceDate.parse("2024-05-01T10:00:00Z"))
    }
}
