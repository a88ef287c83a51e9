// The checked model: declarations with resolved sorts and names, and every
// automaton, composition and stack expanded into a FlatAutomaton (state
// variables, actions, transitions with sequential effect programs). This is
// what refine, prover and codegen read.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ioa/spec/AST.h"
#include "ioa/spec/Sort.h"

namespace ioa {

enum class VarKind : uint8_t { State, ActionParam, Bound, Const, AutParam, FuncParam };

struct Var {
  std::string name;  // state variables of compositions are qualified: "S.queue", "P.clock"
  Sort sort = nullptr;
  VarKind kind = VarKind::Bound;
  SourceRange range;
};

struct FlatAction {
  std::string name;
  ActionKind kind = ActionKind::Input;
  std::vector<Sort> params;
  std::vector<std::string> paramNames;
  SourceRange range;
  std::vector<std::string> aliases;  // component-qualified names, e.g. "C1.send"
};

// A constraint `param k = value` coming from a `const` or pattern argument.
struct ParamBinding {
  int param = 0;
  Expr* value = nullptr;
};

struct FlatTransition {
  int action = -1;
  std::vector<Var*> params;  // one per action parameter
  std::vector<ParamBinding> bindings;
  Expr* guard = nullptr;     // where clauses (null = true)
  Expr* pre = nullptr;       // precondition (null = true; always null for inputs)
  Block eff;
  Expr* ensuring = nullptr;
  SourceRange range;         // the transition's header in the source
  std::string label;         // e.g. "output receive" or "send: S.send + C1.send"
  std::vector<std::string> components;  // participating components (for sequence charts)
  std::vector<SourceRange> componentRanges;  // per component: its transition's header (or its action's declaration)
};

struct FlatAutomaton;

struct FlatComponent {
  std::string name;
  std::vector<Sort> indexSorts;        // component arrays
  const FlatAutomaton* automaton = nullptr;
  std::vector<int> stateVars;          // indices into the composite's state
  SourceRange range;
};

struct FlatAutomaton {
  std::string name;                    // as written: "Channel(Bytes)", "ABP", "Reliable"
  std::string declName;                // "Channel"
  const AutomatonDecl* decl = nullptr; // null for stacks
  const struct StackDecl* stackDecl = nullptr;
  bool isLayer = false;
  std::vector<Var*> state;
  std::vector<Expr*> init;             // per state variable: initial term, Choose, or null
  Expr* initially = nullptr;           // further start condition (null = true)
  std::vector<Var*> params;            // free automaton parameters (uninstantiated)
  std::vector<FlatAction> actions;
  std::vector<FlatTransition> transitions;
  std::vector<FlatComponent> components;
  // layers
  Sort headerSort = nullptr;
  Expr* fastpathDn = nullptr;
  Expr* fastpathUp = nullptr;
  Var* fastpathMsg = nullptr;          // the `m` the fastpath predicates speak about
  SourceRange range;

  int findAction(const std::string& name) const;  // by name or alias; -1 if absent or ambiguous
  int findState(const std::string& name) const;
};

struct Invariant {
  std::string name;
  const InvariantDecl* decl = nullptr;
  const FlatAutomaton* automaton = nullptr;
  Expr* pred = nullptr;
  // An invariant of a parameterised automaton (`invariant I of A`), carried over to an instance
  // of it (`A(CAP)`) with the arguments substituted: proved on A for every parameter value, so
  // only assumed (and checked by bounded model checking) on the instance, never proved again.
  bool inherited = false;
  // Not declared but derived by the prover from the automaton's text (refine: a map that starts
  // defined at every key and is only ever assigned key by key stays so): proved like the declared
  // ones and assumed before them. `range` is what it speaks about (the state variable).
  bool derived = false;
  SourceRange range;
};

struct SimulationEntry {
  int concreteAction = -1;
  std::vector<Var*> params;            // bound to the concrete action's parameters
  std::vector<ParamBinding> bindings;  // pattern arguments
  bool ignore = false;
  Block body;                          // Fire / If / For / Assign(choose) over the abstract automaton
  SourceRange range;
};

struct Simulation {
  const SimulationDecl* decl = nullptr;
  SimulationKind kind = SimulationKind::Forward;
  const FlatAutomaton* from = nullptr;
  const FlatAutomaton* to = nullptr;
  Expr* relation = nullptr;
  bool hasProof = false;
  Block proofInit;                     // assignments to the abstract state
  std::vector<SimulationEntry> entries;
  std::string name() const;
};

struct StackLayer {
  std::string name;                    // instance name in the stack (layer name, or Name_2 when repeated)
  const AutomatonDecl* decl = nullptr;
  const FlatAutomaton* layer = nullptr;
};

struct Stack {
  std::string name;
  const StackDecl* decl = nullptr;
  std::vector<StackLayer> layers;      // top first
  const FlatAutomaton* automaton = nullptr;
};

class Model {
 public:
  explicit Model(std::shared_ptr<AstArena> arena) : arena_(std::move(arena)) {}
  SortTable sorts;
  std::vector<const TypeDef*> types;
  std::vector<Var*> consts;
  std::map<const Var*, Expr*> constValues;
  std::vector<const FunctionDecl*> functions;
  std::vector<Expr*> axioms;
  std::vector<const AutomatonDecl*> automatonDecls;  // primitives, composites and layers, in order
  std::vector<Invariant> invariants;
  std::vector<Simulation> simulations;
  std::vector<Stack> stacks;

  // Flat automata made so far (every declared automaton without arguments, every
  // instantiation used by an invariant, simulation, composition or stack).
  const std::vector<FlatAutomaton*>& automata() const { return automata_; }
  const FlatAutomaton* findAutomaton(const std::string& name) const;  // by display or decl name
  const Stack* findStack(const std::string& name) const;

  Var* newVar(std::string name, Sort sort, VarKind kind, SourceRange r);
  FlatAutomaton* newAutomaton();
  AstArena& arena() { return *arena_; }
  std::shared_ptr<AstArena> arenaPtr() const { return arena_; }

 private:
  std::shared_ptr<AstArena> arena_;
  std::deque<Var> vars_;
  std::deque<FlatAutomaton> automatonStore_;
  std::vector<FlatAutomaton*> automata_;
};

}  // namespace ioa
