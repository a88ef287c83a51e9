#include "QueryEncoder.h"

#include <algorithm>
#include <set>

#include "ioa/spec/Printer.h"

namespace ioa::prover::detail {

namespace {

SideMode modeFor(const SidePolicy& p, SideKind k) {
  switch (k) {
    case SideKind::Partial: return p.partial;
    case SideKind::Narrowing: return p.narrowing;
    case SideKind::Choose: return p.choose;
    case SideKind::Enabled: return p.enabled;
    case SideKind::Trace: return p.trace;
  }
  return SideMode::Ignore;
}

std::string sanitize(std::string s) {
  for (char& c : s)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) c = '_';
  return s;
}

// The label of a side condition of an abstract fragment, checked after the concrete step
// `action` of a bounded run: "... must be enabled to match deq but is not", "... (after deq)".
// (Until 2026-12-04 "must be enabled after deq", which read as after the step; the abstract
// action must be enabled in the abstract state before it, to match it.)
std::string afterStep(const SideCond& fs, const std::string& action) {
  if (fs.kind == SideKind::Enabled && !fs.call.empty()) return enabledLabel(fs.call, "to match " + action);
  return fs.label + " (after " + action + ")";
}

// For a failed enabledness condition of a fired action with arguments `args`: the values
// the counterexample's step gives those that are its parameters (" (x = -2)"), or nothing.
std::string argumentValues(const std::vector<std::string>& args, const CexEntry* step) {
  if (!step) return {};
  std::string out;
  std::set<std::string> seen;
  for (const std::string& a : args) {
    if (!seen.insert(a).second) continue;
    for (const NamedValue& v : step->values)
      if (v.name == a) {
        out += (out.empty() ? " (" : ", ") + a + " = " + v.value.toString();
        break;
      }
  }
  return out.empty() ? out : out + ")";
}

// Whether `e` mentions a constant whose declaration is one of `decls` (`seen`: terms visited).
bool mentionsAny(const z3::expr& e, const std::set<unsigned>& decls, std::set<unsigned>& seen) {
  if (!seen.insert(e.id()).second) return false;
  if (e.is_app()) {
    if (e.num_args() == 0) return decls.count(e.decl().id()) > 0;
    for (unsigned i = 0; i < e.num_args(); ++i)
      if (mentionsAny(e.arg(i), decls, seen)) return true;
    return false;
  }
  return e.is_quantifier() && mentionsAny(e.body(), decls, seen);
}

class QueryEncoder {
 public:
  QueryEncoder(Encoder& en, const std::vector<SplitVar>* split, const std::vector<int64_t>* fixed)
      : en_(en), c_(en.ctx()), split_(split), fixed_(fixed) {
    out_.segments.emplace_back();
  }

  EncodedQuery run(const Query& q) {
    for (const Step& s : q.steps) step(s);
    closeAngelic();
    // the spec's axioms hold in every query (their definedness is not an obligation)
    std::vector<z3::expr> axioms;
    for (const Expr* ax : en_.cache().model().axioms) {
      std::vector<SideCond> ignored;
      if (ax) axioms.push_back(termWithSides(ax, ignored));
    }
    out_.global = en_.globalFacts;
    for (const z3::expr& a : axioms) out_.global.push_back(a);
    // the values of the free constants the query reads, shown first in a counterexample
    PlanItem consts;
    consts.kind = PlanItem::Kind::Constants;
    consts.label = "constants";
    std::vector<const Var*> free(en_.cache().model().consts.begin(), en_.cache().model().consts.end());
    // (and the parameters of a generic automaton: `K = 1` makes a run of Buf(K) readable)
    free.insert(free.end(), en_.paramsRead().begin(), en_.paramsRead().end());
    for (const Var* v : free)
      if (std::optional<z3::expr> t = en_.freeConstant(v)) {
        consts.values.names.push_back(v->name);
        consts.values.sorts.push_back(v->sort);
        consts.values.terms.push_back(*t);
      }
    if (!consts.values.terms.empty()) out_.plan.insert(out_.plan.begin(), std::move(consts));
    for (const z3::expr& f : en_.opaqueFacts) out_.global.push_back(f);
    return std::move(out_);
  }

 private:
  Segment& seg() { return out_.segments.back(); }
  int segIndex() const { return static_cast<int>(out_.segments.size()) - 1; }

  void absorb(std::vector<SideCond>& sides, const SidePolicy& p) {
    for (SideCond& s : sides) {
      switch (modeFor(p, s.kind)) {
        case SideMode::Assume: seg().hyps.push_back(s.cond); break;
        case SideMode::Prove: seg().goals.push_back({s.cond, s.label, sideKindName(s.kind), s.range, s.args}); break;
        case SideMode::Ignore: break;
      }
    }
    sides.clear();
  }

