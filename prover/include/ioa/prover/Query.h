// A proof query as data: a short program of steps over the checked model
// (havoc state, assume predicates, run transitions and effect programs, state
// goals). The prover turns it into SMT in a worker's own Z3 context; callers
// (refine, tests) build queries without seeing any solver type.
//
// A query is valid when, for every interpretation of its free symbols that
// satisfies the assumptions, all goals hold. Goals are checked at checkpoints
// (the end of the query is an implicit checkpoint); bounded model checking puts
// one checkpoint after every step so the first violation ends the search.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ioa/spec/Model.h"

namespace ioa::prover {

// Side conditions met while encoding terms and programs.
enum class SideKind : uint8_t {
  Partial,    // a partial operation applied inside its domain (head of a non-empty sequence, ...)
  Narrowing,  // an Int flowing into Nat or a range fits
  Choose,     // a `choose` in an effect has a witness
  Enabled,    // a fired action is enabled (its precondition holds)
  Trace,      // a fired fragment shows the expected external action
};
const char* sideKindName(SideKind k);

// The small finite sorts (Bool, an enumeration, a range of at most kSmallFiniteMax values): the
// prover unrolls a quantifier over one and encodes an array indexed by one as a tuple, so
// refine can state facts over them without leaving quantifiers to the solver.
inline constexpr int64_t kSmallFiniteMax = 16;
bool isSmallFiniteSort(Sort s);

enum class SideMode : uint8_t { Ignore, Assume, Prove };

struct SidePolicy {
  SideMode partial = SideMode::Assume;
  SideMode narrowing = SideMode::Assume;
  SideMode choose = SideMode::Ignore;
  SideMode enabled = SideMode::Prove;
  SideMode trace = SideMode::Prove;
  // everything proved: the well-definedness obligations
  static SidePolicy proveAll() { return {SideMode::Prove, SideMode::Prove, SideMode::Prove, SideMode::Prove, SideMode::Prove}; }
  // nothing: predicates assumed or proved whose definedness has its own obligation
  static SidePolicy ignoreAll() { return {SideMode::Ignore, SideMode::Ignore, SideMode::Ignore, SideMode::Ignore, SideMode::Ignore}; }
};

// The external action a fragment must show (simulation steps): `none` = the
// fragment must be invisible; otherwise exactly one external action named
// `action`, whose arguments equal `args` where their sorts agree.
struct ExpectedTrace {
  bool active = false;
  bool none = true;
  std::string action;
  std::vector<const Expr*> args;
};

// How close an assumption is to the goal. The solver first tries focused
// queries that leave out the far (then also the near) assumptions: fewer
// quantified facts for e-matching to chase. Dropping assumptions is sound for
// a proof; a refutation only ever comes from the full query, so that its
// model satisfies every assumption (an invariant that shares no variable with
// the obligation can still constrain one through another invariant).
enum class Reach : uint8_t {
  Core,       // always assumed
  Near,       // left out of the narrowest attempts only
  Far,        // left out of the focused attempts
  Unrelated,  // shares no variable with the obligation: assumed by model search (and the full query) only
};

// The abstract fragment run alongside one concrete transition in bounded
// model checking of a simulation.
struct Fragment {
  std::vector<std::pair<const Var*, int>> bindParams;  // fragment variable := concrete parameter k
  const Block* body = nullptr;                         // null: no abstract action
  ExpectedTrace expect;
};

struct Step {
  enum class Kind : uint8_t {
    Havoc,          // fresh symbols for `vars` (named tag.name), well-formedness assumed
    Start,          // `aut`'s state takes start values (nondeterministic parts fresh and constrained)
    StartGoal,      // `aut`'s state must be some start state: goals, existentials for unconstrained parts;
                    // `block` = proof witness; `useCurrent` = values already bound (refinement mappings)
    Bind,           // `var` := value of `expr`
    Assume,         // `expr` holds
    Goal,           // `expr` must hold (one goal; split conjuncts with several steps)
    WdGoal,         // the side conditions of `expr` must hold (well-definedness)
    Action,         // transition `transition` of `aut` happens: parameters fresh, where/pre assumed
    Effect,         // the effect of that transition runs; `assumeEnsuring` adds its ensuring clause
    EnsuringGoal,   // the ensuring clause of the last transition must hold (two-state)
    Exec,           // run `block` (statements over `aut` when it fires actions)
    AnyTransition,  // bounded model checking: some enabled transition of `aut` happens (fragments for `abstractAut`)
    Snapshot,       // record `vars` under `label` for the counterexample
    Checkpoint,     // check the goals stated since the last checkpoint
  };
  Kind kind = Kind::Assume;
  const FlatAutomaton* aut = nullptr;
  const FlatAutomaton* abstractAut = nullptr;
  std::vector<const Var*> vars;
  std::vector<std::string> names;  // display names for Snapshot (defaults to var names)
  std::string tag;
  std::string label;
  const Var* var = nullptr;
  const Expr* expr = nullptr;
  const Block* block = nullptr;
  int transition = -1;
  SidePolicy policy;
  SourceRange range;
  bool useCurrent = false;
  bool assumeEnsuring = false;
  Reach reach = Reach::Core;  // Assume
  ExpectedTrace expect;
  std::vector<Fragment> fragments;  // AnyTransition with abstractAut: one per concrete transition
  bool checkDefined = false;        // AnyTransition: the effect's partial operations are goals
  // Start: the prefix of the names of the fresh symbols it makes ("start.q")
  std::string startPrefix() const { return tag.empty() ? std::string("start.") : tag + "."; }
};

struct Query {
  std::vector<Step> steps;

