// One class per automaton: state struct, input handlers, and for every
// locally controlled action `enabled_` / `choices_` / `room_` / `fire_`, plus a
// seeded scheduler step. Layers additionally get the generic layer interface
// and their fast-path predicates.
#include <algorithm>
#include <functional>

#include "Emit.h"
#include "ioa/spec/Build.h"

namespace ioa::codegen::detail {

namespace {

constexpr uint32_t kChoiceBuf = 64;

// How the parameters of a locally controlled transition are found: checks,
// assignments from `p = term` conjuncts, and loops over finite or bounded
// domains, in an order that evaluates every conjunct only after the ones
// before it held (so `q ~= {} /\ m = head(q)` never takes head of {}).
struct PlanStep {
  enum Kind { Check, CheckEq, Assign, Loop } kind = Check;
  const Expr* e = nullptr;  // Check: the conjunct; Assign/CheckEq: the value
  int param = -1;
  std::set<const Var*> unbound;  // Loop: parameters still unbound when the loop opens
};

struct Plan {
  bool never = false;
  bool ok = true;
  std::vector<PlanStep> steps;
  std::vector<const Expr*> conjs;  // all conjuncts of guard and pre (loop bounds)
};

const Expr* eqSideFor(const Expr* c, const Var* p, const std::set<const Var*>& unbound) {
  if (!c || c->op != Op::Eq) return nullptr;
  const Expr* a = c->args[0];
  const Expr* b = c->args[1];
  if (a->op == Op::Var && a->var == p && !mentionsAny(b, unbound)) return b;
  if (b->op == Op::Var && b->var == p && !mentionsAny(a, unbound)) return a;
  return nullptr;
}

bool canLoop(const TypeMap& types, const Var* p, const std::vector<const Expr*>& conjs,
             const std::set<const Var*>& unbound) {
  Sort s = types.resolve(p->sort);
  if (!s) return false;
  if (s->kind == SortKind::Range || s->kind == SortKind::Bool || s->kind == SortKind::Enum ||
      (s->kind == SortKind::UInt && s->width <= 16))
    return true;
  auto isP = [&](const Expr* x) { return x && x->op == Op::Var && x->var == p; };
  bool lo = s->kind == SortKind::Nat, hi = false;
  for (const Expr* c : conjs) {
    if (!c || c->args.size() != 2) continue;
    if ((c->op == Op::SeqIn || c->op == Op::SetIn || c->op == Op::MsetIn) && isP(c->args[0]) &&
        !mentionsAny(c->args[1], unbound))
      return true;
    if (!isIntLike(s)) continue;
    bool left = isP(c->args[0]) && !mentionsAny(c->args[1], unbound);
    bool right = isP(c->args[1]) && !mentionsAny(c->args[0], unbound);
    if (!left && !right) continue;
    Op op = c->op;
    if (right) op = op == Op::Lt ? Op::Gt : op == Op::Le ? Op::Ge : op == Op::Gt ? Op::Lt : op == Op::Ge ? Op::Le : op;
    if (op == Op::Lt || op == Op::Le) hi = true;
    if (op == Op::Gt || op == Op::Ge) lo = true;
    if (op == Op::Eq) lo = hi = true;
  }
  return lo && hi;
}

Plan planFor(Shared& sh, const FlatAutomaton& a, const FlatTransition& t) {
  Plan plan;
  struct Item {
    const Expr* e = nullptr;
    int bindingParam = -1;
    const Expr* bindingValue = nullptr;
  };
  std::vector<Item> pending;
  for (const ParamBinding& b : t.bindings) pending.push_back({nullptr, b.param, b.value});
  for (const Expr* c : conjunctsOf(t.guard)) pending.push_back({c});
  for (const Expr* c : conjunctsOf(t.pre)) pending.push_back({c});
  for (const Item& it : pending) {
    if (it.e) plan.conjs.push_back(it.e);
    if (it.e && it.e->op == Op::BoolConst && !it.e->boolValue) {
      plan.never = true;
      return plan;
    }
  }
  std::set<const Var*> unbound(t.params.begin(), t.params.end());
  auto paramIndex = [&](const Var* v) {
    for (size_t k = 0; k < t.params.size(); ++k)
      if (t.params[k] == v) return static_cast<int>(k);
    return -1;
  };
  const FlatAction& act = a.actions[t.action];
  auto fail = [&](const Var* p) {
    std::string kind = actionKindName(act.kind);
    sh.diags.error(t.range, "unbounded nondeterminism with no policy: parameter '" + p->name + "' of " + kind + " " +
                                act.name + " is not determined by the precondition (expected a conjunct '" + p->name +
                                " = term'), and its sort " + sortName(p->sort) +
                                " cannot be enumerated (no finite sort, no bound like " + p->name + " < n)");
    plan.ok = false;
  };
  while (plan.ok) {
    if (pending.empty()) {
      for (const Var* p : t.params) {
        if (!unbound.count(p)) continue;
        if (!canLoop(sh.types, p, plan.conjs, unbound)) {
          fail(p);
          break;
        }
        plan.steps.push_back({PlanStep::Loop, nullptr, paramIndex(p), unbound});
        unbound.erase(p);
      }
      break;
    }
    Item it = pending.front();
    if (!it.e) {
      const Var* p = t.params[it.bindingParam];
      if (mentionsAny(it.bindingValue, unbound)) {
        // a pattern argument naming another parameter: wait for it
        pending.erase(pending.begin());
        pending.push_back(it);
        if (std::all_of(pending.begin(), pending.end(), [](const Item& x) { return !x.e; })) {
          fail(p);
          break;
        }
        continue;
      }
      pending.erase(pending.begin());
      if (unbound.count(p)) {
        plan.steps.push_back({PlanStep::Assign, it.bindingValue, it.bindingParam, {}});
        unbound.erase(p);
      } else {
        plan.steps.push_back({PlanStep::CheckEq, it.bindingValue, it.bindingParam, {}});
      }
      continue;
    }
    const Expr* c = it.e;
    if (!mentionsAny(c, unbound)) {
      plan.steps.push_back({PlanStep::Check, c, -1, {}});
      pending.erase(pending.begin());
      continue;
    }
    bool assigned = false;
    for (const Var* p : t.params)
      if (unbound.count(p))
        if (const Expr* val = eqSideFor(c, p, unbound)) {
          std::set<const Var*> rest = unbound;
          rest.erase(p);
          if (mentionsAny(val, rest)) continue;
          plan.steps.push_back({PlanStep::Assign, val, paramIndex(p), {}});
          unbound.erase(p);
          pending.erase(pending.begin());
          assigned = true;
          break;
        }
    if (assigned) continue;
    // c needs a parameter that is not bound yet: the first one it mentions
    const Var* need = nullptr;
    for (const Var* p : t.params)
      if (unbound.count(p) && mentionsVar(c, p)) {
        need = p;
        break;
      }
    bool defined = false;
    for (size_t k = 1; k < pending.size() && !defined; ++k) {
      if (!pending[k].e) continue;
      std::set<const Var*> rest = unbound;
      rest.erase(need);
      const Expr* val = eqSideFor(pending[k].e, need, unbound);
      if (val && !mentionsAny(val, rest)) {
        plan.steps.push_back({PlanStep::Assign, val, paramIndex(need), {}});
        unbound.erase(need);
        pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(k));
        defined = true;
      }
    }
    if (defined) continue;
    if (canLoop(sh.types, need, plan.conjs, unbound)) {
      plan.steps.push_back({PlanStep::Loop, nullptr, paramIndex(need), unbound});
      unbound.erase(need);
      continue;
    }
    fail(need);
  }
  return plan;
}

struct Emitter {
  Shared& sh;
  const FlatAutomaton& a;
  ClassCode& out;
  std::vector<std::string> stateMembers;
  std::string h, cpp;