  // Encodes with side conditions collected under a fresh path condition; with `into`, the value
  // also narrowed into that sort (its narrowing a side condition too).
  z3::expr termWithSides(const Expr* e, std::vector<SideCond>& sides, Sort into = nullptr) {
    struct Restore {  // (also when the encoder gives up on `e`)
      Encoder& en;
      std::vector<SideCond>* sides;
      z3::expr pc;
      ~Restore() {
        en.sides = sides;
        en.pc = pc;
      }
    } restore{en_, en_.sides, en_.pc};
    en_.sides = &sides;
    en_.pc = c_.bool_val(true);
    z3::expr v = en_.term(e);
    return into ? en_.narrow(v, into, e) : v;
  }

  void plan(PlanItem it) {
    it.segment = segIndex();
    out_.plan.push_back(std::move(it));
  }

  void step(const Step& s) {
    std::vector<SideCond> sides;
    en_.epsilonChoose = modeFor(s.policy, SideKind::Choose) == SideMode::Prove || s.checkDefined;
    switch (s.kind) {
      case Step::Kind::Havoc:
        for (const Var* v : s.vars) en_.env.set(v, en_.fresh(s.tag + "." + v->name, v->sort, seg().hyps));
        return;
      case Step::Kind::Start: {
        en_.sides = &sides;
        en_.pc = c_.bool_val(true);
        en_.startState(*s.aut, s.startPrefix(), seg().hyps);
        en_.sides = nullptr;
        absorb(sides, s.policy);
        return;
      }
      case Step::Kind::StartGoal: startGoal(s); return;
      case Step::Kind::Bind: {
        // (the value becomes the variable's: an Int bound to a Nat must fit)
        z3::expr v = termWithSides(s.expr, sides, s.var->sort);
        absorb(sides, s.policy);
        en_.env.set(s.var, v);
        return;
      }
      case Step::Kind::Assume: {
        std::optional<z3::expr> t;
        try {
          t = termWithSides(s.expr, sides);
        } catch (const Unsupported& e) {
          out_.dropped.push_back((s.label.empty() ? exprToString(s.expr) : s.label) + " (" + e.what() + ")");
          return;
        }
        z3::expr v = *t;
        absorb(sides, s.policy);
        if (s.reach != Reach::Core) seg().distant.emplace_back(seg().hyps.size(), s.reach);
        seg().hyps.push_back(v);
        return;
      }
      case Step::Kind::Goal: {
        z3::expr v = termWithSides(s.expr, sides);
        absorb(sides, s.policy);
        if (seg().stepDefined) v = mkImplies(*seg().stepDefined, v);  // (a step outside a domain fails its own goal)
        seg().goals.push_back({v, s.label.empty() ? exprToString(s.expr) : s.label, "goal",
                               s.range.valid() ? s.range : s.expr->range});
        return;
      }
      case Step::Kind::WdGoal: {
        termWithSides(s.expr, sides);
        absorb(sides, SidePolicy::proveAll());
        return;
      }
      case Step::Kind::Action: action(s); return;
      case Step::Kind::Effect: effect(s); return;
      case Step::Kind::EnsuringGoal: {
        const FlatTransition& t = s.aut->transitions.at(static_cast<size_t>(s.transition));
        if (!t.ensuring) return;
        z3::expr v = twoState(t.ensuring, sides);
        absorb(sides, s.policy);
        seg().goals.push_back({v, "ensuring " + exprToString(t.ensuring), "goal", t.ensuring->range});
        return;
      }
      case Step::Kind::Exec: {
        std::vector<Fired> fired;
        std::vector<z3::expr> expected;
        for (const Expr* a : s.expect.args) expected.push_back(termWithSides(a, sides));
        sides.clear();
        en_.sides = &sides;
        en_.pc = c_.bool_val(true);
        en_.fired = &fired;
        en_.fireTarget = s.aut;
        en_.hyps = &seg().hyps;
        // an abstract fragment: its choices are the proof's (whether one has a witness at all is a goal)
        if (s.aut && modeFor(s.policy, SideKind::Choose) == SideMode::Prove) en_.angelic = &angelic_;
        en_.exec(*s.block);
        en_.sides = nullptr;
        en_.fired = nullptr;
        en_.hyps = nullptr;
        en_.angelic = nullptr;
        traceSides(s.expect, expected, s.expect.args, fired, sides, s.range);
        absorb(sides, s.policy);
        return;
      }
      case Step::Kind::AnyTransition: anyTransition(s); return;
      case Step::Kind::Snapshot: {
        PlanItem it;
        it.kind = PlanItem::Kind::State;
        it.label = s.label;
        for (size_t i = 0; i < s.vars.size(); ++i) {
          const z3::expr* v = en_.env.find(s.vars[i]);
          if (!v) continue;
          it.values.names.push_back(i < s.names.size() ? s.names[i] : s.vars[i]->name);
          it.values.sorts.push_back(s.vars[i]->sort);
          it.values.terms.push_back(*v);
        }
        plan(std::move(it));
        return;
      }
      case Step::Kind::Checkpoint: {
        closeAngelic();
        int depth = seg().depth;
        out_.segments.emplace_back();
        seg().depth = depth;
        return;
      }
    }
  }

