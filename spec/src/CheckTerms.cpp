// Sort checking of terms and statements.
#include <algorithm>

#include "CheckerImpl.h"

namespace ioa {

namespace {
const char* kBuiltins[] = {"head", "tail", "last",  "init",   "len",     "sub",     "insert", "delete",
                           "size", "count", "update", "defined", "constant", "push",   "hdr",    "pop",
                           "payload", "msg", "hashdr", "min", "max", "checksum16"};
}

bool isBuiltinName(const std::string& n) {
  for (const char* b : kBuiltins)
    if (n == b) return true;
  return false;
}

// (an empty `msg`: the error was reported already, the term only takes the error sort)
Sort Checker::fail(Expr* e, const std::string& msg) {
  if (!msg.empty()) diags_.error(e->range, msg);
  e->sort = model_->sorts.error();
  if (e->op == Op::None) e->op = Op::BoolConst;  // keep later passes from crashing on it
  return e->sort;
}

void Checker::expectSort(Expr* e, Sort actual, Sort expected, const char* context) {
  if (!expected || sortCompatible(expected, actual)) return;
  diags_.error(e->range, std::string("expected ") + context + " of sort " + sortName(expected) + ", found " +
                             sortName(actual));
}

Var* Checker::declareLocal(const std::string& name, Sort sort, VarKind kind, SourceRange r) {
  Var* v = model_->newVar(name, sort, kind, r);
  if (!scopes_.empty()) scopes_.back()[name] = v;
  return v;
}

Var* Checker::lookupLocal(const std::string& name) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto f = it->find(name);
    if (f != it->end()) return f->second;
  }
  return nullptr;
}

bool Checker::isFlexible(const Expr* e) const {
  switch (e->kind) {
    case ExprKind::IntLit: return true;
    case ExprKind::SetLit:
    case ExprKind::SeqLit: return e->args.empty() || std::all_of(e->args.begin(), e->args.end(), [&](const Expr* a) {
                             return isFlexible(a);
                           });
    case ExprKind::Unary: return e->tok == Tok::Minus && isFlexible(e->args[0]);
    case ExprKind::Call: return e->name == "constant" && !e->callee;
    default: return false;
  }
}

Sort Checker::checkBool(Expr* e) {
  Sort s = check(e, model_->sorts.boolean());
  if (!isError(s) && s->kind != SortKind::Bool) diags_.error(e->range, "expected a Bool term, found sort " + sortName(s));
  return s;
}

void Checker::bindBinders(std::vector<Binder>& bs, VarKind kind) {
  for (Binder& b : bs) {
    Sort s = b.sort ? resolveSort(b.sort) : model_->sorts.error();
    b.var = declareLocal(b.name, s, kind, b.range);
  }
}

Sort Checker::check(Expr* e, Sort expected) {
  if (!e) return model_->sorts.error();
  if (e->op != Op::None) return e->sort;  // already checked (qualified paths rewrite in place)
  Sort s = model_->sorts.error();
  switch (e->kind) {
    case ExprKind::IntLit:
      e->op = Op::IntConst;
      if (expected && isUInt(expected)) {
        unsigned w = expected->width;
        if (w < 64 && e->intValue >= (uint64_t(1) << w))
          return fail(e, "literal " + std::to_string(e->intValue) + " does not fit in " + sortName(expected));
        s = expected;
      } else if (expected && isIntLike(expected)) {
        s = expected;
        if (e->intValue > static_cast<uint64_t>(INT64_MAX))
          return fail(e, "literal " + std::to_string(e->intValue) + " is too large for Int (max 2^63-1)");
      } else {
        if (e->intValue > static_cast<uint64_t>(INT64_MAX))
          return fail(e, "literal " + std::to_string(e->intValue) + " is too large for Int; give it a UInt64 context");
        s = model_->sorts.integer();
      }
      break;
    case ExprKind::BoolLit:
      e->op = Op::BoolConst;
      s = model_->sorts.boolean();
      break;
    case ExprKind::Name: s = checkName(e, expected); break;
    case ExprKind::Unary: s = checkUnary(e, expected); break;
    case ExprKind::Binary: s = checkBinary(e, expected); break;
    case ExprKind::Ite: {
      checkBool(e->args[0]);
      Expr* a = e->args[1];
      Expr* b = e->args[2];
      if (isFlexible(a) && !isFlexible(b)) {
        Sort sb = check(b, expected);
        check(a, sb);
      } else {
        Sort sa = check(a, expected);
        check(b, isError(sa) ? expected : sa);
      }
      s = checkSame(a, b, "branches of 'if'", e->range);
      if (isIntLike(a->sort) && isIntLike(b->sort) && a->sort != b->sort) s = model_->sorts.integer();
      e->op = Op::Ite;
      break;
    }
    case ExprKind::Quant: s = checkQuant(e); break;
    case ExprKind::Call: s = checkCall(e, expected); break;
    case ExprKind::Field: s = checkField(e, expected); break;
    case ExprKind::Index: s = checkIndex(e, expected); break;
    case ExprKind::Prime: {
      Expr* base = e->args[0];
      if (!allowPrime_) return fail(e, "primed variables are only allowed in 'ensuring' clauses");
      bool err = false;
      if (base->kind == ExprKind::Name) {
        Var* v = lookupLocal(base->name);
        if (!v || v->kind != VarKind::State)
          return fail(e, "only state variables can be primed; '" + base->name + "' is not a state variable");
        e->keepSurface();
        e->op = Op::Post;
        e->var = v;
        e->args.clear();
        s = v->sort;
      } else if (resolveStatePath(base, err) && base->op == Op::Var) {
        e->keepSurface();
        e->op = Op::Post;
        e->var = base->var;
        e->args.clear();
        s = e->var->sort;
      } else {
        return fail(e, "only state variables can be primed");
      }
      break;
    }
    case ExprKind::SeqLit:
    case ExprKind::SetLit: s = checkCollectionLit(e, expected); break;
    case ExprKind::Is: {
      Sort bs = check(e->args[0]);
      if (isError(bs)) return fail(e, "");
      if (bs->kind != SortKind::Union)
        return fail(e, "'is' tests the variant of a union, but this term has sort " + sortName(bs));
      int idx = bs->def->fieldIndex(e->name);
      if (idx < 0) return fail(e, "union " + sortName(bs) + " has no variant '" + e->name + "'");
      e->op = Op::UnionIs;
      e->index = idx;
      s = model_->sorts.boolean();
      break;
    }
    case ExprKind::Choose:
      return fail(e, "'choose' is only allowed as the whole right-hand side of an assignment or initial value");
    // (a term the parser could not read, reported there: no second error)
    case ExprKind::Error: return fail(e, diags_.hasErrors() ? "" : "invalid term");
  }
  e->sort = s;
  if (e->op == Op::None) e->op = Op::BoolConst;  // defensive: never leave a node unresolved
  return s;
}

Sort Checker::checkChoose(Expr* e, Sort expected) {
  pushScope();
  bindBinders(e->binders, VarKind::Bound);
  Sort s = e->binders[0].var->sort;
  if (!e->args.empty()) checkBool(e->args[0]);
  popScope();
  e->op = Op::Choose;
  e->sort = s;
  if (expected && !sortCompatible(expected, s))
    diags_.error(e->range, "'choose' yields sort " + sortName(s) + " but " + sortName(expected) + " is expected");
  return s;
}

