// Terms in Z3: every operator of the checked model, with the side conditions
// of partial operations and narrowings recorded under the current path
// condition (the short-circuit reading of /\, \/, => and if-then-else).
#include <optional>

#include "Encoder.h"
#include "ioa/spec/Printer.h"

namespace ioa::prover::detail {

namespace {
std::optional<bool> staticEq(const z3::expr& a, const z3::expr& b) {
  if (z3::eq(a, b)) return true;
  if (a.is_numeral() && b.is_numeral()) {
    std::string sa, sb;
    a.is_numeral(sa);
    b.is_numeral(sb);
    return sa == sb;
  }
  if (a.is_bool() && b.is_bool() && (a.is_true() || a.is_false()) && (b.is_true() || b.is_false()))
    return a.is_true() == b.is_true();
  if (a.is_app() && b.is_app() && a.num_args() == 0 && b.num_args() == 0 &&
      a.decl().decl_kind() == Z3_OP_DT_CONSTRUCTOR && b.decl().decl_kind() == Z3_OP_DT_CONSTRUCTOR)
    return z3::eq(a.decl(), b.decl());
  return std::nullopt;
}
}  // namespace

Encoder::Encoder(ContextCache& cc) : pc(cc.ctx().bool_val(true)), cc_(cc) {}

std::string Encoder::uniqueName(const std::string& base) {
  int n = ++names_[base];
  return n == 1 ? base : base + "!" + std::to_string(n);
}

// A free value of sort s built from free constants of its parts: sequences
// as (array, length), tuples and small arrays field by field, maps as
// (values, defined). Quantified facts then speak of plain array constants,
// which both e-matching and model-based instantiation handle far better than
// arrays reached through datatype accessors.
z3::expr Encoder::freshParts(const std::string& n, Sort s) {
  z3::context& c = ctx();
  switch (s->kind) {
    case SortKind::Seq:
      return mkSeq(s, c.constant((n + ".arr").c_str(), c.array_sort(c.int_sort(), cc_.sort(s->elem()))),
                   c.int_const((n + ".len").c_str()));
    case SortKind::Tuple: {
      z3::expr_vector fs(c);
      for (const TypeField& f : s->def->fields) fs.push_back(freshParts(n + "." + f.name, f.sort));
      return cc_.datatype(s).ctors[0](fs);
    }
    case SortKind::Array:
      if (cc_.isFiniteArray(s)) {
        z3::expr_vector fs(c);
        for (int64_t i = 0; i < cc_.finiteSize(s->key()); ++i) fs.push_back(freshParts(n + "." + std::to_string(i), s->value()));
        return cc_.datatype(s).ctors[0](fs);
      }
      break;
    case SortKind::Map: {
      z3::sort k = cc_.sort(s->key());
      return cc_.datatype(s).ctors[0](c.constant((n + ".val").c_str(), c.array_sort(k, cc_.sort(s->value()))),
                                      c.constant((n + ".def").c_str(), c.array_sort(k, c.bool_sort())));
    }
    case SortKind::Msg:
      return cc_.datatype(s).ctors[0](freshParts(n + ".payload", bytesSort()), freshParts(n + ".hdrs", cc_.hdrSeqSort()));
    default: break;
  }
  return c.constant(n.c_str(), cc_.sort(s));
}

z3::expr Encoder::fresh(const std::string& name, Sort s, std::vector<z3::expr>& facts) {
  std::string n = uniqueName(name);
  z3::expr c = freshParts(n, s);
  inputs_.push_back({n, s, c});
  if (pinned) {
    auto it = pinned->find(n);
    if (it != pinned->end()) facts.push_back(c == valueTerm(s, it->second));
  }
  z3::expr w = wf(s, c);
  if (!w.is_true()) facts.push_back(w);
  return c;
}

namespace {
bool hasSeq(Sort s, int depth = 0) {
  if (!s || depth > 8) return false;
  switch (s->kind) {
    case SortKind::Seq:
    case SortKind::Msg: return true;
    case SortKind::Tuple:
    case SortKind::Union:
      if (!s->def) return true;  // header stack elements
      for (const TypeField& f : s->def->fields)
        if (hasSeq(f.sort, depth + 1)) return true;
      return false;
    case SortKind::Set:
    case SortKind::Mset: return hasSeq(s->elem(), depth + 1);
    case SortKind::Map:
    case SortKind::Array: return hasSeq(s->value(), depth + 1);
    default: return false;
  }
}
}  // namespace

z3::expr Encoder::small(Sort s, const z3::expr& t, int64_t bound, int depth) {
  z3::context& c = ctx();
  if (depth > 6 || !hasSeq(s)) return c.bool_val(true);
  switch (s->kind) {
    case SortKind::Seq: {
      z3::expr n = seqLen(t);
      std::vector<z3::expr> parts{n <= c.int_val(bound)};
      if (hasSeq(s->elem())) {
        z3::expr i = boundConst("i", cc_.model().sorts.integer());
        parts.push_back(quantified(true, i, z3::implies(i >= 0 && i < n, small(s->elem(), z3::select(seqArr(t), i), bound, depth + 1)),
                                   "small." + cc_.smtName(s)));
      }
      return mkAnd(c, parts);
    }
    case SortKind::Msg:
      return small(bytesSort(), field(s, 0, 0, t), bound, depth + 1) && small(cc_.hdrSeqSort(), field(s, 0, 1, t), bound, depth + 1);
    case SortKind::Tuple: {
      std::vector<z3::expr> parts;
      for (size_t i = 0; i < s->def->fields.size(); ++i)
        parts.push_back(small(s->def->fields[i].sort, field(s, 0, static_cast<int>(i), t), bound, depth + 1));
      return mkAnd(c, parts);
    }
    case SortKind::Array:
      if (cc_.isFiniteArray(s)) {
        std::vector<z3::expr> parts;
        for (int64_t i = 0; i < cc_.finiteSize(s->key()); ++i)
          parts.push_back(small(s->value(), field(s, 0, static_cast<int>(i), t), bound, depth + 1));
        return mkAnd(c, parts);
      }
      return c.bool_val(true);
    default: return c.bool_val(true);
  }
}

z3::expr Encoder::smallModel(int64_t bound) {
  std::vector<z3::expr> parts;
  for (const Input& in : inputs_) parts.push_back(small(in.sort, in.sym, bound, 0));
  return mkAnd(ctx(), parts);
}

z3::expr Encoder::boundConst(const std::string& hint, Sort s) {
  std::string n = "%" + hint + std::to_string(++counter_);
  for (char& ch : n)
    if (ch == ' ' || ch == '|') ch = '_';
  return ctx().constant(n.c_str(), cc_.sort(s));
}

// ---------------------------------------------------------------- well-formedness

// A set over a range of fewer values than this is well-formed by a ground equation.
constexpr int64_t kMaxGroundSetRange = 64;

bool Encoder::hasWf(Sort s) {
  switch (s->kind) {
    case SortKind::Nat:
    case SortKind::Range:
    case SortKind::Seq:
    case SortKind::Map:
    case SortKind::Mset:
    case SortKind::Msg: return true;
    case SortKind::Tuple:
      for (const TypeField& f : s->def->fields)
        if (hasWf(f.sort)) return true;
      return false;
    case SortKind::Union:
      if (!s->def) {
        for (Sort h : cc_.catalog().headers())
          if (hasWf(h)) return true;
        return false;
      }
      for (const TypeField& f : s->def->fields)
        if (hasWf(f.sort)) return true;
      return false;
    case SortKind::Array: return hasWf(s->value());
    case SortKind::Set: return hasWf(s->elem());
    default: return false;
  }
}

z3::expr Encoder::wf(Sort s, const z3::expr& t) {
  z3::context& c = ctx();
  switch (s->kind) {
    case SortKind::Nat: return t >= 0;
    case SortKind::Range: return c.int_val(static_cast<int64_t>(s->lo)) <= t && t <= c.int_val(static_cast<int64_t>(s->hi));
    case SortKind::Seq: {
      // one quantifier per sequence: well-formed elements inside, the default outside
      z3::expr a = seqArr(t), n = seqLen(t);
      z3::expr x = boundConst("i", cc_.model().sorts.integer());
      z3::expr outside = z3::select(a, x) == cc_.dflt(s->elem());
      if (!canonicity) {
        if (!hasWf(s->elem())) return n >= 0;
        return n >= 0 && quantified(true, x, z3::implies(x >= 0 && x < n, wf(s->elem(), z3::select(a, x))),
                                    "wf.elem." + cc_.smtName(s));
      }
      z3::expr body = hasWf(s->elem()) ? z3::ite(x >= 0 && x < n, wf(s->elem(), z3::select(a, x)), outside)
                                       : z3::implies(x < 0 || x >= n, outside);
      return n >= 0 && quantified(true, x, body, "canon." + cc_.smtName(s));
    }
    case SortKind::Tuple: {
      std::vector<z3::expr> parts;
      for (size_t i = 0; i < s->def->fields.size(); ++i)
        if (hasWf(s->def->fields[i].sort))
          parts.push_back(wf(s->def->fields[i].sort, field(s, 0, static_cast<int>(i), t)));
      return mkAnd(c, parts);
    }
    case SortKind::Union: {
      const ContextCache::Datatype& dt = cc_.datatype(s);
      std::vector<z3::expr> parts;
      if (!s->def) {
        const auto& hs = cc_.catalog().headers();
        for (size_t i = 0; i < hs.size(); ++i)
          if (hasWf(hs[i])) parts.push_back(mkImplies(dt.testers[i](t), wf(hs[i], dt.fields[i][0](t))));
      } else {
        for (size_t i = 0; i < s->def->fields.size(); ++i)
          if (hasWf(s->def->fields[i].sort))
            parts.push_back(mkImplies(dt.testers[i](t), wf(s->def->fields[i].sort, dt.fields[i][0](t))));
      }
      return mkAnd(c, parts);
    }
    case SortKind::Array: {
      if (!hasWf(s->value())) return c.bool_val(true);
      if (cc_.isFiniteArray(s)) {
        std::vector<z3::expr> parts;
        for (int64_t i = 0; i < cc_.finiteSize(s->key()); ++i)
          parts.push_back(wf(s->value(), field(s, 0, static_cast<int>(i), t)));
        return mkAnd(c, parts);
      }
      z3::expr k = boundConst("k", s->key());
      return quantified(true, k, mkImplies(wf(s->key(), k), wf(s->value(), z3::select(t, k))), "wf.value." + cc_.smtName(s));
    }
    case SortKind::Map: {
      z3::expr val = field(s, 0, 0, t), def = field(s, 0, 1, t);
      z3::expr k = boundConst("k", s->key());
      std::vector<z3::expr> parts;
      if (canonicity)
        parts.push_back(quantified(true, k, z3::implies(!z3::select(def, k), z3::select(val, k) == cc_.dflt(s->value())),
                                   "canon." + cc_.smtName(s)));
      if (hasWf(s->value())) {
        z3::expr k2 = boundConst("k", s->key());
        parts.push_back(quantified(true, k2, z3::implies(z3::select(def, k2), wf(s->value(), z3::select(val, k2))),
                                   "wf.value." + cc_.smtName(s)));
      }
      return mkAnd(c, parts);
    }
    case SortKind::Mset: {
      z3::expr k = boundConst("k", s->elem());
      return quantified(true, k, z3::select(t, k) >= 0, "wf.count." + cc_.smtName(s));
    }
    case SortKind::Set: {
      // no member outside the element sort (a Set[Int[0..2]] is an array over Int): over a
      // small range, the set equals itself cut to the range (ground); else one quantifier
      Sort e = s->elem();
      if (e->kind == SortKind::Range && e->hi - e->lo < kMaxGroundSetRange) {
        z3::expr cut = z3::const_array(cc_.sort(e), c.bool_val(false));
        for (int64_t v = e->lo; v <= e->hi; ++v) cut = z3::store(cut, c.int_val(v), z3::select(t, c.int_val(v)));
        return t == cut;
      }
      z3::expr x = boundConst("x", e);
      return quantified(true, x, z3::implies(z3::select(t, x), wf(e, x)), "wf.elem." + cc_.smtName(s));
    }
    case SortKind::Msg:
      return wf(bytesSort(), field(s, 0, 0, t)) && wf(cc_.hdrSeqSort(), field(s, 0, 1, t));
    default: return c.bool_val(true);
  }
}

// ---------------------------------------------------------------- datatype helpers

z3::expr Encoder::field(Sort s, int ctor, int f, const z3::expr& t) {
  const ContextCache::Datatype& dt = cc_.datatype(s);
  const z3::func_decl& cd = dt.ctors.at(static_cast<size_t>(ctor));
  if (t.is_app() && z3::eq(t.decl(), cd)) return t.arg(static_cast<unsigned>(f));
  return dt.fields.at(static_cast<size_t>(ctor)).at(static_cast<size_t>(f))(t);
}

z3::expr Encoder::mkSeq(Sort seqSort, const z3::expr& arr, const z3::expr& len) {
  return cc_.datatype(seqSort).ctors[0](arr, len);
}

namespace {
// Seq terms are built by mkSeq or are symbols; accessors by the sort's name.
}  // namespace

z3::expr Encoder::seqArr(const z3::expr& s) {
  if (s.is_app() && s.decl().decl_kind() == Z3_OP_DT_CONSTRUCTOR && s.num_args() == 2) return s.arg(0);
  z3::sort z = s.get_sort();
  return z3::func_decl(ctx(), Z3_get_tuple_sort_field_decl(ctx(), z, 0))(s);
}

z3::expr Encoder::seqLen(const z3::expr& s) {
  if (s.is_app() && s.decl().decl_kind() == Z3_OP_DT_CONSTRUCTOR && s.num_args() == 2) return s.arg(1);
  z3::sort z = s.get_sort();
  return z3::func_decl(ctx(), Z3_get_tuple_sort_field_decl(ctx(), z, 1))(s);
}

z3::expr Encoder::arrayGet(Sort as, const z3::expr& a, const z3::expr& k) {
  if (!cc_.isFiniteArray(as)) return z3::select(a, k);
  int64_t n = cc_.finiteSize(as->key());
  for (int64_t i = 0; i < n; ++i) {
    auto se = staticEq(k, cc_.finiteValue(as->key(), i));
    if (se && *se) return field(as, 0, static_cast<int>(i), a);
  }
  z3::expr r = field(as, 0, static_cast<int>(n - 1), a);
  for (int64_t i = n - 2; i >= 0; --i) {
    z3::expr v = cc_.finiteValue(as->key(), i);
    auto se = staticEq(k, v);
    if (se && !*se) continue;
    r = z3::ite(k == v, field(as, 0, static_cast<int>(i), a), r);
  }
  return r;
}

z3::expr Encoder::arraySet(Sort as, const z3::expr& a, const z3::expr& k, const z3::expr& v) {
  if (!cc_.isFiniteArray(as)) return z3::store(a, k, v);
  int64_t n = cc_.finiteSize(as->key());
  z3::expr_vector fs(ctx());
  for (int64_t i = 0; i < n; ++i) {
    z3::expr old = field(as, 0, static_cast<int>(i), a);
    z3::expr kv = cc_.finiteValue(as->key(), i);
    auto se = staticEq(k, kv);
    if (se) fs.push_back(*se ? v : old);
    else fs.push_back(z3::ite(k == kv, v, old));
  }
  return cc_.datatype(as).ctors[0](fs);
}

z3::expr Encoder::constArray(Sort as, const z3::expr& v) {
  if (as->kind == SortKind::Map) {
    z3::sort ks = cc_.sort(as->key());
    // Defined at every key of the key sort's encoding, the ones outside the key sort too (a Nat
    // map's negative keys), as a decoded map with a defined default is (Decode.cpp): no map made
    // otherwise can equal it over an infinite key sort, and total(m), which refine's derived
    // invariants state, is then one equation. Over a small range (a map made by updates at every
    // key can equal it) the keys outside the range stay undefined, as they are in those.
    if (!hasWf(as->key()) || !cc_.isSmallFinite(as->key()))
      return cc_.datatype(as).ctors[0](z3::const_array(ks, v), z3::const_array(ks, ctx().bool_val(true)));
    z3::expr k = boundConst("k", as->key());
    z3::expr g = wf(as->key(), k);
    return cc_.datatype(as).ctors[0](z3::lambda(k, z3::ite(g, v, cc_.dflt(as->value()))), z3::lambda(k, g));
  }
  if (cc_.isFiniteArray(as)) {
    z3::expr_vector fs(ctx());
    for (int64_t i = 0; i < cc_.finiteSize(as->key()); ++i) fs.push_back(v);
    return cc_.datatype(as).ctors[0](fs);
  }
  if (!hasWf(as->key())) return z3::const_array(cc_.sort(as->key()), v);
  z3::expr k = boundConst("k", as->key());
  return z3::lambda(k, z3::ite(wf(as->key(), k), v, cc_.dflt(as->value())));
}

// ---------------------------------------------------------------- side conditions

std::string Encoder::label(const Expr* e) const { return e ? exprToString(e) : std::string(); }

void Encoder::side(SideKind k, const z3::expr& cond, const std::string& lbl, SourceRange r) {
  side(SideCond{k, cond, lbl, r});
}

void Encoder::side(SideCond s) {
  if (!sides || s.cond.is_true()) return;
  s.cond = mkImplies(pc, s.cond);
  sides->push_back(std::move(s));
}

z3::expr Encoder::narrow(const z3::expr& v, Sort target, const Expr* from) {
  if (!target || !from || !isIntLike(target) || target->kind == SortKind::Int) return v;
  Sort actual = from->sort;
  z3::context& c = ctx();
  if (from->op == Op::IntConst && !isUInt(from->sort)) {
    auto val = static_cast<int64_t>(from->intValue);
    bool ok = target->kind == SortKind::Nat ? val >= 0 : (val >= target->lo && val <= target->hi);
    if (!ok)
      side(SideKind::Narrowing, c.bool_val(false), label(from) + " fits in " + sortName(target), from->range);
    return v;
  }
  if (target->kind == SortKind::Nat) {
    if (actual && (actual->kind == SortKind::Nat || (actual->kind == SortKind::Range && actual->lo >= 0))) return v;
    side(SideKind::Narrowing, v >= 0, label(from) + " >= 0 (it becomes a Nat)", from->range);
    return v;
  }
  if (actual && actual->kind == SortKind::Range && actual->lo >= target->lo && actual->hi <= target->hi) return v;
  side(SideKind::Narrowing,
       c.int_val(static_cast<int64_t>(target->lo)) <= v && v <= c.int_val(static_cast<int64_t>(target->hi)),
       label(from) + " fits in " + sortName(target), from->range);
  return v;
}

z3::expr Encoder::underPc(const z3::expr& extra, const Expr* e) {
  z3::expr saved = pc;
  pc = mkAnd(ctx(), {pc, extra});
  z3::expr r = term(e);
  pc = saved;
  return r;
}

// ---------------------------------------------------------------- variables

z3::expr Encoder::var(const Var* v) {
  if (const z3::expr* p = env.find(v)) return *p;
  auto g = globals_.find(v);
  if (g != globals_.end()) return g->second;
  if (v->kind == VarKind::Const) {
    auto cv = cc_.model().constValues.find(v);
    if (cv != cc_.model().constValues.end() && cv->second) {
      auto* savedSides = sides;
      z3::expr savedPc = pc;
      sides = nullptr;
      pc = ctx().bool_val(true);
      z3::expr r = term(cv->second);
      sides = savedSides;
      pc = savedPc;
      globals_.emplace(v, r);
      return r;
    }
    z3::expr r = fresh("const." + v->name, v->sort, globalFacts);
    globals_.emplace(v, r);
    return r;
  }
  if (v->kind == VarKind::AutParam) {
    z3::expr r = fresh("param." + v->name, v->sort, globalFacts);
    globals_.emplace(v, r);
    paramsRead_.push_back(v);
    return r;
  }
  throw Unsupported("internal: variable '" + v->name + "' has no value in this query");
}

std::optional<z3::expr> Encoder::freeConstant(const Var* v) const {
  auto g = globals_.find(v);
  if (g == globals_.end() || (v->kind != VarKind::Const && v->kind != VarKind::AutParam)) return std::nullopt;
  auto cv = cc_.model().constValues.find(v);
  if (cv != cc_.model().constValues.end() && cv->second) return std::nullopt;
  return g->second;
}

// ---------------------------------------------------------------- terms

z3::expr Encoder::term(const Expr* e) {
  z3::context& c = ctx();
  if (!e) return c.bool_val(true);
  const auto& A = e->args;
  switch (e->op) {
    case Op::IntConst:
      if (isUInt(e->sort)) return c.bv_val(static_cast<uint64_t>(e->intValue), e->sort->width);
      return c.int_val(static_cast<int64_t>(e->intValue));
    case Op::BoolConst: return c.bool_val(e->boolValue);
    case Op::Var: return var(e->var);
    case Op::Post: {
      const z3::expr* p = postEnv ? postEnv->find(e->var) : nullptr;
      if (!p) throw Unsupported("primed variable " + e->var->name + "' outside a two-state predicate");
      return *p;
    }
    case Op::EnumConst: return cc_.datatype(e->sort).ctors.at(static_cast<size_t>(e->index))();
    case Op::Not: return !term(A[0]);
    case Op::And: {
      z3::expr a = term(A[0]);
      z3::expr b = underPc(a, A[1]);
      return mkAnd(c, {a, b});
    }
    case Op::Or: {
      z3::expr a = term(A[0]);
      z3::expr b = underPc(!a, A[1]);
      return mkOr(c, {a, b});
    }
    case Op::Implies: {
      z3::expr a = term(A[0]);
      z3::expr b = underPc(a, A[1]);
      return mkImplies(a, b);
    }
    case Op::Iff: return term(A[0]) == term(A[1]);
    case Op::Eq: return equal(A[0], A[1]);
    case Op::Neq: return !equal(A[0], A[1]);
    case Op::Ite: {
      z3::expr cnd = term(A[0]);
      z3::expr a = underPc(cnd, A[1]);
      z3::expr b = underPc(!cnd, A[2]);
      return z3::ite(cnd, a, b);
    }
    case Op::Forall:
    case Op::Exists: return quant(e);
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: return compare(e);
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Mod:
    case Op::Neg:
    case Op::BAnd:
    case Op::BOr:
    case Op::BXor:
    case Op::Shl:
    case Op::Shr: return arith(e);
    case Op::ToInt: {
      z3::expr x = term(A[0]);
      if (isUInt(A[0]->sort)) {
        x = z3::bv2int(x, false);
        if (bvToInt.empty()) bvToInt = label(e);
      }
      if (e->sort->kind == SortKind::Nat) narrow(x, e->sort, A[0]);
      return x;
    }
    case Op::ToUInt: {
      z3::expr x = term(A[0]);
      unsigned w = e->sort->width;
      if (isUInt(A[0]->sort)) {
        unsigned w0 = A[0]->sort->width;
        if (w0 == w) return x;
        if (w0 < w) return z3::zext(x, w - w0);
        return x.extract(w - 1, 0);
      }
      return z3::int2bv(w, x);
    }
    case Op::SeqEmpty:
    case Op::SeqLit:
    case Op::Append:
    case Op::Prepend:
    case Op::Concat:
    case Op::Head:
    case Op::Tail:
    case Op::Last:
    case Op::Init:
    case Op::Len:
    case Op::SeqIndex:
    case Op::SeqIn:
    case Op::SubSeq: return seqOp(e);
    case Op::SetEmpty:
    case Op::SetLit:
    case Op::SetInsert:
    case Op::SetDelete:
    case Op::SetIn:
    case Op::SetUnion:
    case Op::SetIntersect:
    case Op::SetDiff:
    case Op::SetSize:
    case Op::SetSubseteq:
    case Op::MsetEmpty:
    case Op::MsetLit:
    case Op::MsetInsert:
    case Op::MsetDelete:
    case Op::MsetIn:
    case Op::MsetUnion:
    case Op::MsetSize:
    case Op::MsetCount: return setOp(e);
    case Op::MapGet:
    case Op::MapUpdate:
    case Op::MapDefined:
    case Op::MapTotal:
    case Op::MapConst:
    case Op::MapEmpty: return mapOp(e);
    case Op::TupleMake: {
      z3::expr_vector xs(c);
      for (size_t i = 0; i < A.size(); ++i) xs.push_back(narrow(term(A[i]), e->sort->def->fields[i].sort, A[i]));
      return cc_.datatype(e->sort).ctors[0](xs);
    }
    case Op::TupleGet: {
      z3::expr t = term(A[0]);
      return field(A[0]->sort, 0, e->index, t);
    }
    case Op::TupleSet: {
      z3::expr t = term(A[0]);
      z3::expr v = term(A[1]);
      z3::expr_vector xs(c);
      for (size_t i = 0; i < e->sort->def->fields.size(); ++i)
        xs.push_back(static_cast<int>(i) == e->index ? v : field(e->sort, 0, static_cast<int>(i), t));
      return cc_.datatype(e->sort).ctors[0](xs);
    }
    case Op::UnionMake: {
      z3::expr v = narrow(term(A[0]), e->sort->def->fields[static_cast<size_t>(e->index)].sort, A[0]);
      return cc_.datatype(e->sort).ctors.at(static_cast<size_t>(e->index))(v);
    }
    case Op::UnionGet: {
      z3::expr t = term(A[0]);
      const ContextCache::Datatype& dt = cc_.datatype(A[0]->sort);
      side(SideKind::Partial, dt.testers.at(static_cast<size_t>(e->index))(t),
           label(e) + ": " + label(A[0]) + " is a " + A[0]->sort->def->fields[static_cast<size_t>(e->index)].name,
           e->range);
      return dt.fields.at(static_cast<size_t>(e->index))[0](t);
    }
    case Op::UnionIs: {
      z3::expr t = term(A[0]);
      return cc_.datatype(A[0]->sort).testers.at(static_cast<size_t>(e->index))(t);
    }
    case Op::FuncApp: return call(e);
    case Op::MsgMake:
    case Op::MsgPayload:
    case Op::MsgPush:
    case Op::MsgHdr:
    case Op::MsgPop:
    case Op::MsgHasHdr:
    case Op::MsgSize: return msgOp(e);
    case Op::Checksum16: return cc_.checksum16()(term(A[0]));
    case Op::Lambda: return lambdaTerm(e);
    case Op::Choose: throw Unsupported("'choose' is only allowed as the right-hand side of an assignment");
    case Op::None: break;
  }
  throw Unsupported("cannot encode term " + label(e));
}

// Equality. Sequences compare as equal length and equal elements on
// [0, length) (a quantifier Z3 instantiates only where elements are read),
// which the canonical encoding makes the same as Z3's equality but is much
// easier on the array solver; comparing with {} is a length test.
z3::expr Encoder::equal(const Expr* a, const Expr* b) {
  Sort s = a->sort;
  // x = UIntN(t) for an integer t, as arithmetic: Int(x) = t mod 2^N (Z3's int2bv left the
  // one-line invariant seq = UInt8(idx) undecided for 23 s; this form proves at once)
  for (const auto& [u, other] : {std::pair{a, b}, std::pair{b, a}})
    if (u->op == Op::ToUInt && u->sort && u->sort->kind == SortKind::UInt && !u->args.empty() &&
        !isUInt(u->args[0]->sort)) {
      unsigned w = u->sort->width;
      z3::context& c = ctx();
      z3::expr m = w < 64 ? c.int_val(static_cast<uint64_t>(1) << w) : c.int_val("18446744073709551616");
      return z3::bv2int(term(other), false) == z3::mod(term(u->args[0]), m);
    }
  if (s && s->kind == SortKind::Seq) {
    if (a->op == Op::SeqEmpty) return seqLen(term(b)) == 0;
    if (b->op == Op::SeqEmpty) return seqLen(term(a)) == 0;
    z3::expr x = term(a), y = term(b);
    if (z3::eq(x, y)) return ctx().bool_val(true);
    if (groundSeqEq && canonicity) return x == y;
    z3::expr n = seqLen(x);
    z3::expr i = boundConst("i", cc_.model().sorts.integer());
    return n == seqLen(y) &&
           quantified(true, i, z3::implies(i >= 0 && i < n, z3::select(seqArr(x), i) == z3::select(seqArr(y), i)),
                      "seq.eq");
  }
  return term(a) == term(b);
}

z3::expr Encoder::compare(const Expr* e) {
  z3::expr a = term(e->args[0]), b = term(e->args[1]);
  if (isUInt(e->args[0]->sort)) {
    switch (e->op) {
      case Op::Lt: return z3::ult(a, b);
      case Op::Le: return z3::ule(a, b);
      case Op::Gt: return z3::ugt(a, b);
      default: return z3::uge(a, b);
    }
  }
  switch (e->op) {
    case Op::Lt: return a < b;
    case Op::Le: return a <= b;
    case Op::Gt: return a > b;
    default: return a >= b;
  }
}

z3::expr Encoder::arith(const Expr* e) {
  z3::expr a = term(e->args[0]);
  if (e->op == Op::Neg) return -a;
  z3::expr b = term(e->args[1]);
  bool bv = isUInt(e->sort);
  switch (e->op) {
    case Op::Add: return a + b;
    case Op::Sub: return a - b;
    case Op::Mul: return a * b;
    case Op::Div:
    case Op::Mod: {
      z3::expr zero = bv ? ctx().bv_val(0, e->sort->width) : ctx().int_val(0);
      side(SideKind::Partial, b != zero, label(e) + ": divisor " + label(e->args[1]) + " is not 0", e->range);
      if (bv) return e->op == Op::Div ? z3::udiv(a, b) : z3::urem(a, b);
      return e->op == Op::Div ? a / b : z3::mod(a, b);
    }
    case Op::BAnd: return a & b;
    case Op::BOr: return a | b;
    case Op::BXor: return a ^ b;
    case Op::Shl: return z3::shl(a, b);
    case Op::Shr: return z3::lshr(a, b);
    default: break;
  }
  throw Unsupported("cannot encode arithmetic " + label(e));
}

z3::expr Encoder::quant(const Expr* e) {
  z3::context& c = ctx();
  bool forall = e->op == Op::Forall;
  const Expr* body = e->args[0];
  std::vector<const Var*> finite, open;
  int64_t product = 1;
  for (const Binder& b : e->binders) {
    if (cc_.isSmallFinite(b.var->sort) && product * cc_.finiteSize(b.var->sort) <= 256) {
      finite.push_back(b.var);
      product *= cc_.finiteSize(b.var->sort);
    } else {
      open.push_back(b.var);
    }
  }
  std::vector<z3::expr> instances;
  std::vector<int64_t> idx(finite.size(), 0);
  for (int64_t n = 0; n < product; ++n) {
    int64_t rest = n;
    for (size_t k = finite.size(); k-- > 0;) {
      int64_t sz = cc_.finiteSize(finite[k]->sort);
      env.set(finite[k], cc_.finiteValue(finite[k]->sort, rest % sz));
      rest /= sz;
    }
    if (open.empty()) {
      instances.push_back(term(body));
      continue;
    }
    z3::expr_vector xs(c);
    std::vector<z3::expr> guards;
    for (const Var* v : open) {
      z3::expr x = boundConst(v->name, v->sort);
      env.set(v, x);
      xs.push_back(x);
      guards.push_back(wf(v->sort, x));
    }
    z3::expr g = mkAnd(c, guards);
    std::vector<SideCond> inner;
    auto* savedSides = sides;
    z3::expr savedPc = pc;
    sides = savedSides ? &inner : nullptr;
    pc = g;
    z3::expr b = term(body);
    sides = savedSides;
    pc = savedPc;
    std::string qid = forall ? "forall" : "exists";
    for (const Var* v : open) qid += "." + v->name;
    for (SideCond s : inner) {
      s.cond = quantified(true, xs, s.cond, "side." + qid);
      side(std::move(s));
    }
    instances.push_back(forall ? quantified(true, xs, mkImplies(g, b), qid) : quantified(false, xs, mkAnd(c, {g, b}), qid));
  }
  return forall ? mkAnd(c, instances) : mkOr(c, instances);
}

z3::expr Encoder::lambdaTerm(const Expr* e) {
  z3::context& c = ctx();
  const Var* bv = e->binders.at(0).var;
  const Expr* body = e->args.at(0);
  Sort as = e->sort;
  if (as->kind == SortKind::Array && cc_.isFiniteArray(as)) {
    z3::expr_vector fs(c);
    for (int64_t i = 0; i < cc_.finiteSize(as->key()); ++i) {
      env.set(bv, cc_.finiteValue(as->key(), i));
      fs.push_back(narrow(term(body), as->value(), body));
    }
    return cc_.datatype(as).ctors[0](fs);
  }
  z3::expr x = boundConst(bv->name, bv->sort);
  env.set(bv, x);
  z3::expr g = wf(as->key(), x);
  std::vector<SideCond> inner;
  auto* savedSides = sides;
  z3::expr savedPc = pc;
  sides = savedSides ? &inner : nullptr;
  pc = g;
  z3::expr b = narrow(term(body), as->value(), body);
  sides = savedSides;
  pc = savedPc;
  for (SideCond s : inner) {
    s.cond = quantified(true, x, s.cond, "side.lambda." + bv->name);
    side(std::move(s));
  }
  z3::expr arr = g.is_true() ? z3::lambda(x, b) : z3::lambda(x, z3::ite(g, b, cc_.dflt(as->value())));
  if (as->kind == SortKind::Map) return cc_.datatype(as).ctors[0](arr, z3::lambda(x, g));
  return arr;
}

z3::expr Encoder::call(const Expr* e) {
  const FunctionDecl* f = e->fn;
  std::vector<z3::expr> args;
  for (size_t i = 0; i < e->args.size(); ++i)
    args.push_back(narrow(term(e->args[i]), f->params[i].var->sort, e->args[i]));
  if (f->body) {
    std::vector<std::optional<z3::expr>> saved;
    for (size_t i = 0; i < f->params.size(); ++i) {
      const z3::expr* old = env.find(f->params[i].var);
      saved.push_back(old ? std::optional<z3::expr>(*old) : std::nullopt);
      env.set(f->params[i].var, args[i]);
    }
    z3::expr r = narrow(term(f->body), f->result->resolved, f->body);
    for (size_t i = 0; i < f->params.size(); ++i)
      if (saved[i]) env.set(f->params[i].var, *saved[i]);
    return r;
  }
  z3::func_decl d = cc_.function(f);
  z3::expr_vector xs(ctx());
  for (const z3::expr& a : args) xs.push_back(a);
  z3::expr r = d(xs);
  Sort rs = f->result->resolved;
  if (hasWf(rs) && notedFns_.insert(f).second) {
    if (f->params.empty()) {
      globalFacts.push_back(wf(rs, r));
    } else {
      z3::expr_vector vs(ctx());
      std::vector<z3::expr> guards;
      for (const Param& p : f->params) {
        z3::expr x = boundConst(p.name, p.var->sort);
        vs.push_back(x);
        guards.push_back(wf(p.var->sort, x));
      }
      globalFacts.push_back(quantified(true, vs, mkImplies(mkAnd(ctx(), guards), wf(rs, d(vs))), "range." + f->name));
    }
  }
  return r;
}

z3::expr Encoder::seqOp(const Expr* e) {
  z3::context& c = ctx();
  const auto& A = e->args;
  Sort S = e->op == Op::SeqIn ? A[1]->sort : (e->op == Op::Len || e->op == Op::Head || e->op == Op::Last ||
                                                      e->op == Op::SeqIndex)
                                                     ? A[0]->sort
                                                     : e->sort;
  Sort E = S->elem();
  z3::sort intS = c.int_sort();
  switch (e->op) {
    case Op::SeqEmpty: return cc_.dflt(S);
    case Op::SeqLit: {
      z3::expr arr = z3::const_array(intS, cc_.dflt(E));
      for (size_t i = 0; i < A.size(); ++i) arr = z3::store(arr, c.int_val(static_cast<int>(i)), narrow(term(A[i]), E, A[i]));
      return mkSeq(S, arr, c.int_val(static_cast<int>(A.size())));
    }
    case Op::Append: {
      z3::expr s = term(A[0]);
      z3::expr x = narrow(term(A[1]), E, A[1]);
      z3::expr n = seqLen(s);
      return mkSeq(S, z3::store(seqArr(s), n, x), n + 1);
    }
    case Op::Prepend: {
      z3::expr x = narrow(term(A[0]), E, A[0]);
      z3::expr s = term(A[1]);
      z3::expr i = boundConst("i", cc_.model().sorts.integer());
      return mkSeq(S, z3::lambda(i, z3::ite(i == 0, x, z3::select(seqArr(s), i - 1))), seqLen(s) + 1);
    }
    case Op::Concat: {
      z3::expr s = term(A[0]), t = term(A[1]);
      z3::expr i = boundConst("i", cc_.model().sorts.integer());
      z3::expr ns = seqLen(s);
      return mkSeq(S, z3::lambda(i, z3::ite(i < ns, z3::select(seqArr(s), i), z3::select(seqArr(t), i - ns))),
                   ns + seqLen(t));
    }
    case Op::Head:
    case Op::Last:
    case Op::Tail:
    case Op::Init: {
      z3::expr s = term(A[0]);
      z3::expr n = seqLen(s), a = seqArr(s);
      side(SideKind::Partial, n > 0, label(e) + ": " + label(A[0]) + " is not empty", e->range);
      if (e->op == Op::Head) return z3::select(a, 0);
      if (e->op == Op::Last) return z3::select(a, n - 1);
      if (e->op == Op::Init) return mkSeq(S, z3::store(a, n - 1, cc_.dflt(E)), n - 1);
      z3::expr i = boundConst("i", cc_.model().sorts.integer());
      return mkSeq(S, z3::lambda(i, z3::ite(i < 0, cc_.dflt(E), z3::select(a, i + 1))), n - 1);
    }
    case Op::Len: return seqLen(term(A[0]));
    case Op::SeqIndex: {
      z3::expr s = term(A[0]);
      z3::expr i = term(A[1]);
      side(SideKind::Partial, i >= 0 && i < seqLen(s), label(e) + ": index " + label(A[1]) + " is in range", e->range);
      return z3::select(seqArr(s), i);
    }
    case Op::SeqIn: {
      z3::expr x = term(A[0]);
      z3::expr s = term(A[1]);
      z3::expr i = boundConst("i", cc_.model().sorts.integer());
      return quantified(false, i, i >= 0 && i < seqLen(s) && z3::select(seqArr(s), i) == x, "in");
    }
    case Op::SubSeq: {
      z3::expr s = term(A[0]);
      z3::expr st = term(A[1]), k = term(A[2]);
      side(SideKind::Partial, st >= 0 && k >= 0 && st + k <= seqLen(s),
           label(e) + ": 0 <= " + label(A[1]) + ", 0 <= " + label(A[2]) + " and " + label(A[1]) + " + " + label(A[2]) +
               " <= len(" + label(A[0]) + ")",
           e->range);
      z3::expr i = boundConst("i", cc_.model().sorts.integer());
      return mkSeq(S, z3::lambda(i, z3::ite(i >= 0 && i < k, z3::select(seqArr(s), i + st), cc_.dflt(E))), k);
    }
    default: break;
  }
  throw Unsupported("cannot encode " + label(e));
}

z3::expr Encoder::setOp(const Expr* e) {
  z3::context& c = ctx();
  const auto& A = e->args;
  // Every value of a small finite sort, or of a tuple of them (`tuple of src: Int[0..1], tag:
  // Int[0..3]`: 8 values; until 2026-12-04 its size was refused as over "an infinite sort").
  auto values = [&](Sort elem, z3::expr_vector& out) {
    if (cc_.isSmallFinite(elem)) {
      for (int64_t i = 0; i < cc_.finiteSize(elem); ++i) out.push_back(cc_.finiteValue(elem, i));
      return true;
    }
    std::vector<std::vector<int64_t>> tuples;
    if (!cc_.finiteTupleIndices(elem, ContextCache::kMaxSummed, tuples)) return false;
    for (const std::vector<int64_t>& at : tuples) {
      z3::expr_vector fs(c);
      for (size_t j = 0; j < at.size(); ++j) fs.push_back(cc_.finiteValue(elem->def->fields[j].sort, at[j]));
      out.push_back(cc_.datatype(elem).ctors[0](fs));
    }
    return true;
  };
  auto finiteSum = [&](Sort elem, const z3::expr& s, bool counts) -> z3::expr {
    z3::expr_vector vs(c);
    if (!values(elem, vs))
      throw Unsupported("size of a set or multiset over " + sortName(elem) +
                        " is not supported by the prover: its elements must be of a finite sort (Bool, an "
                        "enumeration, an integer range, or a tuple of them) with at most " +
                        std::to_string(ContextCache::kMaxSummed) + " values");
    z3::expr_vector xs(c);
    for (const z3::expr& v : vs) {
      z3::expr x = z3::select(s, v);
      xs.push_back(counts ? x : z3::ite(x, c.int_val(1), c.int_val(0)));
    }
    return z3::sum(xs);
  };
  switch (e->op) {
    case Op::SetEmpty: return z3::const_array(cc_.sort(e->sort->elem()), c.bool_val(false));
    case Op::SetLit: {
      z3::expr s = z3::const_array(cc_.sort(e->sort->elem()), c.bool_val(false));
      for (const Expr* a : A) s = z3::store(s, narrow(term(a), e->sort->elem(), a), c.bool_val(true));
      return s;
    }
    case Op::SetInsert: {
      z3::expr x = narrow(term(A[0]), e->sort->elem(), A[0]);
      return z3::store(term(A[1]), x, c.bool_val(true));
    }
    case Op::SetDelete: {
      z3::expr x = term(A[0]);
      return z3::store(term(A[1]), x, c.bool_val(false));
    }
    case Op::SetIn: {
      z3::expr x = term(A[0]);
      return z3::select(term(A[1]), x);
    }
    case Op::SetUnion: return z3::set_union(term(A[0]), term(A[1]));
    case Op::SetIntersect: return z3::set_intersect(term(A[0]), term(A[1]));
    case Op::SetDiff: {
      z3::expr a = term(A[0]), b = term(A[1]);
      if (e->sort->kind == SortKind::Set) return z3::set_difference(a, b);
      z3::expr x = boundConst("x", e->sort->elem());
      z3::expr d = z3::select(a, x) - z3::select(b, x);
      return z3::lambda(x, z3::ite(d > 0, d, c.int_val(0)));
    }
    case Op::SetSize: return finiteSum(A[0]->sort->elem(), term(A[0]), false);
    case Op::SetSubseteq: return z3::set_subset(term(A[0]), term(A[1]));
    case Op::MsetEmpty: return z3::const_array(cc_.sort(e->sort->elem()), c.int_val(0));
    case Op::MsetLit: {
      z3::expr m = z3::const_array(cc_.sort(e->sort->elem()), c.int_val(0));
      for (const Expr* a : A) {
        z3::expr x = narrow(term(a), e->sort->elem(), a);
        m = z3::store(m, x, z3::select(m, x) + 1);
      }
      return m;
    }
    case Op::MsetInsert: {
      z3::expr x = narrow(term(A[0]), e->sort->elem(), A[0]);
      z3::expr m = term(A[1]);
      return z3::store(m, x, z3::select(m, x) + 1);
    }
    case Op::MsetDelete: {
      z3::expr x = term(A[0]);
      z3::expr m = term(A[1]);
      z3::expr n = z3::select(m, x);
      return z3::store(m, x, z3::ite(n > 0, n - 1, c.int_val(0)));
    }
    case Op::MsetIn: {
      z3::expr x = term(A[0]);
      return z3::select(term(A[1]), x) > 0;
    }
    case Op::MsetUnion: {
      z3::expr a = term(A[0]), b = term(A[1]);
      z3::expr x = boundConst("x", e->sort->elem());
      return z3::lambda(x, z3::select(a, x) + z3::select(b, x));
    }
    case Op::MsetSize: return finiteSum(A[0]->sort->elem(), term(A[0]), true);
    case Op::MsetCount: {
      z3::expr x = term(A[0]);
      return z3::select(term(A[1]), x);
    }
    default: break;
  }
  throw Unsupported("cannot encode " + label(e));
}

z3::expr Encoder::mapOp(const Expr* e) {
  z3::context& c = ctx();
  const auto& A = e->args;
  switch (e->op) {
    case Op::MapGet: {
      Sort M = A[0]->sort;
      z3::expr m = term(A[0]);
      z3::expr k = narrow(term(A[1]), M->key(), A[1]);
      if (M->kind == SortKind::Map) {
        side(SideKind::Partial, z3::select(field(M, 0, 1, m), k),
             label(e) + ": " + label(A[1]) + " is defined in " + label(A[0]), e->range);
        return z3::select(field(M, 0, 0, m), k);
      }
      return arrayGet(M, m, k);
    }
    case Op::MapUpdate: {
      Sort M = A[0]->sort;
      z3::expr m = term(A[0]);
      if (M->kind == SortKind::Seq) {
        z3::expr i = term(A[1]);
        z3::expr v = narrow(term(A[2]), M->elem(), A[2]);
        side(SideKind::Partial, i >= 0 && i < seqLen(m), label(e) + ": index " + label(A[1]) + " is in range",
             e->range);
        return mkSeq(M, z3::store(seqArr(m), i, v), seqLen(m));
      }
      z3::expr k = narrow(term(A[1]), M->key(), A[1]);
      z3::expr v = narrow(term(A[2]), M->value(), A[2]);
      if (M->kind == SortKind::Map)
        return cc_.datatype(M).ctors[0](z3::store(field(M, 0, 0, m), k, v),
                                        z3::store(field(M, 0, 1, m), k, c.bool_val(true)));
      return arraySet(M, m, k, v);
    }
    case Op::MapTotal: {  // every key defined: over a small sort key by key; else the definedness array is
      Sort M = A[0]->sort;  // all true, as constant(v) makes it (constArray) and updates keep it
      if (M->kind != SortKind::Map) return c.bool_val(true);
      z3::expr m = term(A[0]);
      z3::expr def = field(M, 0, 1, m);
      if (hasWf(M->key()) && cc_.isSmallFinite(M->key())) {
        std::vector<z3::expr> each;
        for (int64_t i = 0; i < cc_.finiteSize(M->key()); ++i) each.push_back(z3::select(def, cc_.finiteValue(M->key(), i)));
        return mkAnd(c, each);
      }
      return def == z3::const_array(cc_.sort(M->key()), c.bool_val(true));
    }
    case Op::MapDefined: {
      Sort M = A[0]->sort;
      z3::expr m = term(A[0]);
      z3::expr k = term(A[1]);
      if (M->kind == SortKind::Map) return z3::select(field(M, 0, 1, m), k);
      return c.bool_val(true);
    }
    case Op::MapConst: return constArray(e->sort, narrow(term(A[0]), e->sort->value(), A[0]));
    case Op::MapEmpty: {  // no key defined; the values in canonical form (every one the default)
      z3::sort ks = cc_.sort(e->sort->key());
      return cc_.datatype(e->sort).ctors[0](z3::const_array(ks, cc_.dflt(e->sort->value())),
                                            z3::const_array(ks, c.bool_val(false)));
    }
    default: break;
  }
  throw Unsupported("cannot encode " + label(e));
}

z3::expr Encoder::msgOp(const Expr* e) {
  z3::context& c = ctx();
  const auto& A = e->args;
  Sort msgS = cc_.model().sorts.msg();
  Sort hs = cc_.hdrSeqSort();
  const ContextCache::Datatype& mdt = cc_.datatype(msgS);
  auto hdrIndex = [&]() {
    int i = cc_.catalog().headerIndex(e->aux);
    if (i < 0) throw Unsupported("header sort " + sortName(e->aux) + " is not a layer header");
    return static_cast<size_t>(i);
  };
  switch (e->op) {
    case Op::MsgMake: return mdt.ctors[0](term(A[0]), cc_.dflt(hs));
    case Op::MsgPayload: return field(msgS, 0, 0, term(A[0]));
    case Op::MsgPush: {
      z3::expr m = term(A[0]);
      z3::expr h = term(A[1]);
      size_t hi = hdrIndex();
      z3::expr hv = cc_.hdrDatatype().ctors[hi](h);
      z3::expr hd = field(msgS, 0, 1, m);
      z3::expr n = seqLen(hd);
      return mdt.ctors[0](field(msgS, 0, 0, m), mkSeq(hs, z3::store(seqArr(hd), n, hv), n + 1));
    }
    case Op::MsgHasHdr:
    case Op::MsgHdr:
    case Op::MsgPop: {
      z3::expr m = term(A[0]);
      size_t hi = hdrIndex();
      z3::expr hd = field(msgS, 0, 1, m);
      z3::expr n = seqLen(hd);
      z3::expr top = z3::select(seqArr(hd), n - 1);
      z3::expr has = n > 0 && cc_.hdrDatatype().testers[hi](top);
      if (e->op == Op::MsgHasHdr) return has;
      side(SideKind::Partial, has, label(e) + ": the top header of " + label(A[0]) + " is a " + sortName(e->aux),
           e->range);
      if (e->op == Op::MsgHdr) return cc_.hdrDatatype().fields[hi][0](top);
      return mdt.ctors[0](field(msgS, 0, 0, m),
                          mkSeq(hs, z3::store(seqArr(hd), n - 1, cc_.dflt(hs->elem())), n - 1));
    }
    case Op::MsgSize:
      throw Unsupported("the size of a message is not supported by the prover");
    default: break;
  }
  (void)c;
  throw Unsupported("cannot encode " + label(e));
}

}  // namespace ioa::prover::detail
