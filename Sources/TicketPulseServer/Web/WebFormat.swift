import Foundation
import TicketPulseCore

/// How the pages write numbers, ages and states.
enum WebFormat {
    static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : "\(value)" }


    static func slaLabel(_ state: SLAState) -> String {
        switch state {
        case .met: "met"
        case .onTrack: "on track"
        case .atRisk: "at risk"
        case .breached: "breached"
        }
    }

    static func slaClass(_ state: SLAState) -> String {
        switch state {
        case .met, .onTrack: "sla-ok"
        case .atRisk: "sla-risk"
        case .breached: "sla-breached"
        }
    }

    static func dateTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeSeparator: .colon, timeZone: TimeZone(identifier: "UTC")!)
            .year().month().day().time(includingFractionalSeconds: false)) + " UTC"
    }

}