Sort Checker::checkName(Expr* e, Sort expected) {
  if (Var* v = lookupLocal(e->name)) {
    e->op = Op::Var;
    e->var = v;
    return v->sort;
  }
  bool err = false;
  if (!flat_.empty() && resolveStatePath(e, err)) return e->sort;
  if (err) return fail(e, "");
  auto g = globals_.find(e->name);
  if (g != globals_.end()) {
    if (g->second.kind == GlobalSym::Const) {
      auto* c = static_cast<ConstDecl*>(g->second.decl);
      ensureConst(c);
      if (!c->var) return fail(e, "constant '" + e->name + "' is defined in terms of itself");
      e->op = Op::Var;
      e->var = c->var;
      return c->var->sort;
    }
    if (g->second.kind == GlobalSym::Function) {
      auto* f = static_cast<FunctionDecl*>(g->second.decl);
      if (f->params.empty()) {
        e->op = Op::FuncApp;
        e->fn = f;
        return f->result ? f->result->resolved : model_->sorts.error();
      }
      return fail(e, "function '" + e->name + "' needs " + std::to_string(f->params.size()) + " argument(s)");
    }
  }
  auto ev = enumValues_.find(e->name);
  if (ev != enumValues_.end()) {
    const auto& cands = ev->second;
    const std::pair<const TypeDef*, int>* pick = nullptr;
    if (cands.size() == 1) pick = &cands[0];
    else if (expected)
      for (const auto& c : cands)
        if (expected->kind == SortKind::Enum && expected->def == c.first) pick = &c;
    if (!pick) {
      std::string types;
      for (const auto& c : cands) types += (types.empty() ? "" : ", ") + c.first->name;
      return fail(e, "enumeration constant '" + e->name + "' is ambiguous (declared in " + types +
                         "); qualify it as Type." + e->name);
    }
    e->op = Op::EnumConst;
    e->index = pick->second;
    return model_->sorts.named(pick->first);
  }
  if (g != globals_.end()) {
    const char* what = g->second.kind == GlobalSym::Type        ? "a type"
                       : g->second.kind == GlobalSym::SortK     ? "a sort"
                       : g->second.kind == GlobalSym::Automaton ? "an automaton"
                                                                : "a stack";
    return fail(e, "'" + e->name + "' is " + what + ", not a term");
  }
  if (isBuiltinName(e->name)) return fail(e, "'" + e->name + "' is a built-in operator and needs arguments");
  return fail(e, "unknown name '" + e->name + "'" + termNameHint(e->name));
}

// "; did you mean 'kind'?" for a misspelt field of a tuple (in a constructor or after a dot).
static std::string fieldHint(const TypeDef* def, const std::string& name) {
  std::vector<std::string_view> cands;
  for (const TypeField& f : def->fields) cands.push_back(f.name);
  return didYouMean(name, cands);
}

// "; did you mean 'compute'?" for a misspelt action of `a` (a proof block's entry or fire).
std::string Checker::actionHint(const FlatAutomaton& a, const std::string& name) const {
  std::vector<std::string_view> cands;
  for (const FlatAction& act : a.actions) cands.push_back(act.name);
  return didYouMean(name, cands);
}

std::string Checker::termNameHint(const std::string& name) const {
  // a component's state variable named without its component (`x` in an invariant of a
  // composition whose components A and B both have an x): the qualified names
  std::vector<std::string> qualified;
  for (const FlatCtx& fc : flat_)
    for (const Var* v : fc.aut->state) {
      const std::string& q = v->name;
      if (q.size() > name.size() + 1 && q.compare(q.size() - name.size(), name.size(), name) == 0 &&
          q[q.size() - name.size() - 1] == '.' &&
          std::find(qualified.begin(), qualified.end(), q) == qualified.end())
        qualified.push_back(q);
    }
  if (!qualified.empty() && qualified.size() <= 6) {
    std::string out = "; a component's variable is named with its component: ";
    for (size_t k = 0; k < qualified.size(); ++k)
      out += (k == 0 ? "" : k + 1 == qualified.size() ? " or " : ", ") + qualified[k];
    return out;
  }
  std::vector<std::string_view> cands;
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it)  // innermost first
    for (const auto& [n, v] : *it) cands.push_back(n);
  for (const FlatCtx& fc : flat_)
    for (const Var* v : fc.aut->state) cands.push_back(v->name);
  for (const auto& [n, g] : globals_)
    if (g.kind == GlobalSym::Const || g.kind == GlobalSym::Function) cands.push_back(n);
  for (const auto& [n, defs] : enumValues_) cands.push_back(n);
  return didYouMean(name, cands);
}

Sort Checker::checkUnary(Expr* e, Sort expected) {
  Expr* a = e->args[0];
  if (e->tok == Tok::Not) {
    checkBool(a);
    e->op = Op::Not;
    return model_->sorts.boolean();
  }
  Sort s = check(a, expected && isNumeric(expected) ? expected : nullptr);
  if (isError(s)) return s;
  if (!isNumeric(s)) return fail(e, "unary '-' needs a number, found sort " + sortName(s));
  e->op = Op::Neg;
  return isUInt(s) ? s : model_->sorts.integer();
}

Sort Checker::checkSame(Expr* a, Expr* b, const char* what, SourceRange at) {
  Sort sa = a->sort, sb = b->sort;
  if (isError(sa) || isError(sb)) return model_->sorts.error();
  if (sortCompatible(sa, sb) || sortCompatible(sb, sa)) return isIntLike(sa) && isIntLike(sb) ? sa : sa;
  diags_.error(at, std::string("sort mismatch in ") + what + ": " + sortName(sa) + " and " + sortName(sb));
  return model_->sorts.error();
}

Sort Checker::checkArith(Expr* e, Op intOp) {
  Expr* a = e->args[0];
  Expr* b = e->args[1];
  if (isFlexible(a) && !isFlexible(b)) {
    Sort sb = check(b);
    check(a, sb);
  } else {
    Sort sa = check(a);
    check(b, sa);
  }
  Sort sa = a->sort, sb = b->sort;
  if (isError(sa) || isError(sb)) return model_->sorts.error();
  const char* opText = tokName(e->tok);
  if (!isNumeric(sa) || !isNumeric(sb))
    return fail(e, std::string("operator ") + opText + " needs numbers, found " + sortName(sa) + " and " +
                       sortName(sb));
  if (isUInt(sa) != isUInt(sb) || (isUInt(sa) && sa != sb))
    return fail(e, std::string("operands of ") + opText + " have different sorts " + sortName(sa) + " and " +
                       sortName(sb) + "; convert one with Int(x) or " + (isUInt(sa) ? sortName(sa) : sortName(sb)) +
                       "(x)");
  e->op = intOp;
  return isUInt(sa) ? sa : model_->sorts.integer();
}

