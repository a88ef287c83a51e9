// Declarations, automata, invariants, simulations and stacks.
#include <algorithm>
#include <functional>

#include "CheckerImpl.h"
#include "ioa/spec/Printer.h"

namespace ioa {

// ------------------------------------------------------------------ Model helpers

int FlatAutomaton::findAction(const std::string& n) const {
  int found = -1;
  for (size_t i = 0; i < actions.size(); ++i) {
    bool match = actions[i].name == n;
    for (const auto& a : actions[i].aliases) match = match || a == n;
    if (match) {
      if (found >= 0 && found != static_cast<int>(i)) return -1;
      found = static_cast<int>(i);
    }
  }
  return found;
}

int FlatAutomaton::findState(const std::string& n) const {
  for (size_t i = 0; i < state.size(); ++i)
    if (state[i]->name == n) return static_cast<int>(i);
  return -1;
}

std::string Simulation::name() const {
  return std::string(kind == SimulationKind::Forward ? "forward simulation" : "refinement") + " from " +
         (from ? from->name : "?") + " to " + (to ? to->name : "?");
}

const FlatAutomaton* Model::findAutomaton(const std::string& name) const {
  for (const FlatAutomaton* a : automata_)
    if (a->name == name) return a;
  for (const FlatAutomaton* a : automata_)
    if (a->declName == name && a->name == a->declName) return a;
  return nullptr;
}

const Stack* Model::findStack(const std::string& name) const {
  for (const Stack& s : stacks)
    if (s.name == name) return &s;
  return nullptr;
}

Var* Model::newVar(std::string name, Sort sort, VarKind kind, SourceRange r) {
  Var& v = vars_.emplace_back();
  v.name = std::move(name);
  v.sort = sort;
  v.kind = kind;
  v.range = r;
  return &v;
}

FlatAutomaton* Model::newAutomaton() {
  FlatAutomaton* a = &automatonStore_.emplace_back();
  automata_.push_back(a);
  return a;
}

// ------------------------------------------------------------------ Checker

Checker::Checker(Module& m, std::shared_ptr<AstArena> arena, DiagnosticEngine& diags)
    : module_(m), diags_(diags), model_(std::make_unique<Model>(arena)), build_(*arena, model_->sorts) {}

std::unique_ptr<Model> checkModule(Module& module, std::shared_ptr<AstArena> arena, DiagnosticEngine& diags) {
  Checker c(module, std::move(arena), diags);
  return c.run();
}

void Checker::declareGlobal(const std::string& name, SourceRange r, GlobalSym sym) {
  auto it = globals_.find(name);
  if (it != globals_.end()) {
    Diagnostic& d = diags_.error(r, "redefinition of '" + name + "'");
    d.notes.push_back({it->second.decl->nameRange, "previous declaration here"});
    return;
  }
  static const char* reserved[] = {"Bool", "Int", "Nat", "UInt8", "UInt16", "UInt32", "UInt64", "Seq", "Set", "Mset",
                                   "Map", "Array", "Bytes", "Msg"};
  for (const char* rs : reserved)
    if (name == rs) {
      diags_.error(r, "'" + name + "' is a built-in sort and cannot be redeclared");
      rejected_.insert(name);
      return;
    }
  if (isBuiltinName(name)) {
    diags_.error(r, "'" + name + "' is a built-in operator and cannot be redeclared");
    rejected_.insert(name);
    return;
  }
  globals_.emplace(name, sym);
}

void Checker::collectGlobals() {
  for (Decl* d : module_.decls) {
    switch (d->kind) {
      case DeclKind::Type: declareGlobal(d->name, d->nameRange, {GlobalSym::Type, d}); break;
      case DeclKind::Sort: declareGlobal(d->name, d->nameRange, {GlobalSym::SortK, d}); break;
      case DeclKind::Const: declareGlobal(d->name, d->nameRange, {GlobalSym::Const, d}); break;
      case DeclKind::Function: declareGlobal(d->name, d->nameRange, {GlobalSym::Function, d}); break;
      case DeclKind::Automaton: declareGlobal(d->name, d->nameRange, {GlobalSym::Automaton, d}); break;
      case DeclKind::Stack: declareGlobal(d->name, d->nameRange, {GlobalSym::Stack, d}); break;
      default: break;
    }
  }
}

std::unique_ptr<Model> Checker::run() {
  collectGlobals();
  // Sorts first (types may refer to each other in any order), then constants and functions.
  for (Decl* d : module_.decls)
    if (d->kind == DeclKind::Sort) {
      auto* s = static_cast<SortDecl*>(d);
      s->resolved = model_->sorts.uninterp(s->name, s);
    }
  for (Decl* d : module_.decls)
    if (d->kind == DeclKind::Type) checkTypeDecl(static_cast<TypeDecl*>(d));
  for (Decl* d : module_.decls)
    if (d->kind == DeclKind::Const) ensureConst(static_cast<ConstDecl*>(d));
  for (Decl* d : module_.decls)
    if (d->kind == DeclKind::Function) {
      auto* f = static_cast<FunctionDecl*>(d);
      for (Param& p : f->params) p.var = model_->newVar(p.name, resolveSort(p.sort), VarKind::FuncParam, p.range);
      resolveSort(f->result);
    }
  for (Decl* d : module_.decls)
    if (d->kind == DeclKind::Function) checkFunction(static_cast<FunctionDecl*>(d));
  for (Decl* d : module_.decls)
    if (d->kind == DeclKind::Axiom) {
      auto* a = static_cast<AxiomDecl*>(d);
      checkBool(a->body);
      model_->axioms.push_back(a->body);
    }
  // Layer headers before any automaton, so Seqno.hdr(m) works everywhere.
  for (Decl* d : module_.decls)
    if (d->kind == DeclKind::Automaton) {
      auto* a = static_cast<AutomatonDecl*>(d);
      if (a->isLayer && a->hasHeader) {
        Sort h = resolveTypeBody(a->header, a->name + ".Header", a->header.range);
        a->headerSort = h;
        layerHeaders_[a] = h;
      } else if (a->isLayer) {
        diags_.error(a->nameRange, "layer '" + a->name + "' has no 'header' clause");
      }
    }
  for (Decl* d : module_.decls)
    if (d->kind == DeclKind::Automaton) {
      auto* a = static_cast<AutomatonDecl*>(d);
      model_->automatonDecls.push_back(a);
      if (!a->isComposite()) checkAutomaton(a);
    }
  // Generic flat form of every automaton (compositions expand here).
  for (Decl* d : module_.decls)
    if (d->kind == DeclKind::Automaton) instantiate(static_cast<AutomatonDecl*>(d), {}, {}, d->nameRange, d->name);
  for (Decl* d : module_.decls)
    if (d->kind == DeclKind::Stack) checkStack(static_cast<StackDecl*>(d));
  for (Decl* d : module_.decls) {
    if (diags_.limitReached()) break;
    if (d->kind == DeclKind::Invariant) checkInvariant(static_cast<InvariantDecl*>(d));
    if (d->kind == DeclKind::Simulation) checkSimulation(static_cast<SimulationDecl*>(d));
  }
  if (!diags_.hasErrors()) inheritInvariants();
  return std::move(model_);
}

// ------------------------------------------------------------------ sorts

Sort Checker::resolveTypeBody(const TypeBody& b, const std::string& name, SourceRange r) {
  SortTable& st = model_->sorts;
  if (b.kind == TypeBodyKind::Alias) return resolveSort(b.alias);
  TypeDef* def = st.newTypeDef();
  def->name = name;
  def->range = r;
  if (b.kind == TypeBodyKind::Enumeration) {
    def->kind = SortKind::Enum;
    for (size_t i = 0; i < b.values.size(); ++i) {
      if (def->valueIndex(b.values[i]) >= 0) {
        Diagnostic& d = diags_.error(b.valueRanges[i], "duplicate enumeration constant '" + b.values[i] + "'");
        d.notes.push_back({b.valueRanges[def->valueIndex(b.values[i])], "previous declaration here"});
        continue;
      }
      def->values.push_back(b.values[i]);
      def->valueRanges.push_back(b.valueRanges[i]);
    }
  } else {
    def->kind = b.kind == TypeBodyKind::Tuple ? SortKind::Tuple : SortKind::Union;
    for (size_t i = 0; i < b.fieldNames.size(); ++i) {
      if (def->fieldIndex(b.fieldNames[i]) >= 0) {
        Diagnostic& d = diags_.error(b.fieldRanges[i], std::string("duplicate ") +
                                                           (def->kind == SortKind::Tuple ? "field" : "variant") + " '" +
                                                           b.fieldNames[i] + "'");
        d.notes.push_back({def->fields[def->fieldIndex(b.fieldNames[i])].range, "previous declaration here"});
        continue;
      }
      def->fields.push_back({b.fieldNames[i], nullptr, b.fieldRanges[i]});
    }
  }
  Sort s = st.named(def);
  // fields after the sort exists, so recursive references are diagnosed rather than looping
  size_t fi = 0;
  for (size_t i = 0; i < b.fieldNames.size() && fi < def->fields.size(); ++i) {
    if (def->fields[fi].name != b.fieldNames[i]) continue;
    def->fields[fi].sort = resolveSort(b.fieldSorts[i]);
    ++fi;
  }
  model_->types.push_back(def);
  return s;
}

void Checker::checkTypeDecl(TypeDecl* d) {
  if (d->resolved) return;
  if (resolvingTypes_.count(d)) {
    diags_.error(d->nameRange, "type '" + d->name + "' is defined in terms of itself");
    d->resolved = model_->sorts.error();
    return;
  }
  resolvingTypes_.insert(d);
  Sort s = resolveTypeBody(d->body, d->name, d->nameRange);
  resolvingTypes_.erase(d);
  if (!d->resolved) d->resolved = s;
  if (s && (s->kind == SortKind::Enum))
    for (size_t i = 0; i < s->def->values.size(); ++i) enumValues_[s->def->values[i]].push_back({s->def, static_cast<int>(i)});
}

std::optional<int64_t> Checker::evalConstInt(const Expr* e, int depth) {
  if (!e || depth > 50) return std::nullopt;
  auto bin = [&](auto f) -> std::optional<int64_t> {
    auto a = evalConstInt(e->args[0], depth + 1);
    auto b = evalConstInt(e->args[1], depth + 1);
    if (!a || !b) return std::nullopt;
    return f(*a, *b);
  };
  switch (e->op) {
    case Op::IntConst:
      if (e->intValue > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
      return static_cast<int64_t>(e->intValue);
    case Op::Neg: {
      auto a = evalConstInt(e->args[0], depth + 1);
      if (!a) return std::nullopt;
      return -*a;
    }
    case Op::Add: return bin([](int64_t a, int64_t b) { return a + b; });
    case Op::Sub: return bin([](int64_t a, int64_t b) { return a - b; });
    case Op::Mul: return bin([](int64_t a, int64_t b) { return a * b; });
    case Op::Var: {
      if (e->var->kind != VarKind::Const) return std::nullopt;
      auto it = model_->constValues.find(e->var);
      if (it == model_->constValues.end()) return std::nullopt;
      return evalConstInt(it->second, depth + 1);
    }
    default: return std::nullopt;
  }
}

Sort Checker::resolveSort(SortExpr* s) {
  SortTable& st = model_->sorts;
  if (!s) return st.error();
  if (s->resolved) return s->resolved;
  auto done = [&](Sort r) {
    s->resolved = r;
    return r;
  };
  auto nargs = [&](size_t k) {
    if (s->args.size() != k) {
      diags_.error(s->range, "sort '" + s->name + "' takes " + std::to_string(k) + " argument(s), found " +
                                 std::to_string(s->args.size()));
      return false;
    }
    return true;
  };
  const std::string& n = s->name;
  if (s->lo) {
    check(s->lo, st.integer());
    check(s->hi, st.integer());
    auto lo = evalConstInt(s->lo);
    auto hi = evalConstInt(s->hi);
    // "...: N is declared without a value": a free constant (fine in specs, not in a sort's bounds)
    auto notConstant = [&](const Expr* bound) {
      std::string why;
      forEachExpr(bound, [&](const Expr* x) {
        if (!why.empty() || x->op != Op::Var || !x->var || x->var->kind != VarKind::Const) return;
        auto cv = model_->constValues.find(x->var);
        if (cv == model_->constValues.end() || !cv->second)
          why = ": " + x->var->name + " is declared without a value (write 'const " + x->var->name + ": " +
                sortName(x->var->sort) + " = ...')";
      });
      diags_.error(bound->range, "the bounds of an integer range must be constant" + why);
    };
    if (!lo) {
      notConstant(s->lo);
      return done(st.error());
    }
    if (!hi) {
      notConstant(s->hi);
      return done(st.error());
    }
    if (*lo > *hi) {
      diags_.error(s->range, "empty integer range: " + std::to_string(*lo) + " > " + std::to_string(*hi));
      return done(st.error());
    }
    return done(st.range(*lo, *hi));
  }
  auto tp = typeParams_.find(n);
  if (tp != typeParams_.end()) {
    if (!s->args.empty()) diags_.error(s->range, "type parameter '" + n + "' takes no arguments");
    return done(tp->second);
  }
  // a built-in sort's name the file declared a type of its own for (refused, and reported there):
  // its uses mean that type, so they are not checked against the built-in one (`type Msg = tuple
  // of ...` gave five errors more, one at each constructor call and field)
  if (rejected_.count(n)) return done(st.error());
  if (n == "Bool") return done(nargs(0) ? st.boolean() : st.error());
  if (n == "Int") return done(nargs(0) ? st.integer() : st.error());
  if (n == "Nat") return done(nargs(0) ? st.nat() : st.error());
  if (n == "Bytes") return done(nargs(0) ? st.bytes() : st.error());
  if (n == "Msg") return done(nargs(0) ? st.msg() : st.error());
  if (n == "UInt8" || n == "UInt16" || n == "UInt32" || n == "UInt64")
    return done(nargs(0) ? st.uint(static_cast<unsigned>(std::stoul(n.substr(4)))) : st.error());
  if (n == "Seq" || n == "Set" || n == "Mset") {
    if (!nargs(1)) return done(st.error());
    Sort e = resolveSort(s->args[0]);
    if (isError(e)) return done(e);
    return done(n == "Seq" ? st.seq(e) : n == "Set" ? st.set(e) : st.mset(e));
  }
  if (n == "Map" || n == "Array") {
    if (!nargs(2)) return done(st.error());
    Sort k = resolveSort(s->args[0]);
    Sort v = resolveSort(s->args[1]);
    if (isError(k) || isError(v)) return done(st.error());
    return done(n == "Map" ? st.map(k, v) : st.array(k, v));
  }
  if (n == "Header" && currentLayer_) {
    auto h = layerHeaders_.find(currentLayer_);
    if (h != layerHeaders_.end()) return done(h->second);
  }
  if (n == "Real" || n == "String" || n == "Char") {
    diags_.error(s->range, "sort '" + n + "' is not supported (use Int, UIntN, Bytes or an uninterpreted sort)");
    return done(st.error());
  }
  auto g = globals_.find(n);
  if (g != globals_.end()) {
    if (!s->args.empty()) diags_.error(s->range, "sort '" + n + "' takes no arguments");
    if (g->second.kind == GlobalSym::Type) {
      auto* td = static_cast<TypeDecl*>(g->second.decl);
      checkTypeDecl(td);
      return done(td->resolved ? td->resolved : st.error());
    }
    if (g->second.kind == GlobalSym::SortK) return done(static_cast<SortDecl*>(g->second.decl)->resolved);
    diags_.error(s->range, "'" + n + "' is not a sort");
    return done(st.error());
  }
  diags_.error(s->range, "unknown sort '" + n + "'" +
                             globalHint(n, {GlobalSym::Type, GlobalSym::SortK},
                                        {"Bool", "Int", "Nat", "Bytes", "Seq", "Set", "Mset", "Map", "Array"}));
  return done(st.error());
}

Sort Checker::sortFromTerm(Expr* e) {
  // Automaton type arguments are parsed as terms: Bytes, Seq[Nat], Map[Nat, Bool], Int[0..3].
  SortExpr* s = model_->arena().sortExpr();
  s->range = e->range;
  std::function<bool(Expr*, SortExpr*)> conv = [&](Expr* x, SortExpr* out) -> bool {
    out->range = x->range;
    if (x->kind == ExprKind::Name) {
      out->name = x->name;
      return true;
    }
    if (x->kind == ExprKind::Index && x->args[0]->kind == ExprKind::Name) {
      out->name = x->args[0]->name;
      if (x->tok == Tok::DotDot) {
        out->lo = x->args[1];
        out->hi = x->args[2];
        return true;
      }
      for (size_t i = 1; i < x->args.size(); ++i) {
        SortExpr* a = model_->arena().sortExpr();
        if (!conv(x->args[i], a)) return false;
        out->args.push_back(a);
      }
      return true;
    }
    return false;
  };
  if (!conv(e, s)) {
    diags_.error(e->range, "expected a sort as the argument for a type parameter");
    return model_->sorts.error();
  }
  return resolveSort(s);
}

// ------------------------------------------------------------------ constants, functions

void Checker::ensureConst(ConstDecl* d) {
  if (d->var || resolvingConsts_.count(d)) return;
  resolvingConsts_.insert(d);
  // constants are global: check them outside whatever automaton is being checked
  auto savedScopes = scopes_;
  auto savedTP = typeParams_;
  auto savedFlat = flat_;
  auto savedLayer = currentLayer_;
  scopes_.clear();
  typeParams_.clear();
  flat_.clear();
  currentLayer_ = nullptr;
  Sort s = resolveSort(d->sort);
  d->var = model_->newVar(d->name, s, VarKind::Const, d->nameRange);
  model_->consts.push_back(d->var);
  checkConst(d);
  scopes_ = savedScopes;
  typeParams_ = savedTP;
  flat_ = savedFlat;
  currentLayer_ = savedLayer;
  resolvingConsts_.erase(d);
}

void Checker::checkConst(ConstDecl* d) {
  if (!d->value) return;
  Sort s = check(d->value, d->var->sort);
  if (!isError(s) && !isError(d->var->sort) && !sortCompatible(d->var->sort, s))
    diags_.error(d->value->range, "constant '" + d->name + "' has sort " + sortName(d->var->sort) +
                                      " but its value has sort " + sortName(s));
  model_->constValues[d->var] = d->value;
}

void Checker::checkFunction(FunctionDecl* d) {
  model_->functions.push_back(d);
  if (!d->body) return;
  pushScope();
  for (Param& p : d->params) scopes_.back()[p.name] = p.var;
  functionStack_.push_back(d);
  Sort rs = d->result ? d->result->resolved : model_->sorts.error();
  Sort s = check(d->body, rs);
  functionStack_.pop_back();
  popScope();
  if (!isError(s) && !isError(rs) && !sortCompatible(rs, s))
    diags_.error(d->body->range, "function '" + d->name + "' returns " + sortName(rs) + " but its body has sort " +
                                     sortName(s));
}

// ------------------------------------------------------------------ automata

void Checker::checkAutomaton(AutomatonDecl* d) {
  currentAutomaton_ = d;
  currentLayer_ = d->isLayer ? d : nullptr;
  typeParams_.clear();
  scopes_.clear();
  pushScope();
  for (Param& p : d->params) {
    if (p.isType) {
      p.typeSort = model_->sorts.param(p.name, d);
      typeParams_[p.name] = p.typeSort;
    }
  }
  for (Param& p : d->params) {
    if (p.isType) continue;
    if (scopes_.back().count(p.name)) diags_.error(p.range, "duplicate parameter '" + p.name + "'");
    p.var = declareLocal(p.name, resolveSort(p.sort), VarKind::AutParam, p.range);
  }
  if (!d->hasSignature) diags_.error(d->nameRange, (d->isLayer ? "layer '" : "automaton '") + d->name + "' has no signature");
  // signature
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < d->signature.size(); ++i) {
    ActionDecl& a = d->signature[i];
    auto it = seen.find(a.name);
    if (it != seen.end()) {
      Diagnostic& dg = diags_.error(a.range, "action '" + a.name + "' is declared twice");
      dg.notes.push_back({d->signature[it->second].range, "previous declaration here"});
    } else {
      seen[a.name] = i;
    }
    pushScope();
    for (size_t k = 0; k < a.params.size(); ++k) {
      Param& p = a.params[k];
      if (p.constTerm) {
        // `const left(i)`: the parameter's value is fixed by the automaton's parameters
        Sort ts = check(p.constTerm);
        p.var = model_->newVar("_" + std::to_string(k), ts, VarKind::ActionParam, p.range);
        continue;
      }
      if (scopes_.back().count(p.name)) diags_.error(p.range, "duplicate parameter '" + p.name + "'");
      Sort ps = resolveSort(p.sort);
      if (p.isConst) {
        // `const i: T` names an automaton parameter: the action's parameter equals it
        Var* ap = lookupLocal(p.name);
        if (ap && ap->kind == VarKind::AutParam) {
          if (!isError(ps) && !isError(ap->sort) && !sortCompatible(ps, ap->sort))
            diags_.error(p.range, "const parameter '" + p.name + "' has sort " + sortName(ps) +
                                      " but the automaton parameter has sort " + sortName(ap->sort));
          p.constTerm = build_.var(ap, p.range);
        }
      }
      p.var = declareLocal(p.name, ps, VarKind::ActionParam, p.range);
    }
    if (a.where) checkBool(a.where);
    popScope();
  }
  // states
  std::map<std::string, Var*> stateScope;
  std::map<std::string, SourceRange> stateRanges;
  for (StateVarDecl& v : d->states) {
    Sort s = resolveSort(v.sort);
    if (stateScope.count(v.name)) {
      Diagnostic& dg = diags_.error(v.range, "state variable '" + v.name + "' is declared twice");
      dg.notes.push_back({stateRanges[v.name], "previous declaration here"});
    }
    for (const Param& p : d->params)
      if (p.name == v.name) diags_.error(v.range, "state variable '" + v.name + "' shadows an automaton parameter");
    v.var = model_->newVar(v.name, s, VarKind::State, v.range);
    stateScope[v.name] = v.var;
    stateRanges[v.name] = v.range;
  }
  // initial values may mention parameters and constants but not other state variables
  for (StateVarDecl& v : d->states) {
    if (!v.init) continue;
    Sort is = v.init->kind == ExprKind::Choose ? checkChoose(v.init, v.var->sort) : check(v.init, v.var->sort);
    if (!isError(is) && !isError(v.var->sort) && !sortCompatible(v.var->sort, is))
      diags_.error(v.init->range, "initial value of '" + v.name + "' has sort " + sortName(is) + ", expected " +
                                      sortName(v.var->sort));
  }
  pushScope();
  for (auto& [n, v] : stateScope) scopes_.back()[n] = v;
  stateScopes_[d] = stateScope;
  if (d->initially) checkBool(d->initially);
  for (TransitionDecl& t : d->transitions) {
    if (diags_.limitReached()) break;
    checkTransition(d, t);
  }
  // outputs and internal actions with no transition are never enabled: say so
  for (const ActionDecl& a : d->signature) {
    if (a.kind == ActionKind::Input) continue;
    bool has = false;
    for (const TransitionDecl& t : d->transitions) has = has || t.action == a.name;
    if (!has)
      diags_.warning(a.range, std::string(actionKindName(a.kind)) + " action '" + a.name +
                                  "' has no transition, so it is never enabled");
  }
  for (TaskDecl& task : d->tasks) {
    pushScope();
    bindBinders(task.binders, VarKind::Bound);
    for (ActionRef& r : task.actions) {
      bool found = false;
      for (const ActionDecl& a : d->signature)
        if (a.name == r.name) {
          found = true;
          if (a.kind == ActionKind::Input)
            diags_.error(r.range, "task lists input action '" + r.name + "'; tasks contain locally controlled actions");
          if (!r.args.empty() && r.args.size() != a.params.size())
            diags_.error(r.range, "action '" + r.name + "' takes " + std::to_string(a.params.size()) + " argument(s)");
          for (size_t i = 0; i < r.args.size() && i < a.params.size(); ++i) {
            Sort ps = a.params[i].var ? a.params[i].var->sort : nullptr;
            Expr* arg = r.args[i];
            // IOA tasks name actions with free variables ({send(m, j, right(j))}): they range over the parameter
            if (arg->kind == ExprKind::Name && !lookupLocal(arg->name) && !globals_.count(arg->name) &&
                !enumValues_.count(arg->name)) {
              Var* v = declareLocal(arg->name, ps ? ps : model_->sorts.error(), VarKind::Bound, arg->range);
              arg->op = Op::Var;
              arg->var = v;
              arg->sort = v->sort;
              continue;
            }
            check(arg, ps);
          }
        }
      if (!found) diags_.error(r.range, "task names unknown action '" + r.name + "'");
    }
    if (task.where) checkBool(task.where);
    popScope();
  }
  if (d->isLayer) {
    checkLayerInterface(d);
    Var* m = model_->newVar("m", model_->sorts.msg(), VarKind::ActionParam, d->nameRange);
    fastpathVars_[d] = m;
    for (FastpathDecl& f : d->fastpaths) {
      pushScope();
      scopes_.back()["m"] = m;
      checkBool(f.pred);
      popScope();
    }
  }
  popScope();
  popScope();
  currentLayer_ = nullptr;
  currentAutomaton_ = nullptr;
  typeParams_.clear();
}

void Checker::checkLayerInterface(AutomatonDecl* d) {
  struct Need {
    const char* name;
    ActionKind kind;
  };
  static const Need needs[] = {{"dn", ActionKind::Input},
                               {"up", ActionKind::Input},
                               {"dn_out", ActionKind::Output},
                               {"up_out", ActionKind::Output}};
  for (const Need& n : needs) {
    const ActionDecl* found = nullptr;
    for (const ActionDecl& a : d->signature)
      if (a.name == n.name) found = &a;
    if (!found) {
      diags_.error(d->nameRange, "layer '" + d->name + "' must declare " + actionKindName(n.kind) + " " + n.name +
                                     "(m: Msg)");
      continue;
    }
    if (found->kind != n.kind)
      diags_.error(found->range, std::string("'") + n.name + "' of a layer must be an " + actionKindName(n.kind));
    if (found->params.size() != 1 || (found->params[0].var && found->params[0].var->sort->kind != SortKind::Msg))
      diags_.error(found->range, std::string("'") + n.name + "' of a layer takes exactly one parameter of sort Msg");
  }
  bool dn = false, up = false;
  for (const FastpathDecl& f : d->fastpaths) {
    dn = dn || f.path == "dn";
    up = up || f.path == "up";
  }
  // (with neither, both are named: until 2026-12-04 only 'dn' was)
  const std::string missing = !dn && !up ? "no 'fastpath dn' and no 'fastpath up' clause; the optimizer treats "
                                           "its common case as false on both paths"
                              : !dn      ? "no 'fastpath dn' clause; the optimizer treats its common case as false"
                                         : "no 'fastpath up' clause; the optimizer treats its common case as false";
  if (!dn || !up) diags_.warning(d->nameRange, "layer '" + d->name + "' has " + missing);
}

void Checker::checkTransition(AutomatonDecl* d, TransitionDecl& t) {
  int ai = -1;
  for (size_t i = 0; i < d->signature.size(); ++i)
    if (d->signature[i].name == t.action) ai = static_cast<int>(i);
  pushScope();
  if (ai < 0) {
    diags_.error(t.headerRange, "transition for undeclared action '" + t.action + "'");
    // still check the body, with unknown parameter sorts, to find more errors
    for (Expr* a : t.args)
      if (a->kind == ExprKind::Name) declareLocal(a->name, model_->sorts.error(), VarKind::ActionParam, a->range);
  } else {
    const ActionDecl& a = d->signature[ai];
    t.actionIndex = ai;
    if (a.kind != t.kind) {
      Diagnostic& dg = diags_.error(t.headerRange, "'" + t.action + "' is declared as an " + actionKindName(a.kind) +
                                                       " action, not an " + actionKindName(t.kind) + " action");
      dg.notes.push_back({a.range, "declared here"});
    }
    if (!t.args.empty() && t.args.size() != a.params.size()) {
      diags_.error(t.headerRange, "action '" + t.action + "' has " + std::to_string(a.params.size()) +
                                      " parameter(s), found " + std::to_string(t.args.size()) + " argument(s)");
    }
    t.argVars.assign(t.args.size(), nullptr);
    for (size_t i = 0; i < t.args.size() && i < a.params.size(); ++i) {
      Expr* arg = t.args[i];
      Sort ps = a.params[i].var ? a.params[i].var->sort : model_->sorts.error();
      bool binds = arg->kind == ExprKind::Name && !t.argConst[i] && !lookupLocal(arg->name) &&
                   !globals_.count(arg->name) && !enumValues_.count(arg->name);
      if (binds) {
        t.argVars[i] = declareLocal(arg->name, ps, VarKind::ActionParam, arg->range);
        arg->op = Op::Var;
        arg->var = t.argVars[i];
        arg->sort = ps;
      } else {
        Sort as = check(arg, ps);
        expectSort(arg, as, ps, "an argument");
      }
    }
    if (t.args.empty() && !a.params.empty()) {
      // `output receive` with no argument list: bind the signature's names
      for (const Param& p : a.params) {
        Expr* n = model_->arena().expr();
        n->kind = ExprKind::Name;
        n->name = p.name;
        n->range = t.headerRange;
        Var* v = declareLocal(p.name, p.var ? p.var->sort : model_->sorts.error(), VarKind::ActionParam, p.range);
        n->op = Op::Var;
        n->var = v;
        n->sort = v->sort;
        t.args.push_back(n);
        t.argConst.push_back(false);
        t.argVars.push_back(v);
      }
      t.implicitArgs = true;
    }
  }
  if (t.where) checkBool(t.where);
  if (t.pre) checkBool(t.pre);
  checkStmts(t.eff);
  if (t.ensuring) {
    allowPrime_ = true;
    checkBool(t.ensuring);
    allowPrime_ = false;
  }
  popScope();
}

// ------------------------------------------------------------------ invariants and simulations

std::string Checker::globalHint(const std::string& name, std::initializer_list<GlobalSym::Kind> kinds,
                                std::initializer_list<std::string_view> extra) const {
  std::vector<std::string_view> cands(extra);
  for (const auto& [n, g] : globals_)
    if (std::find(kinds.begin(), kinds.end(), g.kind) != kinds.end()) cands.push_back(n);
  return didYouMean(name, cands);
}

const FlatAutomaton* Checker::resolveAutRef(const AutRef& r) {
  auto g = globals_.find(r.name);
  if (g == globals_.end()) {
    diags_.error(r.range, "unknown automaton '" + r.name + "'" +
                              globalHint(r.name, {GlobalSym::Automaton, GlobalSym::Stack}));
    return nullptr;
  }
  if (g->second.kind == GlobalSym::Stack) {
    if (!r.args.empty()) diags_.error(r.range, "a stack takes no arguments");
    const Stack* s = model_->findStack(r.name);
    return s ? s->automaton : nullptr;
  }
  if (g->second.kind != GlobalSym::Automaton) {
    diags_.error(r.range, "'" + r.name + "' is not an automaton");
    return nullptr;
  }
  std::string display = std::string(diags_.sources().textOf(r.range));
  return instantiate(static_cast<AutomatonDecl*>(g->second.decl), r.args, r.argNames, r.range, display);
}

static std::vector<std::string> qualifiersOf(const FlatAutomaton* a) {
  std::vector<std::string> q{a->declName};
  if (a->name != a->declName) q.push_back(a->name);
  return q;
}

void Checker::checkInvariant(InvariantDecl* d) {
  const FlatAutomaton* a = resolveAutRef(d->automaton);
  if (!a) return;
  scopes_.clear();
  pushScope();
  for (Var* p : a->params) scopes_.back()[p->name] = p;
  flat_ = {{a, qualifiersOf(a)}};
  checkBool(d->body);
  flat_.clear();
  popScope();
  Invariant inv;
  inv.name = d->name.empty() ? "invariant@" + std::to_string(diags_.sources().lineCol(d->range).line) : d->name;
  inv.decl = d;
  inv.automaton = a;
  inv.pred = d->body;
  model_->invariants.push_back(inv);
}

void Checker::checkSimulation(SimulationDecl* d) {
  const FlatAutomaton* from = resolveAutRef(d->from);
  const FlatAutomaton* to = resolveAutRef(d->to);
  if (!from || !to) return;
  Simulation sim;
  sim.decl = d;
  sim.kind = d->simKind;
  sim.from = from;
  sim.to = to;
  sim.relation = d->relation;
  sim.hasProof = d->hasProof;
  scopes_.clear();
  pushScope();
  for (Var* p : from->params) scopes_.back()[p->name] = p;
  for (Var* p : to->params) scopes_.back()[p->name] = p;
  flat_ = {{from, qualifiersOf(from)}, {to, qualifiersOf(to)}};
  checkBool(d->relation);
  if (d->simKind == SimulationKind::Refinement) {
    // a refinement mapping: one equation `B.x = term` per abstract state variable
    std::set<const Var*> defined;
    bool broken = false;  // an equation with an error of its own (said there): no "does not define" after it
    for (Expr* c : conjuncts(d->relation)) {
      auto failed = [](const Expr* x) { return isError(x->sort); };
      if (isError(c->sort) || (c->kind == ExprKind::Binary && std::any_of(c->args.begin(), c->args.end(), failed))) {
        broken = true;
        continue;
      }
      if (c->op == Op::Eq && c->args[0]->op == Op::Var) {
        const Var* v = c->args[0]->var;
        if (to->findState(v->name) >= 0 && to->state[to->findState(v->name)] == v) {
          if (!defined.insert(v).second) diags_.error(c->range, "abstract variable '" + v->name + "' is defined twice");
          if (mentionsVar(c->args[1], v) || [&] {
                for (Var* av : to->state)
                  if (mentionsVar(c->args[1], av)) return true;
                return false;
              }())
            diags_.error(c->args[1]->range, "a refinement mapping defines abstract variables from concrete ones only");
          continue;
        }
      }
      auto abstractVar = [&](const Expr* x) -> const Var* {
        if (x->op != Op::Var) return nullptr;
        int si = to->findState(x->var->name);
        return si >= 0 && to->state[si] == x->var ? x->var : nullptr;
      };
      if (c->op == Op::Eq && abstractVar(c->args[1])) {  // `Counter.n = Spec.total`: the sides swapped
        defined.insert(abstractVar(c->args[1]));
        const SourceManager& sm = diags_.sources();
        diags_.error(c->range, "the abstract variable goes on the left of a refinement mapping's equation: write '" +
                                   std::string(sm.textOf(c->args[1]->range)) + " = " +
                                   std::string(sm.textOf(c->args[0]->range)) + "'");
        continue;
      }
      if (!isError(c->sort)) diags_.error(c->range, "a refinement mapping is a conjunction of equations 'B.x = term' "
                                                    "defining each abstract state variable");
    }
    for (Var* av : to->state)
      if (!defined.count(av) && !broken)
        diags_.error(d->relation->range, "refinement mapping does not define abstract variable '" + av->name + "'");
  }
  // proof block
  flat_ = {{from, qualifiersOf(from)}, {to, qualifiersOf(to)}};
  if (d->hasProof) {
    // the start witness assigns abstract variables
    flat_ = {{to, qualifiersOf(to)}, {from, qualifiersOf(from)}};
    checkStmts(d->proofInit, true);
    for (Stmt* s : d->proofInit) {
      if (s->kind != StmtKind::Assign) {
        diags_.error(s->range, "the 'initially' witness of a proof assigns abstract state variables");
        continue;
      }
      Expr* l = s->lhs;
      while (l && (l->op == Op::MapGet || l->op == Op::TupleGet || l->op == Op::SeqIndex)) l = l->args[0];
      if (l && l->op == Op::Var && to->findState(l->var->name) < 0)
        diags_.error(s->lhs->range, "the 'initially' witness may assign only variables of " + to->name);
    }
    sim.proofInit = d->proofInit;
    fireTarget_ = to;
    for (ProofEntry& e : d->entries) {
      SimulationEntry se;
      se.range = e.range;
      se.ignore = e.ignore;
      int ai = from->findAction(e.action);
      pushScope();
      if (ai < 0) {
        diags_.error(e.range, from->name + " has no action '" + e.action + "'" + actionHint(*from, e.action));
        for (Expr* a : e.args)
          if (a->kind == ExprKind::Name) declareLocal(a->name, model_->sorts.error(), VarKind::ActionParam, a->range);
      } else {
        const FlatAction& act = from->actions[ai];
        se.concreteAction = ai;
        if (act.kind != e.kind)
          diags_.error(e.range, "'" + e.action + "' is an " + actionKindName(act.kind) + " action of " + from->name +
                                    ", not an " + actionKindName(e.kind) + " action");
        for (const SimulationEntry& prev : sim.entries)
          if (prev.concreteAction == ai) {
            Diagnostic& dg = diags_.error(e.range, "second proof entry for action '" + e.action + "'");
            dg.notes.push_back({prev.range, "previous entry here"});
          }
        if (e.args.size() != act.params.size())
          diags_.error(e.range, "action '" + e.action + "' has " + std::to_string(act.params.size()) +
                                    " parameter(s), found " + std::to_string(e.args.size()));
        for (size_t i = 0; i < act.params.size(); ++i) {
          Expr* arg = i < e.args.size() ? e.args[i] : nullptr;
          std::string pname = arg && arg->kind == ExprKind::Name ? arg->name : "_p" + std::to_string(i);
          bool binds = arg && arg->kind == ExprKind::Name && !lookupLocal(arg->name) && !globals_.count(arg->name) &&
                       !enumValues_.count(arg->name);
          Var* pv = nullptr;
          if (binds) {
            pv = declareLocal(pname, act.params[i], VarKind::ActionParam, arg->range);
            arg->op = Op::Var;
            arg->var = pv;
            arg->sort = pv->sort;
          } else {
            pv = model_->newVar(pname, act.params[i], VarKind::ActionParam, arg ? arg->range : e.range);
            if (arg) {
              Sort as = check(arg, act.params[i]);
              expectSort(arg, as, act.params[i], "an argument");
              se.bindings.push_back({static_cast<int>(i), arg});
            }
          }
          se.params.push_back(pv);
        }
      }
      checkStmts(e.body, true);
      se.body = e.body;
      popScope();
      sim.entries.push_back(se);
    }
    fireTarget_ = nullptr;
  }
  flat_.clear();
  popScope();
  // the default correspondence needs a same-named abstract action for each external action
  for (size_t i = 0; i < from->actions.size(); ++i) {
    const FlatAction& ca = from->actions[i];
    if (ca.kind == ActionKind::Internal) continue;
    bool covered = false;
    for (const SimulationEntry& se : sim.entries) covered = covered || se.concreteAction == static_cast<int>(i);
    if (covered) continue;
    int ai = to->findAction(ca.name);
    if (ai < 0) {
      diags_.error(d->nameRange, "external action '" + ca.name + "' of " + from->name + " has no counterpart in " +
                                     to->name + "; add a proof entry 'for " + actionKindName(ca.kind) + " " + ca.name +
                                     "(...) do fire ... od'");
      continue;
    }
    const FlatAction& aa = to->actions[ai];
    bool sameSorts = aa.params.size() == ca.params.size();
    for (size_t k = 0; sameSorts && k < aa.params.size(); ++k)
      sameSorts = sortCompatible(aa.params[k], ca.params[k]);
    if (aa.kind == ActionKind::Internal || !sameSorts)
      diags_.error(d->nameRange, "external action '" + ca.name + "' of " + from->name +
                                     " does not match the abstract action of that name; add a proof entry for it");
  }
  model_->simulations.push_back(sim);
}

void Checker::checkStack(StackDecl* d) {
  const FlatAutomaton* a = expandStack(d);
  (void)a;
}

}  // namespace ioa
