#include "ExplicitSearch.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <unordered_set>

#include "ioa/spec/Build.h"
#include "ioa/spec/Eval.h"
#include "ioa/spec/Printer.h"

namespace ioa::prover::detail {

namespace {

// A few values of a sort for arguments nothing else determines: the default
// and one other value.
void samples(Sort s, std::vector<Value>& out, int depth = 0) {
  out.push_back(defaultValue(s));
  if (depth > 3) return;
  switch (s->kind) {
    case SortKind::Bool: out.push_back(Value::boolean(true)); break;
    case SortKind::Int:
    case SortKind::Nat: out.push_back(Value::integer(1)); break;
    case SortKind::UInt: out.push_back(Value::uinteger(1, s->width)); break;
    case SortKind::Range:
      if (s->hi > s->lo) out.push_back(Value::integer(s->lo + 1));
      break;
    case SortKind::Enum:
      if (s->def)
        for (size_t i = 1; i < s->def->values.size() && i < 8; ++i) out.push_back(Value::enumeration(s, static_cast<int>(i)));
      break;
    case SortKind::Seq: {
      std::vector<Value> e;
      samples(s->elem(), e, depth + 1);
      out.push_back(Value::seq({e.back()}));
      break;
    }
    case SortKind::Msg: out.push_back(Value::msg({1}, {})); break;
    case SortKind::Tuple: {
      if (!s->def) break;
      std::vector<Value> fs;
      for (const TypeField& f : s->def->fields) {
        std::vector<Value> e;
        samples(f.sort, e, depth + 1);
        fs.push_back(e.back());
      }
      out.push_back(Value::tuple(s, std::move(fs)));
      break;
    }
    case SortKind::Uninterp:
    case SortKind::Param:
      out.clear();
      out.push_back(Value::opaque(s, 0));
      out.push_back(Value::opaque(s, 1));
      break;
    default: break;
  }
}

bool mentions(const Expr* e, const Var* v) {
  bool found = false;
  forEachExpr(e, [&](const Expr* x) {
    if (x->op == Op::Var && x->var == v) found = true;
  });
  return found;
}

// The abstract automaton run alongside, for a query of a simulation: how its
// start state is made and the fragment of each concrete transition.
struct Abstract {
  const FlatAutomaton* aut = nullptr;
  bool start = false;                                    // from its own start state (else from `binds`)
  std::vector<std::pair<const Var*, const Expr*>> binds;  // refinement mapping: variable := term over the concrete state
  const Block* init = nullptr;                           // the proof block's `initially` statements
  std::vector<const Expr*> startAssumed;                 // what the start states must meet (the relation)
  const std::vector<Fragment>* fragments = nullptr;      // by concrete transition
};

class Search {
 public:
  // `startValues` / `startPrefix`: a solver's start values and the prefix of their names (explicitSearch).
  Search(const Model& m, const FlatAutomaton& a, Abstract b, std::vector<std::vector<const Expr*>> goals,
         unsigned budgetMs, const std::atomic<bool>* cancelled, const std::map<std::string, Value>* startValues,
         std::string startPrefix)
      : a_(a), b_(std::move(b)), ev_(m, limits()), goals_(std::move(goals)), cancelled_(cancelled),
        startValues_(startValues), startPrefix_(std::move(startPrefix)) {
    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(budgetMs);
    harvestLiterals();
    if (b_.aut) ev_.setFireHandler([this](const Stmt* f, const std::vector<Value>& args, Env& env) { return fire(f, args, env); });
  }

