// Obligations as short sequences of named query steps (Alive2 style): each
// reads like the textbook condition it checks.
#include "ioa/refine/Obligations.h"

#include <algorithm>
#include <map>
#include <set>

#include "ioa/spec/Build.h"
#include "ioa/spec/Printer.h"

namespace ioa::refine {

using prover::ExpectedTrace;
using prover::Fragment;
using prover::Obligation;
using prover::Query;
using prover::SideMode;
using prover::SidePolicy;

std::string transitionName(const FlatAutomaton& a, size_t t) {
  const FlatTransition& tr = a.transitions.at(t);
  std::string name = tr.action >= 0 ? a.actions.at(static_cast<size_t>(tr.action)).name : "?";
  int count = 0, ordinal = 0;
  for (size_t i = 0; i < a.transitions.size(); ++i)
    if (a.transitions[i].action == tr.action) {
      ++count;
      if (i == t) ordinal = count;
    }
  return count > 1 ? name + "#" + std::to_string(ordinal) : name;
}

std::vector<const FlatAutomaton*> rootAutomata(const Model& model) {
  std::vector<const FlatAutomaton*> roots;
  auto add = [&](const FlatAutomaton* a) {
    if (a && std::find(roots.begin(), roots.end(), a) == roots.end()) roots.push_back(a);
  };
  // an automaton's declaration (a stack has no automaton declaration): instances of one declaration are one
  auto declOf = [](const FlatAutomaton* a) {
    return a->decl ? static_cast<const void*>(a->decl) : static_cast<const void*>(a->stackDecl);
  };
  std::set<const void*> componentDecls;
  for (const FlatAutomaton* a : model.automata())
    for (const FlatComponent& c : a->components)
      if (c.automaton) componentDecls.insert(declOf(c.automaton));
  for (const FlatAutomaton* a : model.automata()) {
    bool subject = false;
    for (const Invariant& inv : model.invariants)
      subject = subject || (inv.automaton == a && !inv.inherited && !inv.derived);
    for (const Simulation& s : model.simulations) subject = subject || s.from == a || s.to == a;
    if (subject) {
      add(a);
      continue;
    }
    if (a->isLayer) continue;
    if (componentDecls.count(declOf(a))) continue;
    if (a->stackDecl) continue;  // a stack alone is checked through the systems that use it
    add(a);
  }
  // A layer no checked automaton contains (a spec of layers and a stack without a system over
  // them) is checked on its own: its transitions are those that must be well-defined.
  std::set<const void*> reached;
  std::vector<const FlatAutomaton*> todo(roots.begin(), roots.end());
  while (!todo.empty()) {
    const FlatAutomaton* a = todo.back();
    todo.pop_back();
    if (!reached.insert(declOf(a)).second) continue;
    for (const FlatComponent& c : a->components)
      if (c.automaton) todo.push_back(c.automaton);
  }
  for (const FlatAutomaton* a : model.automata())
    if (a->isLayer && !reached.count(declOf(a))) {
      reached.insert(declOf(a));
      add(a);
    }
  return roots;
}

std::string simulationName(const Simulation& s) {
  return (s.kind == SimulationKind::Refinement ? "refinement " : "simulation ") + s.from->name + " -> " + s.to->name;
}

namespace {

std::vector<const Var*> vars(const std::vector<Var*>& vs) { return {vs.begin(), vs.end()}; }

using VarSet = std::set<const Var*>;

void readsOf(const Expr* e, VarSet& out) {
  if (!e) return;
  forEachExpr(e, [&](const Expr* x) {
    if ((x->op == Op::Var || x->op == Op::Post) && x->var && x->var->kind == VarKind::State) out.insert(x->var);
  });
}

const Var* rootVar(const Expr* lhs) {
  while (lhs && (lhs->op == Op::MapGet || lhs->op == Op::SeqIndex || lhs->op == Op::TupleGet)) lhs = lhs->args[0];
  return lhs && lhs->op == Op::Var ? lhs->var : nullptr;
}

void writesOf(const Block& b, VarSet& out) {
  for (const Stmt* s : b) {
    switch (s->kind) {
      case StmtKind::Assign:
        if (const Var* v = rootVar(s->lhs))
          if (v->kind == VarKind::State) out.insert(v);
        break;
      case StmtKind::If:
        for (const Block& br : s->branches) writesOf(br, out);
        writesOf(s->elseBranch, out);
        break;
      case StmtKind::For: writesOf(s->body, out); break;
      default: break;
    }
  }
}

// Every state variable a transition reads or writes.
VarSet touchedBy(const FlatTransition& t) {
  VarSet vs;
  for (const ParamBinding& b : t.bindings) readsOf(b.value, vs);
  readsOf(t.guard, vs);
  readsOf(t.pre, vs);
  readsOf(t.ensuring, vs);
  forEachExprIn(t.eff, [&](const Expr* x) {
    if ((x->op == Op::Var || x->op == Op::Post) && x->var && x->var->kind == VarKind::State) vs.insert(x->var);
  });
  writesOf(t.eff, vs);
  return vs;
}

// Every state variable of `a` starts at one given value (no `choose`, none left open).
bool deterministicStart(const FlatAutomaton& a) {
  for (size_t k = 0; k < a.state.size(); ++k)
    if (k >= a.init.size() || !a.init[k] || a.init[k]->op == Op::Choose) return false;
  return true;
}

bool meets(const VarSet& a, const VarSet& b) {
  for (const Var* v : a)
    if (b.count(v)) return true;
  return false;
}

// Variables whose values are plain (no sequences, sets or maps): assuming facts
// about them adds no quantified axioms.
bool scalar(const Var* v) {
  switch (v->sort ? v->sort->kind : SortKind::Error) {
    case SortKind::Bool: case SortKind::Int: case SortKind::Nat: case SortKind::UInt: case SortKind::Range:
    case SortKind::Enum: return true;
    default: return false;
  }
}

// Bound variables along the deepest nesting of quantifiers: a fact quantified
// over pairs (k, l) is instantiated for every pair of matching terms.
size_t quantifierDepth(const Expr* e) {
  if (!e) return 0;
  size_t inner = 0;
  for (const Expr* a : e->args) inner = std::max(inner, quantifierDepth(a));
  return inner + (e->op == Op::Forall || e->op == Op::Exists ? e->binders.size() : 0);
}

// How close an invariant `pred` (reading `reads`) is to an obligation about the
// variables `focus` (what the transition touches and the goal reads). Core: it
// reads nothing else and quantifies over one variable at most. Near: the rest
// it reads are plain values. Far: it reads other sequences, sets or maps.
// (`depth`: quantifierDepth(pred))
prover::Reach reachOf(size_t depth, const VarSet& reads, const VarSet& focus) {
  prover::Reach r = depth > 1 ? prover::Reach::Near : prover::Reach::Core;
  for (const Var* v : reads) {
    if (focus.count(v)) continue;
    if (!scalar(v)) return prover::Reach::Far;
    r = prover::Reach::Near;
  }
  return r;
}

class Generator {
 public:
  Generator(Model& m, const Options& o) : m_(m), o_(o), b_(m.arena(), m.sorts) { addDerivedInvariants(m_); }