  Emitter(Shared& s, const FlatAutomaton& aut, ClassCode& o) : sh(s), a(aut), out(o) {}

  ExprGen gen() {
    ExprGen g(sh.model, sh.types, sh.diags);
    g.usedFunctions = &sh.usedFunctions;
    g.usedConsts = &sh.usedConsts;
    for (size_t k = 0; k < a.state.size(); ++k) g.vars[a.state[k]] = "s." + stateMembers[k];
    for (size_t k = 0; k < a.params.size(); ++k) g.vars[a.params[k]] = "p_" + out.paramNames[k];
    return g;
  }

  std::string q(const std::string& cls, const std::string& m) { return cls + "::" + m; }

  void traceStep(std::string& code, const std::string& ind, const std::string& name,
                 const std::vector<std::string>& args) {
    code += "#if IOA_TRACE\n" + ind + "if (trace_) {\n" + ind + "  trace_->begin_step(" + cppString(name) + ");\n";
    for (const std::string& x : args) code += ind + "  tw(*trace_, " + x + ");\n";
    code += ind + "  trace_->state_sep();\n" + ind + "  trace_state(*trace_);\n" + ind + "  trace_->end_line();\n" +
            ind + "}\n#endif\n";
  }

  // Capacity guards only ask; faults their terms might raise are not the program's.
  static std::string muted(const std::string& body) {
    std::string probe = body;
    for (size_t p; (p = probe.find("rt::seq_len(")) != std::string::npos;) probe.erase(p, 12);
    if (probe.find("rt::") == std::string::npos) return body;
    return "  rt::FaultMute mute_;\n" + body;
  }

