// From a Query (steps over the model) to Z3 assertions grouped by checkpoint,
// plus the plan of what a counterexample shows (private to the prover).
#pragma once

#include <functional>
#include <string>
#include <optional>
#include <vector>

#include "Encoder.h"

namespace ioa::prover::detail {

struct GoalItem {
  z3::expr cond;
  std::string label;
  std::string kind;  // "goal" or a side condition kind
  SourceRange range;
  std::vector<std::string> args = {};  // the enabledness of a fired abstract action: its arguments, as written
};

// Assertions between two checkpoints, and the goals checked at the second.
struct Segment {
  std::vector<z3::expr> hyps;
  std::vector<std::pair<size_t, Reach>> distant;  // hyps (by index) assumed only by wider attempts
  std::vector<GoalItem> goals;
  std::vector<z3::expr> existentials;  // goals hold for some value of these (abstract start states, angelic choices)
  // Angelic choices (Encoder::Angelic) the goals depend on: the goal is then that some values of
  // them meet what they must satisfy, the goals of the earlier checkpoints (one choice serves a
  // whole bounded run) and this checkpoint's goals. (Its goals' own conditions read the values
  // of one choice, the one a counterexample shows.)
  std::optional<z3::expr> angelicGoal;
  int depth = 0;                       // bounded model checking steps taken before this checkpoint
  // bounded model checking with definedness checked: the last step applied its partial
  // operations inside their domains (the other goals of the checkpoint are stated under it)
  std::optional<z3::expr> stepDefined;
};

// What a counterexample shows, as terms to evaluate in the model.
struct PlanValues {
  std::string action;  // Action items and options
  std::vector<std::string> names;
  std::vector<Sort> sorts;
  std::vector<z3::expr> terms;
};

struct PlanItem {
  enum class Kind : uint8_t { State, Action, Choice, Constants } kind = Kind::State;  // (Constants: first, if any)
  std::string label;
  int segment = 0;
  PlanValues values;                // State, Action
  std::vector<z3::expr> choice;     // Choice: the choice symbol (0 or 1 element)
  std::vector<PlanValues> options;  // Choice: one per transition
};

struct EncodedQuery {
  std::vector<z3::expr> global;  // axioms, constants, function ranges (asserted first)
  std::vector<Segment> segments;
  std::vector<PlanItem> plan;
  // Assumptions the encoder cannot translate (an invariant with `size` of a set over Nat), left
  // out: a proof without them still holds; a refutation may be excluded by them (unknown).
  std::vector<std::string> dropped;
  // Encoded with split variables but no case fixed: the symbol of each split variable (by its
  // index in the split), to be replaced by a case's values (forCase).
  std::vector<std::pair<size_t, z3::expr>> splitSyms;
  // Whether a checkpoint's goals, once proved, are asserted for the later
  // ones. Bounded model checking does not: its later checkpoints imply the
  // earlier goals anyway (same path), and those goals are quantified
  // invariants that only slow the search for a ground trace.
  bool carryGoals = true;
  int lastGoalSegment() const;
};

// Case splits: action parameters of small finite sorts (Bool, enumerations,
// short ranges) are tried value by value, so each case is a smaller query
// (arrays indexed by the parameter resolve to fields).
struct SplitVar {
  const Var* var;
  Sort sort;
};
std::vector<SplitVar> splitVars(const Query& q, ContextCache& cc, int64_t maxCases);
int64_t caseCount(const std::vector<SplitVar>& vs, ContextCache& cc);
std::vector<int64_t> caseValues(const std::vector<SplitVar>& vs, ContextCache& cc, int64_t caseIndex);
std::string caseText(const std::vector<SplitVar>& vs, ContextCache& cc, int64_t caseIndex);

// `fixed`: values (indices into the finite sort) of split variables; others are free. With
// `split` but no `fixed`, the split variables are symbols (EncodedQuery::splitSyms).
EncodedQuery encodeQuery(Encoder& en, const Query& q, const std::vector<SplitVar>* split = nullptr,
                         const std::vector<int64_t>* fixed = nullptr);

// The case `values` of a query encoded with symbolic split variables: every term with the
// split symbols replaced by the values (the same query as encoding with them fixed, up to
// trivial facts such as 0 <= 1, at the cost of a substitution instead of an encoding).
// `from`/`to` get the replacement (for terms read later, such as the encoder's inputs).
EncodedQuery forCase(ContextCache& cc, const EncodedQuery& generic, const std::vector<SplitVar>& split,
                     const std::vector<int64_t>& values, z3::expr_vector& from, z3::expr_vector& to);

// The goal of a segment: the conjunction of its goals (under its existentials).
z3::expr segmentGoal(z3::context& c, const Segment& s);

// The values of the plan up to `lastSegment`, in order; `next` yields the value
// of a term of a sort (from a model, or from a cache record).
using ValueSource = std::function<Value(Sort, const z3::expr&)>;
std::vector<Value> readPlan(const EncodedQuery& q, int lastSegment, const ValueSource& next);
Counterexample buildCounterexample(const EncodedQuery& q, int lastSegment, const std::vector<Value>& values,
                                   const std::vector<int>& failed);

}  // namespace ioa::prover::detail