  std::vector<Obligation> run() {
    std::vector<const FlatAutomaton*> roots = rootAutomata(m_);
    if (o_.invariants)
      for (const FlatAutomaton* a : roots) {
        startExists(*a);
        invariants(*a);
      }
    if (o_.wellDefinedness) {
      for (const FlatAutomaton* a : roots) wellDefined(*a);
      fastpaths();
    }
    if (o_.simulations)
      for (const Simulation& s : m_.simulations) simulation(s);
    if (o_.bmcDepth > 0) {
      for (const FlatAutomaton* a : roots)  // (without invariants: the definedness of every step)
        if (!a->transitions.empty()) bmcInvariants(*a);
      for (const Simulation& s : m_.simulations) bmcSimulation(s);
    }
    return std::move(out_);
  }

  std::optional<Obligation> bmcOf(const FlatAutomaton& a) {
    if (invariantsOf(a).empty()) return std::nullopt;
    bmcInvariants(a);
    return std::move(out_.back());
  }

  Obligation checkedRunsOf(const Simulation& s) {
    bmcSimulation(s, true);
    return std::move(out_.back());
  }

 private:
  std::string text(const Expr* e) const {
    if (o_.sources && e && e->range.valid() && e->range.end > e->range.begin) {
      std::string t(o_.sources->textOf(e->range));
      // one line: collapse the layout of multi-line conjuncts
      std::string one;
      bool space = false;
      for (char c : t) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
          space = true;
          continue;
        }
        if (space && !one.empty()) one += ' ';
        space = false;
        one += c;
      }
      if (!one.empty()) return one;
    }
    return e ? exprToString(e) : std::string();
  }