  // Capacity guard of an effect: `return false;` when a sequence it grows would overflow.
  std::string roomChecks(ExprGen& g, const Block& eff, int indent) {
    struct Grow {
      const Stmt* s;
      std::vector<const Stmt*> loops;
    };
    std::vector<Grow> grows;
    std::map<const Var*, int> perRoot;
    std::function<void(const Block&, std::vector<const Stmt*>&)> walk = [&](const Block& b,
                                                                            std::vector<const Stmt*>& loops) {
      for (const Stmt* s : b) {
        if (s->kind == StmtKind::Assign) {
          Sort ts = sh.types.resolve(s->lhs->sort);
          if (!ts || ts->kind != SortKind::Seq || isBytes(ts)) continue;
          const Expr* r = s->rhs;
          if ((r->op == Op::Tail || r->op == Op::Init) && exprEqual(r->args[0], s->lhs)) continue;
          if (r->op == Op::SeqEmpty || r->op == Op::SeqLit) continue;  // fixed size (checked at generation)
          grows.push_back({s, loops});
          perRoot[rootVar(s->lhs)]++;
        } else if (s->kind == StmtKind::If) {
          for (const auto& br : s->branches) walk(br, loops);
          walk(s->elseBranch, loops);
        } else if (s->kind == StmtKind::For) {
          loops.push_back(s);
          walk(s->body, loops);
          loops.pop_back();
        }
      }
    };
    std::vector<const Stmt*> loops;
    walk(eff, loops);
    std::string code;
    std::string cap = std::to_string(sh.opts.seqCapacity);
    for (const Grow& gr : grows) {
      std::string opens, closes;
      bool ok = true;
      for (const Stmt* l : gr.loops) {
        std::string open, close, why;
        if (l->domain) {
          std::string n = g.localFor(l->binder.var);
          open = "{ const auto " + n + "_dom = " + g.expr(l->domain) + "; for (uint32_t " + n + "_k = 0; " + n +
                 "_k < rt::coll_size(" + n + "_dom); ++" + n + "_k) { const " +
                 sh.types.value(l->binder.var->sort, l->range) + " " + n + " = rt::coll_elem(" + n + "_dom, " + n +
                 "_k);";
          close = "} }";
        } else if (!g.loopFor(l->binder.var, conjunctsOf(l->filter), {l->binder.var}, open, close, why)) {
          ok = false;
          break;
        }
        opens += open + " ";
        closes = close + " " + closes;
      }
      std::string len;
      if (!ok || !g.lengthOf(gr.s->rhs, len)) continue;
      int margin = perRoot[rootVar(gr.s->lhs)] - 1;
      std::string ind(indent, ' ');
      code += ind + opens + "if (" + len + (margin > 0 ? " + " + std::to_string(margin) : "") + " > " + cap +
              ") return false; " + closes + "\n";
    }
    return code;
  }

  void emitState() {
    UniqueNames names;
    for (const Var* v : a.state) stateMembers.push_back(names.take(ident(v->name)));
    h += "  struct State {\n";
    for (size_t k = 0; k < a.state.size(); ++k) {
      Sort s = sh.types.resolve(a.state[k]->sort);
      std::string init = s && s->kind == SortKind::Range && s->lo != 0 ? "{" + std::to_string(s->lo) + "}" : "{}";
      h += "    " + sh.types.storage(a.state[k]->sort, a.state[k]->range) + " " + stateMembers[k] + init + ";  // " +
           a.state[k]->name + ": " + sortName(a.state[k]->sort) + "\n";
    }
    h += "  };\n  State s;\n";
  }

