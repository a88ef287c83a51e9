// bench_optimizer: how long `ioawb optimize` takes to prove the flagship stack's
// equivalence obligations (the collapsed paths, the compact frames' bypasses and
// round trips), one line per obligation and the total, against issue 5's target
// of 5 s for all of them on 2 cores. One run; a benchmark, never a timed test.
//
// The proof time is the wall clock of all the proofs, run `--jobs` at once (default: one per
// core, as `ioawb optimize` does); the per-obligation figures add up to more when they share
// the machine.
//
//   bench_optimizer [--timeout MS] [--jobs N] [--spec FILE --stack NAME]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ioa/engine/Optimize.h"

int main(int argc, char** argv) {
  std::string spec = std::string(IOAWB_SAMPLES_DIR) + "/stacks/reliable.ioa", stack = "Reliable";
  unsigned timeoutMs = 180000, jobs = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--timeout" && i + 1 < argc) timeoutMs = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (a == "--jobs" && i + 1 < argc) jobs = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (a == "--spec" && i + 1 < argc) spec = argv[++i];
    else if (a == "--stack" && i + 1 < argc) stack = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--timeout MS] [--jobs N] [--spec FILE --stack NAME]\n", argv[0]);
      return 2;
    }
  }
  if (!ioa::engine::optimizerAvailable()) {
    std::fprintf(stderr, "bench_optimizer: this build has no optimizer\n");
    return 2;
  }
  ioa::codegen::GenOptions g;
  g.stack = stack;
  auto t0 = std::chrono::steady_clock::now();
  ioa::engine::OptimizeResult r = ioa::engine::optimizeFile(spec, g, timeoutMs, jobs);
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r.ok()) {
    std::fprintf(stderr, "bench_optimizer: %s\n", r.error.empty() ? "the spec does not generate" : r.error.c_str());
    return 2;
  }
  std::printf("%-26s %-8s %10s\n", "obligation", "status", "seconds");
  double sum = 0;
  for (const ioa::engine::OptimizeObligation& o : r.obligations) {
    std::printf("%-26s %-8s %10.2f\n", o.id.c_str(), o.status.c_str(), o.timeMs / 1000);
    sum += o.timeMs / 1000;
  }
  std::printf("obligations: %zu, proved %d, refuted %d, unknown %d\n", r.obligations.size(), r.proved(), r.refuted(),
              r.unknown());
  const double proofs = r.proofWallMs / 1000;
  std::printf("proof time: %.1f s wall clock with %u jobs (obligations' own times add up to %.1f s; whole run with "
              "generation and parsing: %.1f s); target 5 s: %s\n",
              proofs, r.proofJobs, sum, total, proofs <= 5 ? "met" : "not met");
  return r.refuted() ? 1 : 0;
}