  // The derived invariants first (declared ones may rely on them), then the declared ones in order.
  std::vector<const Invariant*> invariantsOf(const FlatAutomaton& a) const {
    std::vector<const Invariant*> r;
    for (bool derived : {true, false})
      for (const Invariant& inv : m_.invariants)
        if (inv.automaton == &a && inv.pred && inv.derived == derived) r.push_back(&inv);
    return r;
  }

  static std::string invariantWord(const Invariant& inv) { return inv.derived ? "derived invariant " : "invariant "; }
  static SourceRange rangeOf(const Invariant& inv) {
    if (inv.derived) return inv.range;
    if (inv.decl) return inv.decl->nameRange.valid() ? inv.decl->nameRange : inv.decl->range;
    return inv.pred->range;
  }

  // Assumes the invariants of `a` (those before `upTo`); with `relevant`, each
  // with its reach from those variables (`goal`, the invariant being proved, is
  // core), and those that read none of them as unrelated: proof attempts leave
  // them out (a weaker assumption, so never unsound), model search keeps them,
  // so a counterexample's pre-state satisfies every invariant.
  void assumeInvariants(Query& q, const FlatAutomaton& a, size_t upTo = SIZE_MAX, const VarSet* relevant = nullptr,
                        const Invariant* goal = nullptr) {
    auto invs = invariantsOf(a);
    for (size_t i = 0; i < invs.size() && i < upTo; ++i) {
      prover::Reach reach = prover::Reach::Core;
      if (relevant) {
        const Shape& sh = shapeOf(invs[i]);
        if (!meets(sh.reads, *relevant)) reach = prover::Reach::Unrelated;
        else if (invs[i] != goal) reach = reachOf(sh.depth, sh.reads, *relevant);
      }
      q.assume(invs[i]->pred, invs[i]->name, SidePolicy::ignoreAll(), reach);
    }
  }

  // The variables an invariant reads and its quantifier depth, once per invariant (every step of
  // the flagship asks for all 57: walking their terms each time was a fifth of making the
  // obligations).
  struct Shape {
    VarSet reads;
    size_t depth = 0;
  };
  const Shape& shapeOf(const Invariant* inv) {
    auto [it, fresh] = shapes_.try_emplace(inv);
    if (fresh) {
      readsOf(inv->pred, it->second.reads);
      it->second.depth = quantifierDepth(inv->pred);
    }
    return it->second;
  }
  std::map<const Invariant*, Shape> shapes_;

  void goals(Query& q, Expr* pred, const std::string& prefix = {}) {
    for (Expr* c : conjuncts(pred)) q.goal(c, prefix + text(c), c->range);
  }

  // The components taking part in a step of a composition, with their transitions.
  static void participantsOf(Obligation& ob, const FlatTransition& tr) {
    if (tr.components.size() < 2 || tr.componentRanges.size() != tr.components.size()) return;
    for (size_t k = 0; k < tr.components.size(); ++k) ob.participants.emplace_back(tr.components[k], tr.componentRanges[k]);
  }

  Obligation& add(std::string id, const char* kind, const FlatAutomaton& a, std::string subject, std::string transition,
                  std::string description, SourceRange r) {
    Obligation ob;
    ob.id = std::move(id);
    ob.kind = kind;
    ob.automaton = a.name;
    ob.subject = std::move(subject);
    ob.transition = std::move(transition);
    ob.description = std::move(description);
    ob.range = r;
    out_.push_back(std::move(ob));
    return out_.back();
  }

  std::string actionCall(const FlatAutomaton& a, const FlatTransition& t) const {
    const FlatAction& act = a.actions.at(static_cast<size_t>(t.action));
    std::string s = std::string(actionKindName(act.kind)) + " " + act.name + "(";
    for (size_t i = 0; i < t.params.size(); ++i) s += (i ? ", " : "") + t.params[i]->name;
    return s + ")";
  }

  // ---------------------------------------------------------------- start states

  // Some start state exists: initial values that meet the `initially` clause
  // (and the `where` of every `choose`). Without one, every invariant and
  // simulation of the automaton holds vacuously, and says nothing.
  void startExists(const FlatAutomaton& a) {
    Obligation& ob = add("start-exists:" + a.name, kinds::StartExists, a, "start", "",
                         a.name + " has a start state", a.decl ? a.decl->nameRange : a.range);
    ob.witness = true;
    bool chooses = false;
    for (const Expr* e : a.init) chooses = chooses || (e && e->op == Op::Choose);
    std::string what = "the initial values of " + a.name;
    if (chooses) what += ", the conditions of its choose";
    if (a.initially) what += ", its initially clause";
    ob.refutedBecause = "no start state: " + what +
                        " and the sorts of its state variables (a range, Nat) cannot all hold at once, so every "
                        "invariant and simulation of " + a.name + " holds vacuously";
    ob.query.start(&a).snapshot("start state", vars(a.state));
    ob.query.goal(b_.boolConst(false), "false", ob.range);
  }