Sort Checker::checkBinary(Expr* e, Sort expected) {
  Expr* a = e->args[0];
  Expr* b = e->args[1];
  SortTable& st = model_->sorts;
  switch (e->tok) {
    case Tok::And:
    case Tok::Or:
    case Tok::Implies:
    case Tok::Iff:
      checkBool(a);
      checkBool(b);
      e->op = e->tok == Tok::And ? Op::And : e->tok == Tok::Or ? Op::Or : e->tok == Tok::Implies ? Op::Implies : Op::Iff;
      return st.boolean();
    case Tok::Eq:
    case Tok::Neq: {
      // `{}` or `[]` compared with a term that has an error of its own: no second error about it
      auto against = [&](Expr* x, Sort other) {
        if (isError(other) && isFlexible(x)) x->sort = st.error();
        else check(x, isError(other) ? nullptr : other);
      };
      if (isFlexible(a) && !isFlexible(b)) against(a, check(b));
      else against(b, check(a));
      if (!isError(a->sort) && !isError(b->sort) && !sortCompatible(a->sort, b->sort) &&
          !sortCompatible(b->sort, a->sort))
        diags_.error(e->range, "cannot compare " + sortName(a->sort) + " with " + sortName(b->sort));
      e->op = e->tok == Tok::Eq ? Op::Eq : Op::Neq;
      return st.boolean();
    }
    case Tok::Lt:
    case Tok::Le:
    case Tok::Gt:
    case Tok::Ge: {
      Sort s = checkArith(e, Op::Lt);
      if (isError(s)) {
        e->op = Op::Lt;
        return st.boolean();
      }
      e->op = e->tok == Tok::Lt ? Op::Lt : e->tok == Tok::Le ? Op::Le : e->tok == Tok::Gt ? Op::Gt : Op::Ge;
      return st.boolean();
    }
    case Tok::Plus: return checkArith(e, Op::Add);
    case Tok::Star: return checkArith(e, Op::Mul);
    case Tok::KwDiv: return checkArith(e, Op::Div);
    case Tok::KwMod: return checkArith(e, Op::Mod);
    case Tok::Minus: {
      // `-` is also set difference
      Sort sa = isFlexible(a) ? nullptr : check(a, expected);
      if (sa && !isError(sa) && (sa->kind == SortKind::Set || sa->kind == SortKind::Mset)) {
        check(b, sa);
        checkSame(a, b, "set difference", e->range);
        e->op = Op::SetDiff;
        return sa;
      }
      return checkArith(e, Op::Sub);
    }
    case Tok::KwBand:
    case Tok::KwBor:
    case Tok::KwBxor:
    case Tok::KwShl:
    case Tok::KwShr: {
      Op op = e->tok == Tok::KwBand  ? Op::BAnd
              : e->tok == Tok::KwBor ? Op::BOr
              : e->tok == Tok::KwBxor ? Op::BXor
              : e->tok == Tok::KwShl ? Op::Shl
                                      : Op::Shr;
      Sort s = checkArith(e, op);
      if (!isError(s) && !isUInt(s))
        return fail(e, std::string("bitwise operator ") + tokName(e->tok) + " needs UInt8/16/32/64 operands, found " +
                           sortName(s));
      return s;
    }
    case Tok::In: {
      Sort sb = check(b);
      if (isError(sb)) {
        check(a);
        e->op = Op::SetIn;
        return st.boolean();
      }
      if (sb->kind != SortKind::Seq && sb->kind != SortKind::Set && sb->kind != SortKind::Mset) {
        check(a);
        fail(e, "'\\in' needs a sequence, set or multiset on the right, found " + sortName(sb));
        return st.boolean();
      }
      Sort sa = check(a, sb->elem());
      expectSort(a, sa, sb->elem(), "an element");
      e->op = sb->kind == SortKind::Seq ? Op::SeqIn : sb->kind == SortKind::Set ? Op::SetIn : Op::MsetIn;
      return st.boolean();
    }
    case Tok::Subseteq: {
      Sort sa = check(a);
      check(b, sa);
      Sort s = checkSame(a, b, "'\\subseteq'", e->range);
      if (!isError(s) && s->kind != SortKind::Set) fail(e, "'\\subseteq' needs sets, found " + sortName(s));
      e->op = Op::SetSubseteq;
      return st.boolean();
    }
    case Tok::UnionOp:
    case Tok::Intersect: {
      Sort sa = isFlexible(a) ? nullptr : check(a, expected);
      if (!sa) {
        Sort sb = check(b, expected);
        sa = check(a, sb);
      } else {
        check(b, sa);
      }
      Sort s = checkSame(a, b, tokName(e->tok), e->range);
      if (isError(s)) return s;
      if (s->kind == SortKind::Set) {
        e->op = e->tok == Tok::UnionOp ? Op::SetUnion : Op::SetIntersect;
        return s;
      }
      if (s->kind == SortKind::Mset && e->tok == Tok::UnionOp) {
        e->op = Op::MsetUnion;
        return s;
      }
      return fail(e, std::string(tokName(e->tok)) + " needs sets, found " + sortName(s));
    }
    case Tok::Append: {
      Sort sa = check(a, expected && expected->kind == SortKind::Seq ? expected : nullptr);
      if (isError(sa)) {
        check(b);
        return sa;
      }
      if (sa->kind != SortKind::Seq) {
        check(b);
        return fail(e, "'|-' appends an element to a sequence, but the left operand has sort " + sortName(sa));
      }
      Sort sb = check(b, sa->elem());
      expectSort(b, sb, sa->elem(), "an element");
      e->op = Op::Append;
      return sa;
    }
    case Tok::Prepend: {
      Sort sb = check(b, expected && expected->kind == SortKind::Seq ? expected : nullptr);
      if (isError(sb)) {
        check(a);
        return sb;
      }
      if (sb->kind != SortKind::Seq) {
        check(a);
        return fail(e, "'-|' prepends an element to a sequence, but the right operand has sort " + sortName(sb));
      }
      Sort sa = check(a, sb->elem());
      expectSort(a, sa, sb->elem(), "an element");
      e->op = Op::Prepend;
      return sb;
    }
    case Tok::Concat: {
      Sort want = expected && expected->kind == SortKind::Seq ? expected : nullptr;
      Sort sa = isFlexible(a) ? nullptr : check(a, want);
      if (!sa) {
        Sort sb = check(b, want);
        check(a, sb);
      } else {
        check(b, sa);
      }
      if ((a->sort && a->sort->kind == SortKind::Bool) || (b->sort && b->sort->kind == SortKind::Bool)) {
        // C's `||` between Boolean terms: point at the operator and name the dialect's `\/`
        const std::string& text = diags_.sources().file(e->range.file).text();
        uint32_t at = a->range.end;
        while (at < b->range.begin && text[at] != '|') ++at;
        diags_.error({e->range.file, at, at + 2}, orForConcatMessage());
        e->sort = st.error();
        e->op = Op::BoolConst;
        return e->sort;
      }
      Sort s = checkSame(a, b, "'||'", e->range);
      if (!isError(s) && s->kind != SortKind::Seq) return fail(e, "'||' concatenates sequences, found " + sortName(s));
      e->op = Op::Concat;
      return s;
    }
    default: return fail(e, "unsupported operator");
  }
}

Sort Checker::checkQuant(Expr* e) {
  pushScope();
  bindBinders(e->binders, VarKind::Bound);
  checkBool(e->args[0]);
  popScope();
  e->op = e->boolValue ? Op::Forall : Op::Exists;
  return model_->sorts.boolean();
}

