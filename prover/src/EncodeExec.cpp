// Effect programs as state transformers: sequential assignment (also to
// x[i] and x.f), if/elseif/else as a merge of branch states, `for` unrolled
// over finite domains and literal collections, `choose` as a fresh value
// constrained by its `where`, `fire` (proof blocks) as the chosen abstract
// transition with its enabledness as a side condition.
#include <algorithm>
#include <functional>
#include <optional>
#include <tuple>

#include "Encoder.h"
#include "ioa/spec/Printer.h"

namespace ioa::prover::detail {

namespace {
constexpr int64_t kMaxUnroll = 256;

using CondFn = std::function<z3::expr()>;
using BodyFn = std::function<void()>;
}  // namespace

// Runs `if c1 then b1 elseif c2 then b2 ... else be fi` and merges the states.
static void runArms(Encoder& en, const std::vector<CondFn>& conds, const std::vector<BodyFn>& bodies,
                    const BodyFn* elseBody) {
  z3::context& c = en.ctx();
  Env base = en.env;
  z3::expr savedPc = en.pc;
  std::vector<z3::expr> cs;
  std::vector<Env> outs;
  z3::expr notPrev = c.bool_val(true);
  for (size_t i = 0; i < conds.size(); ++i) {
    en.env = base;
    en.pc = mkAnd(c, {savedPc, notPrev});
    z3::expr ci = conds[i]();
    en.pc = mkAnd(c, {savedPc, notPrev, ci});
    bodies[i]();
    outs.push_back(en.env);
    cs.push_back(ci);
    notPrev = mkAnd(c, {notPrev, !ci});
  }
  en.env = base;
  en.pc = mkAnd(c, {savedPc, notPrev});
  if (elseBody) (*elseBody)();
  outs.push_back(en.env);
  en.pc = savedPc;
  // merge, in a deterministic variable order
  std::vector<const Var*> order;
  std::set<const Var*> seen;
  for (const auto& [v, _] : base.items())
    if (seen.insert(v).second) order.push_back(v);
  for (const Env& o : outs)
    for (const auto& [v, _] : o.items())
      if (seen.insert(v).second) order.push_back(v);
  Env merged = base;
  for (const Var* v : order) {
    const z3::expr* bv = base.find(v);
    std::vector<z3::expr> vals;
    const z3::expr* any = nullptr;
    for (const Env& o : outs)
      if (const z3::expr* p = o.find(v)) any = any ? any : p;
    for (const Env& o : outs) {
      const z3::expr* p = o.find(v);
      vals.push_back(p ? *p : bv ? *bv : *any);
    }
    bool same = true;
    for (const z3::expr& x : vals) same = same && z3::eq(x, vals[0]);
    if (same) {
      if (!bv || !z3::eq(*bv, vals[0])) merged.set(v, vals[0]);
      continue;
    }
    z3::expr r = vals.back();
    for (size_t i = cs.size(); i-- > 0;) r = z3::ite(cs[i], vals[i], r);
    merged.set(v, r);
  }
  en.env = merged;
}

void Encoder::exec(const Block& b) {
  for (const Stmt* s : b) execStmt(s);
}

void Encoder::assign(const Expr* lhs, const z3::expr& v) {
  switch (lhs->op) {
    case Op::Var: env.set(lhs->var, v); return;
    case Op::MapGet: {
      const Expr* base = lhs->args[0];
      Sort M = base->sort;
      z3::expr m = term(base);
      z3::expr k = narrow(term(lhs->args[1]), M->key(), lhs->args[1]);
      if (M->kind == SortKind::Map) {
        assign(base, cc_.datatype(M).ctors[0](z3::store(field(M, 0, 0, m), k, v),
                                              z3::store(field(M, 0, 1, m), k, ctx().bool_val(true))));
        return;
      }
      assign(base, arraySet(M, m, k, v));
      return;
    }
    case Op::SeqIndex: {
      const Expr* base = lhs->args[0];
      z3::expr s = term(base);
      z3::expr i = term(lhs->args[1]);
      side(SideKind::Partial, i >= 0 && i < seqLen(s), label(lhs) + " := ...: index " + label(lhs->args[1]) + " is in range",
           lhs->range);
      assign(base, mkSeq(base->sort, z3::store(seqArr(s), i, v), seqLen(s)));
      return;
    }
    case Op::TupleGet: {
      const Expr* base = lhs->args[0];
      Sort T = base->sort;
      z3::expr t = term(base);
      z3::expr_vector fs(ctx());
      for (size_t i = 0; i < T->def->fields.size(); ++i)
        fs.push_back(static_cast<int>(i) == lhs->index ? v : field(T, 0, static_cast<int>(i), t));
      assign(base, cc_.datatype(T).ctors[0](fs));
      return;
    }
    default: break;
  }
  throw Unsupported("cannot assign to " + label(lhs));
}

namespace {
// The uninterpreted constants a fresh value is built from, in order.
void leafConstants(const z3::expr& e, std::vector<z3::expr>& out) {
  if (!e.is_app()) return;
  if (e.num_args() == 0) {
    if (e.decl().decl_kind() == Z3_OP_UNINTERPRETED) out.push_back(e);
    return;
  }
  for (unsigned i = 0; i < e.num_args(); ++i) leafConstants(e.arg(i), out);
}
}  // namespace

// Terms of the sort of a `choose`'s variable `bv` (bound as `x`) that often satisfy its
// `where`: the values of the variables in scope of that sort and, for a sequence or a set,
// the empty one and a sequence's tail and init (when the variable is no more than a
// candidate witness of an existential, a wrong one costs nothing).
std::vector<z3::expr> Encoder::witnessCandidates(const Var* bv, const z3::expr& x) {
  z3::context& c = ctx();
  Sort S = bv->sort;
  std::vector<z3::expr> out;
  // only for a sort whose values hold arrays: Z3 instantiates scalars and tuples of them well,
  // and a candidate there only gives e-matching more to chase (a simulation whose abstract
  // choose of a tuple was proved in 20 ms timed out with the old value as a candidate)
  if (x.get_sort().sort_kind() != Z3_ARRAY_SORT && S->kind != SortKind::Seq && S->kind != SortKind::Map) return out;
  constexpr size_t kMaxCandidates = 12;
  if (S->kind == SortKind::Seq) {
    z3::sort intS = c.int_sort();
    out.push_back(mkSeq(S, z3::const_array(intS, cc_.dflt(S->elem())), c.int_val(0)));
  } else if (S->kind == SortKind::Set) {
    out.push_back(z3::const_array(cc_.sort(S->elem()), c.bool_val(false)));
  }
  for (const auto& [v, e] : env.items()) {
    if (v == bv || !z3::eq(e.get_sort(), x.get_sort()) || out.size() >= kMaxCandidates) continue;
    out.push_back(e);
    if (S->kind == SortKind::Seq) {
      z3::expr a = seqArr(e), n = seqLen(e);
      z3::expr i = boundConst("i", cc_.model().sorts.integer());
      out.push_back(mkSeq(S, z3::lambda(i, z3::select(a, i + 1)), n - 1));  // tail
      out.push_back(mkSeq(S, a, n - 1));                                      // init
    }
  }
  return out;
}

void Encoder::execStmt(const Stmt* s) {
  z3::context& c = ctx();
  switch (s->kind) {
    case StmtKind::Assign: {
      if (s->rhs->op == Op::Choose) {
        const Expr* ch = s->rhs;
        const Var* bv = ch->binders.at(0).var;
        std::vector<z3::expr> facts;
        z3::expr y = fresh("choose." + bv->name, bv->sort, facts);
        if (hyps)
          for (const z3::expr& f : facts) hyps->push_back(f);
        if (angelic) {  // (the symbols of its parts: a tuple's fields, a sequence's array and length)
          leafConstants(y, angelic->vars);
          angelic->values.push_back(y);
          for (const z3::expr& f : facts) angelic->conds.push_back(f);
        }
        if (!ch->args.empty()) {
          // feasibility: some value satisfies the `where`
          std::optional<z3::expr> feasible;
          bool epsilon = epsilonChoose || angelic;
          if (sides || epsilon) {
            z3::expr x = boundConst(bv->name, bv->sort);
            env.set(bv, x);
            auto* savedSides = sides;
            sides = nullptr;
            z3::expr w = term(ch->args[0]);
            sides = savedSides;
            z3::expr body = mkAnd(c, {wf(bv->sort, x), w});
            feasible = quantified(false, x, body, "choose." + bv->name);
            // Witness candidates, as disjuncts: P(t) implies (exists x. P(x)), so the condition
            // means the same, and the solver gets the instances it needs. Z3 finds no witness
            // of a sort holding an array itself ("incomplete (theory array)"): a new user's
            // `choose r: Seq[Nat] where len(r) = len(items) - 1` stayed unknown.
            std::vector<z3::expr> cands = witnessCandidates(bv, x);
            for (const z3::expr& t : cands) {
              z3::expr_vector from(c), to(c);
              from.push_back(x);
              to.push_back(t);
              *feasible = *feasible || body.substitute(from, to);
            }
            side(SideKind::Choose, *feasible, label(ch) + " has a witness", ch->range);
          }
          env.set(bv, y);
          z3::expr w = term(ch->args[0]);
          if (hyps) hyps->push_back(mkImplies(epsilon ? pc && *feasible : pc, w));
          if (angelic) angelic->conds.push_back(mkImplies(pc, w));
        }
        assign(s->lhs, narrow(y, s->lhs->sort, s->rhs));
        return;
      }
      z3::expr v = narrow(term(s->rhs), s->lhs->sort, s->rhs);
      assign(s->lhs, v);
      return;
    }
    case StmtKind::If: {
      std::vector<CondFn> conds;
      std::vector<BodyFn> bodies;
      for (size_t i = 0; i < s->conds.size(); ++i) {
        const Expr* ce = s->conds[i];
        const Block* bb = &s->branches[i];
        conds.push_back([this, ce] { return term(ce); });
        bodies.push_back([this, bb] { exec(*bb); });
      }
      BodyFn els = [this, s] { exec(s->elseBranch); };
      runArms(*this, conds, bodies, s->hasElse ? &els : nullptr);
      return;
    }
    case StmtKind::For: {
      const Var* x = s->binder.var;
      std::vector<z3::expr> values;
      // every value of a sort small enough to unroll, in ascending order (the interpreter's order)
      auto everyValue = [&](Sort t) {
        if (cc_.isSmallFinite(t)) {
          for (int64_t i = 0; i < cc_.finiteSize(t); ++i) values.push_back(cc_.finiteValue(t, i));
        } else if (t->kind == SortKind::Range && t->hi - t->lo + 1 <= kMaxUnroll) {
          for (int64_t v = t->lo; v <= t->hi; ++v) values.push_back(c.int_val(static_cast<int64_t>(v)));
        } else if (t->kind == SortKind::UInt && t->width <= 8) {
          for (uint64_t v = 0; v < (uint64_t(1) << t->width); ++v) values.push_back(c.bv_val(v, t->width));
        } else {
          return false;
        }
        return true;
      };
      std::optional<z3::expr> members;  // a symbolic set over such a sort: the body runs for its members
      if (!s->domain) {
        Sort t = x->sort;
        if (!everyValue(t))
          throw Unsupported("'for " + x->name + ": " + sortName(t) + "' ranges over too many values to unroll");
      } else if (s->domain->sort && s->domain->sort->kind == SortKind::Set && s->domain->op != Op::SetLit &&
                 s->domain->op != Op::SetEmpty && everyValue(s->domain->sort->elem())) {
        members = term(s->domain);  // the set as it is when the loop starts
      } else {
        const Expr* d = s->domain;
        bool literal = d->op == Op::SeqLit || d->op == Op::SeqEmpty || d->op == Op::SetEmpty || d->op == Op::MsetEmpty;
        std::vector<const Expr*> elems(d->args.begin(), d->args.end());
        if (d->op == Op::SetLit) {
          // a set literal runs once per distinct element, in ascending order (as the interpreter
          // and the generated code run it): only when the elements are constants
          literal = true;
          for (const Expr* a : elems)
            if (a->op != Op::IntConst && a->op != Op::EnumConst && a->op != Op::BoolConst) literal = false;
          if (literal) {
            auto key = [](const Expr* a) { return std::make_tuple(a->boolValue, a->intValue, a->index); };
            std::sort(elems.begin(), elems.end(), [&](const Expr* a, const Expr* b) { return key(a) < key(b); });
            elems.erase(std::unique(elems.begin(), elems.end(), [&](const Expr* a, const Expr* b) { return key(a) == key(b); }),
                        elems.end());
          }
        }
        if (!literal)
          throw Unsupported("'for " + x->name + " in " + label(d) +
                            "' over a symbolic collection is not supported by the prover (loops must have a finite, "
                            "known domain)");
        for (const Expr* a : elems) values.push_back(term(a));
      }
      for (const z3::expr& v : values) {
        env.set(x, v);
        if (s->filter || members) {
          const Expr* f = s->filter;
          const Block* body = &s->body;
          z3::expr in = members ? z3::select(*members, v) : c.bool_val(true);
          runArms(*this, {[this, f, in] { return f ? in && term(f) : in; }}, {[this, body] { exec(*body); }}, nullptr);
        } else {
          exec(s->body);
        }
      }
      return;
    }
    case StmtKind::Fire: fire(s); return;
    case StmtKind::Ignore: return;
  }
}

void Encoder::fire(const Stmt* s) {
  z3::context& c = ctx();
  const FlatAutomaton* A = fireTarget;
  if (!A || s->fireActionIndex < 0 || static_cast<size_t>(s->fireActionIndex) >= A->actions.size())
    throw Unsupported("'fire' outside a simulation proof");
  const FlatAction& act = A->actions[static_cast<size_t>(s->fireActionIndex)];
  std::vector<z3::expr> args;
  for (size_t k = 0; k < s->fireArgs.size(); ++k) args.push_back(narrow(term(s->fireArgs[k]), act.params[k], s->fireArgs[k]));
  std::vector<std::string> argLabels;
  for (const Expr* a : s->fireArgs) argLabels.push_back(label(a));
  std::string call = act.name + "(";
  for (size_t k = 0; k < argLabels.size(); ++k) call += (k ? ", " : "") + argLabels[k];
  call += ")";
  std::vector<CondFn> conds;
  std::vector<BodyFn> bodies;
  std::vector<z3::expr> enabled;
  for (const FlatTransition& t : A->transitions) {
    if (t.action != s->fireActionIndex) continue;
    const FlatTransition* tp = &t;
    conds.push_back([this, tp, &args, &enabled, &c] {
      for (size_t k = 0; k < tp->params.size() && k < args.size(); ++k) env.set(tp->params[k], args[k]);
      std::vector<z3::expr> parts;
      for (const ParamBinding& b : tp->bindings) parts.push_back(args.at(static_cast<size_t>(b.param)) == term(b.value));
      parts.push_back(term(tp->guard));
      z3::expr m = mkAnd(c, parts);
      z3::expr savedPc = pc;
      pc = mkAnd(c, {pc, m});
      z3::expr p = tp->pre ? term(tp->pre) : c.bool_val(true);
      pc = savedPc;
      z3::expr en = mkAnd(c, {m, p});
      enabled.push_back(en);
      return en;
    });
    bodies.push_back([this, tp] { exec(tp->eff); });
  }
  runArms(*this, conds, bodies, nullptr);
  if (act.kind != ActionKind::Input)
    side(SideCond{SideKind::Enabled, mkOr(c, enabled), enabledLabel(call, "here"), s->range, call, argLabels});
  if (act.kind != ActionKind::Internal && fired) fired->push_back({pc, act.name, act.kind, args, act.params});
}

void Encoder::startState(const FlatAutomaton& a, const std::string& prefix, std::vector<z3::expr>& facts) {
  for (size_t k = 0; k < a.state.size(); ++k) {
    const Var* v = a.state[k];
    const Expr* init = k < a.init.size() ? a.init[k] : nullptr;
    if (!init) {
      env.set(v, fresh(prefix + v->name, v->sort, facts));
    } else if (init->op == Op::Choose) {
      z3::expr y = fresh(prefix + v->name, v->sort, facts);
      env.set(init->binders.at(0).var, y);
      if (!init->args.empty()) facts.push_back(term(init->args[0]));
      env.set(v, y);
    } else {
      env.set(v, narrow(term(init), v->sort, init));
    }
  }
  if (a.initially) facts.push_back(term(a.initially));
}

}  // namespace ioa::prover::detail