  void emitSetup() {
    const std::string& C = out.cls;
    // parameters
    for (const Var* p : a.params) {
      out.paramNames.push_back(ident(p->name));
      out.paramTypes.push_back(sh.types.value(p->sort, p->range));
      out.paramSorts.push_back(p->sort);
    }
    for (size_t k = 0; k < a.params.size(); ++k)
      h += "  " + out.paramTypes[k] + " p_" + out.paramNames[k] + "{};  // automaton parameter " + a.params[k]->name +
           "\n";
    std::string ctorArgs, ctorInit;
    for (size_t k = 0; k < a.params.size(); ++k) {
      ctorArgs += (k ? ", " : "") + out.paramTypes[k] + " " + out.paramNames[k] + "_";
      ctorInit += (k ? ", " : "") + std::string("p_") + out.paramNames[k] + "(" + out.paramNames[k] + "_)";
    }
    h += "\n  " + std::string(a.params.empty() ? "" : "explicit ") + C + "(" + ctorArgs + ");\n";
    h += "  void reset();  // the start state\n";
    h += "  void set_trace(rt::TraceOut* t);  // records V and I lines, then every step (IOA_TRACE=1)\n";
    h += "  void trace_state(rt::TraceOut& o) const;\n";
    h += "  static constexpr const char* kName = " + cppString(a.name) + ";\n";
    h += "  static constexpr uint32_t kChoiceBuf = " + std::to_string(kChoiceBuf) + ";\n";
    cpp += q(C, C) + "(" + ctorArgs + ")" + (ctorInit.empty() ? "" : " : " + ctorInit) + " { reset(); }\n\n";
    ExprGen g = gen();
    std::string body = "  s = State{};\n";
    for (size_t k = 0; k < a.state.size(); ++k) {
      const Expr* init = k < a.init.size() ? a.init[k] : nullptr;
      if (!init) continue;
      body += "  s." + stateMembers[k] + " = " + g.coerce(init, a.state[k]->sort) + ";\n";
    }
    if (a.initially) body += "  if (!(" + g.expr(a.initially) + ")) rt::raise(rt::Fault::Start);\n";
    cpp += "void " + q(C, "reset") + "() {\n" + body + "}\n\n";
    cpp += "void " + q(C, "set_trace") + "(rt::TraceOut* t) {\n  trace_ = t;\n  if (!t) return;\n  t->begin_names();\n";
    for (const Var* v : a.state) cpp += "  t->name(" + cppString(v->name) + ");\n";
    cpp += "  t->end_line();\n";
    if (!a.params.empty()) {
      cpp += "  t->raw(\"P \");\n";
      for (size_t k = 0; k < a.params.size(); ++k) cpp += "  tw(*t, p_" + out.paramNames[k] + ");\n";
      cpp += "  t->end_line();\n";
    }
    cpp += "  t->begin_init();\n  trace_state(*t);\n  t->end_line();\n}\n\n";
    cpp += "void " + q(C, "trace_state") + "(rt::TraceOut& o) const {\n";
    if (a.state.empty()) cpp += "  (void)o;\n";
    for (size_t k = 0; k < a.state.size(); ++k) cpp += "  tw(o, s." + stateMembers[k] + ");\n";
    cpp += "}\n\n";
  }

  void emitInput(ActionCode& ac) {
    const std::string& C = out.cls;
    const FlatAction& act = a.actions[ac.index];
    std::string params;
    for (size_t k = 0; k < act.params.size(); ++k) {
      std::string t = ac.types[k];
      bool byRef = t.rfind("rt::", 0) == 0 || sh.types.resolve(act.params[k])->kind == SortKind::Tuple ||
                   sh.types.resolve(act.params[k])->kind == SortKind::Union;
      params += (k ? ", " : "") + (byRef ? "const " + t + "& " : t + " ") + "a_" + ac.members[k];
    }
    h += "  // input " + act.name + "\n";
    h += "  void in_" + ac.id + "(" + params + ");\n";
    h += "  bool room_" + ac.id + "(" + params + ") const;\n";
    std::string unused;
    for (size_t k = 0; k < act.params.size(); ++k) unused += "  (void)a_" + ac.members[k] + ";\n";
    std::string body = unused, room;
    bool unconditional = false;
    std::vector<std::string> traceArgs;
    for (const std::string& m : ac.members) traceArgs.push_back("a_" + m);
    for (const FlatTransition& t : a.transitions) {
      if (t.action != ac.index) continue;
      ExprGen g = gen();
      for (size_t k = 0; k < t.params.size(); ++k) g.vars[t.params[k]] = "a_" + ac.members[k];
      std::string cond;
      for (const ParamBinding& b : t.bindings)
        cond += std::string(cond.empty() ? "" : " && ") + "(a_" + ac.members[b.param] + " == " + g.expr(b.value) + ")";
      if (t.guard) cond += std::string(cond.empty() ? "" : " && ") + g.expr(t.guard);
      if (cond.empty()) {
        cond = "true";
        unconditional = true;
      }
      body += specMark(sh, t, "  ") + (cond == "true" ? std::string("  {\n") : "  if (" + bare(cond) + ") {\n") +
              g.block(t.eff, 4);
      traceStep(body, "    ", act.name, traceArgs);
      body += "    return;\n  }\n";
      ExprGen rg = gen();
      for (size_t k = 0; k < t.params.size(); ++k) rg.vars[t.params[k]] = "a_" + ac.members[k];
      room += (cond == "true" ? std::string("  {\n") : "  if (" + bare(cond) + ") {\n") + roomChecks(rg, t.eff, 4) +
              "    return true;\n  }\n";
      if (unconditional) break;
    }
    if (!unconditional) {
      body += "  // no transition matches: the input changes nothing\n";
      traceStep(body, "  ", act.name, traceArgs);
    }
    room = unused + muted(room + (unconditional ? "" : "  return true;\n"));
    cpp += "void " + q(C, "in_" + ac.id) + "(" + params + ") {\n" + body + "}\n\n";
    cpp += "bool " + q(C, "room_" + ac.id) + "(" + params + ") const {\n" + room + "}\n\n";
  }

