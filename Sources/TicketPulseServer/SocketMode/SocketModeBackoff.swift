/// How long to wait before opening a Socket Mode connection again.
///
/// The first attempt after a good connection goes at once: a refresh, a deploy on Slack's
/// side or one dropped socket should cost no more than the reconnect itself. Attempts that
/// keep failing wait twice as long each time, from `base` up to `cap`, less up to a quarter
/// at random, so that several replicas do not all return in the same second.
struct SocketModeBackoff: Sendable {
    var base: Duration = .seconds(1)
    var cap: Duration = .seconds(60)
    /// In [0, 1); tests pass a constant.
    var random: @Sendable () -> Double = { Double.random(in: 0..<1) }

    /// The wait before attempt `attempt` (1 = the first since the last `hello`).
    func delay(beforeAttempt attempt: Int) -> Duration {
        guard attempt > 1 else { return .zero }
        let doublings = min(attempt - 2, 16)
        let full = min(cap, base * (1 << doublings))
        return full * (1 - 0.25 * random())
    }
}