  z3::expr twoState(const Expr* e, std::vector<SideCond>& sides) {
    Env post = en_.env;
    en_.env = lastPre_;
    en_.postEnv = &post;
    z3::expr v = termWithSides(e, sides);
    en_.postEnv = nullptr;
    en_.env = post;
    return v;
  }

  void action(const Step& s) {
    const FlatTransition& t = s.aut->transitions.at(static_cast<size_t>(s.transition));
    const FlatAction& act = s.aut->actions.at(static_cast<size_t>(t.action));
    std::string tag = s.tag.empty() ? std::string("arg") : s.tag;
    PlanItem it;
    it.kind = PlanItem::Kind::Action;
    it.label = s.label.empty() ? "action" : s.label;
    it.values.action = act.name;
    for (size_t k = 0; k < t.params.size(); ++k) {
      const Var* p = t.params[k];
      std::optional<z3::expr> value;
      std::optional<size_t> splitAt;
      if (split_)
        for (size_t v = 0; v < split_->size(); ++v)
          if ((*split_)[v].var == p) splitAt = v;
      if (splitAt && fixed_) value = en_.cache().finiteValue(p->sort, (*fixed_)[*splitAt]);
      z3::expr x = value ? *value : en_.fresh(tag + "." + p->name, p->sort, seg().hyps);
      if (splitAt && !fixed_) out_.splitSyms.emplace_back(*splitAt, x);
      en_.env.set(p, x);
      it.values.names.push_back(k < act.paramNames.size() ? act.paramNames[k] : p->name);
      it.values.sorts.push_back(p->sort);
      it.values.terms.push_back(x);
    }
    plan(std::move(it));
    std::vector<SideCond> sides;
    std::vector<z3::expr> enabled;
    for (const ParamBinding& b : t.bindings)
      enabled.push_back(*en_.env.find(t.params.at(static_cast<size_t>(b.param))) == termWithSides(b.value, sides));
    if (t.guard) enabled.push_back(termWithSides(t.guard, sides));
    if (t.pre) {
      auto* saved = en_.sides;
      en_.sides = &sides;
      en_.pc = mkAnd(c_, enabled);
      enabled.push_back(en_.term(t.pre));
      en_.sides = saved;
      en_.pc = c_.bool_val(true);
    }
    // The precondition's own partial operations, when they are goals (a step's well-definedness),
    // are checked before the precondition is assumed: assumed, it decided them by the value an
    // undefined read takes in the encoding (a map's default), so `pre status[i] = idle` over an
    // undefined key was refuted and `pre status[i] = critical` proved (until 2026-12-04).
    size_t goalsBefore = seg().goals.size();
    absorb(sides, s.policy);
    if (t.pre && seg().goals.size() > goalsBefore) {
      size_t n = enabled.size() - 1;  // (the precondition is the last: bindings and guard stay here)
      for (size_t k = 0; k < n; ++k) seg().hyps.push_back(enabled[k]);
      int depth = seg().depth;
      out_.segments.emplace_back();
      seg().depth = depth;
      seg().hyps.push_back(enabled.back());
    } else {
      for (const z3::expr& e : enabled) seg().hyps.push_back(e);
    }
    lastPre_ = en_.env;
  }

  void effect(const Step& s) {
    const FlatTransition& t = s.aut->transitions.at(static_cast<size_t>(s.transition));
    std::vector<SideCond> sides;
    en_.sides = &sides;
    en_.pc = c_.bool_val(true);
    en_.hyps = &seg().hyps;
    en_.fireTarget = nullptr;
    en_.exec(t.eff);
    en_.sides = nullptr;
    en_.hyps = nullptr;
    absorb(sides, s.policy);
    if (s.assumeEnsuring && t.ensuring) {
      std::vector<SideCond> es;
      z3::expr v = twoState(t.ensuring, es);
      seg().hyps.push_back(v);
    }
  }

  void traceSides(const ExpectedTrace& ex, const std::vector<z3::expr>& expected, const std::vector<const Expr*>& exArgs,
                  const std::vector<Fired>& fired, std::vector<SideCond>& sides, SourceRange at) {
    if (!ex.active) return;
    if (ex.none) {
      for (const Fired& f : fired)
        sides.push_back({SideKind::Trace, mkImplies(f.pc, c_.bool_val(false)),
                         "the fragment of an internal step shows no external action, but fires " + f.action, at});
      return;
    }
    z3::expr_vector count(c_);
    for (const Fired& f : fired) count.push_back(z3::ite(f.pc, c_.int_val(1), c_.int_val(0)));
    z3::expr n = count.empty() ? c_.int_val(0) : z3::sum(count);
    sides.push_back({SideKind::Trace, n == 1,
                     fired.empty() ? "the concrete step shows the external action " + ex.action +
                                         ", but its fragment fires no external action of the abstract automaton"
                                   : "the fragment shows the external action " + ex.action +
                                         " exactly once, as the concrete step does",
                     at});
    for (const Fired& f : fired) {
      if (f.action != ex.action) {
        sides.push_back({SideKind::Trace, mkImplies(f.pc, c_.bool_val(false)),
                         "the fragment shows " + ex.action + ", not " + f.action, at});
        continue;
      }
      for (size_t k = 0; k < f.args.size() && k < expected.size(); ++k) {
        if (!exArgs[k] || !f.sorts[k] || exArgs[k]->sort != f.sorts[k]) {
          // sorts differ (a user mapping between signatures): the proof entry decides the argument
          if (!(exArgs[k] && isIntLike(exArgs[k]->sort) && isIntLike(f.sorts[k]))) continue;
        }
        sides.push_back({SideKind::Trace, mkImplies(f.pc, f.args[k] == expected[k]),
                         "the abstract " + ex.action + " has the same argument " + std::to_string(k + 1) + " (" +
                             exprToString(exArgs[k]) + ")",
                         at});
      }
    }
  }