  // ---------------------------------------------------------------- invariants

  void invariants(const FlatAutomaton& a) {
    for (const Invariant* inv : invariantsOf(a)) {
      if (inv->inherited) continue;  // (proved on the parameterised automaton, for every argument)
      SourceRange r = rangeOf(*inv);
      Obligation& init = add("invariant-init:" + a.name + ":" + inv->name, kinds::InvariantInit, a, inv->name, "",
                             invariantWord(*inv) + inv->name + " holds in every start state of " + a.name, r);
      init.query.start(&a).snapshot("start state", vars(a.state));
      goals(init.query, inv->pred);
      for (size_t t = 0; t < a.transitions.size(); ++t) {
        const FlatTransition& tr = a.transitions[t];
        std::string tn = transitionName(a, t);
        Obligation& ob = add("invariant-step:" + a.name + ":" + inv->name + ":" + tn, kinds::InvariantStep, a, inv->name,
                             tn, invariantWord(*inv) + inv->name + " is preserved by " + actionCall(a, tr), tr.range);
        participantsOf(ob, tr);
        ob.inductive = true;
        const VarSet& reads = shapeOf(inv).reads;
        VarSet writes;
        writesOf(tr.eff, writes);
        if (!meets(reads, writes)) {
          // (nothing to solve, and no query: three in four of the flagship's steps, whose queries
          // were most of the memory and of the time its obligations took to make)
          ob.holdsBecause = "the transition changes no variable the invariant reads";
          continue;
        }
        ob.group = "invariant-step:" + a.name + ":" + tn;
        VarSet relevant = touchedBy(tr);
        relevant.insert(reads.begin(), reads.end());
        Query& q = ob.query;
        q.havoc(vars(a.state), "pre");
        assumeInvariants(q, a, SIZE_MAX, &relevant, inv);
        q.snapshot("pre-state", vars(a.state));
        q.action(&a, static_cast<int>(t));
        q.effect(&a, static_cast<int>(t));
        q.snapshot("post-state", vars(a.state));
        goals(q, inv->pred);
      }
    }
  }

  // ---------------------------------------------------------------- well-definedness

  void wellDefined(const FlatAutomaton& a) {
    SidePolicy all = SidePolicy::proveAll();
    {
      Obligation& ob = add("well-defined:" + a.name + ":start", kinds::WellDefined, a, "start", "",
                           "the start state of " + a.name + " is well-defined", a.range);
      ob.query.start(&a, all);
    }
    auto invs = invariantsOf(a);
    for (size_t i = 0; i < invs.size(); ++i) {
      if (invs[i]->inherited) continue;
      Obligation& ob = add("well-defined:" + a.name + ":invariant " + invs[i]->name, kinds::WellDefined, a,
                           invs[i]->name, "", invariantWord(*invs[i]) + invs[i]->name + " is well-defined",
                           invs[i]->derived ? invs[i]->range : invs[i]->decl ? invs[i]->decl->range : invs[i]->pred->range);
      ob.query.havoc(vars(a.state), "s");
      VarSet reads;  // (the invariants that share no variable with it are left out of the focused attempts)
      readsOf(invs[i]->pred, reads);
      assumeInvariants(ob.query, a, i, &reads, invs[i]);
      ob.query.snapshot("state", vars(a.state));
      ob.query.wdGoal(invs[i]->pred, invs[i]->name);
      ob.group = "well-defined:" + a.name + ":invariants";
    }
    for (size_t t = 0; t < a.transitions.size(); ++t) {
      const FlatTransition& tr = a.transitions[t];
      std::string tn = transitionName(a, t);
      Obligation& ob = add("well-defined:" + a.name + ":" + tn, kinds::WellDefined, a, "transition", tn,
                           "every partial operation of " + actionCall(a, tr) + " is applied inside its domain",
                           tr.range);
      participantsOf(ob, tr);
      VarSet relevant = touchedBy(tr);
      Query& q = ob.query;
      q.havoc(vars(a.state), "pre");
      assumeInvariants(q, a, SIZE_MAX, &relevant);
      q.snapshot("pre-state", vars(a.state));
      q.action(&a, static_cast<int>(t), all);
      q.effect(&a, static_cast<int>(t), all, false);
      if (tr.ensuring) {
        Obligation& en = add("ensuring:" + a.name + ":" + tn, kinds::Ensuring, a, "ensuring", tn,
                             actionCall(a, tr) + " establishes its ensuring clause", tr.ensuring->range);
        en.inductive = true;
        Query& e = en.query;
        e.havoc(vars(a.state), "pre");
        assumeInvariants(e, a, SIZE_MAX, &relevant);
        e.snapshot("pre-state", vars(a.state));
        e.action(&a, static_cast<int>(t));
        e.effect(&a, static_cast<int>(t), {}, false);
        e.snapshot("post-state", vars(a.state));
        e.ensuringGoal(&a, static_cast<int>(t));
      }
    }
  }