  std::optional<ExplicitRun> run(int K, SearchStats& st) {
    st_ = &st;
    st.shape = true;
    std::vector<Evaluator::State> starts = startStates(st);
    if (starts.empty()) return std::nullopt;
    st.start = true;
    for (Evaluator::State& s0 : starts) {
      if (!seen_.insert(key(s0)).second) continue;
      nodes_.push_back({std::move(s0), -1, {}});
      st.states = nodes_.size();
      if (violates(nodes_.back().state, 0)) return runTo(nodes_.size() - 1, 0);
    }
    size_t begin = 0;
    for (int d = 1; d <= K; ++d) {
      size_t end = nodes_.size();
      for (size_t n = begin; n < end; ++n) {
        st.states = nodes_.size();
        if (outOfTime()) {
          st.outOfBudget = true;
          return std::nullopt;
        }
        for (size_t t = 0; t < a_.transitions.size(); ++t) {
          std::vector<std::vector<Value>> argSets;
          arguments(nodes_[n].state, a_.transitions[t], argSets);
          for (std::vector<Value>& args : argSets) {
            Evaluator::State post;
            bool broken = false;  // the abstract fragment is not enabled or shows the wrong action
            if (!step(t, nodes_[n].state, args, post, broken)) continue;
            if (!seen_.insert(key(post)).second && !broken) continue;
            if (nodes_.size() >= kMaxStates) {
              st.outOfBudget = true;
              return std::nullopt;
            }
            nodes_.push_back({std::move(post), static_cast<int>(n), {static_cast<int>(t), std::move(args)}});
            if (broken || violates(nodes_.back().state, d)) return runTo(nodes_.size() - 1, d);
          }
        }
      }
      begin = end;
      st.depth = d;
      st.states = nodes_.size();
      if (std::getenv("IOAWB_PROVER_PROFILE"))
        std::fprintf(stderr, "[explicit] depth %d: %zu states\n", d, nodes_.size());
      if (begin == nodes_.size()) {  // no new states: nothing deeper either
        st.exhausted = true;
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

 private:
  struct Node {
    Evaluator::State state;
    int parent;
    ExplicitStep step;
  };
  static constexpr size_t kMaxStates = 400000;

  static EvalLimits limits() {
    EvalLimits l;
    l.maxDomain = 1u << 12;
    l.maxSteps = 1u << 20;
    return l;
  }

  bool outOfTime() {
    if (cancelled_ && *cancelled_) return true;
    return (++ticks_ & 63) == 0 && std::chrono::steady_clock::now() > deadline_;
  }

  std::string key(const Evaluator::State& s) const {
    std::string k;
    for (const Value& v : s) {
      k += v.toString();
      k += '\x1f';
    }
    return k;
  }

  // A node's state is the concrete automaton's, then the abstract one's (if any).
  Evaluator::State concrete(const Evaluator::State& s) const {
    return {s.begin(), s.begin() + static_cast<std::ptrdiff_t>(a_.state.size())};
  }

  // The concrete and the abstract state of a node, bound in `env`.
  void bind(const Evaluator::State& s, Env& env) const {
    ev_.bindState(a_, concrete(s), env);
    if (b_.aut)
      ev_.bindState(*b_.aut, Evaluator::State(s.begin() + static_cast<std::ptrdiff_t>(a_.state.size()), s.end()), env);
  }

  // The start states searched from: the `choose`s of the initial values take a few of their
  // candidates each (the first two and the last two: the top of a UIntN range is where a random
  // initial sequence number meets wraparound), in every combination up to kStartTries, keeping
  // those that satisfy `initially` (until 2026-12-04 only the first candidates: a new user's
  // window over UInt8 from a random start was never searched near 255). Empty, with the first
  // combination's error in `st`, when none is a start state.
  std::vector<Evaluator::State> startStates(SearchStats& st) {
    if (startValues_) {  // (given where the interpreter's own values made none: not tried again)
      std::vector<Evaluator::State> out;
      solverStart(out, st);
      return out;
    }
    class Picks : public ChoiceOracle {
     public:
      std::vector<size_t> at, counts;  // per choose met, in order: the option taken, how many there are
      size_t k = 0;
      std::optional<Value> choose(const Expr*, const std::vector<Value>* c) override {
        size_t i = k++;
        if (counts.size() <= i) counts.push_back(1), at.push_back(0);
        if (!c || c->empty()) return std::nullopt;
        std::vector<size_t> opts;
        for (size_t o : {size_t(0), size_t(1), c->size() - 1, c->size() - 2})
          if (o < c->size() && std::find(opts.begin(), opts.end(), o) == opts.end()) opts.push_back(o);
        counts[i] = opts.size();
        return (*c)[opts[at[i] % opts.size()]];
      }
      bool next() {  // the next combination (an odometer, the last choose fastest)
        k = 0;
        for (size_t i = counts.size(); i-- > 0;) {
          if (++at[i] < counts[i]) return true;
          at[i] = 0;
        }
        return false;
      }
    } picks;
    constexpr int kStartTries = 64;
    constexpr size_t kStarts = 8;
    std::vector<Evaluator::State> out;
    std::string firstWhy;
    ev_.setOracle(&picks);
    for (int tries = 0; tries < kStartTries && out.size() < kStarts; ++tries) {
      Evaluator::State s0;
      bool ok = ev_.startState(a_, s0);
      ev_.setOracle(nullptr);  // (an abstract start's chooses take their first candidates)
      ok = ok && abstractStart(s0);
      ev_.setOracle(&picks);
      if (ok) out.push_back(std::move(s0));
      else if (tries == 0) firstWhy = ev_.error().message;
      if (!picks.next()) break;
    }
    ev_.setOracle(nullptr);
    if (out.empty()) st.startWhy = startWhy(firstWhy);
    return out;
  }

  // The start state of the solver's values (startValues_), when they make one: the interpreter's
  // defaults missed a user's `initially \A i: Pid (defined(q, i) /\ q[i] = [...])`, and the
  // solver's own search of runs over that Map of sequences did not finish (D1 of the 2026-12-05
  // trial: unknown after 10 s, for a run of one step).
  void solverStart(std::vector<Evaluator::State>& out, SearchStats& st) {
    std::vector<std::optional<Value>> given(a_.state.size());
    std::map<std::string, Value> pins;
    for (size_t k = 0; k < a_.state.size(); ++k) {
      auto it = startValues_->find(startPrefix_ + a_.state[k]->name);
      if (it == startValues_->end()) continue;
      given[k] = it->second;
      pins.insert(*it);
    }
    if (pins.empty()) return;
    Evaluator::State s0;
    if (!ev_.startState(a_, s0, nullptr, &given) || !abstractStart(s0)) return;
    out.push_back(std::move(s0));
    startPins_ = std::move(pins);
    st.solverStart = true;
  }

  // Why no start state was built, for the user: the interpreter's own message, and when its
  // values missed the `initially` clause, that it had taken defaults for the variables without
  // initial values (a new user read "the initial values do not satisfy the 'initially' clause"
  // as a fault of a clause that the solver shows has a model).
  std::string startWhy(const std::string& why) const {
    if (why.find("'initially'") == std::string::npos) return why;
    std::string names;
    size_t n = 0;
    for (size_t k = 0; k < a_.state.size(); ++k)
      if (k >= a_.init.size() || !a_.init[k]) names += (n++ ? ", " : "") + a_.state[k]->name;
    if (n == 0) return why;
    return "it starts " + names + (n == 1 ? ", which has no initial value, at its sort's default, and that does"
                                          : ", which have no initial values, at their sorts' defaults, and those do") +
           " not satisfy the 'initially' clause of " + a_.name + "; it does not solve the clause for other values";
  }

  // Appends the abstract start state to the concrete one `s`.
  bool abstractStart(Evaluator::State& s) {
    if (!b_.aut) return true;
    Env env;
    ev_.bindState(a_, s, env);
    Evaluator::State sb;
    if (b_.start) {
      if (!ev_.startState(*b_.aut, sb)) return false;
      ev_.bindState(*b_.aut, sb, env);
    }
    for (const auto& [v, term] : b_.binds) {
      Value x;
      if (!ev_.eval(term, env, x) || !ev_.coerce(x, v->sort, term->range)) return false;
      env.set(v, std::move(x));
    }
    for (const Var* v : b_.aut->state)
      if (!env.has(v)) return false;  // a variable neither started nor mapped
    if (b_.init && !ev_.exec(*b_.init, env)) return false;
    for (const Expr* p : b_.startAssumed) {  // (the interpreter's one abstract start: another may be related)
      bool ok = false;
      if (!ev_.evalBool(p, env, ok) || !ok) return false;
    }
    sb = ev_.readState(*b_.aut, env);
    s.insert(s.end(), sb.begin(), sb.end());
    return true;
  }

  // Transition t of the concrete automaton with `args`, and the abstract
  // fragment beside it (run from the pre-states, as the solver's encoding does).
  // False when the interpreter cannot run them (a partial operation outside its
  // domain, say): not a candidate. `broken`: the fragment fires a disabled
  // abstract action, or does not show the concrete step's external action.
  bool step(size_t t, const Evaluator::State& pre, const std::vector<Value>& args, Evaluator::State& post, bool& broken) {
    Evaluator::State pa = concrete(pre);
    if (!ev_.apply(a_, a_.transitions[t], pa, args, post)) {
      noteUnevaluated(a_.transitions[t]);
      return false;
    }
    // a step obligation assumes the transition's `ensuring` clause (it has an obligation of its
    // own): a step that breaks it would be a counterexample to nothing the search maps it to
    bool ensures = true;
    if (a_.transitions[t].ensuring && (!ev_.ensuring(a_, a_.transitions[t], pa, args, post, ensures) || !ensures))
      return false;
    if (!b_.aut) return true;
    Env env;
    bind(pre, env);
    if (!ev_.bindArgs(a_.transitions[t], args, env)) return false;
    const Fragment& fr = b_.fragments->at(t);
    for (const auto& [fv, k] : fr.bindParams) {
      const Value* v = env.get(a_.transitions[t].params.at(static_cast<size_t>(k)));
      if (!v) return false;
      env.set(fv, *v);
    }
    fired_.clear();
    disabled_ = false;
    if (fr.body && !ev_.exec(*fr.body, env)) return false;
    broken = disabled_ || !showsExpected(fr.expect, env);
    Evaluator::State sb = ev_.readState(*b_.aut, env);
    post.insert(post.end(), sb.begin(), sb.end());
    return true;
  }

  // `fire` in a fragment: the first transition of the abstract action whose
  // bindings, guard and precondition hold runs; none is a disabled action
  // (inputs are always enabled).
  bool fire(const Stmt* f, const std::vector<Value>& given, Env& env) {
    const FlatAutomaton& B = *b_.aut;
    if (f->fireActionIndex < 0 || static_cast<size_t>(f->fireActionIndex) >= B.actions.size()) return false;
    const FlatAction& act = B.actions[static_cast<size_t>(f->fireActionIndex)];
    std::vector<Value> args = given;
    for (size_t k = 0; k < args.size() && k < act.params.size(); ++k)
      if (!ev_.coerce(args[k], act.params[k], f->range)) return false;
    bool ran = false;
    for (const FlatTransition& tr : B.transitions) {
      if (tr.action != f->fireActionIndex) continue;
      for (size_t k = 0; k < tr.params.size() && k < args.size(); ++k) env.set(tr.params[k], args[k]);
      bool on = true;
      for (const ParamBinding& pb : tr.bindings) {
        Value v;
        if (!ev_.eval(pb.value, env, v)) return false;
        on = on && static_cast<size_t>(pb.param) < args.size() && args[static_cast<size_t>(pb.param)] == v;
      }
      bool g = true, p = true;
      if (on && (!ev_.evalBool(tr.guard, env, g) || (g && !ev_.evalBool(tr.pre, env, p)))) return false;
      if (!on || !g || !p) continue;
      if (!ev_.exec(tr.eff, env)) return false;
      ran = true;
      break;
    }
    if (!ran && act.kind != ActionKind::Input) disabled_ = true;
    if (act.kind != ActionKind::Internal) fired_.push_back({&act, std::move(args)});
    return true;
  }

  // The fragment shows what the concrete step shows: nothing for an internal
  // step, else exactly that external action with the same arguments (where
  // their sorts agree).
  bool showsExpected(const ExpectedTrace& ex, Env& env) {
    if (!ex.active) return true;
    if (ex.none) return fired_.empty();
    if (fired_.size() != 1 || fired_[0].first->name != ex.action) return false;
    const auto& [act, args] = fired_[0];
    for (size_t k = 0; k < args.size() && k < ex.args.size(); ++k) {
      Sort want = ex.args[k] ? ex.args[k]->sort : nullptr;
      if (!want || (want != act->params[k] && !(isIntLike(want) && isIntLike(act->params[k])))) continue;
      Value v;
      if (!ev_.eval(ex.args[k], env, v) || !(v == args[k])) return false;
    }
    return true;
  }

  // A goal that evaluates to false (an evaluation error proves nothing).
  bool violates(const Evaluator::State& s, int depth) {
    if (depth >= static_cast<int>(goals_.size())) return false;
    Env env;
    bind(s, env);
    for (const Expr* g : goals_[static_cast<size_t>(depth)]) {
      bool ok = true;
      if (!ev_.evalBool(g, env, ok)) {
        if (st_ && st_->unevaluated.empty()) st_->unevaluated = exprToString(g) + ": " + ev_.error().message;
        continue;
      }
      if (!ok) return true;
    }
    return false;
  }

  ExplicitRun runTo(size_t n, int depth) {
    ExplicitRun r;
    r.depth = depth;
    r.startPins = startPins_;  // (the solver's start is the only one when there is one)
    for (int i = static_cast<int>(n); i >= 0 && nodes_[static_cast<size_t>(i)].parent >= 0;
         i = nodes_[static_cast<size_t>(i)].parent)
      r.steps.insert(r.steps.begin(), nodes_[static_cast<size_t>(i)].step);
    return r;
  }

  // Candidate argument vectors of `t` in state `s` that make it enabled.
  // A step the interpreter cannot run for want of a value (a free constant without one, an
  // uninterpreted function), not because an operation is outside its domain: the states beyond
  // it are not searched, so "reached every state" would not be true (a new user's ring buffer
  // over a free capacity was "exhausted" at its start state, 2026-12-04).
  void noteUnevaluated(const FlatTransition& t) {
    if (!st_ || !st_->unevaluated.empty() || ev_.error().undefined) return;
    st_->unevaluated = "the step " + a_.actions.at(static_cast<size_t>(t.action)).name + ": " + ev_.error().message;
  }

  // The numbers the spec writes (`l <= 4096`, `total < 1000000`) beyond 0 and 1, the largest
  // few: with their neighbours they are the arguments a boundary bug needs, which 0 and 1 are not
  // (a new user's `l <= 4096` for `< 4096` was found by the solver alone, after this search had
  // spent the budget on 300,000 states of small arguments).
  void harvestLiterals() {
    std::set<uint64_t> lits;
    auto note = [&](const Expr* x) {
      if (x->op == Op::IntConst && x->intValue > 1) lits.insert(x->intValue);
    };
    for (const FlatTransition& t : a_.transitions) {
      forEachExpr(t.guard, note);
      forEachExpr(t.pre, note);
      forEachExprIn(t.eff, note);
    }
    for (const auto& gs : goals_)
      for (const Expr* g : gs) forEachExpr(g, note);
    for (auto it = lits.rbegin(); it != lits.rend() && literals_.size() < kLiterals; ++it) literals_.push_back(*it);
  }

  // Candidates for a numeric parameter of sort `s` beyond its samples: the spec's numbers and their
  // neighbours, and for UIntN the top of the range (where wraparound bugs are).
  void boundaryValues(Sort s, std::vector<Value>& cands) const {
    const uint64_t top = s->kind != SortKind::UInt ? 0 : s->width >= 64 ? ~uint64_t(0) : (uint64_t(1) << s->width) - 1;
    auto add = [&](uint64_t x) {
      Value v;
      if (s->kind == SortKind::UInt) {
        if (x > top) return;
        v = Value::uinteger(x, s->width);
      } else if (s->kind == SortKind::Int || s->kind == SortKind::Nat) {
        if (x > uint64_t(INT64_MAX)) return;
        v = Value::integer(static_cast<int64_t>(x));
      } else {
        return;
      }
      for (const Value& c : cands)
        if (c.compare(v) == 0) return;
      cands.push_back(std::move(v));
    };
    for (uint64_t c : literals_) {
      add(c - 1);
      add(c);
      add(c + 1);
    }
    if (s->kind == SortKind::UInt) {
      add(top);
      add(top - 1);
    }
  }

  void arguments(const Evaluator::State& s, const FlatTransition& t, std::vector<std::vector<Value>>& out) {
    std::vector<const Expr*> conjs;
    for (Expr* e : conjuncts(t.pre)) conjs.push_back(e);
    for (Expr* e : conjuncts(t.guard)) conjs.push_back(e);
    size_t P = t.params.size();
    // a parameter defined by an equation `p = e` (or a binding) is computed
    // after the others; the rest are enumerated
    std::vector<const Expr*> def(P, nullptr);
    for (const ParamBinding& b : t.bindings) def.at(static_cast<size_t>(b.param)) = b.value;
    for (size_t k = 0; k < P; ++k) {
      if (def[k]) continue;
      for (const Expr* c : conjs) {
        if (c->op != Op::Eq) continue;
        for (int side = 0; side < 2 && !def[k]; ++side) {
          const Expr* l = c->args[static_cast<size_t>(side)];
          const Expr* r = c->args[static_cast<size_t>(1 - side)];
          if (l->op == Op::Var && l->var == t.params[k] && !mentions(r, t.params[k])) def[k] = r;
        }
      }
    }
    std::vector<size_t> order;
    for (size_t k = 0; k < P; ++k)
      if (!def[k]) order.push_back(k);
    for (size_t k = 0; k < P; ++k)
      if (def[k]) order.push_back(k);
    Env env;
    bind(s, env);
    std::vector<Value> args(P);
    choose(s, t, conjs, def, order, 0, env, args, out);
  }

  void choose(const Evaluator::State& s, const FlatTransition& t, const std::vector<const Expr*>& conjs,
              const std::vector<const Expr*>& def, const std::vector<size_t>& order, size_t i, Env& env,
              std::vector<Value>& args, std::vector<std::vector<Value>>& out) {
    if (out.size() >= 64) return;
    if (i == order.size()) {
      bool on = false;
      if (!ev_.enabled(a_, t, concrete(s), args, on)) noteUnevaluated(t);
      else if (on) out.push_back(args);
      return;
    }
    size_t k = order[i];
    const Var* p = t.params[k];
    std::vector<Value> cands;
    if (def[k]) {
      Value v;
      if (!ev_.eval(def[k], env, v)) return;
      cands.push_back(std::move(v));
    } else if (!ev_.finiteDomain(p->sort, cands) || cands.size() > 16) {
      cands.clear();
      // a bound `p < e` or `p <= e`: its values, a few
      for (const Expr* c : conjs) {
        bool lt = c->op == Op::Lt, le = c->op == Op::Le;
        if ((!lt && !le) || c->args[0]->op != Op::Var || c->args[0]->var != p) continue;
        Value hi;
        if (!ev_.eval(c->args[1], env, hi) || hi.kind() != Value::Kind::Int) continue;
        for (int64_t x = 0; x < hi.asInt() + (le ? 1 : 0) && x < 8; ++x) cands.push_back(Value::integer(x));
        break;
      }
      if (cands.empty()) {
        samples(p->sort, cands);
        boundaryValues(p->sort, cands);
      }
    }
    for (Value& v : cands) {
      args[k] = v;
      env.set(p, v);
      choose(s, t, conjs, def, order, i + 1, env, args, out);
    }
    env.erase(p);
  }

  const FlatAutomaton& a_;
  Abstract b_;
  Evaluator ev_;
  SearchStats* st_ = nullptr;
  std::vector<std::pair<const FlatAction*, std::vector<Value>>> fired_;  // external abstract actions of a fragment
  bool disabled_ = false;
  std::vector<std::vector<const Expr*>> goals_;
  const std::atomic<bool>* cancelled_;
  std::chrono::steady_clock::time_point deadline_;
  unsigned ticks_ = 0;
  std::vector<Node> nodes_;
  std::unordered_set<std::string> seen_;
  static constexpr size_t kLiterals = 3;
  std::vector<uint64_t> literals_;  // the spec's largest numbers (harvestLiterals)
  const std::map<std::string, Value>* startValues_;
  std::string startPrefix_;
  std::map<std::string, Value> startPins_;  // the solver's values the start state took
};

}  // namespace

std::optional<ExplicitRun> explicitSearch(const Model& model, const Query& q, unsigned budgetMs,
                                          const std::atomic<bool>* cancelled, SearchStats* stats,
                                          const std::map<std::string, Value>* startValues) {
  SearchStats local;
  SearchStats& st = stats ? *stats : local;
  const FlatAutomaton* a = nullptr;
  Abstract b;
  std::vector<std::vector<const Expr*>> goals(1);
  std::string startPrefix;  // of the concrete start's symbols (Encoder::startState)
  int steps = 0;
  for (const Step& s : q.steps) {
    switch (s.kind) {
      case Step::Kind::Start:
        if (!a) a = s.aut, startPrefix = s.startPrefix();
        else if (steps || (b.aut && b.aut != s.aut) || s.aut == a) return std::nullopt;
        else b.aut = s.aut, b.start = true;
        break;
      case Step::Kind::Bind:
        if (steps || !a) return std::nullopt;
        b.binds.emplace_back(s.var, s.expr);
        break;
      case Step::Kind::Exec:
        if (steps || b.init || s.aut) return std::nullopt;
        b.init = s.block;
        break;
      case Step::Kind::AnyTransition:
        if (s.aut != a || (s.abstractAut && s.fragments.size() != a->transitions.size())) return std::nullopt;
        if (!steps) {
          if (s.abstractAut && b.aut && b.aut != s.abstractAut) return std::nullopt;
          if (s.abstractAut) b.aut = s.abstractAut, b.fragments = &s.fragments;
        } else if (s.abstractAut != b.aut) {
          return std::nullopt;
        }
        ++steps;
        break;
      case Step::Kind::Assume:
        if (steps || !b.aut) return std::nullopt;
        b.startAssumed.push_back(s.expr);
        break;
      case Step::Kind::Goal: goals.back().push_back(s.expr); break;
      case Step::Kind::Checkpoint: goals.emplace_back(); break;
      case Step::Kind::Snapshot: break;
      default: return std::nullopt;
    }
  }
  if (!a || steps == 0 || !a->params.empty() || (b.aut && (!b.fragments || !b.aut->params.empty()))) return std::nullopt;
  if (!b.aut && (b.start || !b.binds.empty() || b.init)) return std::nullopt;
  // goals by depth: checkpoint k follows k steps
  return Search(model, *a, std::move(b), std::move(goals), budgetMs, cancelled, startValues, startPrefix)
      .run(steps, st);
}

}  // namespace ioa::prover::detail
