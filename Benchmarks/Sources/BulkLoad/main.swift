import BenchmarkSupport
import Foundation

// Loads N generated tickets (default 1,000,000) into a fresh store and prints the time and
// peak RSS; the same loader the "Bulk load" benchmark measures.
let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? BenchmarkStore.ticketTarget
let path = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/ticketpulse-bulk-load.sqlite"
let clock = ContinuousClock()
let start = clock.now
let loaded = try BenchmarkStore.load(into: path, tickets: count)
let elapsed = clock.now - start
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("loaded \(loaded) tickets in \(elapsed); peak RSS \(usage.ru_maxrss / 1024) MB; store at \(path)")
