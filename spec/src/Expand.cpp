// Expansion of automata into flat automata: instantiation of parameters,
// composition (with component arrays, renaming and hiding) and stacks.
#include "CheckerImpl.h"
#include "ioa/spec/Printer.h"

namespace ioa {

FlatAutomaton* Checker::genericOf(const AutomatonDecl* d) {
  auto it = generics_.find(d);
  if (it != generics_.end()) return it->second;
  if (expanding_.count(d)) {
    diags_.error(d->nameRange, "automaton '" + d->name + "' contains itself as a component");
    return nullptr;
  }
  expanding_.insert(d);
  FlatAutomaton* f = d->isComposite() ? composeDecl(d) : buildPrimitive(d);
  expanding_.erase(d);
  generics_[d] = f;
  return f;
}

FlatAutomaton* Checker::buildPrimitive(const AutomatonDecl* d) {
  FlatAutomaton* f = model_->newAutomaton();
  f->name = f->declName = d->name;
  f->decl = d;
  f->isLayer = d->isLayer;
  f->range = d->nameRange;
  for (const Param& p : d->params)
    if (!p.isType && p.var) f->params.push_back(p.var);
  for (const StateVarDecl& v : d->states) {
    if (!v.var) continue;
    f->state.push_back(v.var);
    f->init.push_back(v.init);
  }
  f->initially = d->initially;
  for (const ActionDecl& a : d->signature) {
    FlatAction fa;
    fa.name = a.name;
    fa.kind = a.kind;
    fa.range = a.range;
    for (size_t k = 0; k < a.params.size(); ++k) {
      const Param& p = a.params[k];
      fa.params.push_back(p.var ? p.var->sort : model_->sorts.error());
      fa.paramNames.push_back(p.name.empty() ? "p" + std::to_string(k + 1) : p.name);
    }
    f->actions.push_back(fa);
  }
  // Locally controlled actions: one flat transition per definition (a nondeterministic choice
  // among the enabled ones).
  for (const TransitionDecl& t : d->transitions) {
    if (t.actionIndex < 0 || t.kind == ActionKind::Input) continue;
    const ActionDecl& a = d->signature[t.actionIndex];
    if (t.args.size() != a.params.size()) continue;
    FlatTransition ft;
    ft.action = t.actionIndex;
    ft.range = t.headerRange;
    ft.label = std::string(actionKindName(t.kind)) + " " + t.action;
    Subst sigSubst;
    for (size_t k = 0; k < t.args.size(); ++k) {
      Var* pv = k < t.argVars.size() ? t.argVars[k] : nullptr;
      if (!pv) {
        pv = model_->newVar(f->actions[t.actionIndex].paramNames[k],
                            a.params[k].var ? a.params[k].var->sort : model_->sorts.error(), VarKind::ActionParam,
                            t.args[k]->range);
        ft.bindings.push_back({static_cast<int>(k), t.args[k]});
      }
      ft.params.push_back(pv);
      if (a.params[k].var) sigSubst.vars[a.params[k].var] = build_.var(pv);
    }
    for (size_t k = 0; k < a.params.size(); ++k) {
      if (!a.params[k].constTerm) continue;
      // the transition may already pin this parameter to the same automaton parameter
      bool same = false;
      for (const ParamBinding& b : ft.bindings)
        same = same || (b.param == static_cast<int>(k) && b.value->op == Op::Var &&
                        a.params[k].constTerm->op == Op::Var && b.value->var == a.params[k].constTerm->var);
      if (!same) ft.bindings.push_back({static_cast<int>(k), a.params[k].constTerm});
    }
    Expr* sigWhere = nullptr;
    if (a.where) {
      Cloner cl(*model_, sigSubst);
      sigWhere = cl.expr(a.where);
    }
    ft.guard = (t.where || sigWhere) ? build_.andE(sigWhere, t.where) : nullptr;
    ft.pre = t.pre;
    ft.eff = t.eff;
    ft.ensuring = t.ensuring;
    f->transitions.push_back(ft);
  }
  // Inputs are always enabled: all definitions of an input become one flat transition whose
  // effect runs the first definition whose patterns and `where` hold (none: a no-op). Only the
  // signature (its `const` parameters and `where`) restricts the action itself.
  for (size_t ai = 0; ai < d->signature.size(); ++ai) {
    const ActionDecl& a = d->signature[ai];
    if (a.kind != ActionKind::Input) continue;
    std::vector<const TransitionDecl*> defs;
    for (const TransitionDecl& t : d->transitions)
      if (t.actionIndex == static_cast<int>(ai) && t.args.size() == a.params.size()) defs.push_back(&t);
    if (defs.empty()) continue;
    FlatTransition ft;
    ft.action = static_cast<int>(ai);
    ft.range = defs[0]->headerRange;
    ft.label = "input " + a.name;
    Subst sigSubst;
    for (size_t k = 0; k < a.params.size(); ++k) {
      Var* pv = model_->newVar(f->actions[ai].paramNames[k],
                               a.params[k].var ? a.params[k].var->sort : model_->sorts.error(), VarKind::ActionParam,
                               a.params[k].range);
      ft.params.push_back(pv);
      if (a.params[k].var) sigSubst.vars[a.params[k].var] = build_.var(pv);
      if (a.params[k].constTerm) ft.bindings.push_back({static_cast<int>(k), a.params[k].constTerm});
    }
    if (a.where) {
      Cloner cl(*model_, sigSubst);
      ft.guard = cl.expr(a.where);
    }
    std::vector<Expr*> conds, ensures;
    std::vector<Block> bodies;
    for (const TransitionDecl* t : defs) {
      Subst sub;
      for (size_t k = 0; k < t->args.size(); ++k)
        if (k < t->argVars.size() && t->argVars[k]) sub.vars[t->argVars[k]] = build_.var(ft.params[k]);
      Cloner cl(*model_, sub);
      std::vector<Expr*> cs;
      for (size_t k = 0; k < t->args.size(); ++k) {
        if (k < t->argVars.size() && t->argVars[k]) continue;
        const Expr* pat = t->args[k];
        const Expr* fixed = a.params[k].constTerm;
        if (fixed && pat->op == Op::Var && fixed->op == Op::Var && pat->var == fixed->var) continue;  // the signature says so
        cs.push_back(build_.eq(build_.var(ft.params[k]), cl.expr(pat)));
      }
      if (t->where) cs.push_back(cl.expr(t->where));
      Expr* cond = build_.andE(cs);
      conds.push_back(cond);
      bodies.push_back(cl.block(t->eff));
      if (t->ensuring) ensures.push_back(build_.implies(cond, cl.expr(t->ensuring)));
    }
    if (bodies.size() == 1 && conds[0]->op == Op::BoolConst && conds[0]->boolValue) {
      ft.eff = bodies[0];
    } else {
      Stmt* ifs = model_->arena().stmt();
      ifs->kind = StmtKind::If;
      ifs->range = defs[0]->range;
      ifs->conds = conds;
      ifs->branches = bodies;
      ft.eff = {ifs};
    }
    ft.ensuring = ensures.empty() ? nullptr : build_.andE(ensures);
    f->transitions.push_back(ft);
  }
  if (d->isLayer) {
    f->headerSort = d->headerSort;
    auto m = fastpathVars_.find(d);
    f->fastpathMsg = m == fastpathVars_.end() ? nullptr : m->second;
    for (const FastpathDecl& fp : d->fastpaths) (fp.path == "dn" ? f->fastpathDn : f->fastpathUp) = fp.pred;
  }
  return f;
}

FlatAutomaton* Checker::cloneFlat(const FlatAutomaton* g, Subst s, const std::string& display) {
  FlatAutomaton* out = model_->newAutomaton();
  out->name = display;
  out->declName = g->declName;
  out->decl = g->decl;
  out->stackDecl = g->stackDecl;
  out->isLayer = g->isLayer;
  out->range = g->range;
  auto sortOf = [&](Sort x) { return s.sorts.empty() ? x : substituteSort(model_->sorts, x, s.sorts); };
  for (Var* p : g->params)
    if (!s.vars.count(p)) out->params.push_back(p);
  for (Var* v : g->state) {
    Var* nv = model_->newVar(v->name, sortOf(v->sort), VarKind::State, v->range);
    s.vars[v] = build_.var(nv);
    out->state.push_back(nv);
  }
  Cloner cl(*model_, s);
  for (Expr* e : g->init) out->init.push_back(cl.expr(e));
  out->initially = cl.expr(g->initially);
  for (const FlatAction& a : g->actions) {
    FlatAction na = a;
    for (Sort& ps : na.params) ps = sortOf(ps);
    out->actions.push_back(na);
  }
  for (const FlatTransition& t : g->transitions) {
    FlatTransition nt = t;
    nt.params.clear();
    for (Var* p : t.params) nt.params.push_back(cl.renewBound(p));
    for (ParamBinding& b : nt.bindings) b.value = cl.expr(b.value);
    nt.guard = cl.expr(t.guard);
    nt.pre = cl.expr(t.pre);
    nt.eff = cl.block(t.eff);
    nt.ensuring = cl.expr(t.ensuring);
    out->transitions.push_back(nt);
  }
  out->components = g->components;
  for (FlatComponent& c : out->components)
    for (Sort& is : c.indexSorts) is = sortOf(is);
  out->headerSort = g->headerSort ? sortOf(g->headerSort) : nullptr;
  if (g->fastpathMsg) {
    out->fastpathMsg = cl.renewBound(g->fastpathMsg);
    out->fastpathDn = cl.expr(g->fastpathDn);
    out->fastpathUp = cl.expr(g->fastpathUp);
  }
  return out;
}

namespace {
// A term over free constants and literals only (no state, parameter or other variable): each
// mention of it means the same value. `invariant I of A(CAP)` and `forward simulation from A(CAP)`
// made two instances of A(CAP) (only literal arguments were recognised as the same), so the
// simulation's steps did not assume the invariant, and a correct spec was refuted by a state
// that breaks it (a new user's, 2026-12-04).
bool closedTerm(const Expr* a) {
  bool closed = true;
  forEachExpr(a, [&](const Expr* x) {
    if (x->var && x->var->kind != VarKind::Const && x->var->kind != VarKind::Bound) closed = false;
    if (x->kind == ExprKind::Choose || x->kind == ExprKind::Error) closed = false;
  });
  return closed;
}
}  // namespace

const FlatAutomaton* Checker::instantiate(const AutomatonDecl* d, const std::vector<Expr*>& args,
                                          const std::vector<std::string>& argNames, SourceRange at,
                                          const std::string& displayName) {
  FlatAutomaton* g = genericOf(d);
  if (!g) return nullptr;
  if (args.empty()) return g;  // the generic form: parameters stay free
  bool named = !argNames.empty() && !argNames[0].empty();
  std::vector<Expr*> byParam(d->params.size(), nullptr);
  if (named) {
    for (size_t i = 0; i < args.size(); ++i) {
      int idx = -1;
      for (size_t k = 0; k < d->params.size(); ++k)
        if (d->params[k].name == (i < argNames.size() ? argNames[i] : "")) idx = static_cast<int>(k);
      if (idx < 0) {
        diags_.error(args[i]->range, "'" + d->name + "' has no parameter named '" +
                                         (i < argNames.size() ? argNames[i] : std::string()) + "'");
        return nullptr;
      }
      byParam[idx] = args[i];
    }
  } else {
    if (args.size() != d->params.size()) {
      diags_.error(at, "'" + d->name + "' takes " + std::to_string(d->params.size()) + " argument(s), found " +
                           std::to_string(args.size()));
      return nullptr;
    }
    byParam = args;
  }
  Subst s;
  std::string key = d->name + "(";
  bool cacheable = true;
  for (size_t k = 0; k < d->params.size(); ++k) {
    const Param& p = d->params[k];
    Expr* a = byParam[k];
    if (!a) {
      diags_.error(at, "missing argument for parameter '" + p.name + "' of '" + d->name + "'");
      return nullptr;
    }
    if (p.isType) {
      Sort as = sortFromTerm(a);
      if (isError(as)) return nullptr;
      s.sorts[p.typeSort] = as;
      key += sortName(as) + ",";
    } else {
      Sort ps = p.var ? p.var->sort : model_->sorts.error();
      // type arguments first so that value parameters of a type-parameter sort are substituted
      Sort want = substituteSort(model_->sorts, ps, s.sorts);
      Sort as = check(a, want);
      if (!isError(as) && !isError(want) && !sortCompatible(want, as)) {
        diags_.error(a->range, "argument for '" + p.name + "' must have sort " + sortName(want) + ", found " +
                                   sortName(as));
        return nullptr;
      }
      if (p.var) s.vars[p.var] = a;
      auto v = evalConstInt(a);
      if (v) key += std::to_string(*v) + ",";
      else if (a->op == Op::BoolConst) key += a->boolValue ? "true," : "false,";
      else if (a->op == Op::EnumConst) key += std::string(diags_.sources().textOf(a->range)) + ",";
      else if (closedTerm(a)) key += "{" + exprToString(a) + "},";  // `A(CAP)` with a free constant CAP
      else cacheable = false;
    }
  }
  key += ")";
  if (cacheable) {
    auto it = instances_.find(key);
    if (it != instances_.end()) return it->second;
  }
  FlatAutomaton* f = cloneFlat(g, s, displayName);
  if (cacheable) instances_[key] = f;
  for (size_t k = 0; k < g->state.size() && k < f->state.size(); ++k) s.vars[g->state[k]] = build_.var(f->state[k]);
  clones_.push_back({g, f, std::move(s)});
  return f;
}

void Checker::inheritInvariants() {
  size_t declared = model_->invariants.size();
  for (const Clone& c : clones_)
    for (size_t k = 0; k < declared; ++k) {
      const Invariant& inv = model_->invariants[k];
      if (inv.automaton != c.generic || !inv.pred) continue;
      Invariant copy = inv;
      copy.automaton = c.instance;
      copy.pred = Cloner(*model_, c.subst).expr(inv.pred);
      copy.inherited = true;
      model_->invariants.push_back(copy);
    }
}

FlatAutomaton* Checker::composeDecl(const AutomatonDecl* d) {
  auto savedScopes = scopes_;
  auto savedTP = typeParams_;
  scopes_.clear();
  typeParams_.clear();
  pushScope();
  FlatAutomaton* out = model_->newAutomaton();
  out->name = out->declName = d->name;
  out->decl = d;
  out->range = d->nameRange;
  for (const Param& pc : d->params) {
    Param& p = const_cast<Param&>(pc);
    if (p.isType) {
      p.typeSort = model_->sorts.param(p.name, d);
      typeParams_[p.name] = p.typeSort;
    }
  }
  for (const Param& pc : d->params) {
    Param& p = const_cast<Param&>(pc);
    if (p.isType) continue;
    p.var = declareLocal(p.name, resolveSort(p.sort), VarKind::AutParam, p.range);
    out->params.push_back(p.var);
  }
  if (d->hasSignature || d->hasStates || d->hasTransitions)
    diags_.error(d->nameRange, "composition '" + d->name +
                                   "' may not declare a signature, states or transitions: they come from its components");
  std::vector<Child> children;
  std::map<std::string, SourceRange> names;
  for (const ComponentDecl& c : d->components) {
    if (names.count(c.name)) {
      Diagnostic& dg = diags_.error(c.range, "duplicate component name '" + c.name + "'");
      dg.notes.push_back({names[c.name], "previous component here"});
      continue;
    }
    names[c.name] = c.range;
    auto g = globals_.find(c.automaton);
    if (g == globals_.end() || (g->second.kind != GlobalSym::Automaton && g->second.kind != GlobalSym::Stack)) {
      diags_.error(c.automatonRange,
                   g == globals_.end()
                       ? "unknown automaton '" + c.automaton + "'" +
                             globalHint(c.automaton, {GlobalSym::Automaton, GlobalSym::Stack})
                       : "'" + c.automaton + "' is not an automaton");
      continue;
    }
    Child ch;
    ch.name = c.name;
    ch.range = c.range;
    pushScope();
    for (const Binder& bc : c.indices) {
      Binder& b = const_cast<Binder&>(bc);
      Sort is = b.sort ? resolveSort(b.sort) : model_->sorts.error();
      b.var = declareLocal(b.name, is, VarKind::Bound, b.range);
      ch.indexVars.push_back(b.var);
    }
    if (g->second.kind == GlobalSym::Stack) {
      const Stack* st = model_->findStack(c.automaton);
      if (!st) {
        // stacks are expanded on first use
        ch.flat = expandStack(static_cast<const StackDecl*>(g->second.decl));
      } else {
        ch.flat = st->automaton;
      }
      if (!c.args.empty()) diags_.error(c.automatonRange, "a stack takes no arguments");
    } else {
      auto* cd = static_cast<const AutomatonDecl*>(g->second.decl);
      if (c.args.empty() && !cd->params.empty())
        diags_.error(c.automatonRange, "component '" + c.name + "': automaton '" + cd->name + "' takes " +
                                           std::to_string(cd->params.size()) + " argument(s)");
      ch.flat = instantiate(cd, c.args, {}, c.automatonRange,
                            std::string(diags_.sources().textOf(c.automatonRange)));
    }
    popScope();
    if (!ch.flat) continue;
    for (const Renaming& r : c.renamings) {
      if (ch.flat->findAction(r.from) < 0)
        diags_.error(r.range, "component '" + c.name + "' (" + ch.flat->name + ") has no action '" + r.from + "' to rename");
      ch.renamings[r.from] = r.to;
    }
    children.push_back(ch);
  }
  compose(out, children, d->hidden);
  popScope();
  scopes_ = savedScopes;
  typeParams_ = savedTP;
  return out;
}

static std::string paramList(const std::vector<Sort>& ps) {
  std::string s = "(";
  for (size_t i = 0; i < ps.size(); ++i) s += (i ? ", " : "") + sortName(ps[i]);
  return s + ")";
}

void Checker::compose(FlatAutomaton* out, std::vector<Child>& children, const std::vector<ActionRef>& hidden) {
  SortTable& st = model_->sorts;
  // ---- state: component variables, lifted to arrays for component arrays
  std::vector<std::map<const Var*, Var*>> lifted(children.size());
  for (size_t ci = 0; ci < children.size(); ++ci) {
    Child& c = children[ci];
    FlatComponent comp;
    comp.name = c.name;
    comp.automaton = c.flat;
    comp.range = c.range;
    for (Var* iv : c.indexVars) comp.indexSorts.push_back(iv->sort);
    for (Var* v : c.flat->state) {
      Sort ls = v->sort;
      for (auto it = c.indexVars.rbegin(); it != c.indexVars.rend(); ++it) ls = st.array((*it)->sort, ls);
      Var* nv = model_->newVar(c.name + "." + v->name, ls, VarKind::State, v->range);
      lifted[ci][v] = nv;
      comp.stateVars.push_back(static_cast<int>(out->state.size()));
      out->state.push_back(nv);
    }
    out->components.push_back(comp);
  }
  // Substitution for a component's terms, given the values of its indices.
  auto substFor = [&](size_t ci, const std::vector<Expr*>& idx) {
    Subst s;
    const Child& c = children[ci];
    for (size_t k = 0; k < c.indexVars.size(); ++k) s.vars[c.indexVars[k]] = idx[k];
    for (auto& [v, nv] : lifted[ci]) {
      Expr* e = build_.var(nv);
      for (Expr* i : idx) e = build_.select(e, i);
      s.vars[v] = e;
    }
    return s;
  };
  // ---- initial states
  std::vector<Expr*> initially;
  for (size_t ci = 0; ci < children.size(); ++ci) {
    const Child& c = children[ci];
    std::vector<Var*> fresh;
    std::vector<Expr*> idx;
    for (Var* iv : c.indexVars) {
      Var* fv = model_->newVar(iv->name, iv->sort, VarKind::Bound, iv->range);
      fresh.push_back(fv);
      idx.push_back(build_.var(fv));
    }
    Subst s = substFor(ci, idx);
    for (size_t vi = 0; vi < c.flat->state.size(); ++vi) {
      Var* nv = lifted[ci][c.flat->state[vi]];
      Expr* init = c.flat->init[vi];
      if (!init) {
        out->init.push_back(nullptr);
        continue;
      }
      if (c.indexVars.empty()) {
        Cloner cl(*model_, s);
        out->init.push_back(cl.expr(init));
        continue;
      }
      if (init->op == Op::Choose) {
        // \A i (P[x := C.x[i]])
        Subst cs = s;
        Expr* elem = build_.var(nv);
        for (Expr* i : idx) elem = build_.select(elem, i);
        cs.vars[init->binders[0].var] = elem;
        Cloner cl(*model_, cs);
        if (!init->args.empty()) initially.push_back(build_.quant(true, fresh, cl.expr(init->args[0])));
        out->init.push_back(nullptr);
        continue;
      }
      Cloner cl(*model_, s);
      Expr* body = cl.expr(init);
      Sort as = c.flat->state[vi]->sort;
      for (size_t k = fresh.size(); k-- > 0;) {
        as = st.array(fresh[k]->sort, as);
        body = build_.lambda(fresh[k], body, as);
      }
      out->init.push_back(body);
    }
    if (c.flat->initially) {
      Cloner cl(*model_, s);
      initially.push_back(build_.quant(true, fresh, cl.expr(c.flat->initially)));
    }
  }
  out->initially = initially.empty() ? nullptr : build_.andE(initially);

  // ---- actions: matched by name (after renaming); internal actions are qualified
  struct Part {
    size_t child;
    int action;
  };
  std::vector<std::vector<Part>> parts;
  std::map<std::string, int> byName;
  std::vector<std::string> ownerOf;  // first output/internal owner per action
  for (size_t ci = 0; ci < children.size(); ++ci) {
    const Child& c = children[ci];
    for (size_t ai = 0; ai < c.flat->actions.size(); ++ai) {
      const FlatAction& a = c.flat->actions[ai];
      auto rn = c.renamings.find(a.name);
      std::string n = rn == c.renamings.end() ? a.name : rn->second;
      if (a.kind == ActionKind::Internal) n = c.name + "." + n;
      auto it = byName.find(n);
      if (it == byName.end()) {
        FlatAction na;
        na.name = n;
        na.kind = a.kind;
        na.params = a.params;
        na.paramNames = a.paramNames;
        na.range = a.range;
        if (a.kind != ActionKind::Internal) na.aliases.push_back(c.name + "." + a.name);
        for (const std::string& al : a.aliases) na.aliases.push_back(c.name + "." + al);
        byName[n] = static_cast<int>(out->actions.size());
        out->actions.push_back(na);
        parts.push_back({{ci, static_cast<int>(ai)}});
        ownerOf.push_back(a.kind == ActionKind::Input ? "" : c.name);
        continue;
      }
      FlatAction& x = out->actions[it->second];
      bool same = x.params.size() == a.params.size();
      for (size_t k = 0; same && k < a.params.size(); ++k) same = x.params[k] == a.params[k];
      if (!same) {
        Diagnostic& dg = diags_.error(c.range, "action '" + n + "' has parameters " + paramList(a.params) + " in " +
                                                   c.name + " but " + paramList(x.params) + " in " +
                                                   children[parts[it->second][0].child].name +
                                                   "; matched actions must agree (rename one of them)");
        dg.notes.push_back({a.range, "declared here in " + c.flat->name});
        dg.notes.push_back({x.range, "and here"});
        continue;
      }
      if (a.kind == ActionKind::Output && x.kind == ActionKind::Output) {
        Diagnostic& dg = diags_.error(c.range, "action '" + n + "' is an output of both " + ownerOf[it->second] +
                                                   " and " + c.name + "; an action has at most one owner");
        dg.notes.push_back({x.range, "output of " + ownerOf[it->second] + " declared here"});
        dg.notes.push_back({a.range, "output of " + c.name + " declared here"});
        continue;
      }
      if (a.kind == ActionKind::Output) {
        x.kind = ActionKind::Output;
        ownerOf[it->second] = c.name;
      }
      x.aliases.push_back(c.name + "." + a.name);
      parts[it->second].push_back({ci, static_cast<int>(ai)});
    }
  }
  // IOA compatibility: an internal action of one component is no action of another.
  for (size_t ci = 0; ci < children.size(); ++ci) {
    const Child& c = children[ci];
    for (const FlatAction& a : c.flat->actions) {
      if (a.kind != ActionKind::Internal) continue;
      auto rn = c.renamings.find(a.name);
      std::string n = rn == c.renamings.end() ? a.name : rn->second;
      auto it = byName.find(n);
      if (it == byName.end()) continue;
      const Part& other = parts[it->second][0];
      if (other.child == ci) continue;
      Diagnostic& dg = diags_.error(c.range, "internal action '" + n + "' of " + c.name + " is also an action of " +
                                                 children[other.child].name + "; internal actions may not be shared");
      dg.notes.push_back({a.range, "internal action declared here"});
      dg.notes.push_back({out->actions[it->second].range, "other action declared here"});
    }
  }
  // ---- hiding
  for (const ActionRef& h : hidden) {
    int ai = out->findAction(h.name);
    if (ai < 0) {
      diags_.error(h.range, "cannot hide '" + h.name + "': no such action in " + out->name);
      continue;
    }
    if (!h.args.empty()) diags_.error(h.range, "hiding selected parameter values is not supported; hide the action");
    FlatAction& a = out->actions[ai];
    if (a.kind == ActionKind::Input) {
      diags_.error(h.range, "cannot hide input action '" + a.name + "': only outputs can be hidden");
      continue;
    }
    a.kind = ActionKind::Internal;
  }
  // ---- transitions
  for (size_t ai = 0; ai < out->actions.size(); ++ai) {
    const FlatAction& act = out->actions[ai];
    std::vector<const Part*> owners, inputs;
    for (const Part& p : parts[ai])
      (children[p.child].flat->actions[p.action].kind == ActionKind::Input ? inputs : owners).push_back(&p);
    auto freshParams = [&]() {
      std::vector<Var*> xs;
      for (size_t k = 0; k < act.params.size(); ++k)
        xs.push_back(model_->newVar(k < act.paramNames.size() ? act.paramNames[k] : "p" + std::to_string(k),
                                    act.params[k], VarKind::ActionParam, act.range));
      return xs;
    };
    struct Bound {
      Subst subst;
      std::vector<Expr*> conds;
      std::vector<ParamBinding> keep;
      std::vector<Var*> loops;
      bool ok = true;
    };
    auto bindChild = [&](const Part& p, const FlatTransition& t, const std::vector<Var*>& xs, bool owner) {
      Bound r;
      const Child& c = children[p.child];
      std::vector<Expr*> idx(c.indexVars.size(), nullptr);
      std::vector<bool> used(t.bindings.size(), false);
      for (size_t bi = 0; bi < t.bindings.size(); ++bi) {
        const ParamBinding& b = t.bindings[bi];
        if (b.value->op != Op::Var) continue;
        for (size_t k = 0; k < c.indexVars.size(); ++k)
          if (b.value->var == c.indexVars[k] && !idx[k]) {
            idx[k] = build_.var(xs[b.param]);
            used[bi] = true;
          }
      }
      for (size_t k = 0; k < idx.size(); ++k) {
        if (idx[k]) continue;
        if (owner) {
          diags_.error(c.range, "cannot tell which " + c.name + "[" + c.indexVars[k]->name + "] performs '" + act.name +
                                    "': give the action a 'const " + c.indexVars[k]->name + "' parameter");
          r.ok = false;
          return r;
        }
        if (!isFiniteDomain(c.indexVars[k]->sort) && !isError(c.indexVars[k]->sort)) {
          diags_.error(c.range, "input '" + act.name + "' reaches every " + c.name + "[" + c.indexVars[k]->name +
                                    "], which needs a finite index sort (found " + sortName(c.indexVars[k]->sort) +
                                    "); or give it a 'const' parameter");
          r.ok = false;
          return r;
        }
        Var* lv = model_->newVar(c.indexVars[k]->name, c.indexVars[k]->sort, VarKind::Bound, c.range);
        r.loops.push_back(lv);
        idx[k] = build_.var(lv);
      }
      r.subst = substFor(p.child, idx);
      for (size_t k = 0; k < t.params.size() && k < xs.size(); ++k) r.subst.vars[t.params[k]] = build_.var(xs[k]);
      Cloner cl(*model_, r.subst);
      for (size_t bi = 0; bi < t.bindings.size(); ++bi) {
        if (used[bi]) continue;
        const ParamBinding& b = t.bindings[bi];
        Expr* v = cl.expr(b.value);
        if (v->op == Op::Var && v->var == xs[b.param]) continue;  // `x = x` after binding an index through it
        if (owner && v->op == Op::Var && (v->var->kind == VarKind::AutParam || v->var->kind == VarKind::Bound))
          r.keep.push_back({b.param, v});
        else
          r.conds.push_back(build_.eq(build_.var(xs[b.param]), v));
      }
      return r;
    };
    auto inputBlock = [&](const Part& p, const std::vector<Var*>& xs, Block& eff, std::vector<Expr*>& ensures,
                          std::vector<std::string>& comps, std::vector<SourceRange>& ranges) {
      const Child& c = children[p.child];
      std::vector<Expr*> conds;
      std::vector<Block> bodies;
      std::vector<Var*> loops;
      bool loopsDiffer = false;
      for (const FlatTransition& t : c.flat->transitions) {
        if (t.action != p.action) continue;
        Bound b = bindChild(p, t, xs, false);
        if (!b.ok) return;
        Cloner cl(*model_, b.subst);
        std::vector<Expr*> cs = b.conds;
        cs.push_back(cl.expr(t.guard));
        conds.push_back(build_.andE(cs));
        bodies.push_back(cl.block(t.eff));
        if (t.ensuring) ensures.push_back(cl.expr(t.ensuring));
        if (!bodies.empty() && bodies.size() > 1 && b.loops.size() != loops.size()) loopsDiffer = true;
        if (!b.loops.empty()) {
          // each transition gets its own loop: sequence them
          Stmt* ifs = model_->arena().stmt();
          ifs->kind = StmtKind::If;
          ifs->conds = {conds.back()};
          ifs->branches = {bodies.back()};
          Block inner = {ifs};
          for (size_t k = b.loops.size(); k-- > 0;) {
            Stmt* f = model_->arena().stmt();
            f->kind = StmtKind::For;
            f->binder.name = b.loops[k]->name;
            f->binder.var = b.loops[k];
            f->body = inner;
            inner = {f};
          }
          for (Stmt* s : inner) eff.push_back(s);
          conds.pop_back();
          bodies.pop_back();
        }
        loops = b.loops;
      }
      (void)loopsDiffer;
      comps.push_back(c.name);
      SourceRange where = c.flat->actions[p.action].range;
      for (const FlatTransition& t : c.flat->transitions)
        if (t.action == p.action) {
          where = t.range;
          break;
        }
      ranges.push_back(where);
      if (bodies.empty()) return;
      if (bodies.size() == 1 && conds[0]->op == Op::BoolConst && conds[0]->boolValue) {
        for (Stmt* s : bodies[0]) eff.push_back(s);
        return;
      }
      Stmt* ifs = model_->arena().stmt();
      ifs->kind = StmtKind::If;
      ifs->conds = conds;
      ifs->branches = bodies;
      eff.push_back(ifs);
    };
    auto label = [&](const std::vector<std::string>& comps) {
      std::string l = act.name + ":";
      for (size_t i = 0; i < comps.size(); ++i) l += (i ? " +" : "") + std::string(" ") + comps[i];
      return l;
    };
    if (owners.empty()) {
      if (inputs.empty()) continue;
      FlatTransition ft;
      ft.action = static_cast<int>(ai);
      ft.params = freshParams();
      std::vector<Expr*> ens;
      for (const Part* p : inputs) inputBlock(*p, ft.params, ft.eff, ens, ft.components, ft.componentRanges);
      ft.ensuring = ens.empty() ? nullptr : build_.andE(ens);
      ft.range = ft.componentRanges.empty() ? children[inputs[0]->child].flat->actions[inputs[0]->action].range
                                            : ft.componentRanges.front();
      ft.label = label(ft.components);
      out->transitions.push_back(ft);
      continue;
    }
    for (const Part* o : owners) {
      const Child& oc = children[o->child];
      for (const FlatTransition& t : oc.flat->transitions) {
        if (t.action != o->action) continue;
        FlatTransition ft;
        ft.action = static_cast<int>(ai);
        ft.params = freshParams();
        Bound b = bindChild(*o, t, ft.params, true);
        if (!b.ok) continue;
        Cloner cl(*model_, b.subst);
        std::vector<Expr*> g = b.conds;
        g.push_back(cl.expr(t.guard));
        Expr* guard = build_.andE(g);
        ft.guard = guard->op == Op::BoolConst && guard->boolValue ? nullptr : guard;
        ft.bindings = b.keep;
        ft.pre = cl.expr(t.pre);
        ft.eff = cl.block(t.eff);
        std::vector<Expr*> ens;
        if (t.ensuring) ens.push_back(cl.expr(t.ensuring));
        ft.components.push_back(oc.name);
        ft.componentRanges.push_back(t.range);
        for (const Part* p : inputs) inputBlock(*p, ft.params, ft.eff, ens, ft.components, ft.componentRanges);
        ft.ensuring = ens.empty() ? nullptr : build_.andE(ens);
        ft.range = t.range;
        ft.label = label(ft.components);
        out->transitions.push_back(ft);
      }
    }
  }
}

const FlatAutomaton* Checker::expandStack(const StackDecl* d) {
  if (const Stack* s = model_->findStack(d->name)) return s->automaton;
  Stack stack;
  stack.name = d->name;
  stack.decl = d;
  std::vector<Child> children;
  std::map<std::string, int> counts;
  bool ok = true;
  auto savedScopes = scopes_;
  scopes_.clear();
  pushScope();
  for (const StackLayerRef& l : d->layers) {
    auto g = globals_.find(l.name);
    if (g == globals_.end() || g->second.kind != GlobalSym::Automaton ||
        !static_cast<const AutomatonDecl*>(g->second.decl)->isLayer) {
      if (g == globals_.end()) {
        std::vector<std::string_view> layers;  // (for "did you mean")
        for (const auto& [name, sym] : globals_)
          if (sym.kind == GlobalSym::Automaton && static_cast<const AutomatonDecl*>(sym.decl)->isLayer)
            layers.push_back(name);
        diags_.error(l.range, "unknown layer '" + l.name + "'" + didYouMean(l.name, layers));
      } else {
        diags_.error(l.range, "'" + l.name + "' is not a layer (declare it with 'layer')");
      }
      ok = false;
      continue;
    }
    auto* ld = static_cast<const AutomatonDecl*>(g->second.decl);
    const FlatAutomaton* f =
        instantiate(ld, l.args, l.argNames, l.range, std::string(diags_.sources().textOf(l.range)));
    if (!f) {
      ok = false;
      continue;
    }
    if (!l.args.empty() || ld->params.empty()) {
      // fine
    } else {
      diags_.error(l.range, "layer '" + l.name + "' needs arguments for its parameters");
      ok = false;
      continue;
    }
    int n = ++counts[l.name];
    Child c;
    c.name = n == 1 ? l.name : l.name + "_" + std::to_string(n);
    c.flat = f;
    c.range = l.range;
    children.push_back(c);
    stack.layers.push_back({c.name, ld, f});
  }
  popScope();
  scopes_ = savedScopes;
  if (!ok || children.empty()) return nullptr;
  if (children.size() < 2) diags_.warning(d->range, "stack '" + d->name + "' has a single layer");
  // The optimizer composes a lower layer's dn clause without the message it sees (which carries
  // the headers of the layers above): said here, where the spec is written, as well as by
  // `ioawb optimize` (a new user's framing clause, `len(payload(m)) <= 65535`, passed check).
  for (size_t i = 1; i < children.size(); ++i) {
    const FlatAutomaton* f = children[i].flat;
    if (f->fastpathDn && f->fastpathMsg && f->fastpathDn->range.valid() && mentionsVar(f->fastpathDn, f->fastpathMsg))
      diags_.warning(f->fastpathDn->range, "the dn fastpath of layer '" + children[i].name +
                                               "' reads the message; below the top of stack '" + d->name +
                                               "' ioawb optimize composes only state conditions (the message a lower "
                                               "layer sees carries the headers of the layers above)");
  }
  std::vector<ActionRef> hidden;
  for (size_t i = 0; i < children.size(); ++i) {
    if (i > 0) {
      children[i].renamings["dn"] = children[i].name + ".dn";
      children[i].renamings["up_out"] = children[i - 1].name + ".up";
    }
    if (i + 1 < children.size()) {
      children[i].renamings["dn_out"] = children[i + 1].name + ".dn";
      children[i].renamings["up"] = children[i].name + ".up";
      ActionRef down, up;
      down.name = children[i + 1].name + ".dn";
      down.range = children[i + 1].range;
      up.name = children[i].name + ".up";
      up.range = children[i].range;
      hidden.push_back(down);
      hidden.push_back(up);
    }
  }
  FlatAutomaton* out = model_->newAutomaton();
  out->name = out->declName = d->name;
  out->stackDecl = d;
  out->range = d->nameRange;
  compose(out, children, hidden);
  stack.automaton = out;
  model_->stacks.push_back(stack);
  return out;
}

}  // namespace ioa