Sort Checker::checkCollectionLit(Expr* e, Sort expected) {
  SortTable& st = model_->sorts;
  bool isSeq = e->kind == ExprKind::SeqLit;
  if (e->args.empty()) {
    if (expected && isError(expected)) return fail(e, "");  // (a sort with an error of its own, said there)
    if (!expected) {
      return fail(e, std::string("cannot infer the sort of '") + (isSeq ? "[]" : "{}") +
                         "' here; compare it with a term of known sort or use it where a sort is expected");
    }
    switch (expected->kind) {
      case SortKind::Seq: e->op = Op::SeqEmpty; return expected;
      case SortKind::Set:
        if (isSeq) break;
        e->op = Op::SetEmpty;
        return expected;
      case SortKind::Mset:
        if (isSeq) break;
        e->op = Op::MsetEmpty;
        return expected;
      case SortKind::Map:  // no key defined (since 2026-12-04)
        if (isSeq) break;
        e->op = Op::MapEmpty;
        return expected;
      default: break;
    }
    return fail(e, std::string("'") + (isSeq ? "[]" : "{}") + "' cannot have sort " + sortName(expected));
  }
  Sort elem = nullptr;
  if (expected && (expected->kind == SortKind::Seq || expected->kind == SortKind::Set ||
                   expected->kind == SortKind::Mset))
    elem = expected->elem();
  for (Expr* a : e->args) {
    Sort s = check(a, elem);
    if (!elem || isError(elem)) elem = s;
    else expectSort(a, s, elem, "an element");
  }
  if (isError(elem)) return elem;
  if (isIntLike(elem) && !(expected && expected->kind != SortKind::Error)) elem = st.integer();
  if (isSeq) {
    e->op = Op::SeqLit;
    return st.seq(elem);
  }
  if (expected && expected->kind == SortKind::Seq) {
    e->op = Op::SeqLit;  // IOA writes sequence literals with braces too
    return expected;
  }
  if (expected && expected->kind == SortKind::Mset) {
    e->op = Op::MsetLit;
    return st.mset(elem);
  }
  e->op = Op::SetLit;
  return st.set(elem);
}

Sort Checker::headerSortFor(Expr* callee, SourceRange at) {
  if (callee) {
    // Layer.hdr(m): a named layer's header
    Expr* base = callee->args.empty() ? nullptr : callee->args[0];
    if (base && base->kind == ExprKind::Name) {
      auto g = globals_.find(base->name);
      if (g != globals_.end() && g->second.kind == GlobalSym::Automaton) {
        auto* d = static_cast<const AutomatonDecl*>(g->second.decl);
        auto h = layerHeaders_.find(d);
        if (h != layerHeaders_.end()) return h->second;
        diags_.error(base->range, "'" + base->name + "' is not a layer with a header");
        return nullptr;
      }
    }
    diags_.error(at, "expected a layer name before '." + callee->name + "'");
    return nullptr;
  }
  if (currentLayer_) {
    auto h = layerHeaders_.find(currentLayer_);
    if (h != layerHeaders_.end()) return h->second;
    diags_.error(at, "layer '" + currentLayer_->name + "' has no 'header' clause");
    return nullptr;
  }
  diags_.error(at, "header operations outside a layer must name the layer, e.g. Seqno.hdr(m)");
  return nullptr;
}

Sort Checker::checkBuiltin(Expr* e, Sort expected, bool& handled) {
  SortTable& st = model_->sorts;
  const std::string& n = e->name;
  handled = true;
  auto arity = [&](size_t k) {
    if (e->args.size() != k) {
      fail(e, "'" + n + "' takes " + std::to_string(k) + " argument(s), found " + std::to_string(e->args.size()));
      return false;
    }
    for (const auto& an : e->argNames)
      if (!an.empty()) {
        fail(e, "'" + n + "' does not take named arguments");
        return false;
      }
    return true;
  };
  auto seqArg = [&](Expr* a, Sort want) -> Sort {
    Sort s = check(a, want);
    if (isError(s)) return nullptr;
    if (s->kind != SortKind::Seq) {
      diags_.error(a->range, "'" + n + "' needs a sequence, found sort " + sortName(s));
      return nullptr;
    }
    return s;
  };
  auto collArg = [&](Expr* a, Sort want, bool allowSeq) -> Sort {
    Sort s = check(a, want);
    if (isError(s)) return nullptr;
    if (s->kind != SortKind::Set && s->kind != SortKind::Mset && !(allowSeq && s->kind == SortKind::Seq)) {
      diags_.error(a->range, "'" + n + "' needs a set or multiset, found sort " + sortName(s));
      return nullptr;
    }
    return s;
  };
  auto msgArg = [&](Expr* a) -> bool {
    Sort s = check(a, st.msg());
    if (isError(s)) return false;
    if (s->kind != SortKind::Msg) {
      diags_.error(a->range, "'" + n + "' needs a Msg, found sort " + sortName(s));
      return false;
    }
    return true;
  };
  if (n == "head" || n == "last" || n == "tail" || n == "init" || n == "len") {
    if (!arity(1)) return st.error();
    Sort want = expected && (n == "tail" || n == "init") ? expected : nullptr;
    Sort s = seqArg(e->args[0], want && want->kind == SortKind::Seq ? want : nullptr);
    if (!s) return st.error();
    if (n == "head") e->op = Op::Head;
    if (n == "last") e->op = Op::Last;
    if (n == "tail") e->op = Op::Tail;
    if (n == "init") e->op = Op::Init;
    if (n == "len") {
      e->op = Op::Len;
      return st.nat();
    }
    return (n == "head" || n == "last") ? s->elem() : s;
  }
  if (n == "sub") {
    if (!arity(3)) return st.error();
    Sort s = seqArg(e->args[0], expected && expected->kind == SortKind::Seq ? expected : nullptr);
    Sort i = check(e->args[1], st.integer());
    Sort k = check(e->args[2], st.integer());
    if (!isError(i) && !isIntLike(i)) diags_.error(e->args[1]->range, "'sub' needs an Int start, found " + sortName(i));
    if (!isError(k) && !isIntLike(k)) diags_.error(e->args[2]->range, "'sub' needs an Int length, found " + sortName(k));
    e->op = Op::SubSeq;
    return s ? s : st.error();
  }
  if (n == "insert" || n == "delete") {
    if (!arity(2)) return st.error();
    Sort s = collArg(e->args[1], expected, false);
    if (!s) {
      check(e->args[0]);
      return st.error();
    }
    Sort el = check(e->args[0], s->elem());
    expectSort(e->args[0], el, s->elem(), "an element");
    bool set = s->kind == SortKind::Set;
    e->op = n == "insert" ? (set ? Op::SetInsert : Op::MsetInsert) : (set ? Op::SetDelete : Op::MsetDelete);
    return s;
  }
  if (n == "size") {
    if (!arity(1)) return st.error();
    Sort s = collArg(e->args[0], nullptr, false);
    if (!s) return st.error();
    e->op = s->kind == SortKind::Set ? Op::SetSize : Op::MsetSize;
    return st.nat();
  }
  if (n == "count") {
    if (!arity(2)) return st.error();
    Sort s = collArg(e->args[1], nullptr, false);
    if (!s) return st.error();
    if (s->kind != SortKind::Mset) return fail(e, "'count' needs a multiset, found " + sortName(s));
    check(e->args[0], s->elem());
    expectSort(e->args[0], e->args[0]->sort, s->elem(), "an element");
    e->op = Op::MsetCount;
    return st.nat();
  }
  if (n == "update") {
    if (!arity(3)) return st.error();
    Sort m = check(e->args[0], expected);
    if (isError(m)) {
      check(e->args[1]);
      check(e->args[2]);
      return st.error();
    }
    if (m->kind == SortKind::Seq) {
      Sort i = check(e->args[1], st.integer());
      if (!isError(i) && !isIntLike(i)) diags_.error(e->args[1]->range, "sequence index must be an Int");
      check(e->args[2], m->elem());
      expectSort(e->args[2], e->args[2]->sort, m->elem(), "an element");
      e->op = Op::MapUpdate;
      return m;
    }
    if (m->kind != SortKind::Map && m->kind != SortKind::Array)
      return fail(e, "'update' needs a map, array or sequence, found " + sortName(m));
    check(e->args[1], m->key());
    expectSort(e->args[1], e->args[1]->sort, m->key(), "a key");
    check(e->args[2], m->value());
    expectSort(e->args[2], e->args[2]->sort, m->value(), "a value");
    e->op = Op::MapUpdate;
    return m;
  }
  if (n == "defined") {
    if (!arity(2)) return st.error();
    Sort m = check(e->args[0]);
    if (isError(m)) return st.boolean();
    if (m->kind != SortKind::Map && m->kind != SortKind::Array)
      return fail(e, "'defined' needs a map, found " + sortName(m));
    check(e->args[1], m->key());
    expectSort(e->args[1], e->args[1]->sort, m->key(), "a key");
    e->op = Op::MapDefined;
    return st.boolean();
  }
  if (n == "constant") {
    if (!arity(1)) return st.error();
    if (!expected || isError(expected) || (expected->kind != SortKind::Map && expected->kind != SortKind::Array)) {
      check(e->args[0]);
      // (a sort with an error of its own, said there: not again here)
      if (expected && isError(expected)) return fail(e, "");
      return fail(e, "cannot infer the map sort of 'constant(...)' here; use it where a Map or Array is expected");
    }
    check(e->args[0], expected->value());
    expectSort(e->args[0], e->args[0]->sort, expected->value(), "a value");
    e->op = Op::MapConst;
    return expected;
  }
  if (n == "min" || n == "max") {
    if (!arity(2)) return st.error();
    e->tok = Tok::Plus;
    Sort s = checkArith(e, Op::Add);
    if (isError(s)) return s;
    // min/max as if-then-else, so every later stage already understands them
    Expr* a = e->args[0];
    Expr* b = e->args[1];
    Expr* cmp = build_.app(n == "min" ? Op::Le : Op::Ge, st.boolean(), {a, b}, e->range);
    e->keepSurface();
    e->op = Op::Ite;
    e->args = {cmp, a, b};
    return s;
  }
  if (n == "msg") {
    if (!arity(1)) return st.error();
    Sort s = check(e->args[0], st.bytes());
    expectSort(e->args[0], s, st.bytes(), "a payload");
    e->op = Op::MsgMake;
    return st.msg();
  }
  if (n == "checksum16") {
    if (!arity(1)) return st.error();
    Sort s = check(e->args[0], st.bytes());
    expectSort(e->args[0], s, st.bytes(), "bytes");
    e->op = Op::Checksum16;
    return st.uint(16);
  }
  if (n == "payload") {
    if (!arity(1)) return st.error();
    msgArg(e->args[0]);
    e->op = Op::MsgPayload;
    return st.bytes();
  }
  if (n == "push") {
    if (!arity(2)) return st.error();
    msgArg(e->args[0]);
    Sort h = headerSortFor(e->callee, e->range);
    if (!h) {
      check(e->args[1]);
      return st.msg();
    }
    Sort hs = check(e->args[1], h);
    expectSort(e->args[1], hs, h, "a header");
    e->op = Op::MsgPush;
    e->aux = h;
    return st.msg();
  }
  if (n == "hdr" || n == "pop" || n == "hashdr") {
    if (!arity(1)) return st.error();
    msgArg(e->args[0]);
    Sort h = headerSortFor(e->callee, e->range);
    if (!h) return st.error();
    if (n == "hdr") {
      e->op = Op::MsgHdr;
      e->aux = h;
      return h;
    }
    if (n == "hashdr") {
      // hashdr(m): the top header is this layer's (the definedness condition of hdr and pop)
      e->op = Op::MsgHasHdr;
      e->aux = h;
      return st.boolean();
    }
    e->op = Op::MsgPop;
    e->aux = h;
    return st.msg();
  }
  handled = false;
  return nullptr;
}