  void fastpaths() {
    std::set<const FlatAutomaton*> seen;
    for (const Stack& st : m_.stacks)
      for (const StackLayer& l : st.layers) {
        const FlatAutomaton* a = l.layer;
        if (!a || !seen.insert(a).second || !a->fastpathMsg) continue;
        for (const auto& [path, pred] : {std::pair<const char*, Expr*>{"dn", a->fastpathDn}, {"up", a->fastpathUp}}) {
          if (!pred) continue;
          Obligation& ob = add("well-defined:" + a->name + ":fastpath " + path, kinds::WellDefined, *a, "fastpath", path,
                               std::string("the ") + path + " fastpath predicate of " + a->name + " is well-defined",
                               pred->range);
          std::vector<const Var*> vs = vars(a->state);
          vs.push_back(a->fastpathMsg);
          ob.query.havoc(vs, "s");
          ob.query.snapshot("state", vs);
          ob.query.wdGoal(pred, std::string("fastpath ") + path);
        }
      }
  }

  // ---------------------------------------------------------------- simulations

  const SimulationEntry* entryFor(const Simulation& s, int action) const {
    for (const SimulationEntry& e : s.entries)
      if (e.concreteAction == action) return &e;
    return nullptr;
  }

  // The default fragment: the same-named abstract action with the same arguments
  // for an external action, nothing for an internal one.
  Block defaultFragment(const Simulation& s, const FlatTransition& t) {
    const FlatAction& ca = s.from->actions.at(static_cast<size_t>(t.action));
    if (ca.kind == ActionKind::Internal) return {};
    int ai = s.to->findAction(ca.name);
    if (ai < 0) return {};
    Stmt* f = m_.arena().stmt();
    f->kind = StmtKind::Fire;
    f->fireKind = s.to->actions[static_cast<size_t>(ai)].kind;
    f->fireAction = ca.name;
    f->fireActionIndex = ai;
    f->range = t.range;
    for (Var* p : t.params) f->fireArgs.push_back(b_.var(p, t.range));
    return {f};
  }

  // The fragment for concrete transition t: the proof entry (its parameters are
  // bound separately), falling back to the default when its patterns do not match.
  const Block* fragmentFor(const Simulation& s, const FlatTransition& t, std::vector<std::pair<const Var*, int>>& binds) {
    const SimulationEntry* e = entryFor(s, t.action);
    Block* blk = persistentBlock();
    if (!e) {
      *blk = defaultFragment(s, t);
      return blk;
    }
    for (size_t k = 0; k < e->params.size(); ++k) binds.emplace_back(e->params[k], static_cast<int>(k));
    Block body = e->ignore ? Block{} : e->body;
    if (e->bindings.empty()) {
      *blk = body;
      return blk;
    }
    std::vector<Expr*> conds;
    for (const ParamBinding& pb : e->bindings) conds.push_back(b_.eq(b_.var(e->params.at(static_cast<size_t>(pb.param))), pb.value));
    Stmt* ifs = m_.arena().stmt();
    ifs->kind = StmtKind::If;
    ifs->range = e->range;
    ifs->conds = {b_.andE(conds)};
    ifs->branches = {body};
    ifs->elseBranch = defaultFragment(s, t);
    ifs->hasElse = true;
    *blk = {ifs};
    return blk;
  }

  ExpectedTrace expectFor(const Simulation& s, const FlatTransition& t) {
    ExpectedTrace ex;
    ex.active = true;
    const FlatAction& ca = s.from->actions.at(static_cast<size_t>(t.action));
    if (ca.kind == ActionKind::Internal) return ex;
    ex.none = false;
    ex.action = ca.name;
    for (Var* p : t.params) ex.args.push_back(b_.var(p, t.range));
    return ex;
  }

