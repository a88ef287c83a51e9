// Invariants the prover derives from an automaton's text, so that users need
// not state them: a map that starts defined at every key (`constant(0)`) and
// is only ever assigned key by key (`db[k] := v`, `update(db, k, v)`) stays
// defined at every key. Without that fact every read `db[k]` of a step is a
// well-definedness obligation whose counterexample to induction is a map with
// an undefined key, unreachable but not excluded by any invariant.
//
// The analysis only proposes: each derived invariant gets the obligations of a
// declared one (initiation, consecution, well-definedness), so a wrong
// proposal would be refuted, never assumed unproved.
#include "ioa/refine/Obligations.h"

#include <map>

#include "ioa/spec/Build.h"

namespace ioa::refine {

namespace {

bool chainSort(Sort s) { return s && (s->kind == SortKind::Map || s->kind == SortKind::Array); }

// The deepest level of nested maps and arrays a sort has (Map[K, Array[I, V]]: 2) that is a Map
// and that a claim may cover, counted from 1 (0: none). A level below another is covered only
// when the keys above it are few (prover::isSmallFiniteSort): its claim is then a conjunction, one
// per key. Under an infinite key sort it would be a quantifier over keys, and beside the maps'
// canonical forms such an assumption left unrelated obligations undecided (a nested map over an
// uninterpreted sort kept a 4-line counterexample from the solver for 20 s), as every derived
// invariant is assumed in every obligation of its automaton.
int deepestMapLevel(Sort s) {
  int level = 0, deepest = 0;
  for (; chainSort(s); s = s->value()) {
    ++level;
    if (s->kind == SortKind::Map) deepest = level;
    if (!prover::isSmallFiniteSort(s->key())) break;
  }
  return deepest;
}

class Totality {
 public:
  explicit Totality(const FlatAutomaton& a) : a_(a) {}

  // Per state variable, the number of levels (from the top) at which every map is
  // claimed defined at every key: the greatest claims the initial values and every
  // assignment keep (a fixpoint, as a variable may be assigned another's value).
  std::map<const Var*, int> claims() {
    for (const Var* v : a_.state)
      if (int deepest = deepestMapLevel(v->sort)) claim_[v] = deepest;
    for (bool changed = true; changed;) {
      changed = false;
      for (size_t k = 0; k < a_.state.size(); ++k) {
        const Var* v = a_.state[k];
        auto it = claim_.find(v);
        if (it == claim_.end()) continue;
        int n = it->second;
        const Expr* init = k < a_.init.size() ? a_.init[k] : nullptr;
        while (n > 0 && !(init && totalTo(init, n) && keptBy(v, n))) --n;
        if (n != it->second) {
          changed = true;
          it->second = n;
        }
      }
    }
    std::map<const Var*, int> out;
    for (const auto& [v, n] : claim_) {
      bool mapWithin = false;  // some Map among the first n levels (arrays are total anyway)
      Sort s = v->sort;
      for (int l = 0; l < n && chainSort(s); ++l, s = s->value()) mapWithin = mapWithin || s->kind == SortKind::Map;
      if (mapWithin) out[v] = n;
    }
    return out;
  }

 private:
  // Every map in the first n levels of e's value is defined at every key, given the
  // claims on the pre-state.
  bool totalTo(const Expr* e, int n) const {
    if (n <= 0) return true;
    if (!e) return false;
    switch (e->op) {
      case Op::MapConst: return !e->args.empty() && totalTo(e->args[0], n - 1);
      case Op::MapUpdate: return e->args.size() == 3 && totalTo(e->args[0], n) && totalTo(e->args[2], n - 1);
      case Op::Ite: return e->args.size() == 3 && totalTo(e->args[1], n) && totalTo(e->args[2], n);
      case Op::MapGet: return !e->args.empty() && totalTo(e->args[0], n + 1);
      case Op::Lambda:  // an array is total at its level (a map made so has its key sort's keys only)
        return e->sort && e->sort->kind == SortKind::Array && !e->args.empty() && totalTo(e->args[0], n - 1);
      case Op::Var: {
        if (!e->var || e->var->kind != VarKind::State) return false;
        auto it = claim_.find(e->var);
        return it != claim_.end() && it->second >= n;
      }
      default: return false;
    }
  }