Sort Checker::checkCall(Expr* e, Sort expected) {
  SortTable& st = model_->sorts;
  if (e->callee) {
    Expr* base = e->callee->args[0];
    // Layer.hdr(m), Layer.push(m, h), Layer.pop(m)
    if (base->kind == ExprKind::Name && (e->name == "hdr" || e->name == "pop" || e->name == "push" || e->name == "hashdr")) {
      auto g = globals_.find(base->name);
      if (g != globals_.end() && g->second.kind == GlobalSym::Automaton) {
        bool handled = false;
        Sort s = checkBuiltin(e, expected, handled);
        return s;
      }
    }
    // Union.variant(v)
    if (base->kind == ExprKind::Name && !lookupLocal(base->name)) {
      auto g = globals_.find(base->name);
      if (g != globals_.end() && g->second.kind == GlobalSym::Type) {
        auto* td = static_cast<TypeDecl*>(g->second.decl);
        Sort u = td->resolved;
        if (isError(u)) return st.error();
        if (u->kind != SortKind::Union)
          return fail(e, "'" + base->name + "." + e->name + "(...)' builds a union variant, but " + base->name +
                             " is not a union");
        int idx = u->def->fieldIndex(e->name);
        if (idx < 0) return fail(e, "union " + base->name + " has no variant '" + e->name + "'");
        if (e->args.size() != 1)
          return fail(e, "variant constructor " + base->name + "." + e->name + " takes exactly one argument");
        Sort vs = u->def->fields[idx].sort;
        Sort as = check(e->args[0], vs);
        expectSort(e->args[0], as, vs, "a variant value");
        e->op = Op::UnionMake;
        e->index = idx;
        return u;
      }
    }
    for (Expr* a : e->args) check(a);
    // `Msg.prep(r)` after `type Msg = union of ...` was refused: that error said it all (until
    // 2026-12-04 every use of a variant added another)
    if (base->kind == ExprKind::Name && rejected_.count(base->name)) return fail(e, "");
    return fail(e, "cannot call '" + e->name + "' here (only union variants like Frame.ack(5) and layer header "
                                              "operations like Seqno.hdr(m) are called with a qualifier)");
  }
  const std::string& n = e->name;
  if (Var* v = lookupLocal(n)) {
    (void)v;
    for (Expr* a : e->args) check(a);
    return fail(e, "'" + n + "' is a variable, not a function");
  }
  // conversions
  if (n == "Int" || n == "Nat" || n == "UInt8" || n == "UInt16" || n == "UInt32" || n == "UInt64") {
    if (e->args.size() != 1) return fail(e, "conversion " + n + "(x) takes one argument");
    Sort s = check(e->args[0]);
    if (isError(s)) return st.error();
    if (!isNumeric(s)) return fail(e, "conversion " + n + "(x) needs a number, found " + sortName(s));
    if (n == "Int" || n == "Nat") {
      e->op = Op::ToInt;
      return n == "Int" ? st.integer() : st.nat();
    }
    e->op = Op::ToUInt;
    return st.uint(static_cast<unsigned>(std::stoul(n.substr(4))));
  }
  bool handled = false;
  Sort bs = checkBuiltin(e, expected, handled);
  if (handled) return bs;
  // tuple constructors (the layer's own header is `Header`)
  Sort tupleSort = nullptr;
  auto g = globals_.find(n);
  if (n == "Header" && currentLayer_ && (g == globals_.end() || g->second.kind != GlobalSym::Type)) {
    auto h = layerHeaders_.find(currentLayer_);
    if (h == layerHeaders_.end()) return fail(e, "layer '" + currentLayer_->name + "' has no 'header' clause");
    tupleSort = h->second;
  } else if (g != globals_.end() && g->second.kind == GlobalSym::Type) {
    tupleSort = static_cast<TypeDecl*>(g->second.decl)->resolved;
    if (isError(tupleSort)) return st.error();
    if (tupleSort->kind == SortKind::Union)
      return fail(e, "build a union value with a variant constructor, e.g. " + n + "." +
                         (tupleSort->def->fields.empty() ? std::string("v") : tupleSort->def->fields[0].name) + "(...)");
  }
  if (tupleSort) {
    if (tupleSort->kind != SortKind::Tuple)
      return fail(e, "'" + n + "' is the sort " + sortName(tupleSort) + ", not a tuple constructor");
    const TypeDef* def = tupleSort->def;
    if (e->args.size() != def->fields.size())
      return fail(e, "tuple " + sortName(tupleSort) + " has " + std::to_string(def->fields.size()) + " field(s), found " +
                         std::to_string(e->args.size()) + " argument(s)");
    bool named = !e->argNames.empty() && !e->argNames[0].empty();
    std::vector<Expr*> ordered(def->fields.size(), nullptr);
    for (size_t i = 0; i < e->args.size(); ++i) {
      const std::string& an = i < e->argNames.size() ? e->argNames[i] : std::string();
      if (named != !an.empty())
        return fail(e, "mix of named and positional arguments in the constructor of " + sortName(tupleSort));
      int idx = named ? def->fieldIndex(an) : static_cast<int>(i);
      if (idx < 0) return fail(e->args[i], "tuple " + sortName(tupleSort) + " has no field '" + an + "'" + fieldHint(def, an));
      if (ordered[idx]) return fail(e->args[i], "field '" + an + "' given twice");
      ordered[idx] = e->args[i];
      Sort fs = def->fields[idx].sort;
      Sort as = check(e->args[i], fs);
      if (!isError(as) && !isError(fs) && !sortCompatible(fs, as))
        diags_.error(e->args[i]->range, "field '" + def->fields[idx].name + "' of " + sortName(tupleSort) +
                                            " has sort " + sortName(fs) + ", found " + sortName(as));
    }
    e->keepSurface();
    e->args = ordered;
    e->argNames.clear();
    e->op = Op::TupleMake;
    return tupleSort;
  }
  if (g != globals_.end() && g->second.kind == GlobalSym::Function) {
    auto* f = static_cast<FunctionDecl*>(g->second.decl);
    if (e->args.size() != f->params.size())
      return fail(e, "function '" + n + "' takes " + std::to_string(f->params.size()) + " argument(s), found " +
                         std::to_string(e->args.size()));
    for (size_t i = 0; i < e->args.size(); ++i) {
      Sort ps = f->params[i].var ? f->params[i].var->sort : st.error();
      Sort as = check(e->args[i], ps);
      if (!isError(as) && !isError(ps) && !sortCompatible(ps, as))
        diags_.error(e->args[i]->range, "argument " + std::to_string(i + 1) + " of '" + n + "' must have sort " +
                                            sortName(ps) + ", found " + sortName(as));
    }
    for (const FunctionDecl* open : functionStack_)
      if (open == f) return fail(e, "recursive function '" + n + "' is not supported (definitions are unfolded)");
    e->op = Op::FuncApp;
    e->fn = f;
    return f->result && f->result->resolved ? f->result->resolved : st.error();
  }
  for (Expr* a : e->args) check(a);
  if (g != globals_.end()) return fail(e, "'" + n + "' is not a function");
  if (rejected_.count(n)) return fail(e, "");  // the constructor of a refused type (reported there)
  return fail(e, "unknown function '" + n + "'" + functionNameHint(n));
}