  void startGoal(const Step& s) {
    const FlatAutomaton& a = *s.aut;
    Segment& sg = seg();
    std::vector<SideCond> sides;
    std::vector<std::optional<z3::expr>> before(a.state.size());
    for (size_t k = 0; k < a.state.size(); ++k) {
      const Var* v = a.state[k];
      const Expr* init = k < a.init.size() ? a.init[k] : nullptr;
      if (s.useCurrent) {
        const z3::expr* cur = en_.env.find(v);
        if (!cur) throw Unsupported("internal: abstract variable " + v->name + " has no value");
        continue;
      }
      if (init && init->op != Op::Choose) {
        z3::expr x = termWithSides(init, sides);
        en_.env.set(v, x);
        before[k] = x;
      } else {
        z3::expr x = en_.boundConst(v->name, v->sort);
        sg.existentials.push_back(x);
        en_.env.set(v, x);
        sg.goals.push_back({en_.wf(v->sort, x), v->name + " is a value of " + sortName(v->sort), "goal", v->range});
      }
    }
    if (s.block) {
      en_.sides = &sides;
      en_.pc = c_.bool_val(true);
      en_.hyps = &sg.hyps;
      en_.fireTarget = nullptr;
      en_.exec(*s.block);
      en_.sides = nullptr;
      en_.hyps = nullptr;
    }
    absorb(sides, s.policy);
    for (size_t k = 0; k < a.state.size(); ++k) {
      const Var* v = a.state[k];
      const Expr* init = k < a.init.size() ? a.init[k] : nullptr;
      if (!init) continue;
      const z3::expr cur = *en_.env.find(v);
      if (init->op == Op::Choose) {
        if (init->args.empty()) continue;
        en_.env.set(init->binders.at(0).var, cur);
        z3::expr w = termWithSides(init->args[0], sides);
        sg.goals.push_back({w, "start condition of " + a.name + "." + v->name + ": " + exprToString(init->args[0]), "goal",
                            init->range});
        continue;
      }
      if (before[k] && z3::eq(*before[k], cur)) continue;  // its initial value, untouched
      z3::expr iv = termWithSides(init, sides);
      sg.goals.push_back({cur == iv, "start value " + a.name + "." + v->name + " = " + exprToString(init), "goal",
                          init->range});
    }
    if (a.initially)
      sg.goals.push_back({termWithSides(a.initially, sides), "initially " + exprToString(a.initially), "goal",
                          a.initially->range});
    absorb(sides, s.policy);
  }

