import Foundation
import Testing
@testable import TicketPulseServer

/// `api:` in ticketpulse.yml.
@Suite("HTTP API: configuration")
struct APIConfigurationTests {
    @Test("api.rate_per_minute sets the per-token rate; below 1 is refused, naming the key; absent, 120")
    func ratePerMinute() throws {
        #expect(try TierConfigurationTests.load("api:\n  rate_per_minute: 300\n").apiRatePerMinute == 300)
        #expect(try TierConfigurationTests.load("server:\n  port: 8080\n").apiRatePerMinute == 120)
        #expect(throws: ConfigurationError.self) { try TierConfigurationTests.load("api:\n  rate_per_minute: 0\n") }
        do {
            _ = try TierConfigurationTests.load("api:\n  rate_per_minute: 0\n")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("api.rate_per_minute"))
        }
    }

    @Test("The example configuration's api section reads")
    func example() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../ticketpulse.example.yml").standardized
        let configuration = try AppConfiguration.load(path: url.path, databasePath: ":memory:", environment: [:])
        #expect(configuration.apiRatePerMinute == 120)
    }
}