// Other languages' names of built-in operations (`length(s)`, `append(s, x)`): the dialect's
// spelling; otherwise a declared function or built-in close to the name.
std::string Checker::functionNameHint(const std::string& n) const {
  static const std::pair<const char*, const char*> kOther[] = {
      {"length", "len(s)"},        {"size_of", "len(s) or size(S)"}, {"append", "s |- x"},
      {"push_back", "s |- x"},     {"enqueue", "s |- x"},            {"prepend", "x -| s"},
      {"push_front", "x -| s"},    {"first", "head(s)"},             {"front", "head(s)"},
      {"rest", "tail(s)"},         {"dequeue", "tail(s)"},           {"pop_front", "tail(s)"},
      {"contains", "x \\in S"},   {"member", "x \\in S"},          {"elem", "x \\in S"},
      {"add", "insert(x, S)"},     {"remove", "delete(x, S)"},       {"erase", "delete(x, S)"},
      {"union", "S \\union T"},   {"concat", "s || t"},              {"card", "size(S)"},
      {"cardinality", "size(S)"},  {"nth", "s[i]"},                  {"get", "m[k]"},
      {"put", "update(m, k, v)"},  {"set", "update(m, k, v)"},       {"has_key", "defined(m, k)"}};
  for (const auto& [other, ours] : kOther)
    if (n == other) return std::string("; the dialect writes ") + ours;
  std::vector<std::string_view> cands;
  for (const char* b : kBuiltins) cands.push_back(b);
  for (const auto& [name, g] : globals_)
    if (g.kind == GlobalSym::Function) cands.push_back(name);
  return didYouMean(n, cands);
}