  Query& havoc(std::vector<const Var*> vars, std::string tag);
  Query& start(const FlatAutomaton* a, SidePolicy p = {});
  Query& startGoal(const FlatAutomaton* a, const Block* witness, bool useCurrent);
  // (`p`: the side conditions of `e` and of its narrowing into v's sort, as for an assignment
  // `v := e`; ignored by default)
  Query& bind(const Var* v, const Expr* e, SidePolicy p = SidePolicy::ignoreAll());
  // Side conditions of assumed and proved predicates are ignored by default:
  // their well-definedness is an obligation of its own.
  Query& assume(const Expr* e, std::string label = {}, SidePolicy p = SidePolicy::ignoreAll(),
                Reach reach = Reach::Core);
  Query& goal(const Expr* e, std::string label, SourceRange r, SidePolicy p = SidePolicy::ignoreAll());
  Query& wdGoal(const Expr* e, std::string label);
  Query& action(const FlatAutomaton* a, int transition, SidePolicy p = {});
  Query& effect(const FlatAutomaton* a, int transition, SidePolicy p = {}, bool assumeEnsuring = true);
  Query& ensuringGoal(const FlatAutomaton* a, int transition);
  // (`at`: where a failed trace condition points, the concrete transition)
  Query& exec(const Block* b, const FlatAutomaton* fireTarget, SidePolicy p, ExpectedTrace expect = {},
              SourceRange at = {});
  // `checkDefined`: a step whose effect applies a partial operation outside its domain is
  // taken and fails a goal of the next checkpoint (else such a step counts as disabled).
  Query& anyTransition(const FlatAutomaton* a, const FlatAutomaton* abstractAut = nullptr,
                       std::vector<Fragment> fragments = {}, bool checkDefined = false);
  Query& snapshot(std::string label, std::vector<const Var*> vars, std::vector<std::string> names = {});
  Query& checkpoint();
};

// A proof obligation: a query with the facts a user needs to find it.
struct Obligation {
  std::string id;          // stable across runs: kind, automaton, subject and transition
  std::string kind;        // vocabulary of the caller (refine): "invariant-step", "simulation-start", ...
  std::string automaton;
  std::string subject;     // the invariant or simulation it belongs to
  std::string transition;  // transition label, or "" for start conditions
  std::string description; // one line for humans
  SourceRange range;       // where to point in the spec
  // A step of a composition: the components taking part and where each one's transition is
  // (range is the first one's). Empty for a step of one automaton.
  std::vector<std::pair<std::string, SourceRange>> participants;
  bool inductive = false;  // a failure is a counterexample to induction (pre-state may be unreachable)
  bool bounded = false;    // bounded model checking: proved means "no violation within `depth` steps"
  // An existence claim: the query's assumptions can be met (its goal is
  // `false`). Proved when the solver finds a model of them (a witness,
  // confirmed like a counterexample), refuted when it shows there is none;
  // `refutedBecause` then says what that means for the user.
  bool witness = false;
  std::string refutedBecause;
  unsigned depth = 0;
  Query query;
  // When set, the obligation holds by this syntactic argument (e.g. the
  // transition writes no variable the invariant reads) and is not solved.
  std::string holdsBecause;
  // Obligations of one group whose queries differ only in their goals and in the
  // reach of their assumptions (the invariants one transition must preserve) are
  // first tried in one solver: the assumptions once, each goal checked on its own.
  // Those not proved that way are solved alone. Empty: alone.
  std::string group;
};

}  // namespace ioa::prover
