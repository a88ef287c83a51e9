// The discharge engine: a pool of worker threads, each with its own Z3
// context, takes obligations one by one, encodes them, looks them up in the
// on-disk cache by the hash of their SMT-LIB text, and otherwise solves them
// with a per-obligation timeout. Results go to a callback as they come.
// With a spec key, an obligation proved on an earlier run of the same spec by
// the same build is found before its query is encoded (see specKey).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ioa/prover/Query.h"
#include "ioa/prover/Result.h"
#include "ioa/spec/Model.h"

namespace ioa::prover {

struct DischargeOptions {
  unsigned jobs = 0;          // 0: one per core
  unsigned timeoutMs = 10000; // per obligation (per checkpoint for bounded model checking)
  bool useCache = true;
  std::string cacheDir;       // empty: defaultCacheDir()
  int64_t cacheMaxBytes = -1; // the cache's bound (least recently used files go first); 0: none; -1: default
  std::string smt2Dir;        // non-empty: write <dir>/<id>.smt2 for every obligation
  // Everything the obligations were made from (the spec's source texts and the options that
  // shape the obligations), or empty. With it, each decided obligation's query hash is also
  // recorded under a key of (this program's executable, specKey, the obligation's index and
  // id), in one file per spec and build, so that on a later run of the same spec by the same
  // build a proved obligation is looked up without encoding its query. Another spec text,
  // option or build misses that key and falls back to the query hash, which still finds
  // every query that did not change.
  std::string specKey;
};

struct DischargeStats {
  size_t solved = 0;     // obligations that went to Z3
  size_t cacheHits = 0;
  size_t proved = 0, refuted = 0, unknown = 0, error = 0;
};

// $IOAWB_CACHE_DIR, else $XDG_CACHE_HOME/ioawb, else ~/.cache/ioawb.
std::string defaultCacheDir();
// $IOAWB_CACHE_MAX_MB mebibytes (0: no bound), else 256 MiB.
uint64_t defaultCacheMaxBytes();

class Discharger {
 public:
  // `model` must outlive the discharger and must not change while it runs.
  Discharger(const Model& model, DischargeOptions opts);
  ~Discharger();
  Discharger(const Discharger&) = delete;
  Discharger& operator=(const Discharger&) = delete;

  // Called once per obligation, from worker threads, never concurrently.
  using Callback = std::function<void(size_t index, const Result& r)>;

  // Discharges every obligation; returns when all are done or after cancel().
  // Obligations not started before cancel() are reported as unknown ("cancelled").
  void run(const std::vector<Obligation>& obligations, const Callback& onResult);
  // The same for the obligations at the indices `which` only (reported by their index in `obligations`).
  void run(const std::vector<Obligation>& obligations, const std::vector<size_t>& which, const Callback& onResult);
  // With a timeout per obligation (by index) instead of the options' one. `retry`: these were run
  // before and came back unknown (the statistics count them once, by their new result).
  using TimeoutFor = std::function<unsigned(size_t index)>;
  void run(const std::vector<Obligation>& obligations, const std::vector<size_t>& which, const Callback& onResult,
           const TimeoutFor& timeoutFor, bool retry);

  // Bounded model checking by the interpreter's search alone, in the calling
  // thread: for a bounded obligation of invariants, searches runs breadth-first
  // from a start state (concrete states, arguments sampled as in --bmc) for at
  // most `budgetMs`. A run found is re-derived by the solver and confirmed, and
  // comes back refuted with the whole trace; anything else (nothing found, out
  // of budget, a query of another shape) comes back unknown: the search proves
  // nothing. Not cached. Interrupted by cancel().
  Result searchRun(const Obligation& ob, unsigned budgetMs);
  // Thread-safe: stops running solvers and skips the rest.
  void cancel();
  bool cancelled() const;

  DischargeStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One obligation in the calling thread (tests, tools).
Result dischargeOne(const Model& model, const Obligation& ob, const DischargeOptions& opts);

// The SMT-LIB 2 script of an obligation, exactly as hashed, solved and emitted.
std::string queryToSmt2(const Model& model, const Obligation& ob);

// Independent check of a refutation: a fresh Z3 context, every free symbol of
// the query fixed to the counterexample's decoded value. Confirmed when the
// assumptions are satisfiable with those values and the failed checkpoint's
// goals are then unsatisfiable (false for these values, whatever the solver
// picks for anything left). `why` explains a failure.
bool recheckCounterexample(const Model& model, const Obligation& ob, const Counterexample& cex, std::string* why);

}  // namespace ioa::prover