  // Every assignment to v in a transition keeps the claim on its first n levels.
  bool keptBy(const Var* v, int n) const {
    for (const FlatTransition& t : a_.transitions)
      if (!keptIn(t.eff, v, n)) return false;
    return true;
  }

  bool keptIn(const Block& b, const Var* v, int n) const {
    for (const Stmt* s : b) {
      switch (s->kind) {
        case StmtKind::Assign: {
          int depth = 0;  // map and array levels the left side goes down before anything else
          bool beyond = false;  // a field or an index of a sequence below them
          const Expr* lhs = s->lhs;
          std::vector<const Expr*> path;
          while (lhs && (lhs->op == Op::MapGet || lhs->op == Op::SeqIndex || lhs->op == Op::TupleGet)) {
            path.push_back(lhs);
            lhs = lhs->args.empty() ? nullptr : lhs->args[0];
          }
          if (!lhs || lhs->op != Op::Var || lhs->var != v) break;
          for (auto it = path.rbegin(); it != path.rend(); ++it) {
            if ((*it)->op == Op::MapGet && !beyond) ++depth;
            else beyond = true;
          }
          // Writing below the claimed levels, or into a field or a sequence under them, only
          // defines keys on the way down. Otherwise the value written must keep the claim.
          if (depth >= n || beyond) break;
          if (!totalTo(s->rhs, n - depth)) return false;
          break;
        }
        case StmtKind::If:
          for (const Block& br : s->branches)
            if (!keptIn(br, v, n)) return false;
          if (!keptIn(s->elseBranch, v, n)) return false;
          break;
        case StmtKind::For:
          if (!keptIn(s->body, v, n)) return false;
          break;
        default: break;
      }
    }
    return true;
  }

  const FlatAutomaton& a_;
  std::map<const Var*, int> claim_;
};

// total(v) /\ \A k: K1 (total(v[k]) /\ ...) over n levels (an array's level has no `total`).
//
// total(m) is stated on the encoding, not key by key: the map's definedness array is all true,
// keys outside the key sort (a Nat map's negative keys) included. That is what `constant(v)`
// and updates at keys make, it is what the derived invariant's own obligations prove, and it
// spares the solver a quantifier over keys: beside the map's canonical-form quantifier,
// `\A k: Nat (defined(cnt, k))` as an assumption left a 6-line counterexample to induction
// undecided for 20 s.
Expr* totalPred(Model& m, ExprBuilder& b, Expr* cur, Sort s, int n, int level) {
  if (n <= 0 || !chainSort(s)) return nullptr;
  Expr* here = s->kind == SortKind::Map ? b.app(Op::MapTotal, m.sorts.boolean(), {cur}) : nullptr;
  Expr* inner = nullptr;
  if (n > 1 && chainSort(s->value())) {
    static const char* names[] = {"k", "j", "l", "h"};
    std::string name = level < 4 ? names[level] : "k" + std::to_string(level);
    Var* k = m.newVar(name, s->key(), VarKind::Bound, {});
    if (Expr* below = totalPred(m, b, b.select(cur, b.var(k)), s->value(), n - 1, level + 1))
      inner = b.quant(true, {k}, below);
  }
  return here && inner ? b.andE(here, inner) : here ? here : inner;
}

}  // namespace

void addDerivedInvariants(Model& model) {
  ExprBuilder b(model.arena(), model.sorts);
  std::vector<Invariant> add;
  for (const FlatAutomaton* a : model.automata()) {
    for (const auto& [v, n] : Totality(*a).claims()) {
      std::string name = "total(" + v->name + ")";
      bool have = false;
      for (const Invariant& inv : model.invariants) have = have || (inv.derived && inv.automaton == a && inv.name == name);
      if (have) continue;
      Var* var = const_cast<Var*>(v);
      Expr* pred = totalPred(model, b, b.var(var), v->sort, n, 0);
      if (!pred) continue;
      Invariant inv;
      inv.name = name;
      inv.automaton = a;
      inv.pred = pred;
      inv.derived = true;
      inv.range = v->range;
      add.push_back(inv);
    }
  }
  for (Invariant& inv : add) model.invariants.push_back(inv);
}

}  // namespace ioa::refine
