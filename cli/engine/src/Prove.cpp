#include "ioa/engine/Prove.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "ioa/prover/Discharger.h"
#include "ioa/refine/Obligations.h"
#include "ioa/spec/Eval.h"

namespace ioa::engine {

namespace {

std::string fileOf(const Compilation& c, SourceRange r) {
  if (!r.valid() || r.file > c.sources.fileCount()) return "";
  return c.sources.file(r.file).path();
}

ObligationInfo infoOf(const Compilation& c, const prover::Obligation& ob, size_t index) {
  ObligationInfo i;
  i.index = index;
  i.id = ob.id;
  i.kind = ob.kind;
  i.automaton = ob.automaton;
  i.subject = ob.subject;
  i.transition = ob.transition;
  i.description = ob.description;
  i.file = fileOf(c, ob.range);
  if (ob.range.valid()) {
    LineCol lc = c.sources.lineCol(ob.range);
    i.line = lc.line;
    i.col = lc.col;
  }
  i.bounded = ob.bounded;
  i.depth = ob.depth;
  for (const auto& [component, range] : ob.participants) {
    ParticipantView p;
    p.component = component;
    p.file = fileOf(c, range);
    if (range.valid()) {
      LineCol lc = c.sources.lineCol(range);
      p.line = lc.line;
      p.col = lc.col;
    }
    i.participants.push_back(std::move(p));
  }
  return i;
}

// `name` occurs in `text` as a whole name (not inside a longer name or after a dot).
bool mentionsName(const std::string& text, const std::string& name) {
  auto part = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.'; };
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    bool before = at == 0 || !part(text[at - 1]);
    size_t end = at + name.size();
    bool after = end == text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_');
    if (before && after) return true;
  }
  return false;
}

// A failed condition's `text` reads variable `v` ("C.x", or one instance "C[2].x" of a component
// array's variable): named so, or through a component array's index ("C[i].x", "C[f(j)].x"; until
// 2026-12-04 such a read was missed and the wrong component was pointed at). Any index counts: the
// text's index is a term, the shown one a value.
bool readsVariable(const std::string& text, std::string v) {
  if (mentionsName(text, v)) return true;
  if (size_t open = v.find('['); open != std::string::npos && open < v.find('.'))
    if (size_t close = v.find(']', open); close != std::string::npos) v.erase(open, close + 1 - open);  // "C.x"
  if (mentionsName(text, v)) return true;
  size_t dot = v.find('.');
  if (dot == std::string::npos) return false;
  std::string comp = v.substr(0, dot), rest = v.substr(dot);  // ("C", ".x")
  for (size_t at = text.find(comp + "["); at != std::string::npos; at = text.find(comp + "[", at + 1)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_' || text[at - 1] == '.'))
      continue;
    size_t k = at + comp.size(), depth = 0;
    for (; k < text.size(); ++k) {
      if (text[k] == '[') ++depth;
      else if (text[k] == ']' && --depth == 0) break;
    }
    if (k >= text.size()) continue;
    size_t end = k + 1 + rest.size();
    if (text.compare(k + 1, rest.size(), rest) == 0 &&
        (end == text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')))
      return true;
  }
  return false;
}

// A refuted step of a composition: which component's part of the step broke it. The last state
// of the counterexample against the one before tells what changed; a component is to blame when
// a variable it changed (named "C.x" or "C[i].x") is read by a failed condition. With one such
// component the result points at its transition; the note names every component taking part.
void blameParticipant(ObligationResult& r) {
  if (!r.counterexample || r.info.participants.size() < 2) return;
  CounterexampleView& cx = *r.counterexample;
  const CexStepView* last = nullptr;
  const CexStepView* before = nullptr;
  for (const CexStepView& s : cx.steps)
    if (s.kind == "state" && s.label.find("abstract") == std::string::npos) before = last, last = &s;
  // what the step changed: with one state only (a definedness failure, before the step's
  // effect) nothing is known to have changed (until 2026-12-04 every variable counted as
  // changed, and a step without an effect was blamed for changing what the condition reads)
  std::vector<std::string> changed;
  if (last && before)
    for (const NamedValueView& v : last->values) {
      bool same = false;
      for (const NamedValueView& w : before->values) same = same || (w.name == v.name && w.value == v.value);
      if (!same) changed.push_back(v.name);
    }
  std::vector<size_t> blamed;
  std::string read;
  for (size_t k = 0; k < r.info.participants.size(); ++k) {
    const std::string& comp = r.info.participants[k].component;
    for (const std::string& v : changed) {
      if (v.rfind(comp + ".", 0) != 0 && v.rfind(comp + "[", 0) != 0) continue;
      bool isRead = false;
      for (const FailedView& f : cx.failed) isRead = isRead || readsVariable(f.text, v);
      if (!isRead) continue;
      if (blamed.empty() || blamed.back() != k) blamed.push_back(k);
      if (blamed.size() == 1 && read.empty()) read = v;
    }
  }
  // "A, B and C"
  auto listed = [](const std::vector<std::string>& xs) {
    std::string l;
    for (size_t k = 0; k < xs.size(); ++k) l += std::string(k == 0 ? "" : k + 1 == xs.size() ? " and " : ", ") + xs[k];
    return l;
  };
  std::vector<std::string> who, culprits;
  for (const ParticipantView& p : r.info.participants)
    who.push_back(p.component + " (line " + std::to_string(p.line) + ")");
  for (size_t k : blamed) culprits.push_back(r.info.participants[k].component);
  std::string note = "This step synchronises " + listed(who);
  if (blamed.size() == 1) {
    const ParticipantView& p = r.info.participants[blamed.front()];
    note += "; the failed condition reads " + read + ", which " + p.component + "'s transition changed";
    r.info.file = p.file;
    r.info.line = p.line;
    r.info.col = p.col;
  } else if (blamed.size() > 1) {
    note += "; the failed condition reads what " + listed(culprits) + " changed";
  }
  cx.note += (cx.note.empty() ? "" : ". ") + note + ".";
}

// The values a bound variable of a failed quantified goal is tried with: a small finite sort
// whole, integers from 0 (and a few negatives for Int) up to a bound; nothing for other sorts.
std::vector<Value> instanceCandidates(Sort s) {
  constexpr int64_t kUpTo = 64;
  std::vector<Value> out;
  switch (s->kind) {
    case SortKind::Bool: return {Value::boolean(false), Value::boolean(true)};
    case SortKind::Enum:
      for (size_t k = 0; s->def && k < s->def->values.size(); ++k) out.push_back(Value::enumeration(s, static_cast<int>(k)));
      return out;
    case SortKind::Range:
      for (int64_t v = s->lo; v <= s->hi && v < s->lo + kUpTo; ++v) out.push_back(Value::integer(v));
      return out;
    case SortKind::Nat:
      for (int64_t v = 0; v < kUpTo; ++v) out.push_back(Value::integer(v));
      return out;
    case SortKind::Int:
      for (int64_t v = -4; v < kUpTo; ++v) out.push_back(Value::integer(v));
      return out;
    default: return out;
  }
}

// The state of `aut` shown in a counterexample's entry `e` (its variables by name, bare or
// qualified by the automaton); false when one is missing.
bool cexState(const FlatAutomaton& aut, const prover::CexEntry* e, Evaluator::State& out) {
  if (!e) return false;
  out.clear();
  for (const Var* v : aut.state) {
    const Value* found = nullptr;
    for (const prover::NamedValue& nv : e->values)
      if (nv.name == v->name || nv.name == aut.name + "." + v->name) found = &nv.value;
    if (!found) return false;
    out.push_back(*found);
  }
  return true;
}

// An interpreter for the values of a counterexample: bounded, and with the counterexample's tables
// of uninterpreted functions (without them, `uid(i)` had no value and an instance was named
// wrongly as one where it is undefined).
std::unique_ptr<Evaluator> cexEvaluator(const Compilation& c, const prover::Counterexample& cx) {
  EvalLimits lim;
  lim.maxSteps = uint64_t(1) << 16;
  auto ev = std::make_unique<Evaluator>(*c.model, lim);
  ev->setUninterpreted([&cx](const FunctionDecl* f, const std::vector<Value>& args) -> std::optional<Value> {
    for (const prover::FunctionValue& fv : cx.functions) {
      if (fv.name != f->name || fv.arity != args.size()) continue;
      for (const auto& [at, v] : fv.entries) {
        bool same = at.size() == args.size();
        for (size_t k = 0; same && k < args.size(); ++k) same = at[k].compare(args[k]) == 0;
        if (same) return v;
      }
      return fv.otherwise;
    }
    return std::nullopt;
  });
  return ev;
}

// The values the counterexample gives the free constants and the parameters of a generic
// automaton `a` (`K = 1`), bound for the interpreter.
Env cexConstants(const Compilation& c, const FlatAutomaton* a, const prover::Counterexample& cx) {
  Env env;
  std::vector<const Var*> free(c.model->consts.begin(), c.model->consts.end());
  if (a) free.insert(free.end(), a->params.begin(), a->params.end());
  for (const Var* v : free)
    for (const prover::NamedValue& nv : cx.constants)
      if (nv.name == v->name) env.set(v, nv.value);
  return env;
}

// Is the pre-state of a step's counterexample a start state of the obligation's automaton (by the
// spec's interpreter)? Then the failed step is taken from a reachable state: a real violation
// after one step, not a mere counterexample to induction.
bool preStateIsStart(const Compilation& c, const prover::Obligation& ob, const prover::Counterexample& cx) {
  const FlatAutomaton* a = c.model->findAutomaton(ob.automaton);
  const prover::CexEntry* pre = nullptr;
  for (const prover::CexEntry& e : cx.entries)
    if (!pre && e.kind == prover::CexEntry::Kind::State && e.label.find("abstract") == std::string::npos) pre = &e;
  Evaluator::State st;
  if (!a || !cexState(*a, pre, st)) return false;
  bool start = false;
  Env base = cexConstants(c, a, cx);
  return cexEvaluator(c, cx)->isStart(*a, st, start, &base) && start;
}

// The abstract automaton of a simulation's obligation; null for any other.
const FlatAutomaton* abstractAutomatonOf(const Compilation& c, const prover::Obligation& ob) {
  for (const Simulation& s : c.model->simulations)
    if (refine::simulationName(s) == ob.subject) return s.to;
  return nullptr;
}

// Binds the last states a counterexample shows (`first`: the first ones, a step's pre-states):
// the obligation's automaton's and, for a simulation, the abstract automaton's (a bounded run shows
// the abstract values with the concrete state's entry), with the free constants and parameters
// (cexConstants). False when the concrete state is incomplete.
bool bindLastStates(const Compilation& c, const prover::Obligation& ob, const prover::Counterexample& cx,
                    Evaluator& ev, Env& env, bool first = false) {
  const FlatAutomaton* a = c.model->findAutomaton(ob.automaton);
  env = cexConstants(c, a, cx);
  const FlatAutomaton* b = abstractAutomatonOf(c, ob);
  const prover::CexEntry* last = nullptr;
  const prover::CexEntry* lastAbstract = nullptr;
  for (const prover::CexEntry& e : cx.entries) {
    if (e.kind != prover::CexEntry::Kind::State) continue;
    const prover::CexEntry*& slot = e.label.find("abstract") == std::string::npos ? last : lastAbstract;
    if (!first || !slot) slot = &e;
  }
  Evaluator::State cs, as;
  if (!a || !cexState(*a, last, cs)) return false;
  ev.bindState(*a, cs, env);
  if (b && cexState(*b, lastAbstract ? lastAbstract : last, as)) ev.bindState(*b, as, env);
  return true;
}

// `inner` lies within `outer` (same file; both valid).
bool inside(const SourceRange& inner, const SourceRange& outer) {
  return inner.valid() && inner.file == outer.file && outer.begin <= inner.begin && inner.end <= outer.end;
}

// The goal of an obligation a failed goal names (by its label, the conjunct as written).
const Expr* goalNamed(const prover::Obligation& ob, const std::string& text) {
  const Expr* goal = nullptr;
  for (const prover::Step& st : ob.query.steps)
    if (st.kind == prover::Step::Kind::Goal && st.label == text) goal = st.expr;
  return goal;
}

// For a failed goal `\A i: T, j: U (P)` (nested universal quantifiers included, and under
// implications whose premise holds: `Q => \A i (P)`) of a state invariant: the first values of the bound variables for which P is false in the
// counterexample's last state ("i = 2, j = 0"), found by the spec's interpreter over the
// candidates above; empty when there is none to show (another kind of goal, a sort that is
// not enumerated, a value the interpreter cannot compute, more than a bounded number of tries).
// A failed definedness condition (`q[c + 1]: index c + 1 is in range`) inside such a quantifier
// of a term whose definedness is the goal (an invariant's) names the first values for which
// evaluating that very term fails ("c = 0"; until 2026-12-04 the bound variable was not shown).
std::string failingInstance(const Compilation& c, const prover::Obligation& ob, const prover::Counterexample& cx,
                            const prover::FailedGoal& f) {
  bool definedness = f.kind == "partial" || f.kind == "narrowing";
  if (f.kind != "goal" && !definedness) return {};
  const Expr* goal = definedness ? nullptr : goalNamed(ob, f.text);
  for (const prover::Step& st : ob.query.steps)
    if (definedness && st.kind == prover::Step::Kind::WdGoal && st.expr && inside(f.range, st.expr->range)) goal = st.expr;
  if (!goal) return {};
  std::unique_ptr<Evaluator> evp = cexEvaluator(c, cx);
  Evaluator& ev = *evp;
  Env env;
  // (a simulation's relation reads both automata: until 2026-12-04 its instances were not named)
  if (!bindLastStates(c, ob, cx, ev, env)) return {};
  const Expr* body = goal;
  while (body->op == Op::Implies && body->args.size() == 2) {
    bool premise = false;
    if (!ev.evalBool(body->args[0], env, premise) || !premise) return {};
    body = body->args[1];
  }
  if (body->kind != ExprKind::Quant || !body->boolValue) return {};
  std::vector<const Binder*> binders;
  while (body->kind == ExprKind::Quant && body->boolValue && !body->args.empty()) {
    for (const Binder& b : body->binders) binders.push_back(&b);
    body = body->args[0];
  }
  std::vector<std::vector<Value>> cands;
  uint64_t tuples = 1;
  for (const Binder* b : binders) {
    if (!b->var) return {};
    cands.push_back(instanceCandidates(b->var->sort));
    tuples *= cands.back().size();
    if (cands.back().empty() || tuples > 100000) return {};
  }
  std::vector<size_t> at(binders.size(), 0);
  for (uint64_t n = 0; n < tuples; ++n) {
    for (size_t k = 0; k < binders.size(); ++k) env.set(binders[k]->var, cands[k][at[k]]);
    bool holds = true;
    bool failed = !ev.evalBool(body, env, holds);
    const SourceRange& er = ev.error().range;
    bool sameTerm = failed && er.file == f.range.file && er.begin == f.range.begin && er.end == f.range.end;
    // a goal whose term is undefined for these values (the solver gave it some value there)
    bool undefinedIn = failed && !definedness && ev.error().undefined && inside(er, goal->range);
    if (failed && !sameTerm && !undefinedIn) return {};
    if (failed || (!holds && !definedness)) {
      std::string out;
      for (size_t k = 0; k < binders.size(); ++k)
        out += (k ? ", " : "") + binders[k]->name + " = " + cands[k][at[k]].toString();
      if (undefinedIn) out += ", where " + std::string(c.sources.textOf(er)) + " is undefined";
      return out;
    }
    for (size_t k = binders.size(); k-- > 0;) {  // (the last binder fastest)
      if (++at[k] < cands[k].size()) break;
      at[k] = 0;
    }
  }
  return {};
}

// The term of a failed goal (not a quantified one: failingInstance names those) that the spec
// leaves undefined in the last states shown ("tail(q)"), by the spec's interpreter: the solver gave
// it a value, and the goal failed with it (`buffer = out || tail(q)` with q empty, where the
// solver's tail of an empty sequence is one of length -1). Empty when the goal evaluates.
std::string undefinedTerm(const Compilation& c, const prover::Obligation& ob, const prover::Counterexample& cx,
                          const prover::FailedGoal& f) {
  if (f.kind != "goal") return {};
  const Expr* goal = goalNamed(ob, f.text);
  if (!goal) return {};
  std::unique_ptr<Evaluator> ev = cexEvaluator(c, cx);
  Env env;
  bool holds = true;
  if (!bindLastStates(c, ob, cx, *ev, env) || ev->evalBool(goal, env, holds)) return {};
  const SourceRange& er = ev->error().range;
  if (!ev->error().undefined || !inside(er, goal->range)) return {};
  return std::string(c.sources.textOf(er));
}

// A step's counterexample whose pre-state leaves an assumption undefined (an invariant or the
// relation, assumed before the action): the sentence that says so, by the spec's interpreter on
// the pre-states shown; empty when every assumption evaluates (or cannot be evaluated for another
// reason, such as a quantifier over an unbounded sort). The solver gives a partial operation
// outside its domain some value (the tail of an empty sequence has length -1 there), so such a
// pre-state "satisfies" an assumption that no state satisfies as the spec means it: a new user
// strengthened the relation against one (saw_noinv.ioa, 2026-12-05). The assumption's own
// well-definedness obligation fails too, and is what to fix first.
std::string undefinedAssumption(const Compilation& c, const prover::Obligation& ob, const prover::Counterexample& cx) {
  for (const prover::Step& st : ob.query.steps) {
    if (st.kind == prover::Step::Kind::Action || st.kind == prover::Step::Kind::Effect ||
        st.kind == prover::Step::Kind::Exec || st.kind == prover::Step::Kind::AnyTransition)
      break;
    if (st.kind != prover::Step::Kind::Assume || !st.expr) continue;
    std::unique_ptr<Evaluator> ev = cexEvaluator(c, cx);
    Env env;
    bool holds = true;
    if (!bindLastStates(c, ob, cx, *ev, env, true)) return {};
    if (ev->evalBool(st.expr, env, holds) || !ev->error().undefined || !ev->error().range.valid()) continue;
    const SourceRange& er = ev->error().range;
    std::string what = st.label.rfind("the relation", 0) == 0 || st.label == "relation"
                           ? std::string("the relation")
                           : "invariant " + st.label;
    return "In this pre-state " + what + " is undefined: " + std::string(c.sources.textOf(er)) + " (line " +
           std::to_string(c.sources.lineCol(er).line) +
           ") is applied outside its domain. The solver gives such a term some value and the spec none, so no "
           "state is like this one; " + what + "'s well-definedness obligation fails too: fix that first";
  }
  return {};
}

// For a failed equation `L = R` (`Queue.q = [at(a, hd, 0), ...]`, `depth[0] = 0`): the values
// of its sides in the last states shown, by the spec's interpreter over both automata's values
// ("[Item(id: 8855), Item(id: 18816)]"), so that the user need not work them out. A side written
// as its value (`0`, `[]`) is not repeated, nor a left side that is a variable the state shows
// (until 2026-12-04 "where the right side is 0" was all `depth[0] = 0` got). Empty when a side
// cannot be computed.
std::pair<std::string, std::string> sideValues(const Compilation& c, const prover::Obligation& ob,
                                               const prover::Counterexample& cx, const prover::FailedGoal& f) {
  if (f.kind != "goal") return {};
  const Expr* goal = goalNamed(ob, f.text);
  if (!goal || goal->op != Op::Eq || goal->args.size() != 2) return {};
  std::unique_ptr<Evaluator> evp = cexEvaluator(c, cx);
  Evaluator& ev = *evp;
  Env env;
  if (!bindLastStates(c, ob, cx, ev, env)) return {};
  auto shown = [&](const Expr* side, bool left) -> std::string {
    if (left && side->op == Op::Var) return {};
    Value v;
    if (!ev.eval(side, env, v)) return {};
    std::string text = v.toString();
    return text == c.sources.textOf(side->range) ? std::string() : text;
  };
  return {shown(goal->args[0], true), shown(goal->args[1], false)};
}

// For a failed enabledness of an abstract action ("the abstract action crit(i) must be enabled
// ..."): where its precondition is, when it has one transition with one ("; its precondition is
// line 79"). The failure itself points at the concrete step or the proof entry; until 2026-12-04
// nothing led to the abstract precondition that failed.
std::string abstractPrecondition(const Compilation& c, const prover::Obligation& ob, const prover::FailedGoal& f) {
  const std::string lead = "the abstract action ";
  if (f.kind != "enabled" || f.text.rfind(lead, 0) != 0) return {};
  std::string name = f.text.substr(lead.size(), f.text.find_first_of("( ", lead.size()) - lead.size());
  const FlatAutomaton* b = abstractAutomatonOf(c, ob);
  if (!b) return {};
  const Expr* pre = nullptr;
  int count = 0;
  for (const FlatTransition& t : b->transitions)
    if (t.action >= 0 && b->actions[static_cast<size_t>(t.action)].name == name) {
      ++count;
      pre = t.pre;
    }
  if (count != 1 || !pre || !pre->range.valid()) return {};
  LineCol lc = c.sources.lineCol(pre->range);
  return "; its precondition is line " + std::to_string(lc.line);
}

// The component array a shown variable belongs to (`P` for "P.status", declared `P[i: Pid]`):
// looked for in the obligation's automaton first, then in the others (an abstract automaton's
// states); null for a plain component or a variable of the automaton itself.
const FlatComponent* indexedComponentOf(const Compilation& c, const std::string& automaton, const std::string& var) {
  size_t dot = var.find('.');
  if (dot == std::string::npos) return nullptr;
  const std::string comp = var.substr(0, dot), rest = var.substr(dot + 1);
  auto in = [&](const FlatAutomaton* a) -> const FlatComponent* {
    if (!a) return nullptr;
    for (const FlatComponent& fc : a->components)
      if (fc.name == comp && fc.indexSorts.size() == 1 && fc.automaton && fc.automaton->findState(rest) >= 0) return &fc;
    return nullptr;
  };
  if (const FlatComponent* fc = in(c.model->findAutomaton(automaton))) return fc;
  for (const FlatAutomaton* a : c.model->automata())
    if (const FlatComponent* fc = in(a)) return fc;
  return nullptr;
}

// A state's variable as shown. A component array's variable (`P.status`) is shown one instance
// a line, as the spec writes it (`P[0].status = waiting`), not as one map over the indices: a
// step that changes one process's variable then shows that process's line alone, where the
// whole map was repeated (a new user's report). The whole map stays when an index sort is not
// enumerable, has more than 16 values (a line each would bury the rest), or an instance has no value.
void addShownValue(const Compilation& c, const std::string& automaton, const prover::NamedValue& nv,
                   std::vector<NamedValueView>& out) {
  const FlatComponent* fc = indexedComponentOf(c, automaton, nv.name);
  std::vector<NamedValueView> each;
  if (fc && nv.value.kind() == Value::Kind::Map) {
    const std::string comp = fc->name, rest = nv.name.substr(fc->name.size());
    std::vector<Value> keys = instanceCandidates(fc->indexSorts[0]);
    if (keys.size() > 16) keys.clear();
    for (const Value& key : keys) {
      const Value* x = nv.value.lookup(key);
      if (!x) {
        each.clear();
        break;
      }
      each.push_back({comp + "[" + key.toString() + "]" + rest, x->toString()});
    }
  }
  if (each.empty()) out.push_back({nv.name, nv.value.toString()});
  for (NamedValueView& e : each) out.push_back(std::move(e));
}

CounterexampleView viewOf(const Compilation& c, const prover::Obligation& ob, const prover::Counterexample& cx) {
  CounterexampleView v;
  v.depth = cx.depth;
  if (ob.bounded) {
    v.kind = "trace";
    v.note = "a run from a start state (" + std::to_string(cx.depth) + " step" + (cx.depth == 1 ? "" : "s") +
             ") that ends in a violation";
    // (a user expected the run to stop where the relation first broke, as the unbounded proof said)
    if (ob.kind == refine::kinds::BmcSimulation)
      v.note += "; bounded model checking of a simulation checks that the abstract automaton can follow the run "
                "(trace inclusion), not the relation, which may have failed at an earlier step";
  } else if ((ob.inductive || (ob.kind == refine::kinds::WellDefined && ob.subject == "transition")) &&
             ob.kind != refine::kinds::SimulationStep && preStateIsStart(c, ob, cx)) {
    // (a simulation's abstract pre-state is any the relation allows, so its step stays a counterexample to induction)
    v.kind = "trace";
    v.depth = 1;
    v.note = "a run from a start state (1 step) that ends in a violation: the pre-state is a start state of " +
             ob.automaton;
  } else if (ob.inductive && ob.kind == refine::kinds::SimulationStep) {
    // (a new user read "strengthen the invariants" where the relation was what needed it)
    v.kind = "induction";
    v.note = "counterexample to induction: the concrete and the abstract pre-state satisfy the relation of " +
             ob.subject + " and every invariant but may be unreachable; strengthen the relation or the "
             "invariants, or run with --bmc K to search for a real trace from a start state";
  } else if (ob.inductive && ob.kind == refine::kinds::RefinementStep) {
    v.kind = "induction";
    v.note = "counterexample to induction: the pre-state satisfies every invariant but may be unreachable (the "
             "abstract pre-state is its image under the mapping of " + ob.subject + "); strengthen the "
             "invariants, or run with --bmc K to search for a real trace from a start state";
  } else if (ob.inductive) {
    v.kind = "induction";
    v.note = "counterexample to induction: the pre-state satisfies every invariant but may be unreachable; "
             "strengthen the invariants, or run with --bmc K to search for a real trace from a start state";
  } else if (ob.kind == "well-defined" && ob.subject == "transition") {
    v.kind = "model";  // (a step from any state meeting the invariants, like a counterexample to induction)
    v.note = "the pre-state satisfies every invariant but may be unreachable; run with --bmc K to search for a "
             "run from a start state that applies the operation outside its domain, or strengthen the invariants "
             "to exclude the state";
  } else if (ob.kind == "well-defined" && ob.id.rfind("well-defined:" + ob.automaton + ":invariant ", 0) == 0) {
    v.kind = "model";  // (the invariants declared before it are assumed, so a later one can rule the state out)
    v.note = "a state that satisfies the invariants declared before " + ob.subject +
             " but may be unreachable: only those are assumed, so an invariant that " + ob.subject +
             " relies on (a key being defined, an index in range) must be declared before it";
  } else if (ob.kind == "well-defined" && (ob.id == "well-defined:" + ob.subject + ":relation" ||
                                           ob.id == "well-defined:" + ob.subject + ":mapping")) {
    v.kind = "model";  // (every invariant of both automata is assumed, so one more can rule the state out)
    v.note = "a state that satisfies every invariant but may be unreachable; strengthen the invariants of " +
             ob.automaton + " to exclude it";
  } else {
    v.kind = "model";
    v.note = "a state that violates the obligation";
  }
  if (!cx.note.empty()) v.note += ". " + cx.note;
  if (!ob.bounded)
    if (std::string undefined = undefinedAssumption(c, ob, cx); !undefined.empty()) v.note += ". " + undefined;
  for (const prover::NamedValue& nv : cx.constants) v.constants.push_back({nv.name, nv.value.toString()});
  for (const prover::FunctionValue& f : cx.functions)  // (`rank(0) = 1`, ..., `rank(_) = 0` for the rest)
    for (auto& [call, value] : f.items()) v.constants.push_back({call, value});
  for (const prover::CexEntry& e : cx.entries) {
    CexStepView s;
    s.kind = e.kind == prover::CexEntry::Kind::Action ? "action" : "state";
    s.label = e.label;
    s.action = e.action;
    for (const prover::NamedValue& nv : e.values) {
      if (s.kind == "state") addShownValue(c, ob.automaton, nv, s.values);
      else s.values.push_back({nv.name, nv.value.toString()});
    }
    v.steps.push_back(std::move(s));
  }
  // A run whose last step applies an operation outside its domain (a Nat's `n - 1` at 0) has no
  // state after that step: the one the solver gives holds the undefined value (`n = -1` for a
  // Nat, until 2026-12-05), as a step's well-definedness counterexample shows no post-state either.
  const bool undefinedStep =
      ob.bounded && !cx.failed.empty() && std::all_of(cx.failed.begin(), cx.failed.end(), [](const prover::FailedGoal& f) {
        return f.kind == "partial" || f.kind == "narrowing" || f.kind == "choose";
      });
  const bool acted = std::any_of(v.steps.begin(), v.steps.end(), [](const CexStepView& s) { return s.kind == "action"; });
  while (undefinedStep && acted && !v.steps.empty() && v.steps.back().kind == "state") v.steps.pop_back();
  for (const prover::FailedGoal& f : cx.failed) {
    FailedView fv;
    fv.text = f.text;
    fv.kind = f.kind;
    fv.instance = failingInstance(c, ob, cx, f);
    std::tie(fv.left, fv.right) = sideValues(c, ob, cx, f);
    if (fv.instance.empty()) fv.undefined = undefinedTerm(c, ob, cx, f);
    fv.text += abstractPrecondition(c, ob, f);
    fv.file = fileOf(c, f.range);
    if (f.range.valid()) {
      LineCol lc = c.sources.lineCol(f.range);
      fv.line = lc.line;
      fv.col = lc.col;
    }
    v.failed.push_back(std::move(fv));
  }
  return v;
}

void count(ProveSummary& s, const ObligationResult& r) {
  if (r.status == "proved") ++s.proved;
  else if (r.status == "refuted") ++s.refuted;
  else if (r.status == "unknown") ++s.unknown;
  else ++s.error;
  if (r.cached) ++s.cacheHits;
  else if (r.status == "proved" && !r.reason.empty()) ++s.solverFree;
  else if (r.status != "error" && r.reason != "cancelled") ++s.solved;
}

// The search of runs after an undecided step gets the obligation timeout, and
// at least this (a timeout small enough to leave steps undecided would leave the
// search no time either).
constexpr unsigned kMinSearchMs = 2000;
constexpr unsigned kFirstPassMs = 2000;  // a searchable step's first pass (see proveFile's thread)
// The search of runs after a counterexample to induction (no step undecided): shorter, as the
// counterexample is already a verdict; the search only tells whether a real run shows it.
constexpr unsigned kCtiSearchMs = 3000;

std::string jsonStr(const std::string& s) { return "\"" + jsonEscape(s) + "\""; }

}  // namespace

struct ProveSession::Impl {
  std::shared_ptr<Compilation> compilation;
  std::vector<prover::Obligation> obligations;
  std::vector<ObligationInfo> infos;
  std::unique_ptr<prover::Discharger> discharger;
  ResultCallback onResult;
  DoneCallback onDone;
  mutable std::mutex mutex;
  std::condition_variable doneCv;
  std::vector<std::optional<ObligationResult>> results;
  bool bmc = false;
  bool partial = false;  // --only: not every obligation is here, so none covers a bounded one
  // The bounded obligations whose runs are searched after an undecided step, by
  // searchKey(): one per automaton with invariants, one per simulation.
  struct Search {
    const FlatAutomaton* automaton;  // the concrete automaton whose transitions the runs take
    prover::Obligation ob;
    SourceRange relation;            // a simulation's relation (its conjuncts are goals of `ob`)
  };
  std::map<std::string, Search> searches;
  static std::string searchKey(const prover::Obligation& ob) {
    if (ob.kind == refine::kinds::InvariantStep) return "invariants of " + ob.automaton;
    if (ob.kind == refine::kinds::SimulationStep || ob.kind == refine::kinds::RefinementStep) return ob.subject;
    return {};
  }
  // An undecided step (or one refuted by a counterexample to induction), and what the search of
  // runs made of it.
  struct Undecided {
    prover::Result r;
    const prover::Obligation* viewAs = nullptr;  // the counterexample's query, when not the step's own
    std::string note;                           // appended to the reason of an unknown, or to the note of
                                                // a counterexample to induction the search did not replace
    bool cti = false;                           // refuted by a counterexample to induction
    std::string moot;  // what a run from a start state breaks at another step, which this step must preserve
  };

  // Reports a result as it is given to the user.
  // `moot`: a run already breaks what the step must preserve (Undecided::moot), so no hint to look for one.
  void report(size_t i, const prover::Result& r, const prover::Obligation* viewAs = nullptr,
              const std::string& note = {}, bool cti = false, bool moot = false) {
    const prover::Obligation& ob = obligations[i];
    ObligationResult out;
    out.info = infos[i];
    out.status = prover::statusName(r.status);
    out.reason = r.reason;
    // an undecided step may still be broken by a run: say how to look for one with every value
    if (r.status == prover::Status::Unknown && r.reason != "cancelled") {
      out.reason += note;
      if (ob.inductive && !bmc && !moot) out.reason += "; run with --bmc K to search for a violating run from a start state";
    }
    out.timeMs = r.timeMs;
    out.cached = r.cached;
    out.hash = r.hash;
    if (r.counterexample) out.counterexample = viewOf(*compilation, viewAs ? *viewAs : ob, *r.counterexample);
    if (!viewAs && out.counterexample && r.status == prover::Status::Refuted && !note.empty())
      out.counterexample->note += note;  // (what the search of runs after it found: no run, or one of another step)
    if (viewAs && out.counterexample)
      out.counterexample->note =
          "a run from a start state (" + std::to_string(r.counterexample->depth) +
          (r.counterexample->depth == 1 ? " step" : " steps") + "), found by a search of runs after " +
          (cti ? "the solver's counterexample to induction" : "the solver could not decide this step") +
          ": every state before the last satisfies every invariant" +
          (ob.kind == refine::kinds::InvariantStep ? ", and the last step breaks " + ob.subject
           : matchFails(*r.counterexample)         ? " and the relation, and " + ob.subject.substr(ob.subject.rfind(' ') + 1) +
                                                 " cannot match the last step"
                                                   : " and the relation, and the last step breaks the relation");
    if (r.status == prover::Status::Refuted) blameParticipant(out);
    {
      std::lock_guard<std::mutex> g(mutex);
      count(summary, out);
      results[i] = out;
    }
    if (onResult) onResult(out);
  }

  // A step refuted by a counterexample to induction is followed by the search of runs too (not with
  // --bmc, which searches runs itself): a run from a start state whose last step breaks it replaces
  // the counterexample, which may be unreachable; otherwise the counterexample stays, and its note
  // says what the search found (no violating run: likely unreachable, so strengthen the invariants).
  // A new user's stop-and-wait bug was a counterexample to induction with a hint to run --bmc.
  bool ctiSearched(const prover::Obligation& ob, const prover::Result& r) const {
    if (bmc || r.status != prover::Status::Refuted || !r.counterexample || !ob.inductive || ob.bounded) return false;
    if (!searches.count(searchKey(ob))) return false;
    // (a pre-state that is a start state makes the step a run already, as viewOf says)
    return ob.kind == refine::kinds::SimulationStep || !preStateIsStart(*compilation, ob, *r.counterexample);
  }

  // The abstract automaton's fragment failed (a disabled action, another external action).
  static bool matchFails(const prover::Counterexample& cx) {
    for (const prover::FailedGoal& f : cx.failed)
      if (f.kind == "enabled" || f.kind == "trace") return true;
    return false;
  }

  void searchRuns(std::map<size_t, Undecided>& undecided, unsigned budgetMs);

  // Why a bounded obligation holds at every depth, or empty: an automaton's invariants,
  // proved inductive and well-defined (every obligation of the automaton but its simulations'),
  // hold in every reachable state, and every step there is defined; a simulation proved
  // (with those invariants and the abstract automaton's obligations) gives trace inclusion.
  std::string coveredByProofs(const prover::Obligation& b) const {
    // (with --only, the invariants left out were not proved: the ones here assume them)
    if (partial) return {};
    std::lock_guard<std::mutex> g(mutex);
    std::string abstractName;
    if (b.kind == refine::kinds::BmcSimulation)
      for (const Simulation& sim : compilation->model->simulations)
        if (refine::simulationName(sim) == b.subject && sim.to) abstractName = sim.to->name;
    if (b.kind == refine::kinds::BmcSimulation && abstractName.empty()) return {};
    std::set<std::string> simulations;
    for (const Simulation& sim : compilation->model->simulations) simulations.insert(refine::simulationName(sim));
    size_t used = 0;
    for (size_t i = 0; i < obligations.size(); ++i) {
      const prover::Obligation& ob = obligations[i];
      if (ob.bounded) continue;
      bool needed = false;
      if (ob.automaton == b.automaton) needed = !simulations.count(ob.subject) || ob.subject == b.subject;
      if (!abstractName.empty() && (ob.automaton == abstractName || ob.subject == b.subject)) needed = true;
      if (!needed) continue;
      if (!results[i] || results[i]->status != "proved") return {};
      ++used;
    }
    if (used == 0) return {};
    return b.kind == refine::kinds::BmcSimulation
               ? "holds at every depth: the simulation, the invariants of " + b.automaton + " and the obligations of " +
                     abstractName + " are proved without a bound (" + std::to_string(used) + " obligations)"
               : "holds at every depth: the invariants of " + b.automaton +
                     " are proved inductive and every step well-defined without a bound (" + std::to_string(used) +
                     " obligations)";
  }

  ProveSummary summary;
  bool done = false;
  std::thread thread;
  std::chrono::steady_clock::time_point t0;
};

ProveSession::ProveSession() : impl_(std::make_unique<Impl>()) {}

ProveSession::~ProveSession() {
  if (!impl_) return;
  cancel();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::unique_ptr<ProveSession> ProveSession::start(std::shared_ptr<Compilation> c, const ProveOptions& opts,
                                                  ResultCallback onResult, DoneCallback onDone, std::string* error) {
  if (!c || !c->ok() || !c->model) {
    if (error) *error = "the spec has errors; fix them before proving";
    return nullptr;
  }
  std::unique_ptr<ProveSession> s(new ProveSession());
  Impl& im = *s->impl_;
  im.compilation = std::move(c);
  refine::Options ro;
  ro.bmcDepth = opts.bmcDepth;
  ro.sources = &im.compilation->sources;
  ro.only = opts.only;
  im.partial = !opts.only.empty();
  im.obligations = refine::generateObligations(*im.compilation->model, ro);
  if (!opts.only.empty() && im.obligations.empty()) {
    if (error) *error = "no obligation is of '" + opts.only + "' (--only takes an invariant, automaton, transition or simulation name)";
    return nullptr;
  }
  for (size_t i = 0; i < im.obligations.size(); ++i) im.infos.push_back(infoOf(*im.compilation, im.obligations[i], i));
  im.results.resize(im.obligations.size());
  im.summary.total = im.obligations.size();
  im.onResult = std::move(onResult);
  im.onDone = std::move(onDone);
  prover::DischargeOptions dop;
  dop.jobs = opts.jobs;
  dop.timeoutMs = opts.timeoutMs;
  dop.useCache = opts.useCache;
  dop.cacheDir = opts.cacheDir;
  dop.cacheMaxBytes = opts.cacheMaxBytes;
  dop.smt2Dir = opts.smt2Dir;
  // what the obligations were made from: the texts compiled (an editor's buffer, not the
  // file on disk) and the options refine was given
  dop.specKey = "refine invariants wd simulations bmc " + std::to_string(ro.bmcDepth) + " only " + ro.only + "\n";
  const SourceManager& sm = im.compilation->sources;
  for (uint32_t f = 1; f <= sm.fileCount(); ++f)
    dop.specKey += sm.file(f).path() + "\n" + std::to_string(sm.file(f).text().size()) + "\n" + sm.file(f).text() + "\n";
  im.discharger = std::make_unique<prover::Discharger>(*im.compilation->model, dop);
  im.t0 = std::chrono::steady_clock::now();
  const bool bmc = opts.bmcDepth > 0;
  // A step the solver cannot decide is followed by a search of runs from a start
  // state: the obligations for it are made now, while nothing else uses the
  // model's arena.
  im.bmc = bmc;
  if (opts.searchDepth > 0) {
    Model& m = *im.compilation->model;
    for (const FlatAutomaton* a : refine::rootAutomata(m))
      if (auto ob = refine::bmcInvariantsObligation(m, *a, opts.searchDepth, ro))
        im.searches.emplace("invariants of " + a->name, Impl::Search{a, std::move(*ob), {}});
    for (const Simulation& sim : m.simulations) {
      std::string key = refine::simulationName(sim);  // the subject of its step obligations (searchKey)
      if (auto ob = refine::simulationSearchObligation(m, key, opts.searchDepth, ro))
        im.searches.emplace(key, Impl::Search{sim.from, std::move(*ob), sim.relation ? sim.relation->range : SourceRange{}});
    }
  }
  const unsigned searchMs = std::max(opts.timeoutMs, kMinSearchMs);
  const unsigned fullMs = opts.timeoutMs;
  im.thread = std::thread([&im, searchMs, fullMs] {
    std::map<size_t, Impl::Undecided> undecided;  // steps waiting for the search of runs
    auto onResult = [&im, &undecided](size_t i, const prover::Result& r) {
      const prover::Obligation& ob = im.obligations[i];
      if (r.status == prover::Status::Unknown && r.reason != "cancelled" && im.searches.count(Impl::searchKey(ob)))
        undecided[i].r = r;
      else if (im.ctiSearched(ob, r))
        undecided[i].r = r, undecided[i].cti = true;
      else
        im.report(i, r);
    };
    // the bounded obligations (--bmc) last: one that the unbounded proofs cover is not searched
    std::vector<size_t> unbounded, bounded;
    for (size_t i = 0; i < im.obligations.size(); ++i) (im.obligations[i].bounded ? bounded : unbounded).push_back(i);
    // A step that a search of runs can refute gets a first, short pass (kFirstPassMs); undecided
    // there, the search of runs goes first, and only what it does not refute is solved again with
    // the whole timeout. A seeded bug's undecided step waited the whole 10 s before the search
    // found its run in a fraction of a second (until 2026-12-04); no step of the samples that is
    // proved takes 2 s (the flagship's longest, 0.75 s), so nothing proved is solved twice there.
    const bool twoPass = fullMs > kFirstPassMs && !im.searches.empty();
    auto shortFor = [&im, twoPass, fullMs](size_t i) {
      return twoPass && im.searches.count(Impl::searchKey(im.obligations[i])) ? kFirstPassMs : fullMs;
    };
    im.discharger->run(im.obligations, unbounded, onResult, shortFor, false);
    im.searchRuns(undecided, searchMs);
    const bool cancelledBeforeFullPass = im.discharger->cancelled();  // (read once: a cancel may come in between)
    if (twoPass && cancelledBeforeFullPass)  // (the short pass's timeout is moot)
      for (auto& [i, u] : undecided)
        if (u.r.status == prover::Status::Unknown) u.r.reason = "cancelled", u.note.clear();
    if (twoPass && !cancelledBeforeFullPass) {
      std::vector<size_t> again;
      for (auto& [i, u] : undecided) {
        if (u.r.status != prover::Status::Unknown) continue;
        if (u.moot.empty()) again.push_back(i);
        else u.note += "; not solved again with the whole timeout: that run shows that " + u.moot + " does not hold, whatever this step does";
      }
      auto onRetry = [&undecided](size_t i, const prover::Result& r) {
        Impl::Undecided& u = undecided[i];
        double first = u.r.timeMs;
        u.r = r;
        u.r.timeMs += first;
        if (r.status != prover::Status::Unknown) u.note.clear(), u.viewAs = nullptr;  // (decided: the search's note is moot)
      };
      if (!again.empty()) im.discharger->run(im.obligations, again, onRetry, nullptr, true);
    }
    for (const auto& [i, u] : undecided) im.report(i, u.r, u.viewAs, u.note, u.cti, !u.moot.empty());
    undecided.clear();
    std::vector<size_t> searched;
    for (size_t i : bounded) {
      std::string why = im.discharger->cancelled() ? std::string() : im.coveredByProofs(im.obligations[i]);
      if (why.empty()) {
        searched.push_back(i);
        continue;
      }
      prover::Result r;
      r.status = prover::Status::Proved;
      r.reason = why;
      im.report(i, r);
    }
    if (!searched.empty()) im.discharger->run(im.obligations, searched, onResult);
    ProveSummary final;
    {
      std::lock_guard<std::mutex> g(im.mutex);
      im.summary.wallMs =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - im.t0).count();
      im.summary.cancelled = im.discharger->cancelled();
      final = im.summary;
    }
    if (im.onDone) im.onDone(final);
    {
      std::lock_guard<std::mutex> g(im.mutex);
      im.done = true;
    }
    im.doneCv.notify_all();
  });
  return s;
}

// One search per automaton (or simulation) with undecided steps. The search is
// breadth-first and stops at the first state that breaks one of its goals (the
// invariants; for a simulation also the relation and the abstract automaton's
// matching of each step), so every state before it meets all of them: its last
// step is a counterexample (a reachable one) to the step obligation of what it
// breaks, for the transition taken. Those obligations, when undecided, are
// refuted with the run; the others keep their unknown, with what the search
// found in the reason.
void ProveSession::Impl::searchRuns(std::map<size_t, Undecided>& undecided, unsigned budgetMs) {
  std::map<std::string, std::vector<size_t>> byKey;
  for (const auto& [i, u] : undecided) byKey[searchKey(obligations[i])].push_back(i);
  for (const auto& [key, steps] : byKey) {
    const Search& search = searches.at(key);
    bool ctisOnly = true;
    for (size_t i : steps) ctisOnly = ctisOnly && undecided[i].cti;
    prover::Result found = discharger->searchRun(search.ob, ctisOnly ? std::min(budgetMs, kCtiSearchMs) : budgetMs);
    const prover::Counterexample* cx = found.counterexample ? &*found.counterexample : nullptr;
    const prover::CexEntry* last = nullptr;
    if (found.status == prover::Status::Refuted && cx)
      for (const prover::CexEntry& e : cx->entries)
        if (e.kind == prover::CexEntry::Kind::Action) last = &e;
    if (!last || last->transition < 0) {
      std::string note = found.status == prover::Status::Unknown
                             ? (found.reason == "cancelled" ? "the search of runs from a start state was cancelled" : found.reason)
                         : found.status == prover::Status::Error ? "the search of runs from a start state failed: " + found.reason
                                                                 : "a start state breaks an invariant or the relation";
      for (size_t i : steps) undecided[i].note = "; " + note;
      continue;
    }
    std::string transition = refine::transitionName(*search.automaton, static_cast<size_t>(last->transition));
    auto inRelation = [&](const SourceRange& r) {
      const SourceRange& rel = search.relation;
      return rel.valid() && r.file == rel.file && r.begin >= rel.begin && r.end <= rel.end;
    };
    // what of the failed goals belongs to a step obligation (invariant conjuncts are labelled "<invariant>: ...";
    // shown for the step of that invariant as its own conjuncts are, without the label)
    auto ownedBy = [&](const prover::Obligation& ob) {
      std::vector<prover::FailedGoal> own;
      const bool invariant = ob.kind == refine::kinds::InvariantStep;
      const std::string label = ob.subject + ": ";
      for (const prover::FailedGoal& f : cx->failed) {
        bool relationOrMatch = f.kind == "enabled" || f.kind == "trace" || (f.kind == "goal" && inRelation(f.range));
        if (invariant ? f.kind == "goal" && !inRelation(f.range) && f.text.rfind(label, 0) == 0 : relationOrMatch) {
          own.push_back(f);
          if (invariant) own.back().text.erase(0, label.size());
        }
      }
      return own;
    };
    std::vector<std::string> names;  // what the last step breaks
    for (const prover::FailedGoal& f : cx->failed) {
      std::string what = f.kind == "enabled" || f.kind == "trace" ? "the abstract automaton's match of it"
                         : inRelation(f.range)                    ? "the relation"
                                                                  : f.text.substr(0, f.text.find(": "));
      if (std::find(names.begin(), names.end(), what) == names.end()) names.push_back(what);
    }
    std::string broken;
    for (const std::string& n : names) broken += (broken.empty() ? "" : ", ") + n;
    for (size_t i : steps) {
      const prover::Obligation& ob = obligations[i];
      Undecided& u = undecided[i];
      std::vector<prover::FailedGoal> own = ownedBy(ob);
      if (ob.transition != transition || own.empty()) {
        u.note = "; the search of runs from a start state found a run of " + std::to_string(cx->depth) +
                 (cx->depth == 1 ? " step" : " steps") + " whose last step, " + transition + ", breaks " + broken +
                 " (not this step)";
        // What this step must preserve does not hold (the step's invariant, or the relation or its
        // match for a simulation step): the step is not solved again with the whole timeout, whose
        // verdict would change nothing (a seeded bug's other step waited 10 s more, until 2026-12-05).
        const bool invariant = ob.kind == refine::kinds::InvariantStep;
        if (std::any_of(names.begin(), names.end(), [&](const std::string& n) {
              return invariant ? n == ob.subject : n == "the relation" || n == "the abstract automaton's match of it";
            }))
          u.moot = invariant ? ob.subject : "the simulation";
        continue;
      }
      prover::Result r = found;
      r.timeMs += u.r.timeMs;
      r.reason.clear();
      r.counterexample->failed = std::move(own);
      u.r = std::move(r);
      u.viewAs = &search.ob;
    }
  }
}

const std::vector<ObligationInfo>& ProveSession::obligations() const { return impl_->infos; }

void ProveSession::cancel() {
  if (impl_->discharger) impl_->discharger->cancel();
}

void ProveSession::wait() {
  std::unique_lock<std::mutex> g(impl_->mutex);
  impl_->doneCv.wait(g, [&] { return impl_->done; });
}

bool ProveSession::finished() const {
  std::lock_guard<std::mutex> g(impl_->mutex);
  return impl_->done;
}

ProveSummary ProveSession::summary() const {
  std::lock_guard<std::mutex> g(impl_->mutex);
  return impl_->summary;
}

std::vector<ObligationResult> ProveSession::results() const {
  std::lock_guard<std::mutex> g(impl_->mutex);
  std::vector<ObligationResult> out;
  for (const auto& r : impl_->results)
    if (r) out.push_back(*r);
  return out;
}

ProveRun proveFile(const std::string& path, const ProveOptions& opts, ProveSession::ResultCallback onResult) {
  ProveRun run;
  CheckResult chk = checkFile(path);
  run.problems = chk.problems;
  if (!chk.compilation) {
    run.error = chk.ioError;
    return run;
  }
  run.compilation = std::shared_ptr<Compilation>(std::move(chk.compilation));
  if (!run.compilation->ok()) {
    run.error = "the spec has errors";
    return run;
  }
  std::string err;
  auto session = ProveSession::start(run.compilation, opts, std::move(onResult), {}, &err);
  if (!session) {
    run.error = err;
    return run;
  }
  session->wait();
  run.results = session->results();
  run.summary = session->summary();
  return run;
}

// ,"participants":[...] for a step of a composition, nothing otherwise.
static std::string participantsJson(const ObligationInfo& info) {
  if (info.participants.empty()) return {};
  std::string out = ",\"participants\":[";
  for (size_t k = 0; k < info.participants.size(); ++k) {
    const ParticipantView& p = info.participants[k];
    out += std::string(k ? "," : "") + "{\"component\":" + jsonStr(p.component) + ",\"line\":" +
           std::to_string(p.line) + ",\"col\":" + std::to_string(p.col) + "}";
  }
  return out + "]";
}

std::string proveResultsToJson(const std::vector<ObligationResult>& rs, const ProveSummary& s) {
  std::string out = "{\"obligations\":[";
  for (size_t i = 0; i < rs.size(); ++i) {
    const ObligationResult& r = rs[i];
    if (i) out += ",";
    char t[32];
    std::snprintf(t, sizeof t, "%.3f", r.timeMs);
    out += "{\"id\":" + jsonStr(r.info.id) + ",\"kind\":" + jsonStr(r.info.kind) +
           ",\"automaton\":" + jsonStr(r.info.automaton) + ",\"transition\":" + jsonStr(r.info.transition) +
           ",\"line\":" + std::to_string(r.info.line) + ",\"col\":" + std::to_string(r.info.col) +
           participantsJson(r.info) + ",\"status\":" + jsonStr(r.status) + ",\"time_ms\":" + t + ",\"cached\":" + (r.cached ? "true" : "false") +
           // why an obligation is unknown or an error (the solver's reason, a timeout, the search of runs'
           // result), or why a bounded one holds; until 2026-12-04 only the text output had it
           ",\"reason\":" + jsonStr(r.reason) + ",\"counterexample\":";
    if (!r.counterexample) {
      out += "null}";
      continue;
    }
    const CounterexampleView& c = *r.counterexample;
    out += "{\"kind\":" + jsonStr(c.kind) + ",\"note\":" + jsonStr(c.note) + ",\"depth\":" + std::to_string(c.depth) +
           ",\"constants\":[";
    for (size_t v = 0; v < c.constants.size(); ++v)
      out += std::string(v ? "," : "") + "{\"name\":" + jsonStr(c.constants[v].name) +
             ",\"value\":" + jsonStr(c.constants[v].value) + "}";
    out += "],\"steps\":[";
    for (size_t k = 0; k < c.steps.size(); ++k) {
      const CexStepView& st = c.steps[k];
      if (k) out += ",";
      out += "{\"kind\":" + jsonStr(st.kind) + ",\"label\":" + jsonStr(st.label) + ",\"action\":" + jsonStr(st.action) +
             ",\"values\":[";
      for (size_t v = 0; v < st.values.size(); ++v)
        out += std::string(v ? "," : "") + "{\"name\":" + jsonStr(st.values[v].name) +
               ",\"value\":" + jsonStr(st.values[v].value) + "}";
      out += "]}";
    }
    out += "],\"failed\":[";
    for (size_t k = 0; k < c.failed.size(); ++k) {
      const FailedView& f = c.failed[k];
      if (k) out += ",";
      out += "{\"text\":" + jsonStr(f.text) + ",\"kind\":" + jsonStr(f.kind) + ",\"line\":" + std::to_string(f.line) +
             ",\"col\":" + std::to_string(f.col) + (f.instance.empty() ? "" : ",\"instance\":" + jsonStr(f.instance)) +
             (f.left.empty() ? "" : ",\"left\":" + jsonStr(f.left)) +
             (f.right.empty() ? "" : ",\"right\":" + jsonStr(f.right)) +
             (f.undefined.empty() ? "" : ",\"undefined\":" + jsonStr(f.undefined)) +
             "}";
    }
    out += "]}}";
  }
  out += "],\"summary\":{\"proved\":" + std::to_string(s.proved) + ",\"refuted\":" + std::to_string(s.refuted) +
         ",\"unknown\":" + std::to_string(s.unknown) + ",\"error\":" + std::to_string(s.error) + "}}";
  return out;
}

int proveExitCode(const ProveSummary& s) {
  if (s.refuted > 0) return 1;
  if (s.unknown > 0 || s.error > 0) return 3;
  return 0;
}

}  // namespace ioa::engine
