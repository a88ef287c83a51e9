// What discharging an obligation gives back, in spec terms: a status, the
// solver's reason when it could not decide, and for a refutation the decoded
// counterexample (states, actions with arguments, the failed conjuncts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ioa/spec/Source.h"
#include "ioa/spec/Value.h"

namespace ioa::prover {

enum class Status : uint8_t { Proved, Refuted, Unknown, Error };
const char* statusName(Status s);

struct NamedValue {
  std::string name;
  Value value;
};

// One entry of a counterexample: a state (snapshot) or an action with its arguments.
struct CexEntry {
  enum class Kind : uint8_t { State, Action } kind = Kind::State;
  std::string label;  // "pre-state", "abstract post-state", "step 3"
  std::string action; // Action: the action's name
  std::vector<NamedValue> values;  // State: variables; Action: arguments
  int transition = -1;  // Action of a bounded run: the index of the transition taken in its automaton
};

struct FailedGoal {
  std::string text;   // the conjunct or side condition, as written
  std::string kind;   // "goal" or a side condition kind ("partial", "narrowing", "enabled", ...)
  SourceRange range;
};

// The values an uninterpreted function takes in a counterexample: the listed
// arguments, and `otherwise` for every other argument tuple.
struct FunctionValue {
  std::string name;
  size_t arity = 0;
  std::vector<std::pair<std::vector<Value>, Value>> entries;
  Value otherwise;
  // `rank(0) = 1, rank(1) = 0, rank(_) = 0`, one item per entry
  std::vector<std::pair<std::string, std::string>> items() const;
};

struct Counterexample {
  std::vector<NamedValue> constants;  // the free constants (declared without a value) the obligation reads
  std::vector<FunctionValue> functions;  // the uninterpreted functions the obligation applies
  std::vector<CexEntry> entries;
  std::vector<FailedGoal> failed;
  std::vector<NamedValue> inputs;  // every free symbol (for re-checking the counterexample)
  int depth = -1;                  // bounded model checking: steps from the start state
  int segment = -1;                // the checkpoint of the query whose goal failed (for re-checking)
  int split = 0;                   // which case of the split on finite action parameters
  std::string note;                // what else the values mean (one sentence; empty if nothing)
};

struct Result {
  Status status = Status::Unknown;
  std::string reason;  // unknown: the solver's reason; error: what went wrong
  double timeMs = 0;
  bool cached = false;
  std::string hash;    // SHA-256 of the SMT-LIB text of the query
  std::optional<Counterexample> counterexample;
};

// Renders a counterexample for a terminal: one block per state, one line per action.
std::string counterexampleToText(const Counterexample& c, const std::string& indent = "    ");

}  // namespace ioa::prover
