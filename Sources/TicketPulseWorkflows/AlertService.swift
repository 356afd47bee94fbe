import Foundation
import Logging
import ServiceLifecycle

/// The schedule: a full detector pass and the due digests every `interval`. Webhooks run
/// their customer's pass at once through the pipeline; this catches what polling synced
/// and conditions that arise with time alone (an SLA coming due, a spike window passing).
public struct AlertService: Service {
    let pipeline: AlertPipeline
    let digests: DigestScheduler
    let delivery: OutboxDelivery
    let interval: Duration
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    public init(pipeline: AlertPipeline, digests: DigestScheduler, delivery: OutboxDelivery, interval: Duration = .seconds(60),
                now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                logger: Logger = Logger(label: "ticketpulse.alerts")) {
        self.pipeline = pipeline
        self.digests = digests
        self.delivery = delivery
        self.interval = interval
        self.now = now
        self.sleep = sleep
        self.logger = logger
    }

    public func run() async throws {
        // Graceful shutdown cancels the wait between rounds, so `serve` stops at once.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick()
                try await sleep(interval)
            }
        }
    }

    /// One scheduled round: the full pass, then the digests that are due.
    public func tick() async {
        do {
            try await pipeline.evaluate()
            if await !(try digests.queueDue(at: now())).isEmpty { delivery.wake() }
        } catch {
            logger.error("scheduled alert pass failed", metadata: ["error": "\(error)"])
        }
    }
}