// Reads Name/Field/Index chains as state variables of the flat automata in
// scope: `Channel.buffer`, `S.queue`, `ABP.S.queue`, `P[i].clock`.
bool Checker::resolveStatePath(Expr* e, bool& error) {
  if (flat_.empty()) return false;
  std::vector<Expr*> chain;  // outermost first
  Expr* x = e;
  while (x->op == Op::None && (x->kind == ExprKind::Field || (x->kind == ExprKind::Index && x->tok != Tok::DotDot))) {
    chain.push_back(x);
    x = x->args[0];
  }
  if (x->op != Op::None || x->kind != ExprKind::Name || lookupLocal(x->name)) return false;
  struct Seg {
    std::string name;
    Expr* node;                  // the node ending this segment (Name or Field)
    std::vector<Expr*> indices;  // Index nodes directly after it
  };
  std::vector<Seg> segs;
  segs.push_back({x->name, x, {}});
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    Expr* n = *it;
    if (n->kind == ExprKind::Field) segs.push_back({n->name, n, {}});
    else segs.back().indices.push_back(n);
  }
  std::vector<const FlatCtx*> cands;
  size_t first = 0;
  for (const FlatCtx& fc : flat_)
    for (const std::string& q : fc.qualifiers)
      if (q == segs[0].name && segs[0].indices.empty() && segs.size() > 1) {
        cands.push_back(&fc);
        first = 1;
      }
  if (cands.empty())
    for (const FlatCtx& fc : flat_) cands.push_back(&fc);

  struct Match {
    const FlatAutomaton* aut;
    Var* var;
    size_t lastSeg;
  };
  std::vector<Match> matches;
  for (const FlatCtx* fc : cands) {
    std::string name;
    for (size_t k = first; k < segs.size(); ++k) {
      name += (k == first ? "" : ".") + segs[k].name;
      int si = fc->aut->findState(name);
      if (si >= 0) {
        matches.push_back({fc->aut, fc->aut->state[si], k});
        break;
      }
    }
    if (matches.empty() || matches.back().aut != fc->aut) {
      // unqualified variable of a component: `queue` for `S.queue`, when unique
      if (segs.size() - first >= 1) {
        Var* found = nullptr;
        int count = 0;
        for (Var* v : fc->aut->state) {
          const std::string& vn = v->name;
          std::string suffix = "." + segs[first].name;
          if (vn.size() > suffix.size() && vn.compare(vn.size() - suffix.size(), suffix.size(), suffix) == 0 &&
              (v->sort->kind != SortKind::Array || vn.find('.') == vn.rfind('.'))) {
            found = v;
            ++count;
          }
        }
        if (count == 1 && fc->aut->findState(segs[first].name) < 0) {
          // only when the component is not an array (array vars need their index)
          bool isArrayComponent = false;
          for (const FlatComponent& c : fc->aut->components)
            if (!c.indexSorts.empty() && found->name.rfind(c.name + ".", 0) == 0) isArrayComponent = true;
          if (!isArrayComponent) matches.push_back({fc->aut, found, first});
        }
      }
    }
  }
  if (matches.empty()) {
    // `Spec.totl` or `A.Seqno.pendng`: a path into an automaton or a component that names no
    // state variable, said with the closest variable (not "'Spec' is an automaton, not a term")
    if (segs.size() < 2) return false;
    if (first == 1)
      for (const FlatCtx* fc : cands)
        for (const Var* p : fc->aut->params)
          if (p->name == segs[1].name) {
            diags_.error(e->range, "'" + p->name + "' is a parameter of " + segs[0].name + ": name it without '" +
                                       segs[0].name + ".'");
            error = true;
            return false;
          }
    auto hasPrefix = [&](const std::string& prefix) {
      for (const FlatCtx* fc : cands)
        for (const Var* v : fc->aut->state)
          if (v->name.size() > prefix.size() && v->name.compare(0, prefix.size(), prefix) == 0) return true;
      return false;
    };
    // the components the path goes through (`A.Seqno.`), then the segment that names nothing
    std::string prefix;
    size_t bad = first;
    while (bad + 1 < segs.size() && hasPrefix(prefix + segs[bad].name + ".")) prefix += segs[bad++].name + ".";
    if (first == 0 && (prefix.empty() || globals_.count(segs[0].name))) return false;  // not a component's name
    std::vector<std::string> names;  // what the segment could have meant: the next segment of a variable
    bool inner = false;              // some of them are components
    for (const FlatCtx* fc : cands)
      for (const Var* v : fc->aut->state)
        if (v->name.size() > prefix.size() && v->name.compare(0, prefix.size(), prefix) == 0) {
          std::string next = v->name.substr(prefix.size());
          if (next.find('.') != std::string::npos) inner = true;
          next = next.substr(0, next.find('.'));
          if (std::find(names.begin(), names.end(), next) == names.end()) names.push_back(next);
        }
    std::string where =
        prefix.empty() ? "automaton " + segs[0].name : "component " + prefix.substr(0, prefix.size() - 1);
    std::vector<std::string_view> views(names.begin(), names.end());
    diags_.error(segs[bad].node->range,
                 where + " has no state variable " + (inner ? "or component '" : "'") + segs[bad].name + "'" + didYouMean(segs[bad].name, views));
    error = true;
    return false;
  }
  if (matches.size() > 1 && preferredOwner_) {
    std::vector<Match> own;
    for (const Match& m : matches)
      if (m.aut == preferredOwner_) own.push_back(m);
    if (own.size() == 1) matches = own;
  }
  if (matches.size() > 1) {
    std::string names;
    for (const Match& m : matches) names += (names.empty() ? "" : " and ") + m.aut->declName + "." + m.var->name;
    diags_.error(e->range, "'" + segs[first].name + "' is ambiguous: it could be " + names + "; qualify it");
    error = true;
    return false;
  }
  const Match& m = matches[0];
  // component-array indices: on segments before the variable's last segment
  Expr* result = build_.var(m.var, segs[m.lastSeg].node->range);
  size_t compIndexCount = 0;
  for (size_t k = first; k < m.lastSeg; ++k) compIndexCount += segs[k].indices.size();
  Sort cur = m.var->sort;
  for (size_t k = first; k < m.lastSeg; ++k)
    for (Expr* idx : segs[k].indices) {
      if (idx->args.size() != 2) {
        diags_.error(idx->range, "a component index takes exactly one value");
        error = true;
        return false;
      }
      if (cur->kind != SortKind::Array) {
        diags_.error(idx->range, "'" + segs[k].name + "' is not a component array");
        error = true;
        return false;
      }
      Sort is = check(idx->args[1], cur->key());
      expectSort(idx->args[1], is, cur->key(), "a component index");
      result = build_.select(result, idx->args[1]);
      result->range = SourceRange::join(segs[first].node->range, idx->range);
      cur = cur->value();
    }
  (void)compIndexCount;
  Expr* target = segs[m.lastSeg].node;
  target->keepSurface();
  target->op = result->op;
  target->var = result->var;
  target->args = result->args;
  target->sort = result->sort;
  // Index nodes after the variable (ordinary indexing) are checked by the caller chain.
  if (target == e) return true;
  check(e);  // the outer nodes: ordinary field and index accesses on the resolved variable
  return true;
}

Sort Checker::checkField(Expr* e, Sort expected) {
  Expr* base = e->args[0];
  // Type.constant for enumerations
  if (base->kind == ExprKind::Name && !lookupLocal(base->name)) {
    auto g = globals_.find(base->name);
    if (g != globals_.end() && g->second.kind == GlobalSym::Type) {
      Sort t = static_cast<TypeDecl*>(g->second.decl)->resolved;
      if (isError(t)) return model_->sorts.error();
      if (t->kind == SortKind::Enum) {
        int idx = t->def->valueIndex(e->name);
        if (idx < 0) return fail(e, "enumeration " + base->name + " has no constant '" + e->name + "'");
        e->keepSurface();
        e->op = Op::EnumConst;
        e->index = idx;
        e->args.clear();
        return t;
      }
      if (t->kind == SortKind::Union)
        return fail(e, "union variant " + base->name + "." + e->name + " needs its value: " + base->name + "." +
                           e->name + "(...)");
    }
  }
  bool err = false;
  if (resolveStatePath(e, err)) return e->sort;
  if (err) return fail(e, "");
  Sort bs = check(base);
  if (isError(bs)) return bs;
  if (bs->kind == SortKind::Tuple) {
    int idx = bs->def->fieldIndex(e->name);
    if (idx < 0) return fail(e, "tuple " + sortName(bs) + " has no field '" + e->name + "'" + fieldHint(bs->def, e->name));
    e->op = Op::TupleGet;
    e->index = idx;
    return bs->def->fields[idx].sort;
  }
  if (bs->kind == SortKind::Union) {
    int idx = bs->def->fieldIndex(e->name);
    if (idx < 0) return fail(e, "union " + sortName(bs) + " has no variant '" + e->name + "'");
    e->op = Op::UnionGet;
    e->index = idx;
    return bs->def->fields[idx].sort;
  }
  if (base->kind == ExprKind::Name && base->op == Op::BoolConst && isError(bs)) return bs;
  return fail(e, "'." + e->name + "' needs a tuple or union, but this term has sort " + sortName(bs));
}

