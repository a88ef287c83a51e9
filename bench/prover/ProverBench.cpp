// Prover benchmarks: time per sample with a cold and a warm result cache
// (warm: the same spec again, found by its key; edited: a copy with a comment
// added, so every result is found by its query, after encoding; one transition
// edited: a copy whose first precondition gets `/\ 0 <= 1`, so that the
// obligations of that transition are new and solved, the rest found), one worker
// against two, and the alternating bit protocol against the Spin
// model checker (an exhaustive search at a stated channel bound, against our
// unbounded proof), printed as a ratio from one run.
//
//   bench_prover [--flagship] [--bound N] [--messages N]
//
// --flagship adds samples/stacks/reliable.ioa (minutes). Spin is optional: when
// `spin` or a C compiler is missing, that line says so and is skipped.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "ioa/engine/Prove.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Timing {
  double seconds = 0;
  ioa::engine::ProveSummary summary;
};

Timing prove(const std::string& file, unsigned jobs, bool cache, const std::string& cacheDir) {
  ioa::engine::ProveOptions o;
  o.jobs = jobs;
  o.useCache = cache;
  o.cacheDir = cacheDir;
  auto t = Clock::now();
  ioa::engine::ProveRun run = ioa::engine::proveFile(file, o);
  Timing r;
  r.seconds = secondsSince(t);
  r.summary = run.summary;
  return r;
}

std::string verdict(const ioa::engine::ProveSummary& s) {
  char b[96];
  std::snprintf(b, sizeof b, "%zu/%zu proved%s", s.proved, s.total,
                s.refuted ? ", REFUTED" : s.unknown ? ", unknown" : "");
  return b;
}

bool have(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }

// Runs `cmd` in `dir`; returns the wall time, or a negative number on failure.
double timed(const fs::path& dir, const std::string& cmd, std::string* out = nullptr) {
  auto t = Clock::now();
  std::string full = "cd '" + dir.string() + "' && " + cmd + " 2>&1";
  FILE* p = popen(full.c_str(), "r");
  if (!p) return -1;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  int st = pclose(p);
  double s = secondsSince(t);
  if (out) *out = text;
  return st == 0 ? s : -1;
}

std::string lineWith(const std::string& text, const std::string& key) {
  size_t at = text.find(key);
  if (at == std::string::npos) return "";
  size_t b = text.rfind('\n', at);
  size_t e = text.find('\n', at);
  std::string l = text.substr(b == std::string::npos ? 0 : b + 1, e == std::string::npos ? std::string::npos : e - b - 1);
  while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.erase(l.begin());
  return l;
}

}  // namespace

int main(int argc, char** argv) {
  bool flagship = false;
  int bound = 2, messages = 4;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--flagship") flagship = true;
    else if (a == "--bound" && i + 1 < argc) bound = std::atoi(argv[++i]);
    else if (a == "--messages" && i + 1 < argc) messages = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s [--flagship] [--bound N] [--messages N]\n", argv[0]);
      return 2;
    }
  }
  const std::string samples = IOAWB_SAMPLES_DIR;
  std::vector<std::string> files = {"channel.ioa", "abp.ioa", "gobackn.ioa", "lamport_clocks.ioa", "lamport_mutex.ioa"};
  if (flagship) files.push_back("stacks/reliable.ioa");
  fs::path tmp = fs::temp_directory_path() / ("ioawb-bench-prover-" + std::to_string(::getpid()));
  fs::create_directories(tmp);

  std::printf("ioawb prove: time per sample (wall clock, %u hardware threads)\n", std::thread::hardware_concurrency());
  std::printf("%-22s %10s %10s %10s %10s %10s %10s  %s\n", "sample", "cold", "warm", "edited", "1 trans.", "jobs 1",
              "jobs 2", "result");
  double abpProof = 0;
  for (const std::string& f : files) {
    std::string path = samples + "/" + f;
    std::string cache = (tmp / ("cache-" + std::to_string(&f - files.data()))).string();
    Timing cold = prove(path, 0, true, cache);   // empty cache: everything solved, results stored
    Timing warm = prove(path, 0, true, cache);   // every result from the cache, by the spec's key
    std::string original;
    {
      std::ifstream in(path);
      original.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    fs::path copy = tmp / ("edited-" + fs::path(f).filename().string());
    std::ofstream(copy) << original << "\n% an edit that changes no obligation\n";
    Timing edited = prove(copy.string(), 0, true, cache);  // every result from the cache, by its query
    // one transition edited: its first precondition gets `/\ 0 <= 1` (the same meaning, another query;
    // `/\ true` leaves every query as it was)
    fs::path copy1 = tmp / ("edited-transition-" + fs::path(f).filename().string());
    {
      std::string text = original;
      size_t pre = text.find("\n      pre ");
      size_t eol = pre == std::string::npos ? pre : text.find('\n', pre + 1);
      if (eol != std::string::npos) text.insert(eol, " /\\ 0 <= 1");
      std::ofstream(copy1) << text;
    }
    Timing edited1 = prove(copy1.string(), 0, true, cache);
    Timing one = prove(path, 1, false, "");
    Timing two = prove(path, 2, false, "");
    std::printf("%-22s %9.2fs %9.2fs %9.2fs %9.2fs %9.2fs %9.2fs  %s; warm: %zu cached, %zu solved; edited: %zu "
                "solved; one transition edited: %zu solved, %zu cached\n",
                f.c_str(), cold.seconds, warm.seconds, edited.seconds, edited1.seconds, one.seconds, two.seconds,
                verdict(two.summary).c_str(), warm.summary.cacheHits, warm.summary.solved, edited.summary.solved,
                edited1.summary.solved, edited1.summary.cacheHits);
    if (f == "abp.ioa") abpProof = two.seconds;
  }

  std::printf("\nABP: Spin's exhaustive check at channel bound %d, %d messages, vs the unbounded proof\n", bound, messages);
  if (!have("spin")) {
    std::printf("  spin is not installed (Debian package `spin`): skipped\n");
  } else if (!have("cc")) {
    std::printf("  no C compiler (cc) to build Spin's verifier: skipped\n");
  } else {
    fs::copy_file(IOAWB_ABP_PROMELA, tmp / "abp.pml", fs::copy_options::overwrite_existing);
    std::string defs = "-DCHAN_BOUND=" + std::to_string(bound) + " -DNMSG=" + std::to_string(messages);
    std::string panOut;
    double gen = timed(tmp, "spin " + defs + " -a abp.pml");
    double build = gen < 0 ? -1 : timed(tmp, "cc -O2 -DSAFETY -o pan pan.c");
    double verify = build < 0 ? -1 : timed(tmp, "./pan -m10000000", &panOut);
    if (verify < 0 || panOut.find("errors: 0") == std::string::npos) {
      std::printf("  Spin run failed:\n%s\n", panOut.c_str());
    } else {
      double spinTotal = gen + build + verify;
      std::printf("  spin: %s; %s\n", lineWith(panOut, "errors:").c_str(), lineWith(panOut, "states, stored").c_str());
      std::printf("  spin: generate %.2fs + compile %.2fs + search %.2fs = %.2fs\n", gen, build, verify, spinTotal);
      std::printf("  ioawb prove samples/abp.ioa (unbounded, --jobs 2, no cache): %.2fs\n", abpProof);
      std::printf("  ratio: spin (search only) / ioawb = %.2f; spin (total) / ioawb = %.2f\n", verify / abpProof,
                  spinTotal / abpProof);
    }
  }
  fs::remove_all(tmp);
  return 0;
}