  void anyTransition(const Step& s) {
    const FlatAutomaton& a = *s.aut;
    int k = ++bmcSteps_;
    seg().depth = k;
    std::string pre = "step" + std::to_string(k);
    size_t T = a.transitions.size();
    if (T == 0) return;
    z3::expr choice = en_.fresh(pre + ".choice", en_.cache().model().sorts.integer(), seg().hyps);
    seg().hyps.push_back(choice >= 0 && choice < c_.int_val(static_cast<int64_t>(T)));
    Env base = en_.env;
    std::vector<const Var*> tracked(a.state.begin(), a.state.end());
    if (s.abstractAut) tracked.insert(tracked.end(), s.abstractAut->state.begin(), s.abstractAut->state.end());
    std::vector<Env> outs;
    PlanItem it;
    it.kind = PlanItem::Kind::Choice;
    it.label = "step " + std::to_string(k);
    it.choice.push_back(choice);
    for (size_t j = 0; j < T; ++j) {
      const FlatTransition& t = a.transitions[j];
      const FlatAction& act = a.actions.at(static_cast<size_t>(t.action));
      en_.env = base;
      PlanValues opt;
      opt.action = act.name;
      for (size_t p = 0; p < t.params.size(); ++p) {
        const Var* pv = t.params[p];
        z3::expr x = en_.fresh(pre + "." + sanitize(act.name) + "." + pv->name, pv->sort, seg().hyps);
        en_.env.set(pv, x);
        opt.names.push_back(p < act.paramNames.size() ? act.paramNames[p] : pv->name);
        opt.sorts.push_back(pv->sort);
        opt.terms.push_back(x);
      }
      it.options.push_back(opt);
      // enabled: bindings, guard, precondition, and every partial operation of the step defined
      std::vector<SideCond> sides;
      std::vector<z3::expr> enabled;
      for (const ParamBinding& b : t.bindings)
        enabled.push_back(*en_.env.find(t.params.at(static_cast<size_t>(b.param))) == termWithSides(b.value, sides));
      if (t.guard) enabled.push_back(termWithSides(t.guard, sides));
      if (t.pre) {
        size_t before = sides.size();
        z3::expr v = termWithSides(t.pre, sides);
        if (s.checkDefined) {  // (under the bindings and the guard, as a step's well-definedness has it)
          z3::expr given = mkAnd(c_, enabled);
          for (size_t i = before; i < sides.size(); ++i) sides[i].cond = mkImplies(given, sides[i].cond);
        }
        enabled.push_back(v);
      }
      z3::expr isJ = choice == c_.int_val(static_cast<int64_t>(j));
      // the abstract fragment runs from the abstract pre-state, reading the concrete pre-state
      std::vector<SideCond> fragSides;
      if (s.abstractAut && j < s.fragments.size()) {
        const Fragment& fr = s.fragments[j];
        for (const auto& [fv, pi] : fr.bindParams) en_.env.set(fv, *en_.env.find(t.params.at(static_cast<size_t>(pi))));
        std::vector<z3::expr> expected;
        for (const Expr* e : fr.expect.args) expected.push_back(termWithSides(e, sides));
        std::vector<Fired> fired;
        if (fr.body) {
          en_.sides = &fragSides;
          en_.pc = c_.bool_val(true);
          en_.fired = &fired;
          en_.fireTarget = s.abstractAut;
          std::vector<z3::expr> fh;
          en_.hyps = &fh;
          size_t conds = angelic_.conds.size();
          en_.angelic = &angelic_;
          en_.exec(*fr.body);
          en_.sides = nullptr;
          en_.fired = nullptr;
          en_.hyps = nullptr;
          en_.angelic = nullptr;
          for (const z3::expr& h : fh) seg().hyps.push_back(mkImplies(isJ, h));
          for (size_t i = conds; i < angelic_.conds.size(); ++i)
            angelic_.conds[i] = mkImplies(isJ, angelic_.conds[i]);
        }
        traceSides(fr.expect, expected, fr.expect.args, fired, fragSides, t.range);
      }
      std::vector<z3::expr> effHyps;
      size_t effSides = sides.size();
      Env beforeEffect = en_.env;
      en_.sides = &sides;
      en_.pc = c_.bool_val(true);
      en_.hyps = &effHyps;
      en_.fireTarget = nullptr;
      en_.exec(t.eff);
      en_.sides = nullptr;
      en_.hyps = nullptr;
      auto definedness = [](const SideCond& sc) {
        return sc.kind == SideKind::Partial || sc.kind == SideKind::Narrowing || sc.kind == SideKind::Choose;
      };
      // with checkDefined, side condition i is a goal of the step when `when` holds
      auto stepGoal = [&](size_t i, const z3::expr& when) {
        z3::expr g = mkImplies(when, sides[i].cond);
        seg().goals.push_back({g, afterStep(sides[i], act.name), sideKindName(sides[i].kind), sides[i].range});
        seg().stepDefined = seg().stepDefined ? (*seg().stepDefined && g) : g;
      };
      // Without checkDefined every partial operation is part of the step's enabledness. With it,
      // those of the bindings, guard and precondition are goals of the step chosen, whatever its
      // arguments, as the step's `well-defined` obligation has them (until 2026-12-05 they made the
      // step disabled, so `pre v = m[k]` over a key not in m was refuted by that obligation with a
      // run from a start state, while `--bmc` said "no step applies an operation outside its
      // domain"); the effect's follow below, for the step taken.
      for (size_t i = 0; i < sides.size(); ++i) {
        if (!definedness(sides[i])) continue;
        if (!s.checkDefined) enabled.push_back(sides[i].cond);
        else if (i < effSides) stepGoal(i, isJ);
      }
      if (s.checkDefined) {  // the effect's partial operations: goals of the step taken, not part of its enabledness
        z3::expr taken = isJ && mkAnd(c_, enabled);
        for (size_t i = effSides; i < sides.size(); ++i)
          if (definedness(sides[i])) stepGoal(i, taken);
        // the ensuring clause of the step taken (until 2026-12-04 bounded model checking did not
        // check it, and a refuted ensuring clause's hint to run --bmc led nowhere)
        if (t.ensuring) {
          std::vector<SideCond> es;
          Env savedPre = lastPre_;
          lastPre_ = beforeEffect;
          z3::expr v = twoState(t.ensuring, es);
          lastPre_ = savedPre;
          seg().goals.push_back({mkImplies(taken, v), "ensuring " + exprToString(t.ensuring), "goal", t.ensuring->range});
        }
      }
      for (const z3::expr& h : effHyps) seg().hyps.push_back(mkImplies(isJ, h));
      seg().hyps.push_back(mkImplies(isJ, mkAnd(c_, enabled)));
      // every side condition of the abstract fragment is a goal: enabledness and the trace, and
      // the definedness of what the proof block computes (assumed, a `head` of an empty sequence in
      // a fired action's argument made the step impossible, and the run was never found)
      for (const SideCond& fs : fragSides)
        seg().goals.push_back(
            {mkImplies(isJ, fs.cond), afterStep(fs, act.name), sideKindName(fs.kind), fs.range, fs.args});
      outs.push_back(en_.env);
    }
    plan(std::move(it));
    en_.env = base;
    for (const Var* v : tracked) {
      const z3::expr* bv = base.find(v);
      if (!bv) continue;
      bool same = true;
      for (const Env& o : outs) {
        const z3::expr* x = o.find(v);
        same = same && x && z3::eq(*x, *bv);
      }
      if (same) continue;
      z3::expr r = *outs.back().find(v);
      for (size_t j = outs.size() - 1; j-- > 0;) {
        const z3::expr* x = outs[j].find(v);
        r = z3::ite(choice == c_.int_val(static_cast<int64_t>(j)), x ? *x : *bv, r);
      }
      std::string n = en_.uniqueName(pre + "." + v->name);
      z3::expr sym = c_.constant(n.c_str(), en_.cache().sort(v->sort));
      seg().hyps.push_back(sym == r);
      en_.env.set(v, sym);
      // an abstract variable may depend on a choice: the angelic goal reads its definition (the
      // symbol is its value for one choice, the counterexample's)
      if (!angelic_.vars.empty() && s.abstractAut && stateOf(*s.abstractAut, v)) angelicDefs_.emplace_back(sym, r);
    }
    PlanItem st;
    st.kind = PlanItem::Kind::State;
    st.label = "state after step " + std::to_string(k);
    for (const Var* v : tracked) {
      st.values.names.push_back(s.abstractAut && v->sort && stateOf(*s.abstractAut, v) ? s.abstractAut->name + "." + v->name
                                                                                        : v->name);
      st.values.sorts.push_back(v->sort);
      st.values.terms.push_back(*en_.env.find(v));
    }
    plan(std::move(st));
  }

