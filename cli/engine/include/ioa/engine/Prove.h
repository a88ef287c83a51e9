// Engine: proving a checked spec. Generates the obligations (refine), runs
// them on the discharge engine (prover) in background threads, and reports
// each result as it comes, in spec terms: where in the file, which automaton
// and transition, the status, and a counterexample as named values.
//
// The workbench starts a ProveSession and marshals callbacks to its UI
// thread; the CLI uses proveFile(). Nothing here depends on Qt.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ioa/engine/Check.h"
#include "ioa/spec/Frontend.h"

namespace ioa::engine {

struct ProveOptions {
  unsigned jobs = 0;           // worker threads; 0 = one per core
  unsigned timeoutMs = 10000;  // per obligation
  unsigned bmcDepth = 0;       // > 0: also search for violations up to this many steps from a start state
  // An invariant, simulation or refinement step the solver leaves undecided is followed by a search
  // of runs from a start state up to this many steps (the interpreter's, with sample values; for
  // timeoutMs per automaton, at least 2 s); a run that breaks the step refutes it. 0: no search.
  unsigned searchDepth = 12;
  bool useCache = true;
  std::string cacheDir;        // empty: the default ($IOAWB_CACHE_DIR, $XDG_CACHE_HOME/ioawb, ~/.cache/ioawb)
  int64_t cacheMaxBytes = -1;  // least recently used results go beyond it; 0: no bound; -1: $IOAWB_CACHE_MAX_MB or 256 MiB
  std::string smt2Dir;         // non-empty: write every query as <dir>/<id>.smt2
  std::string only;            // non-empty: only that invariant's, automaton's, transition's or simulation's obligations
};

struct ParticipantView {
  std::string component;  // "R", "C1": a component of the composition taking part in the step
  std::string file;
  unsigned line = 0, col = 0;  // its transition
};

struct ObligationInfo {
  size_t index = 0;
  std::string id;
  std::string kind;        // "invariant-init", "invariant-step", "well-defined", "ensuring", "simulation-start",
                           // "simulation-step", "refinement-start", "refinement-step", "bmc-invariants", "bmc-simulation"
  std::string automaton;
  std::string subject;     // invariant or simulation name
  std::string transition;  // "" for start conditions
  std::string description;
  std::string file;
  unsigned line = 0, col = 0;
  bool bounded = false;    // bounded model checking: "proved" means no violation within `depth` steps
  unsigned depth = 0;
  // A step of a composition: every component taking part. When a counterexample's failed
  // condition reads what exactly one of them changed, the result's line/col point at that
  // component's transition (the obligation's own are the first component's).
  std::vector<ParticipantView> participants;
};

struct NamedValueView {
  std::string name;
  std::string value;  // spec syntax
};

struct CexStepView {
  std::string kind;    // "state" or "action"
  std::string label;   // "pre-state", "abstract post-state", "step 3", ...
  std::string action;  // for actions
  std::vector<NamedValueView> values;  // state variables, or action arguments
};

struct FailedView {
  std::string text;  // the conjunct or condition, as written in the spec
  std::string kind;  // "goal", "partial", "narrowing", "choose", "enabled", "trace"
  std::string instance;  // a failed `\A i, j (P)`: values for which P is false ("i = 2, j = 0"), when found
  std::string right;     // a failed equation `L = R`: R's value in the last states (not when R is written as its value)
  std::string left;      // ... and L's, when L is not a variable shown in the state and not written as its value
  std::string undefined; // a term of the goal the spec leaves undefined in those states ("tail(q)"): the solver gave it a value
  std::string file;
  unsigned line = 0, col = 0;
};

struct CounterexampleView {
  std::string kind;  // "induction": pre-state satisfies the invariants but may be unreachable;
                     // "trace": a run from a start state; "model": a violating state
  std::string note;  // one sentence for the user
  int depth = -1;    // trace: number of steps
  std::vector<NamedValueView> constants;  // free constants (declared without a value) and their values; then
                                          // each uninterpreted function's table (`f(0)`, ..., `f(_)` for the rest)
  std::vector<CexStepView> steps;
  std::vector<FailedView> failed;
};

struct ObligationResult {
  ObligationInfo info;
  std::string status;  // "proved", "refuted", "unknown", "error"
  std::string reason;  // unknown/error: why
  double timeMs = 0;
  bool cached = false;
  std::string hash;
  std::optional<CounterexampleView> counterexample;
};

struct ProveSummary {
  size_t total = 0, proved = 0, refuted = 0, unknown = 0, error = 0;
  size_t cacheHits = 0, solved = 0;
  size_t solverFree = 0;  // proved without a query: the transition changes nothing the obligation reads
  double wallMs = 0;
  bool cancelled = false;
};

class ProveSession {
 public:
  using ResultCallback = std::function<void(const ObligationResult&)>;  // from worker threads, one at a time
  using DoneCallback = std::function<void(const ProveSummary&)>;       // from the session's thread, last

  // `c` must be a successful compilation; the session owns it from now on
  // (obligations add terms to its model). Returns null with `error` set otherwise.
  static std::unique_ptr<ProveSession> start(std::shared_ptr<Compilation> c, const ProveOptions& opts,
                                             ResultCallback onResult, DoneCallback onDone = {},
                                             std::string* error = nullptr);
  ~ProveSession();  // cancels and waits
  ProveSession(const ProveSession&) = delete;
  ProveSession& operator=(const ProveSession&) = delete;

  const std::vector<ObligationInfo>& obligations() const;
  void cancel();                 // thread-safe; running solvers are interrupted
  void wait();                   // until every result is in
  bool finished() const;
  ProveSummary summary() const;  // counts so far
  std::vector<ObligationResult> results() const;  // finished results, in obligation order

 private:
  ProveSession();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Compiles and proves a file, blocking. When the spec has errors (see
// `problems`) nothing is proved.
struct ProveRun {
  std::shared_ptr<Compilation> compilation;  // null when the file could not be read
  std::vector<Problem> problems;
  std::vector<ObligationResult> results;  // in obligation order
  ProveSummary summary;
  std::string error;  // unreadable file, spec errors
};
ProveRun proveFile(const std::string& path, const ProveOptions& opts, ProveSession::ResultCallback onResult = {});

// {"obligations":[{"id","kind","automaton","transition","line","col","status","time_ms","cached",
//   "counterexample"}],"summary":{"proved","refuted","unknown","error"}}
std::string proveResultsToJson(const std::vector<ObligationResult>& rs, const ProveSummary& s);

// 0 all proved, 1 something refuted, 3 unknown or error (and nothing refuted).
int proveExitCode(const ProveSummary& s);

}  // namespace ioa::engine