  // enabled_ (first choice) and choices_ (all) share the nesting from the plan
  std::string planCode(const FlatTransition& t, size_t ti, const Plan& plan, const ActionCode& ac, bool all) {
    ExprGen g = gen();
    std::string code;
    std::vector<std::string> closes;
    std::vector<std::string> local(t.params.size());
    auto ind = [&]() { return std::string(2 + 2 * closes.size(), ' '); };
    code += specMark(sh, t, ind());
    for (const PlanStep& st : plan.steps) {
      switch (st.kind) {
        case PlanStep::Check:
          code += ind() + "if (" + bare(g.expr(st.e)) + ") {\n";
          closes.push_back("}");
          break;
        case PlanStep::CheckEq:
          code += ind() + "if (" + local[st.param] + " == " + g.expr(st.e) + ") {\n";
          closes.push_back("}");
          break;
        case PlanStep::Assign: {
          const Var* p = t.params[st.param];
          Sort ps = sh.types.resolve(p->sort);
          Sort vs = sh.types.resolve(st.e->sort);
          std::string n = g.localFor(p);
          local[st.param] = n;
          std::string val = g.expr(st.e);
          bool natNarrow = ps->kind == SortKind::Nat && !(vs->kind == SortKind::Nat ||
                                                           (vs->kind == SortKind::Range && vs->lo >= 0));
          bool rangeNarrow = ps->kind == SortKind::Range &&
                             !(vs->kind == SortKind::Range && vs->lo >= ps->lo && vs->hi <= ps->hi);
          if (natNarrow || rangeNarrow) {
            std::string test = natNarrow ? n + "_raw >= 0"
                                         : n + "_raw >= INT64_C(" + std::to_string(ps->lo) + ") && " + n +
                                               "_raw <= INT64_C(" + std::to_string(ps->hi) + ")";
            code += ind() + "const int64_t " + n + "_raw = " + val + ";\n";
            code += ind() + "if (" + test + ") {\n";
            closes.push_back("}");
            code += ind() + "const int64_t " + n + " = " + n + "_raw;\n";
          } else {
            code += ind() + "const " + ac.types[st.param] + " " + n + " = " + val + ";\n";
          }
          break;
        }
        case PlanStep::Loop: {
          std::string o, c, why;
          const Var* p = t.params[st.param];
          if (!g.loopFor(p, plan.conjs, st.unbound, o, c, why)) {
            sh.diags.error(t.range, "cannot enumerate parameter '" + p->name + "': " + why);
            return "";
          }
          local[st.param] = g.vars[p];
          code += ind() + o + "\n";
          closes.push_back(c);
          break;
        }
      }
    }
    std::string target = all ? "out[n]" : "a";
    if (all) code += ind() + "if (n == max) return n;\n";
    code += ind() + target + ".which = " + std::to_string(ti) + ";\n";
    for (size_t k = 0; k < t.params.size(); ++k) code += ind() + target + "." + ac.members[k] + " = " + local[k] + ";\n";
    code += ind() + (all ? "++n;\n" : "return true;\n");
    while (!closes.empty()) {
      std::string c = closes.back();
      closes.pop_back();
      code += ind() + c + "\n";
    }
    return code;
  }