  static bool stateOf(const FlatAutomaton& a, const Var* v) {
    return std::find(a.state.begin(), a.state.end(), v) != a.state.end();
  }

  // The goals of the current segment, when they read a value chosen angelically so far, hold
  // for some choice (with the earlier checkpoints' goals: one choice serves the whole run).
  // Goals that read no such value need none: that each choice has a witness is a goal of its own
  // (the fragment's choose side conditions are goals wherever choices are angelic), and with
  // those goals met the chosen symbols are witnesses.
  void closeAngelic() {
    Segment& sg = seg();
    if (angelic_.vars.empty() || sg.goals.empty()) return;
    auto expand = [&](z3::expr e) {
      for (auto d = angelicDefs_.rbegin(); d != angelicDefs_.rend(); ++d) {
        z3::expr_vector from(c_), to(c_);
        from.push_back(d->first);
        to.push_back(d->second);
        e = e.substitute(from, to);
      }
      return e;
    };
    std::vector<z3::expr> goals;
    for (const GoalItem& g : sg.goals) goals.push_back(expand(g.cond));
    std::set<unsigned> chosen, seen;
    for (const z3::expr& y : angelic_.vars) chosen.insert(y.decl().id());
    bool reads = false;
    for (const z3::expr& g : goals) reads = reads || mentionsAny(g, chosen, seen);
    if (!reads) return;
    std::vector<z3::expr> body, asChosen;
    for (const z3::expr& cnd : angelic_.conds) body.push_back(expand(cnd));
    for (size_t i = 0; i < out_.segments.size(); ++i)
      for (const GoalItem& g : out_.segments[i].goals) {
        if (i + 1 < out_.segments.size()) body.push_back(expand(g.cond));
        asChosen.push_back(g.cond);
      }
    body.insert(body.end(), goals.begin(), goals.end());
    z3::expr_vector xs(c_);
    for (const z3::expr& x : sg.existentials) xs.push_back(x);
    for (const z3::expr& y : angelic_.vars) xs.push_back(y);
    // The chosen symbols first: they are witnesses wherever the goals (the "has a witness" ones
    // among them) hold, so every goal met by them is met by some choice; the proofs that went
    // through with one fixed choice still do without a search for the witness. Then, for a
    // single choice, the values of its sort the query's variables end with (what the concrete
    // step chose: a queue's head for a set's "some element"), each a witness where the goals
    // hold of it; then any value.
    std::vector<z3::expr> options{mkAnd(c_, asChosen)};
    z3::expr all = mkAnd(c_, body);
    if (angelic_.values.size() == 1 && sg.existentials.empty()) {
      const z3::expr& y = angelic_.values[0];
      std::vector<z3::expr> tried;
      for (const auto& [v, t] : en_.env.items()) {
        if (tried.size() == 8) break;
        if (!z3::eq(t.get_sort(), y.get_sort())) continue;
        bool again = false;
        for (const z3::expr& u : tried) again = again || z3::eq(u, t);
        std::set<unsigned> seenT;
        if (again || mentionsAny(t, chosen, seenT)) continue;  // (an abstract value reads the choice)
        z3::expr_vector from(c_), to(c_);
        if (!partsOf(y, t, from, to)) continue;
        tried.push_back(t);
        options.push_back(all.substitute(from, to));
      }
    }
    options.push_back(quantified(false, xs, all, "choice"));
    sg.angelicGoal = mkOr(c_, options);
  }

