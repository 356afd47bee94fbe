import Prometheus

/// The counters `/metrics` exposes, in the Prometheus text format.
public struct ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let signatureFailures: Counter
    let eventsReceived: Counter
    let duplicateEvents: Counter
    let ignoredEvents: Counter
    let questionsAnswered: Counter
    let answerFailures: Counter
    let slashCommands: Counter
    let interactions: Counter
    let badRequests: Counter
    let queueFull: Counter

    public init() {
        signatureFailures = registry.makeCounter(descriptor: .init(namespace: "ticketpulse", metricName: "slack_signature_failures", unitName: "total", helpText: "Slack requests refused for a bad, missing or stale signature"))
        eventsReceived = registry.makeCounter(descriptor: .init(namespace: "ticketpulse", metricName: "slack_events", unitName: "total", helpText: "Slack event callbacks accepted"))
        duplicateEvents = registry.makeCounter(descriptor: .init(namespace: "ticketpulse", metricName: "slack_duplicate_events", unitName: "total", helpText: "Slack event retries recognised by event_id"))
        ignoredEvents = registry.makeCounter(descriptor: .init(namespace: "ticketpulse", metricName: "slack_ignored_events", unitName: "total", helpText: "Events from bots, edits, deletes and unknown types"))
        questionsAnswered = registry.makeCounter(descriptor: .init(namespace: "ticketpulse", metricName: "questions_answered", unitName: "total", helpText: "Questions answered in Slack"))
        answerFailures = registry.makeCounter(descriptor: .init(namespace: "ticketpulse", metricName: "answer_failures", unitName: "total", helpText: "Questions or actions that failed after acknowledgement"))
        slashCommands = registry.makeCounter(descriptor: .init(namespace: "ticketpulse", metricName: "slash_commands", unitName: "total", helpText: "/pulse commands received"))
        interactions = registry.makeCounter(descriptor: .init(namespace: "ticketpulse", metricName: "interactions", unitName: "total", helpText: "Button clicks and modal submissions received"))
        badRequests = registry.makeCounter(descriptor: .init(namespace: "ticketpulse", metricName: "bad_requests", unitName: "total", helpText: "Requests refused as malformed"))
        queueFull = registry.makeCounter(descriptor: .init(namespace: "ticketpulse", metricName: "queue_full", unitName: "total", helpText: "Work refused because the background queue was full"))
    }
}