Sort Checker::checkIndex(Expr* e, Sort expected) {
  if (e->tok == Tok::DotDot) return fail(e, "an integer range 'Int[lo..hi]' is a sort, not a term");
  bool err = false;
  if (resolveStatePath(e, err)) return e->sort;
  if (err) return fail(e, "");
  Expr* base = e->args[0];
  Sort bs = check(base);
  if (isError(bs)) {
    for (size_t i = 1; i < e->args.size(); ++i) check(e->args[i]);
    return bs;
  }
  if (e->args.size() != 2) {
    for (size_t i = 1; i < e->args.size(); ++i) check(e->args[i]);
    return fail(e, "an index takes exactly one value");
  }
  Expr* idx = e->args[1];
  if (bs->kind == SortKind::Seq) {
    Sort is = check(idx, model_->sorts.integer());
    if (!isError(is) && !isIntLike(is)) diags_.error(idx->range, "a sequence index must be an Int, found " + sortName(is));
    e->op = Op::SeqIndex;
    return bs->elem();
  }
  if (bs->kind == SortKind::Map || bs->kind == SortKind::Array) {
    Sort is = check(idx, bs->key());
    expectSort(idx, is, bs->key(), "an index");
    e->op = Op::MapGet;
    return bs->value();
  }
  check(idx);
  return fail(e, "cannot index a term of sort " + sortName(bs));
}

bool Checker::checkLvalue(Expr* e) {
  switch (e->op) {
    case Op::Var:
      if (e->var->kind != VarKind::State) {
        diags_.error(e->range, "cannot assign to '" + e->var->name + "': only state variables can be assigned");
        return false;
      }
      return true;
    case Op::MapGet:
    case Op::SeqIndex:
    case Op::TupleGet: return checkLvalue(e->args[0]);
    default:
      if (!isError(e->sort)) diags_.error(e->range, "the left-hand side of ':=' must be a state variable, x[i] or x.f");
      return false;
  }
}

void Checker::checkStmts(Block& b, bool proofBlock) {
  for (Stmt* s : b) checkStmt(s, proofBlock);
}

void Checker::checkStmt(Stmt* s, bool proofBlock) {
  switch (s->kind) {
    case StmtKind::Assign: {
      // Proof blocks may introduce a local with `x := choose ...`.
      if (proofBlock && s->lhs->kind == ExprKind::Name && !lookupLocal(s->lhs->name) && s->rhs->kind == ExprKind::Choose) {
        bool err = false;
        if (!resolveStatePath(s->lhs, err)) {
          Sort cs = checkChoose(s->rhs, nullptr);
          Var* v = declareLocal(s->lhs->name, cs, VarKind::Bound, s->lhs->range);
          s->lhs->op = Op::Var;
          s->lhs->var = v;
          s->lhs->sort = cs;
          return;
        }
      }
      // (in the `initially` witness, checked before fireTarget_ is set, the left side is abstract:
      // `voted := ...` with a `voted` in both automata was "ambiguous" until 2026-12-05)
      if (proofBlock && !fireTarget_ && !flat_.empty()) preferredOwner_ = flat_.front().aut;
      Sort ls = check(s->lhs);
      preferredOwner_ = nullptr;
      checkLvalue(s->lhs);
      if (proofBlock && fireTarget_) {
        // a proof entry (not the `initially` witness): the abstract state changes only through the
        // actions it fires, and the concrete one not at all (an assignment to the abstract state
        // made a step the abstract automaton cannot take look matched)
        const Expr* root = s->lhs;
        while (root && (root->op == Op::MapGet || root->op == Op::TupleGet || root->op == Op::SeqIndex))
          root = root->args.empty() ? nullptr : root->args[0];
        if (root && root->op == Op::Var && root->var && root->var->kind == VarKind::State) {
          bool abstract = fireTarget_->findState(root->var->name) >= 0 &&
                          fireTarget_->state[static_cast<size_t>(fireTarget_->findState(root->var->name))] == root->var;
          diags_.error(s->lhs->range,
                       "a proof entry cannot assign the state variable '" + root->var->name + "'" +
                           (abstract ? ": the abstract state changes only through the actions the entry fires"
                                     : ": a proof entry does not change the concrete state") +
                           " (name a value with a new local, 'x := choose x: T where ...')");
        }
      }
      Sort rs = s->rhs->kind == ExprKind::Choose ? checkChoose(s->rhs, ls) : check(s->rhs, ls);
      if (!isError(ls) && !isError(rs) && !sortCompatible(ls, rs))
        diags_.error(s->rhs->range, "cannot assign a value of sort " + sortName(rs) + " to '" +
                                        std::string(diags_.sources().textOf(s->lhs->range)) + "' of sort " +
                                        sortName(ls));
      return;
    }
    case StmtKind::If:
      for (size_t i = 0; i < s->conds.size(); ++i) {
        checkBool(s->conds[i]);
        pushScope();
        checkStmts(s->branches[i], proofBlock);
        popScope();
      }
      if (s->hasElse) {
        pushScope();
        checkStmts(s->elseBranch, proofBlock);
        popScope();
      }
      return;
    case StmtKind::For: {
      Sort vs = s->binder.sort ? resolveSort(s->binder.sort) : model_->sorts.error();
      if (s->domain) {
        Sort ds = check(s->domain);
        if (!isError(ds)) {
          if (ds->kind != SortKind::Set && ds->kind != SortKind::Seq && ds->kind != SortKind::Mset)
            diags_.error(s->domain->range, "'for ... in' needs a set, sequence or multiset, found " + sortName(ds));
          else if (!isError(vs) && !sortCompatible(vs, ds->elem()))
            diags_.error(s->domain->range, "loop variable has sort " + sortName(vs) + " but the elements have sort " +
                                               sortName(ds->elem()));
        }
      } else if (!isError(vs) && !isFiniteDomain(vs)) {
        diags_.error(s->binder.range, "'for " + s->binder.name + ": " + sortName(vs) +
                                          "' ranges over an infinite sort; use 'in' with a set or a finite sort");
      }
      pushScope();
      s->binder.var = declareLocal(s->binder.name, vs, VarKind::Bound, s->binder.range);
      if (s->filter) checkBool(s->filter);
      checkStmts(s->body, proofBlock);
      popScope();
      return;
    }
    case StmtKind::Fire: {
      if (!proofBlock || !fireTarget_) {
        diags_.error(s->range, "'fire' is only allowed in proof blocks of simulations");
        return;
      }
      const FlatAutomaton* abs = fireTarget_;
      int ai = abs->findAction(s->fireAction);
      if (ai < 0) {
        for (Expr* a : s->fireArgs) check(a);
        diags_.error(s->fireNameRange,
                     "abstract automaton " + abs->name + " has no action '" + s->fireAction + "'" + actionHint(*abs, s->fireAction));
        return;
      }
      const FlatAction& act = abs->actions[ai];
      if (act.kind != s->fireKind)
        diags_.error(s->fireNameRange, "'" + s->fireAction + "' is an " + actionKindName(act.kind) + " of " + abs->name +
                                           ", not an " + actionKindName(s->fireKind));
      if (s->fireArgs.size() != act.params.size()) {
        for (Expr* a : s->fireArgs) check(a);
        diags_.error(s->fireNameRange, "action '" + s->fireAction + "' takes " + std::to_string(act.params.size()) +
                                           " argument(s), found " + std::to_string(s->fireArgs.size()));
        return;
      }
      for (size_t i = 0; i < s->fireArgs.size(); ++i) {
        Sort as = check(s->fireArgs[i], act.params[i]);
        expectSort(s->fireArgs[i], as, act.params[i], "an argument");
      }
      s->fireActionIndex = ai;
      return;
    }
    case StmtKind::Ignore: return;
  }
}

}  // namespace ioa