  // The replacement of the symbols of a value `y` built by Encoder::fresh with the parts of
  // `t`, a term of its sort (false when `y` is not built of constructors and symbols).
  bool partsOf(const z3::expr& y, const z3::expr& t, z3::expr_vector& from, z3::expr_vector& to) {
    if (!y.is_app()) return false;
    if (y.num_args() == 0) {
      if (y.decl().decl_kind() != Z3_OP_UNINTERPRETED) return false;
      from.push_back(y);
      to.push_back(t);
      return true;
    }
    if (y.decl().decl_kind() != Z3_OP_DT_CONSTRUCTOR) return false;
    z3::sort s = y.get_sort();
    if (Z3_get_datatype_sort_num_constructors(c_, s) != 1) return false;
    for (unsigned j = 0; j < y.num_args(); ++j) {
      z3::func_decl acc(c_, Z3_get_datatype_sort_constructor_accessor(c_, s, 0, j));
      if (!partsOf(y.arg(j), acc(t), from, to)) return false;
    }
    return true;
  }

  Encoder& en_;
  z3::context& c_;
  Encoder::Angelic angelic_;
  std::vector<std::pair<z3::expr, z3::expr>> angelicDefs_;  // abstract variables' step symbols and their values
  const std::vector<SplitVar>* split_;
  const std::vector<int64_t>* fixed_;
  EncodedQuery out_;
  Env lastPre_;
  int bmcSteps_ = 0;
};

}  // namespace

int EncodedQuery::lastGoalSegment() const {
  for (size_t i = segments.size(); i-- > 0;)
    if (!segments[i].goals.empty()) return static_cast<int>(i);
  return -1;
}

EncodedQuery encodeQuery(Encoder& en, const Query& q, const std::vector<SplitVar>* split,
                         const std::vector<int64_t>* fixed) {
  bool bounded = false;
  for (const Step& s : q.steps) bounded = bounded || s.kind == Step::Kind::AnyTransition;
  en.groundSeqEq = bounded;
  EncodedQuery out = QueryEncoder(en, split, fixed).run(q);
  out.carryGoals = !bounded;
  return out;
}

EncodedQuery forCase(ContextCache& cc, const EncodedQuery& generic, const std::vector<SplitVar>& split,
                     const std::vector<int64_t>& values, z3::expr_vector& from, z3::expr_vector& to) {
  for (const auto& [k, sym] : generic.splitSyms) {
    from.push_back(sym);
    to.push_back(cc.finiteValue(split.at(k).sort, values.at(k)));
  }
  EncodedQuery q = generic;
  auto sub = [&](z3::expr& e) { e = e.substitute(from, to); };
  for (z3::expr& e : q.global) sub(e);
  for (Segment& s : q.segments) {  // (existentials are bound: not split symbols)
    for (z3::expr& h : s.hyps) sub(h);
    for (GoalItem& g : s.goals) sub(g.cond);
    if (s.stepDefined) sub(*s.stepDefined);
    if (s.angelicGoal) sub(*s.angelicGoal);
  }
  for (PlanItem& it : q.plan) {
    for (z3::expr& t : it.values.terms) sub(t);
    for (z3::expr& t : it.choice) sub(t);
    for (PlanValues& o : it.options)
      for (z3::expr& t : o.terms) sub(t);
  }
  q.splitSyms.clear();
  return q;
}

std::vector<SplitVar> splitVars(const Query& q, ContextCache& cc, int64_t maxCases) {
  std::vector<SplitVar> out;
  int64_t cases = 1;
  for (const Step& s : q.steps) {
    if (s.kind == Step::Kind::AnyTransition) return {};  // bounded model checking: the step is symbolic anyway
    if (s.kind != Step::Kind::Action) continue;
    const FlatTransition& t = s.aut->transitions.at(static_cast<size_t>(s.transition));
    for (const Var* p : t.params)
      if (cc.isSmallFinite(p->sort) && cases * cc.finiteSize(p->sort) <= maxCases) {
        cases *= cc.finiteSize(p->sort);
        out.push_back({p, p->sort});
      }
  }
  return out;
}

int64_t caseCount(const std::vector<SplitVar>& vs, ContextCache& cc) {
  int64_t n = 1;
  for (const SplitVar& v : vs) n *= cc.finiteSize(v.sort);
  return n;
}