  void emitLocal(ActionCode& ac) {
    const std::string& C = out.cls;
    const FlatAction& act = a.actions[ac.index];
    std::string A = ac.id + "_args";
    h += "  // " + std::string(actionKindName(act.kind)) + " " + act.name + "\n";
    h += "  struct " + A + " {\n    uint8_t which = 0;  // the transition that enables it\n";
    for (size_t k = 0; k < ac.members.size(); ++k) h += "    " + ac.types[k] + " " + ac.members[k] + "{};\n";
    h += "  };\n";
    h += "  bool enabled_" + ac.id + "(" + A + "& a) const;\n";
    h += "  uint32_t choices_" + ac.id + "(" + A + "* out, uint32_t max) const;\n";
    h += "  bool room_" + ac.id + "(const " + A + "& a) const;\n";
    h += "  void fire_" + ac.id + "(const " + A + "& a);  // a from enabled_/choices_\n";
    h += "  static void tw_args(rt::TraceOut& o, const " + A + "& a);\n";
    std::string en = "  (void)a;\n", ch = "  uint32_t n = 0;\n  (void)out;\n  (void)max;\n";
    std::string room = "  switch (a.which) {\n";
    std::string fire = "  switch (a.which) {\n";
    for (size_t ti = 0; ti < a.transitions.size(); ++ti) {
      const FlatTransition& t = a.transitions[ti];
      if (t.action != ac.index) continue;
      Plan plan = planFor(sh, a, t);
      if (!plan.ok || plan.never) continue;
      en += planCode(t, ti, plan, ac, false);
      ch += planCode(t, ti, plan, ac, true);
      ExprGen g = gen();
      for (size_t k = 0; k < t.params.size(); ++k) g.vars[t.params[k]] = "a." + ac.members[k];
      fire += "    case " + std::to_string(ti) + ": {\n" + specMark(sh, t, "      ") + g.block(t.eff, 6) +
              "      break;\n    }\n";
      ExprGen rg = gen();
      for (size_t k = 0; k < t.params.size(); ++k) rg.vars[t.params[k]] = "a." + ac.members[k];
      room += "    case " + std::to_string(ti) + ": {\n" + roomChecks(rg, t.eff, 6) + "      break;\n    }\n";
    }
    en += "  return false;\n";
    ch += "  return n;\n";
    room += "    default: break;\n  }\n  return true;\n";
    room = muted(room);
    fire += "    default: break;\n  }\n";
    std::vector<std::string> traceArgs;
    for (const std::string& m : ac.members) traceArgs.push_back("a." + m);
    traceStep(fire, "  ", act.name, traceArgs);
    cpp += "bool " + q(C, "enabled_" + ac.id) + "(" + A + "& a) const {\n" + en + "}\n\n";
    cpp += "uint32_t " + q(C, "choices_" + ac.id) + "(" + A + "* out, uint32_t max) const {\n" + ch + "}\n\n";
    cpp += "bool " + q(C, "room_" + ac.id) + "(const " + A + "& a) const {\n" + room + "}\n\n";
    cpp += "void " + q(C, "fire_" + ac.id) + "(const " + A + "& a) {\n" + fire + "}\n\n";
    std::string tws = "  (void)o;\n  (void)a;\n";
    for (const std::string& m : ac.members) tws += "  tw(o, a." + m + ");\n";
    cpp += "void " + q(C, "tw_args") + "(rt::TraceOut& o, const " + A + "& a) {\n" + tws + "}\n\n";
  }

  void emitScheduler(const std::vector<ActionCode*>& locals) {
    const std::string& C = out.cls;
    h += "\n  // seeded scheduler over the locally controlled actions\n";
    h += "  enum class Action : uint8_t {";
    for (size_t k = 0; k < locals.size(); ++k) h += (k ? ", " : " ") + locals[k]->id;
    if (locals.empty()) h += " none";
    h += " };\n  struct Choice {\n    Action action{};\n";
    for (ActionCode* ac : locals) h += "    " + ac->id + "_args a_" + ac->id + ";\n";
    h += "  };\n";
    h += "  bool step(rt::Rng& rng);    // fires one enabled choice (uniformly at random); false if none\n";
    h += "  void fire(const Choice& c);\n";
    std::string st = "  Choice pick{};\n  uint64_t seen = 0;\n";
    if (locals.empty()) st = "  (void)rng;\n  return false;\n";
    for (ActionCode* ac : locals) {
      st += "  {\n    " + ac->id + "_args buf[kChoiceBuf];\n    uint32_t n = choices_" + ac->id +
            "(buf, kChoiceBuf);\n    for (uint32_t i = 0; i < n; ++i) {\n      if (!room_" + ac->id +
            "(buf[i])) continue;\n      if (rng.below(++seen) == 0) {\n        pick.action = Action::" + ac->id +
            ";\n        pick.a_" + ac->id + " = buf[i];\n      }\n    }\n  }\n";
    }
    if (!locals.empty()) st += "  if (seen == 0) return false;\n  fire(pick);\n  return true;\n";
    cpp += "bool " + q(C, "step") + "(rt::Rng& rng) {\n" + st + "}\n\n";
    std::string fr = "  switch (c.action) {\n";
    for (ActionCode* ac : locals)
      fr += "    case Action::" + ac->id + ": fire_" + ac->id + "(c.a_" + ac->id + "); break;\n";
    if (locals.empty()) fr += "    default: break;\n";
    fr += "  }\n";
    cpp += "void " + q(C, "fire") + "(const Choice& c) {\n" + fr + "}\n\n";
  }