  std::vector<std::string> qualified(const FlatAutomaton& a) const {
    std::vector<std::string> names;
    for (const Var* v : a.state) names.push_back(a.name + "." + v->name);
    return names;
  }

  // refinement mappings: abstract variable -> defining term
  std::vector<std::pair<const Var*, Expr*>> mapping(const Simulation& s) const {
    std::vector<std::pair<const Var*, Expr*>> out;
    for (Expr* c : conjuncts(s.relation))
      if (c->op == Op::Eq && c->args[0]->op == Op::Var)
        for (const Var* av : s.to->state)
          if (av == c->args[0]->var) out.emplace_back(av, c->args[1]);
    return out;
  }

  void simulation(const Simulation& s) {
    const FlatAutomaton& A = *s.from;
    const FlatAutomaton& B = *s.to;
    bool refinement = s.kind == SimulationKind::Refinement;
    std::string simName = simulationName(s);
    SourceRange sr = s.decl ? s.decl->range : A.range;
    const char* startKind = refinement ? kinds::RefinementStart : kinds::SimulationStart;
    const char* stepKind = refinement ? kinds::RefinementStep : kinds::SimulationStep;
    auto map = refinement ? mapping(s) : std::vector<std::pair<const Var*, Expr*>>{};
    // A mapped value fits its abstract variable's sort wherever the invariants hold: the mapping's
    // well-definedness obligation proves it, the start and step obligations assume it (without it,
    // a step's abstract pre-state could hold a Nat of -5, and the abstract action was blamed).
    SidePolicy mappedFits = SidePolicy::ignoreAll();
    if (o_.wellDefinedness) mappedFits.narrowing = prover::SideMode::Assume;
    // well-definedness of the relation
    if (o_.wellDefinedness) {
      Obligation& ob = add(std::string(startKind) == kinds::RefinementStart ? "well-defined:" + simName + ":mapping"
                                                                           : "well-defined:" + simName + ":relation",
                           kinds::WellDefined, A, simName, "", "the relation of the " + simName + " is well-defined",
                           s.relation->range);
      ob.query.havoc(vars(A.state), "pre").havoc(vars(B.state), "abs");
      assumeInvariants(ob.query, A);
      assumeInvariants(ob.query, B);
      if (refinement) {  // each mapped value must fit its abstract variable's sort (`Abs.n = k - 5`, n a Nat)
        SidePolicy fits = SidePolicy::ignoreAll();
        fits.narrowing = prover::SideMode::Prove;
        for (const auto& [av, term] : map) ob.query.bind(av, term, fits);
      }
      ob.query.snapshot("state", vars(A.state)).snapshot("abstract state", vars(B.state), qualified(B));
      ob.query.wdGoal(s.relation, "relation");
    }
    {
      Obligation& ob = add(std::string(startKind) + ":" + simName, startKind, A, simName, "",
                           "every start state of " + A.name + " is related to a start state of " + B.name, sr);
      Query& q = ob.query;
      q.start(&A);
      assumeInvariants(q, A);
      q.snapshot("concrete start state", vars(A.state));
      if (refinement) {
        for (const auto& [av, term] : map) q.bind(av, term, mappedFits);
        q.startGoal(&B, nullptr, true);
        q.snapshot("abstract start state (by the mapping)", vars(B.state), qualified(B));
      } else {
        bool witness = s.hasProof && !s.proofInit.empty();
        q.startGoal(&B, witness ? &s.proofInit : nullptr, false);
        if (deterministicStart(B)) q.snapshot("abstract start state", vars(B.state), qualified(B));
        goals(q, s.relation);
      }
    }
    SidePolicy fragPolicy = SidePolicy::proveAll();
    for (size_t t = 0; t < A.transitions.size(); ++t) {
      const FlatTransition& tr = A.transitions[t];
      std::string tn = transitionName(A, t);
      Obligation& ob = add(std::string(stepKind) + ":" + simName + ":" + tn, stepKind, A, simName, tn,
                           actionCall(A, tr) + " is matched by " + B.name + " (" + simName + ")", tr.range);
      participantsOf(ob, tr);
      ob.inductive = true;
      VarSet reads, writes;
      readsOf(s.relation, reads);
      writesOf(tr.eff, writes);
      const SimulationEntry* entry = entryFor(s, tr.action);
      bool internal = A.actions.at(static_cast<size_t>(tr.action)).kind == ActionKind::Internal;
      if (internal && (!entry || entry->ignore || entry->body.empty()) && !meets(reads, writes))
        ob.holdsBecause = "an internal step that changes no variable of the relation, matched by the empty fragment";
      VarSet relevant = touchedBy(tr);
      relevant.insert(reads.begin(), reads.end());
      Query& q = ob.query;
      q.havoc(vars(A.state), "pre");
      assumeInvariants(q, A, SIZE_MAX, &relevant);
      if (refinement) {
        for (const auto& [av, term] : map) q.bind(av, term, mappedFits);
      } else {
        q.havoc(vars(B.state), "abs");
        q.assume(s.relation, "relation");
      }
      assumeInvariants(q, B);
      q.snapshot("pre-state", vars(A.state));
      q.snapshot("abstract pre-state", vars(B.state), qualified(B));
      q.action(&A, static_cast<int>(t));
      std::vector<std::pair<const Var*, int>> binds;
      const Block* frag = fragmentFor(s, tr, binds);
      for (const auto& [v, k] : binds) q.bind(v, b_.var(tr.params.at(static_cast<size_t>(k))));
      q.exec(frag, &B, fragPolicy, expectFor(s, tr), tr.range);
      q.effect(&A, static_cast<int>(t));
      q.snapshot("post-state", vars(A.state));
      q.snapshot("abstract post-state", vars(B.state), qualified(B));
      goals(q, s.relation);
    }
  }