std::vector<int64_t> caseValues(const std::vector<SplitVar>& vs, ContextCache& cc, int64_t caseIndex) {
  std::vector<int64_t> out(vs.size(), 0);
  for (size_t k = vs.size(); k-- > 0;) {
    int64_t sz = cc.finiteSize(vs[k].sort);
    out[k] = caseIndex % sz;
    caseIndex /= sz;
  }
  return out;
}

std::string caseText(const std::vector<SplitVar>& vs, ContextCache& cc, int64_t caseIndex) {
  std::vector<int64_t> vals = caseValues(vs, cc, caseIndex);
  std::string out;
  for (size_t k = 0; k < vs.size(); ++k) {
    Sort s = vs[k].sort;
    std::string v = s->kind == SortKind::Bool    ? (vals[k] ? "true" : "false")
                    : s->kind == SortKind::Enum ? s->def->values[static_cast<size_t>(vals[k])]
                                                 : std::to_string(s->lo + vals[k]);
    out += (k ? ", " : "") + vs[k].var->name + " = " + v;
  }
  return out;
}

z3::expr segmentGoal(z3::context& c, const Segment& s) {
  if (s.angelicGoal) return *s.angelicGoal;
  std::vector<z3::expr> gs;
  for (const GoalItem& g : s.goals) gs.push_back(g.cond);
  z3::expr g = mkAnd(c, gs);
  if (s.existentials.empty()) return g;
  z3::expr_vector xs(c);
  for (const z3::expr& x : s.existentials) xs.push_back(x);
  return quantified(false, xs, g, "start");
}

std::vector<Value> readPlan(const EncodedQuery& q, int lastSegment, const ValueSource& next) {
  std::vector<Value> out;
  for (const PlanItem& it : q.plan) {
    if (it.segment > lastSegment) break;
    if (it.kind == PlanItem::Kind::Choice) {
      Value ch = next(nullptr, it.choice.at(0));
      out.push_back(ch);
      int64_t j = ch.asInt();
      if (j < 0 || j >= static_cast<int64_t>(it.options.size())) j = 0;
      const PlanValues& o = it.options[static_cast<size_t>(j)];
      for (size_t i = 0; i < o.terms.size(); ++i) out.push_back(next(o.sorts[i], o.terms[i]));
      continue;
    }
    for (size_t i = 0; i < it.values.terms.size(); ++i) out.push_back(next(it.values.sorts[i], it.values.terms[i]));
  }
  return out;
}

Counterexample buildCounterexample(const EncodedQuery& q, int lastSegment, const std::vector<Value>& values,
                                   const std::vector<int>& failed) {
  Counterexample cx;
  size_t k = 0;
  auto take = [&]() { return k < values.size() ? values[k++] : Value(); };
  for (const PlanItem& it : q.plan) {
    if (it.segment > lastSegment) break;
    CexEntry e;
    e.label = it.label;
    if (it.kind == PlanItem::Kind::Choice) {
      int64_t j = take().asInt();
      if (j < 0 || j >= static_cast<int64_t>(it.options.size())) j = 0;
      const PlanValues& o = it.options[static_cast<size_t>(j)];
      e.kind = CexEntry::Kind::Action;
      e.action = o.action;
      e.transition = static_cast<int>(j);
      for (const std::string& n : o.names) e.values.push_back({n, take()});
      cx.entries.push_back(std::move(e));
      continue;
    }
    if (it.kind == PlanItem::Kind::Constants) {
      for (const std::string& n : it.values.names) cx.constants.push_back({n, take()});
      continue;
    }
    e.kind = it.kind == PlanItem::Kind::Action ? CexEntry::Kind::Action : CexEntry::Kind::State;
    e.action = it.values.action;
    for (const std::string& n : it.values.names) e.values.push_back({n, take()});
    cx.entries.push_back(std::move(e));
  }
  if (lastSegment >= 0 && lastSegment < static_cast<int>(q.segments.size())) {
    const Segment& s = q.segments[static_cast<size_t>(lastSegment)];
    const CexEntry* step = nullptr;  // the last action of the counterexample
    for (const CexEntry& e : cx.entries)
      if (e.kind == CexEntry::Kind::Action) step = &e;
    if (s.angelicGoal)
      cx.note = failed.empty() ? "The abstract states show one value of each choose in the abstract fragments: it "
                                 "meets this step's goals but not an earlier step's, and no value the chooses "
                                 "allow meets the goals of every step."
                               : "The abstract state shows one value of each choose in the abstract fragment: no "
                                 "value the choose allows meets the failed goals.";
    for (int i : failed)
      if (i >= 0 && i < static_cast<int>(s.goals.size())) {
        const auto& g = s.goals[static_cast<size_t>(i)];
        cx.failed.push_back({g.label + argumentValues(g.args, step), g.kind, g.range});
      }
    cx.depth = s.depth;
    cx.segment = lastSegment;
  }
  return cx;
}

}  // namespace ioa::prover::detail