  bool layerAction(const char* name, ActionKind kind, const ActionCode*& out_) {
    out_ = out.find(name);
    if (!out_ || out_->kind != kind || out_->sorts.size() != 1 || sh.types.resolve(out_->sorts[0])->kind != SortKind::Msg) {
      sh.diags.error(a.range, "layer " + a.name + " needs " + actionKindName(kind) + " " + name +
                                  "(m: Msg) to take part in a stack");
      return false;
    }
    return true;
  }

  void emitLayer() {
    const std::string& C = out.cls;
    const ActionCode *dn, *up, *dnOut, *upOut;
    // Every missing action is reported, so no short-circuit.
    const bool hasDn = layerAction("dn", ActionKind::Input, dn), hasUp = layerAction("up", ActionKind::Input, up);
    const bool hasDnOut = layerAction("dn_out", ActionKind::Output, dnOut);
    const bool hasUpOut = layerAction("up_out", ActionKind::Output, upOut);
    bool ok = hasDn && hasUp && hasDnOut && hasUpOut;
    for (const ActionCode& ac : out.actions)
      if (ac.kind == ActionKind::Output && ac.name != "dn_out" && ac.name != "up_out") {
        sh.diags.error(a.actions[ac.index].range, "layer " + a.name + " has output '" + ac.name +
                                                      "'; a layer's outputs are dn_out and up_out");
        ok = false;
      }
    if (!ok) return;
    if (a.headerSort) {
      std::string hn = sh.types.header(a.headerSort, a.range);
      h += "\n  using Header = " + sh.types.storage(a.headerSort, a.range) + ";  // this layer's header, tag kTag_" +
           hn + "\n";
    }
    h += "\n  // generic layer interface (ioa/rt/layer.h)\n";
    h += "  void handle(const rt::Event& ev);\n  bool room(const rt::Event& ev) const;\n";
    h += "  bool room_from_above(const rt::Msg& m) const { return room_" + dn->id + "(m); }  // room(Dn, m) without an Event\n";
    h += "  bool peek(rt::Dir d, rt::Event& ev) const;\n  void fire(const rt::Event& ev);\n  int tick();\n";
    h += "  // common-case predicates (the optimizer composes them into the stack's CCP)\n";
    h += "  bool fastpath_dn(const rt::Msg& m) const;\n  bool fastpath_up(const rt::Msg& m) const;\n";
    cpp += "void " + q(C, "handle") + "(const rt::Event& ev) {\n  switch (ev.dir) {\n    case rt::Dir::Dn: in_" + dn->id +
           "(ev.msg); break;\n    case rt::Dir::Up: in_" + up->id + "(ev.msg); break;\n  }\n}\n\n";
    cpp += "bool " + q(C, "room") + "(const rt::Event& ev) const {\n  return ev.dir == rt::Dir::Dn ? room_" + dn->id +
           "(ev.msg) : room_" + up->id + "(ev.msg);\n}\n\n";
    std::string pk = "  ev.dir = d;\n";
    pk += "  if (d == rt::Dir::Dn) {\n    " + dnOut->id + "_args a;\n    if (!enabled_" + dnOut->id + "(a) || !room_" +
          dnOut->id + "(a)) return false;\n    ev.which = a.which;\n    ev.msg = std::move(a." + dnOut->members[0] +
          ");\n    return true;\n  }\n";
    pk += "  " + upOut->id + "_args a;\n  if (!enabled_" + upOut->id + "(a) || !room_" + upOut->id +
          "(a)) return false;\n  ev.which = a.which;\n  ev.msg = std::move(a." + upOut->members[0] +
          ");\n  return true;\n";
    cpp += "bool " + q(C, "peek") + "(rt::Dir d, rt::Event& ev) const {\n" + pk + "}\n\n";
    std::string fr = "  if (ev.dir == rt::Dir::Dn) {\n    " + dnOut->id + "_args a;\n    a.which = ev.which;\n    a." +
                     dnOut->members[0] + " = ev.msg;\n    fire_" + dnOut->id + "(a);\n    return;\n  }\n";
    fr += "  " + upOut->id + "_args a;\n  a.which = ev.which;\n  a." + upOut->members[0] + " = ev.msg;\n  fire_" +
          upOut->id + "(a);\n";
    cpp += "void " + q(C, "fire") + "(const rt::Event& ev) {\n" + fr + "}\n\n";
    std::string tk;
    int k = 0;
    for (const ActionCode& ac : out.actions) {
      if (ac.kind != ActionKind::Internal) continue;
      tk += "  {\n    " + ac.id + "_args a;\n    if (enabled_" + ac.id + "(a) && room_" + ac.id + "(a)) {\n      fire_" +
            ac.id + "(a);\n      return " + std::to_string(k) + ";\n    }\n  }\n";
      ++k;
    }
    cpp += "int " + q(C, "tick") + "() {\n" + tk + "  return -1;\n}\n\n";
    for (int d = 0; d < 2; ++d) {
      const Expr* fp = d == 0 ? a.fastpathDn : a.fastpathUp;
      std::string body;
      if (fp && a.fastpathMsg) {
        ExprGen g = gen();
        g.vars[a.fastpathMsg] = "m";
        // (the mark leads the optimizer's errors about a clause back to the spec)
        body = specMark(sh, fp->range, d == 0 ? "fastpath dn" : "fastpath up", "  ") + "  (void)m;\n  return " +
               g.expr(fp) + ";\n";
      } else {
        body = "  (void)m;\n  return false;  // no fastpath clause: never the common case\n";
      }
      cpp += "bool " + q(C, d == 0 ? "fastpath_dn" : "fastpath_up") + "(const rt::Msg& m) const {\n" + body + "}\n\n";
    }
  }