  // ---------------------------------------------------------------- bounded model checking

  static std::string steps(unsigned k) { return std::to_string(k) + (k == 1 ? " step" : " steps"); }

  void bmcInvariants(const FlatAutomaton& a) {
    unsigned K = o_.bmcDepth;
    auto invs = invariantsOf(a);
    // `--only Window`: this invariant alone (a run to a helper invariant's violation hid the one
    // that mattered to a new user)
    const Invariant* only = nullptr;
    for (const Invariant* inv : invs)
      if (!o_.only.empty() && inv->name == o_.only) only = inv;
    if (only) invs = {only};
    std::string within = " within " + steps(K);
    bool ensuring = false;
    for (const FlatTransition& t : a.transitions) ensuring = ensuring || t.ensuring;
    bool declared = false;  // (the derived ones alone: said as for an automaton without invariants)
    for (const Invariant* inv : invs) declared = declared || !inv->derived;
    Obligation& ob = add("bmc-invariants:" + a.name, kinds::BmcInvariants, a, "invariants", "",
                         !declared
                             ? "no step of " + a.name + " applies an operation outside its domain" +
                                   (ensuring ? " or fails its ensuring clause" : "") + within
                             : (only ? "invariant " + only->name + " of " + a.name + " is not violated"
                                     : "no invariant of " + a.name + " is violated") +
                                   within +
                                   (ensuring ? " (nor an operation applied outside its domain, nor an ensuring clause)"
                                             : " (nor an operation applied outside its domain)"),
                         a.range);
    ob.bounded = true;
    ob.depth = K;
    Query& q = ob.query;
    q.start(&a);
    q.snapshot("start state", vars(a.state));
    for (unsigned k = 0; k <= K; ++k) {
      if (k > 0) q.anyTransition(&a, nullptr, {}, true);
      for (const Invariant* inv : invs) goals(q, inv->pred, inv->name + ": ");
      q.checkpoint();
    }
  }

