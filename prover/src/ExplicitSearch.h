// A quick search for a violating run with the spec interpreter (private to
// the prover). Bounded model checking first runs a breadth-first search over
// concrete states from a start state, with action arguments taken from the
// precondition (`m = head(q)`), from small finite sorts, from bounds
// (`i < len(q)`) and, for free data, from a few sample values. A run it finds
// is only a candidate: the solver re-derives it from the symbolic query with
// these choices fixed, and the counterexample is confirmed as any other. When
// the search finds nothing, the symbolic search decides (it covers every
// value, not just the samples).
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ioa/prover/Query.h"
#include "ioa/spec/Model.h"
#include "ioa/spec/Value.h"

namespace ioa::prover::detail {

struct ExplicitStep {
  int transition = -1;
  std::vector<Value> args;  // one per transition parameter, in order
};

struct ExplicitRun {
  int depth = 0;  // number of steps; the goals of checkpoint `depth` fail after them
  std::vector<ExplicitStep> steps;
  // The run starts from the solver's start state (explicitSearch's `startValues`): the values
  // of the start's free symbols, by the encoder's names, to pin when the solver re-derives it.
  std::map<std::string, Value> startPins;
};

// How far a search went.
struct SearchStats {
  bool shape = false;      // the query is one the search can run
  bool start = false;      // the interpreter found a start state
  bool solverStart = false;  // ... from the solver's values (`startValues`)
  bool solverAsked = false;  // the solver was asked for a start state (by the caller of explicitSearch)
  std::string startWhy;    // why it found none (the interpreter's error), when it says
  int depth = 0;           // every run of up to this many steps was explored
  size_t states = 0;       // distinct states seen
  bool exhausted = false;  // no new states at the last depth: nothing deeper either
  bool outOfBudget = false;
  // A goal the interpreter could not evaluate in some state (a quantifier over an infinite
  // sort, say), and why: no violation of it can be found, so none found says nothing.
  std::string unevaluated;
};

// Searches a bounded-model-checking query (a Start, goals and AnyTransition
// steps; for a simulation, the abstract automaton's start and fragments).
// Returns nothing when the query has another shape, nothing is found, or the
// budget runs out; `stats` says which. `startValues`: the values a solver's
// model of the query's start gives its free symbols (by the encoder's names,
// "start.q"), the one start state searched from instead of the interpreter's
// own (given where those miss the `initially` clause, which it does not solve).
std::optional<ExplicitRun> explicitSearch(const Model& model, const Query& q, unsigned budgetMs,
                                          const std::atomic<bool>* cancelled, SearchStats* stats = nullptr,
                                          const std::map<std::string, Value>* startValues = nullptr);

}  // namespace ioa::prover::detail