  void run() {
    const std::string& C = out.cls;
    out.automaton = &a;
    out.isLayer = a.isLayer;
    // actions
    UniqueNames ids;
    for (size_t i = 0; i < a.actions.size(); ++i) {
      const FlatAction& act = a.actions[i];
      ActionCode ac;
      ac.index = static_cast<int>(i);
      ac.name = act.name;
      ac.id = ids.take(ident(act.name));
      ac.kind = act.kind;
      UniqueNames members;
      members.take("which");
      for (size_t k = 0; k < act.params.size(); ++k) {
        std::string pn = k < act.paramNames.size() && !act.paramNames[k].empty() ? act.paramNames[k]
                                                                                  : "p" + std::to_string(k);
        ac.members.push_back(members.take(ident(pn)));
        ac.types.push_back(sh.types.value(act.params[k], act.range));
        ac.sorts.push_back(act.params[k]);
      }
      out.actions.push_back(ac);
    }
    h += "class " + C + " {\n public:\n";
    emitState();
    emitSetup();
    h += "\n";
    std::vector<ActionCode*> locals;
    for (ActionCode& ac : out.actions) {
      if (ac.kind == ActionKind::Input) {
        emitInput(ac);
      } else {
        emitLocal(ac);
        locals.push_back(&ac);
      }
    }
    emitScheduler(locals);
    if (a.isLayer) emitLayer();
    h += "\n private:\n  rt::TraceOut* trace_ = nullptr;\n};\n";
  }
};

}  // namespace

std::string specMark(const Shared& sh, SourceRange range, const std::string& label, const std::string& indent) {
  if (!sh.sources || !range.valid()) return indent + "// " + label + "\n";
  std::string file = sh.sources->file(range.file).path();
  if (size_t slash = file.rfind('/'); slash != std::string::npos) file = file.substr(slash + 1);
  LineCol lc = sh.sources->lineCol(range);
  return indent + "// spec " + file + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.col) + ": " + label + "\n";
}

std::string specMark(const Shared& sh, const FlatTransition& t, const std::string& indent) {
  return specMark(sh, t.range, t.label, indent);
}

ClassCode emitAutomaton(Shared& sh, const FlatAutomaton& a, const std::string& cls) {
  ClassCode out;
  out.cls = cls;
  out.header = sh.base + "_" + cls + ".h";
  out.source = sh.base + "_" + cls + ".cpp";
  Emitter e(sh, a, out);
  e.run();
  out.headerText = e.h;
  out.sourceText = e.cpp;
  return out;
}

}  // namespace ioa::codegen::detail