  // `checked`: the search of runs that follows an undecided step: at every
  // checkpoint (the start too) the invariants of both automata, labelled
  // "<invariant>: <conjunct>", and the relation, besides the fragments' own
  // side conditions.
  void bmcSimulation(const Simulation& s, bool checked = false) {
    const FlatAutomaton& A = *s.from;
    const FlatAutomaton& B = *s.to;
    bool refinement = s.kind == SimulationKind::Refinement;
    unsigned K = o_.bmcDepth;
    std::string simName = simulationName(s);
    bool deterministic = deterministicStart(B);
    for (const FlatAction& act : B.actions) deterministic = deterministic && act.kind != ActionKind::Internal;
    for (const FlatTransition& t : B.transitions)
      forEachExprIn(t.eff, [&](const Expr* x) { deterministic = deterministic && x->op != Op::Choose; });
    // A failed run then refutes trace inclusion itself only when the abstract run is the one the
    // concrete trace determines: the default correspondence on a deterministic abstract automaton.
    // A proof block's fragments are one way to follow; their failing says nothing about others.
    deterministic = deterministic && !s.hasProof;
    Obligation& ob =
        add("bmc-simulation:" + simName, kinds::BmcSimulation, A, simName, "",
            deterministic ? "every trace of " + A.name + " within " + steps(K) + " is a trace of " + B.name
                          : "the " + simName + " can follow " + A.name + " for " + steps(K) + " from a start state",
            s.decl ? s.decl->range : A.range);
    ob.bounded = true;
    ob.depth = K;
    Query& q = ob.query;
    auto checkpoint = [&] {
      if (checked) {
        for (const FlatAutomaton* a : {&A, &B})
          for (const Invariant* inv : invariantsOf(*a)) goals(q, inv->pred, inv->name + ": ");
        goals(q, s.relation);
      }
      q.checkpoint();
    };
    q.start(&A);
    if (refinement) {
      for (const auto& [av, term] : mapping(s)) q.bind(av, term);
    } else {
      q.start(&B);
      if (s.hasProof && !s.proofInit.empty()) q.exec(&s.proofInit, nullptr, {});
      // the abstract run starts from a start state related to the concrete one, as the simulation's
      // start obligation has it (without this, any abstract start was taken: a correct simulation
      // whose abstract start is not fixed was refuted by an unrelated one)
      else if (!checked) q.assume(s.relation, "the relation at the start");
    }
    q.snapshot("start state", vars(A.state));
    q.snapshot("abstract start state", vars(B.state), qualified(B));
    if (checked) checkpoint();  // (a start that breaks the relation is the start obligation's business otherwise)
    std::vector<Fragment> frags;
    for (const FlatTransition& tr : A.transitions) {
      Fragment f;
      f.body = fragmentFor(s, tr, f.bindParams);
      f.expect = expectFor(s, tr);
      frags.push_back(std::move(f));
    }
    for (unsigned k = 1; k <= K; ++k) {
      q.anyTransition(&A, &B, frags);
      checkpoint();
    }
  }

  // Blocks made here must live as long as the model: keep them in a holder
  // statement of the model's arena.
  Block* persistentBlock() {
    Stmt* holder = m_.arena().stmt();
    holder->kind = StmtKind::Ignore;
    return &holder->body;
  }

  Model& m_;
  const Options& o_;
  ExprBuilder b_;
  std::vector<Obligation> out_;
};

}  // namespace

bool selectedBy(const std::string& id, const std::string& only) {
  if (only.empty()) return true;
  size_t at = id.find(':');
  while (at != std::string::npos) {
    size_t next = id.find(':', at + 1);
    std::string part = id.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
    if (part == only) return true;
    // "simulation A -> B" names its obligations, and so do its two automata
    if (part.rfind("simulation ", 0) == 0 || part.rfind("refinement ", 0) == 0) {
      size_t arrow = part.find(" -> ");
      size_t sp = part.find(' ');
      if (arrow != std::string::npos &&
          (part.substr(sp + 1, arrow - sp - 1) == only || part.substr(arrow + 4) == only))
        return true;
    }
    at = next;
  }
  return false;
}

std::vector<Obligation> generateObligations(Model& model, const Options& opts) {
  std::vector<Obligation> all = Generator(model, opts).run();
  if (opts.only.empty()) return all;
  // (an automaton's bounded model checking, narrowed to the invariant named, goes with it)
  auto hasInvariant = [&](const std::string& automaton) {
    for (const Invariant& inv : model.invariants)
      if (inv.automaton && inv.automaton->name == automaton && inv.name == opts.only) return true;
    return false;
  };
  std::vector<Obligation> kept;
  for (Obligation& ob : all)
    if (selectedBy(ob.id, opts.only) || (ob.kind == kinds::BmcInvariants && hasInvariant(ob.automaton)))
      kept.push_back(std::move(ob));
  return kept;
}

std::optional<Obligation> simulationSearchObligation(Model& model, const std::string& simulation, unsigned depth,
                                                     const Options& opts) {
  Options o = opts;
  o.bmcDepth = depth;
  for (const Simulation& s : model.simulations) {
    if (simulationName(s) == simulation) return Generator(model, o).checkedRunsOf(s);
  }
  return std::nullopt;
}

std::optional<Obligation> bmcInvariantsObligation(Model& model, const FlatAutomaton& a, unsigned depth,
                                                  const Options& opts) {
  Options o = opts;
  o.bmcDepth = depth;
  return Generator(model, o).bmcOf(a);
}

}  // namespace ioa::refine
