#include "SymExec.h"

#include "ioa/rt/checksum.h"
#include "ioa/z3util/Alarm.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <clang/AST/RecordLayout.h>
#include <clang/Basic/Builtins.h>
#include <clang/Basic/SourceManager.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>

namespace ioa::opt {

using namespace clang;

namespace {
double nowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

std::string describeLoc(const ASTContext& ast, SourceLocation loc) {
  if (loc.isInvalid()) return "<unknown>";
  const SourceManager& sm = ast.getSourceManager();
  PresumedLoc p = sm.getPresumedLoc(sm.getExpansionLoc(loc));
  if (p.isInvalid()) return "<unknown>";
  std::string f = p.getFilename();  // as the sources name it, without the in-memory root
  if (size_t s = f.find("/ioawb-virtual/"); s != std::string::npos) f = f.substr(s + 15);
  return f + ":" + std::to_string(p.getLine()) + ":" + std::to_string(p.getColumn());
}

[[noreturn]] static void unsupported(const std::string& what, SourceLocation loc) {
  throw TranslationError{what, loc};
}

// ------------------------------------------------------------------ types

unsigned SymExec::widthOf(QualType t) const {
  t = t.getCanonicalType();
  if (const auto* et = t->getAs<EnumType>()) t = et->getDecl()->getIntegerType();
  return static_cast<unsigned>(ast_.getTypeSize(t));
}

bool SymExec::isSigned(QualType t) const {
  t = t.getCanonicalType();
  if (const auto* et = t->getAs<EnumType>()) t = et->getDecl()->getIntegerType();
  return t->isSignedIntegerType();
}

static bool isBool(QualType t) { return t.getCanonicalType()->isBooleanType(); }
static bool isScalarInt(QualType t) {
  QualType c = t.getCanonicalType();
  return c->isIntegerType() || c->isEnumeralType();
}

std::vector<const FieldDecl*> SymExec::fieldsOf(const RecordDecl* rd) const {
  std::vector<const FieldDecl*> out;
  for (const FieldDecl* f : rd->fields()) out.push_back(f);
  return out;
}

// Children of a record value: non-virtual bases first, then fields.
std::vector<QualType> SymExec::fieldTypes(QualType t) const {
  std::vector<QualType> out;
  const RecordDecl* rd = t.getCanonicalType()->getAsRecordDecl();
  if (!rd) return out;
  if (const auto* cxx = dyn_cast<CXXRecordDecl>(rd)) {
    if (cxx->getNumVBases()) unsupported("virtual base classes", cxx->getLocation());
    for (const CXXBaseSpecifier& b : cxx->bases()) out.push_back(b.getType());
  }
  for (const FieldDecl* f : rd->fields()) {
    if (f->isBitField()) unsupported("bit-fields", f->getLocation());
    out.push_back(f->getType());
  }
  return out;
}

static unsigned numBases(const RecordDecl* rd) {
  if (const auto* cxx = dyn_cast<CXXRecordDecl>(rd)) return cxx->getNumBases();
  return 0;
}

static z3::sort liftSort(z3::context& z, z3::sort s, unsigned depth) {
  for (unsigned i = 0; i < depth; ++i) s = z.array_sort(z.bv_sort(64), s);
  return s;
}

SymExec::Intrinsic SymExec::intrinsicOf(QualType t) const {
  const RecordDecl* rd = t.getCanonicalType()->getAsRecordDecl();
  if (!rd) return Intrinsic::None;
  std::string n = rd->getQualifiedNameAsString();
  if (n == "ioa::rt::Msg") return Intrinsic::Msg;
  if (n == "ioa::rt::Bytes") return Intrinsic::Bytes;
  return Intrinsic::None;
}

const CXXDestructorDecl* SymExec::userDestructor(QualType t) {
  QualType c = t.getCanonicalType();
  while (const ArrayType* at = ast_.getAsArrayType(c)) c = at->getElementType().getCanonicalType();
  const auto* rd = c->getAsCXXRecordDecl();
  if (!rd || !rd->hasDefinition()) return nullptr;
  rd = rd->getDefinition();
  if (auto it = userDtors_.find(rd); it != userDtors_.end()) return it->second;
  const CXXDestructorDecl* found = nullptr;
  // the runtime's types are modelled as values (Msg, Bytes), or only guard what the model leaves out
  // (FaultMute restores the fault log, and a fault ends a path)
  if (rd->getQualifiedNameAsString().rfind("ioa::rt::", 0) != 0 && !rd->hasTrivialDestructor()) {
    if (const CXXDestructorDecl* d = rd->getDestructor(); d && d->isUserProvided()) found = d;
    for (const CXXBaseSpecifier& b : rd->bases())
      if (!found) found = userDestructor(b.getType());
    for (const FieldDecl* f : rd->fields())
      if (!found) found = userDestructor(f->getType());
  }
  userDtors_[rd] = found;
  return found;
}

SymVal SymExec::intrinsicValue(Intrinsic k, const std::string& prefix, unsigned lift, bool zeroed) {
  z3::sort bytes = z_.array_sort(z_.bv_sort(64), z_.bv_sort(8));
  auto mk = [&](const std::string& name, z3::sort so) {
    if (!zeroed) return SymVal::ofLeaf(z_.constant((prefix + "." + name).c_str(), liftSort(z_, so, lift)));
    (void)name;
    z3::expr e = so.is_array() ? z3::const_array(z_.bv_sort(64), z_.bv_val(0, 8)) : z_.bv_val(0, 32);
    for (unsigned i = 0; i < lift; ++i) e = z3::const_array(z_.bv_sort(64), e);
    return SymVal::ofLeaf(e);
  };
  SymVal v;
  v.kind = SymVal::Struct;
  if (k == Intrinsic::Msg) {
    v.fields = {mk("hdr", bytes), mk("hlen", z_.bv_sort(32)), mk("pay", bytes), mk("plen", z_.bv_sort(32))};
  } else {
    v.fields = {mk("data", bytes), mk("len", z_.bv_sort(32))};
  }
  if (!zeroed) {
    // canonical padding: bytes past the length are zero (every operation keeps it so)
    for (size_t f = 0; f + 1 < v.fields.size(); f += 2)
      v.fields[f].leaf = padded(*v.fields[f].leaf, *v.fields[f + 1].leaf, lift);
  }
  return v;
}

z3::expr SymExec::padded(const z3::expr& arr, const z3::expr& len, unsigned lift) {
  if (lift == 0) {
    z3::expr i = z_.bv_const("pad_i", 64);
    return z3::lambda(i, z3::ite(z3::ult(i, z3::zext(len, 32)), z3::select(arr, i), z_.bv_val(0, 8)));
  }
  z3::expr j = z_.bv_const(("pad_j" + std::to_string(lift)).c_str(), 64);
  return z3::lambda(j, padded(z3::select(arr, j), z3::select(len, j), lift - 1));
}

SymVal SymExec::fresh(QualType t, const std::string& prefix, unsigned lift) {
  QualType c = t.getCanonicalType();
  if (Intrinsic k = intrinsicOf(c); k != Intrinsic::None) return intrinsicValue(k, prefix, lift, false);
  if (c->isReferenceType()) unsupported("reference member '" + prefix + "'", {});
  if (isBool(c)) return SymVal::ofLeaf(z_.constant(prefix.c_str(), liftSort(z_, z_.bool_sort(), lift)));
  if (isScalarInt(c)) return SymVal::ofLeaf(z_.constant(prefix.c_str(), liftSort(z_, z_.bv_sort(widthOf(c)), lift)));
  if (c->isPointerType()) {
    SymVal v;
    v.kind = SymVal::Ptr;
    v.ptrOk = z_.bool_val(false);  // pointers in fresh state are unset until a constructor wires them
    return v;
  }
  if (const auto* at = ast_.getAsConstantArrayType(c)) return fresh(at->getElementType(), prefix, lift + 1);
  if (const RecordDecl* rd = c->getAsRecordDecl()) {
    SymVal v;
    v.kind = SymVal::Struct;
    std::vector<QualType> ts = fieldTypes(c);
    unsigned nb = numBases(rd);
    std::vector<const FieldDecl*> fs = fieldsOf(rd);
    for (size_t i = 0; i < ts.size(); ++i) {
      std::string name = i < nb ? prefix + ".<base" + std::to_string(i) + ">" : prefix + "." + fs[i - nb]->getNameAsString();
      v.fields.push_back(fresh(ts[i], name, lift));
    }
    return v;
  }
  unsupported("values of type '" + t.getAsString() + "'", {});
}

SymVal SymExec::zero(QualType t, unsigned lift) {
  QualType c = t.getCanonicalType();
  if (Intrinsic k = intrinsicOf(c); k != Intrinsic::None) return intrinsicValue(k, "", lift, true);
  auto liftConst = [&](z3::expr e) {
    for (unsigned i = 0; i < lift; ++i) e = z3::const_array(z_.bv_sort(64), e);
    return e;
  };
  if (isBool(c)) return SymVal::ofLeaf(liftConst(z_.bool_val(false)));
  if (isScalarInt(c)) return SymVal::ofLeaf(liftConst(z_.bv_val(0, widthOf(c))));
  if (c->isPointerType()) {
    SymVal v;
    v.kind = SymVal::Ptr;
    v.ptrOk = z_.bool_val(false);
    return v;
  }
  if (const auto* at = ast_.getAsConstantArrayType(c)) return zero(at->getElementType(), lift + 1);
  if (c->getAsRecordDecl()) {
    SymVal v;
    v.kind = SymVal::Struct;
    for (QualType ft : fieldTypes(c)) v.fields.push_back(zero(ft, lift));
    return v;
  }
  unsupported("values of type '" + t.getAsString() + "'", {});
}

void SymExec::leaves(const SymVal& v, QualType t, const std::string& prefix,
                     std::vector<std::pair<std::string, z3::expr>>& out) const {
  QualType c = t.getCanonicalType();
  if (v.kind == SymVal::Leaf) {
    out.emplace_back(prefix, *v.leaf);
    return;
  }
  if (v.kind != SymVal::Struct) return;
  if (const auto* at = ast_.getAsConstantArrayType(c)) {
    leaves(v, at->getElementType(), prefix + "[]", out);
    return;
  }
  const RecordDecl* rd = c->getAsRecordDecl();
  if (!rd) return;
  std::vector<QualType> ts = fieldTypes(c);
  unsigned nb = numBases(rd);
  std::vector<const FieldDecl*> fs = fieldsOf(rd);
  for (size_t i = 0; i < v.fields.size() && i < ts.size(); ++i) {
    std::string name = i < nb ? prefix : prefix + "." + fs[i - nb]->getNameAsString();
    leaves(v.fields[i], ts[i], name, out);
  }
}

// ------------------------------------------------------------------ value helpers

static bool sameExpr(const z3::expr& a, const z3::expr& b) { return z3::eq(a, b); }

// Local constant folding at the top of a term, without walking the DAG below
// it (Z3's simplify would, and the terms of a layered stack share large
// sub-terms): arithmetic on numerals, literal conditions, reads from arrays
// written at known indices, and reads through the lambdas of the message model.
static bool isLit(const z3::expr& e) { return e.is_numeral() || e.is_true() || e.is_false(); }

static z3::expr fold(const z3::expr& e);

static z3::expr foldSelect(z3::expr arr, const z3::expr& idx) {
  for (int guard = 0; guard < 4096; ++guard) {
    if (!arr.is_app()) break;
    Z3_decl_kind k = arr.decl().decl_kind();
    if (k == Z3_OP_STORE) {
      z3::expr i = arr.arg(1);
      if (z3::eq(i, idx)) return arr.arg(2);
      if (i.is_numeral() && idx.is_numeral()) {
        arr = arr.arg(0);
        continue;
      }
      break;
    }
    if (k == Z3_OP_CONST_ARRAY) return arr.arg(0);
    if (k == Z3_OP_ITE && arr.arg(0).is_true()) {
      arr = arr.arg(1);
      continue;
    }
    if (k == Z3_OP_ITE && arr.arg(0).is_false()) {
      arr = arr.arg(2);
      continue;
    }
    break;
  }
  if (arr.is_lambda() && idx.is_numeral()) {
    // beta-reduce: the body with the bound variable replaced by the index
    z3::expr_vector to(arr.ctx());
    to.push_back(idx);
    z3::expr body = arr.body().substitute(to);
    return fold(body);
  }
  return z3::select(arr, idx);
}

static z3::expr fold(const z3::expr& e) {
  if (!e.is_app() || isLit(e)) return e;
  Z3_decl_kind k = e.decl().decl_kind();
  unsigned n = e.num_args();
  switch (k) {
    case Z3_OP_ITE:
      if (e.arg(0).is_true()) return e.arg(1);
      if (e.arg(0).is_false()) return e.arg(2);
      if (z3::eq(e.arg(1), e.arg(2))) return e.arg(1);
      return e;
    case Z3_OP_EQ:
      if (z3::eq(e.arg(0), e.arg(1))) return e.ctx().bool_val(true);
      break;
    case Z3_OP_SELECT:
      return foldSelect(e.arg(0), fold(e.arg(1)));
    case Z3_OP_AND: {
      z3::expr_vector keep(e.ctx());
      for (unsigned i = 0; i < n; ++i) {
        if (e.arg(i).is_false()) return e.ctx().bool_val(false);
        if (!e.arg(i).is_true()) keep.push_back(e.arg(i));
      }
      if (keep.empty()) return e.ctx().bool_val(true);
      if (keep.size() == 1) return keep[0];
      if (keep.size() == n) return e;
      return z3::mk_and(keep);
    }
    case Z3_OP_OR: {
      z3::expr_vector keep(e.ctx());
      for (unsigned i = 0; i < n; ++i) {
        if (e.arg(i).is_true()) return e.ctx().bool_val(true);
        if (!e.arg(i).is_false()) keep.push_back(e.arg(i));
      }
      if (keep.empty()) return e.ctx().bool_val(false);
      if (keep.size() == 1) return keep[0];
      if (keep.size() == n) return e;
      return z3::mk_or(keep);
    }
    case Z3_OP_NOT:
      if (e.arg(0).is_true()) return e.ctx().bool_val(false);
      if (e.arg(0).is_false()) return e.ctx().bool_val(true);
      break;
    default: break;
  }
  // every argument a literal: the node is small, so simplify is cheap
  for (unsigned i = 0; i < n; ++i)
    if (!isLit(e.arg(i))) return e;
  return e.simplify();
}


static SymVal iteVal(z3::context& z, const z3::expr& cond, const SymVal& a, const SymVal& b) {
  if (a.kind == SymVal::None) return b;
  if (b.kind == SymVal::None) return a;
  z3::expr c = fold(cond);
  if (c.is_true()) return a;
  if (c.is_false()) return b;
  SymVal r;
  r.kind = a.kind;
  switch (a.kind) {
    case SymVal::Leaf:
      r.leaf = sameExpr(*a.leaf, *b.leaf) ? *a.leaf : fold(z3::ite(c, *a.leaf, *b.leaf));
      return r;
    case SymVal::Struct:
      for (size_t i = 0; i < a.fields.size() && i < b.fields.size(); ++i) r.fields.push_back(iteVal(z, c, a.fields[i], b.fields[i]));
      return r;
    case SymVal::Ptr: {
      z3::expr okA = a.ptrOk ? *a.ptrOk : z.bool_val(false);
      z3::expr okB = b.ptrOk ? *b.ptrOk : z.bool_val(false);
      r.ptrOk = sameExpr(okA, okB) ? okA : z3::ite(c, okA, okB);
      if (!a.ptr) {
        r.ptr = b.ptr;
        return r;
      }
      if (!b.ptr) {
        r.ptr = a.ptr;
        return r;
      }
      const Path& pa = *a.ptr;
      const Path& pb = *b.ptr;
      // a null or unset pointer on one side: keep the other target, valid only where it was chosen
      if ((pa.root < 0 || okA.is_false()) && pb.root >= 0) {
        r.ptr = pb;
        r.ptrOk = fold(z3::ite(c, z.bool_val(false), okB));
        return r;
      }
      if ((pb.root < 0 || okB.is_false()) && pa.root >= 0) {
        r.ptr = pa;
        r.ptrOk = fold(z3::ite(c, okA, z.bool_val(false)));
        return r;
      }
      bool same = pa.root == pb.root && pa.uid == pb.uid && pa.steps.size() == pb.steps.size();
      Path merged = pa;
      for (size_t i = 0; same && i < pa.steps.size(); ++i) {
        if (pa.steps[i].kind != pb.steps[i].kind) same = false;
        else if (pa.steps[i].kind == Step::Field) same = pa.steps[i].field == pb.steps[i].field;
        else if (!sameExpr(*pa.steps[i].index, *pb.steps[i].index))
          merged.steps[i].index = z3::ite(c, *pa.steps[i].index, *pb.steps[i].index);
      }
      if (!same) throw TranslationError{"a pointer that may point to different objects on different paths", {}};
      r.ptr = merged;
      return r;
    }
    case SymVal::None: return r;
  }
  return r;
}

z3::expr sameObject(z3::context& z, const Path& a, const Path& b) {
  if (a.root != b.root || a.uid != b.uid || a.steps.size() != b.steps.size()) return z.bool_val(false);
  z3::expr same = z.bool_val(true);
  for (size_t i = 0; i < a.steps.size(); ++i) {
    const Step &x = a.steps[i], &y = b.steps[i];
    if (x.kind != y.kind || (x.kind == Step::Field && x.field != y.field)) return z.bool_val(false);
    if (x.kind == Step::Index) same = same && *x.index == *y.index;
  }
  return same;
}

// Roots past the shorter store are locals of blocks the two paths took
// separately; they are dead where the paths join, so the join keeps only the
// common ones.
static Store iteStore(z3::context& z, const z3::expr& cond, const Store& a, const Store& b) {
  z3::expr c = fold(cond);
  size_t n = std::min(a.size(), b.size());
  Store r = c.is_false() ? b : a;
  r.resize(n);
  if (c.is_true() || c.is_false()) return r;
  for (size_t i = 0; i < n; ++i) {
    r[i].value = iteVal(z, c, a[i].value, b[i].value);
    // an object whose lifetime ended on one path (a block left by break or continue) is dead after
    // the join; a root that holds another object on each path keeps the first one's (a path to the
    // other no longer matches its identity)
    if (a[i].uid == b[i].uid) r[i].dead = a[i].dead || b[i].dead;
  }
  return r;
}

static z3::expr nestedSelect(z3::expr a, const std::vector<z3::expr>& idx) {
  for (const z3::expr& i : idx) a = foldSelect(a, i);
  return a;
}

static z3::expr nestedStore(const z3::expr& a, const std::vector<z3::expr>& idx, size_t k, const z3::expr& v) {
  if (k == idx.size()) return v;
  return z3::store(a, idx[k], nestedStore(z3::select(a, idx[k]), idx, k + 1, v));
}

static SymVal selectAll(const SymVal& v, const std::vector<z3::expr>& idx) {
  if (idx.empty()) return v;
  SymVal r = v;
  if (v.kind == SymVal::Leaf) r.leaf = nestedSelect(*v.leaf, idx);
  else if (v.kind == SymVal::Struct)
    for (SymVal& f : r.fields) f = selectAll(f, idx);
  else if (v.kind == SymVal::Ptr)
    throw TranslationError{"pointers stored in arrays", {}};
  return r;
}

// The array `dst` (read at the enclosing indices `didx`) with its first `n` elements taken from the
// array `src` (at `sidx`), element type by element type: a whole array copied. Past `n` the Z3 arrays
// keep their own values, which no defined access reads.
static SymVal copyElems(const SymVal& src, const std::vector<z3::expr>& sidx, const SymVal& dst,
                        const std::vector<z3::expr>& didx, uint64_t n) {
  if (src.kind == SymVal::Struct && dst.kind == SymVal::Struct && src.fields.size() == dst.fields.size()) {
    SymVal r = dst;
    for (size_t f = 0; f < dst.fields.size(); ++f) r.fields[f] = copyElems(src.fields[f], sidx, dst.fields[f], didx, n);
    return r;
  }
  if (src.kind != SymVal::Leaf || dst.kind != SymVal::Leaf)
    throw TranslationError{"an array of pointers copied whole", {}};
  z3::expr from = nestedSelect(*src.leaf, sidx), to = nestedSelect(*dst.leaf, didx);
  z3::context& z = from.ctx();
  z3::expr i = z.bv_const("copy_i", 64);
  return SymVal::ofLeaf(z3::lambda(i, z3::ite(z3::ult(i, z.bv_val(n, 64)), z3::select(from, i), z3::select(to, i))));
}

static void storeAll(SymVal& target, const std::vector<z3::expr>& idx, const SymVal& v) {
  if (idx.empty()) {
    target = v;
    return;
  }
  if (target.kind == SymVal::Leaf) {
    target.leaf = nestedStore(*target.leaf, idx, 0, *v.leaf);
  } else if (target.kind == SymVal::Struct) {
    for (size_t i = 0; i < target.fields.size(); ++i) storeAll(target.fields[i], idx, v.fields[i]);
  } else if (target.kind == SymVal::Ptr) {
    throw TranslationError{"pointers stored in arrays", {}};
  }
}

// ------------------------------------------------------------------ execution frame

struct Exit {
  std::optional<Store> store;
  std::optional<SymVal> value;
  z3::expr cond;
  explicit Exit(z3::context& z) : cond(z.bool_val(false)) {}
};

struct LValue {
  Path path;
};

struct SymExec::Frame {
  SymExec& X;
  z3::context& z;
  Store S;
  z3::expr live;
  z3::expr ub;
  z3::expr incomplete;
  Exit ret;
  std::vector<Exit*> breaks, continues;
  std::map<const VarDecl*, Path> locals;
  std::optional<Path> thisPath;
  const FunctionDecl* fn = nullptr;
  // A function returning a reference whose caller reads the object at once (the call is an rvalue):
  // its returns give the object's value, so returns of different objects join as values.
  bool refAsValue = false;
  // The first root of this call's own objects (parameters passed by value, locals, temporaries):
  // a reference to one of them dangles once the call returns.
  size_t firstOwnRoot = 0;
  // Temporaries not bound to a reference variable, created by the statement being run: they die
  // at the end of its full-expression (marked dead by stmt()).
  std::vector<Path> temps;
  void endLifetimes(size_t firstTemp, size_t firstRoot) {
    for (size_t i = firstTemp; i < temps.size(); ++i) {
      const size_t r = static_cast<size_t>(temps[i].root);
      if (r < S.size() && S[r].uid == temps[i].uid) S[r].dead = true;  // (a join may have dropped it)
    }
    temps.resize(std::min(temps.size(), firstTemp));
    for (size_t r = firstRoot; r < S.size(); ++r) S[r].dead = true;
  }
  // A condition or a for-increment is a full-expression of its own: its temporaries die after it.
  SymVal fullExpr(const Expr* e) {
    const size_t firstTemp = temps.size();
    SymVal v = rval(e);
    endLifetimes(firstTemp, SIZE_MAX);
    return v;
  }

  Frame(SymExec& x, Store s, z3::expr liveCond)
      : X(x), z(x.z_), S(std::move(s)), live(liveCond), ub(z.bool_val(false)), incomplete(z.bool_val(false)), ret(z) {}

  ASTContext& ast() { return X.ast_; }

  // The expression being evaluated (restored when its evaluation returns), for naming where
  // undefined behaviour can happen.
  SourceLocation at;
  struct At {
    SourceLocation& slot;
    SourceLocation saved;
    At(SourceLocation& s, SourceLocation now) : slot(s), saved(s) { slot = now; }
    ~At() { slot = saved; }
  };
  void addUB(const z3::expr& cond) {
    const z3::expr where = live && cond;
    ub = ub || where;
    if (!where.is_false()) X.ubSites_.push_back({at, where});
  }

  static bool isFalse(const z3::expr& e) { return e.is_false(); }
  z3::expr simp(const z3::expr& e) { return fold(e); }
  // Conjunction and disjunction that fold constants syntactically, so `live`
  // stays cheap to test without simplifying ever larger terms.
  z3::expr andE(const z3::expr& a, const z3::expr& b) {
    if (a.is_false() || b.is_false()) return z.bool_val(false);
    if (a.is_true()) return b;
    if (b.is_true()) return a;
    return a && b;
  }
  z3::expr orE(const z3::expr& a, const z3::expr& b) {
    if (a.is_true() || b.is_true()) return z.bool_val(true);
    if (a.is_false()) return b;
    if (b.is_false()) return a;
    return a || b;
  }
  z3::expr iteB(const z3::expr& c, const z3::expr& a, const z3::expr& b) {
    if (c.is_true()) return a;
    if (c.is_false()) return b;
    if (a.is_false() && b.is_false()) return z.bool_val(false);
    if (a.is_true() && b.is_true()) return z.bool_val(true);
    if (z3::eq(a, b)) return a;
    return z3::ite(c, a, b);
  }

  void mergeExit(Exit& ex, const std::optional<SymVal>& v) {
    z3::expr c = live;
    if (c.is_false()) return;
    if (!ex.store) {
      ex.store = S;
      ex.value = v;
    } else {
      ex.store = iteStore(z, c, S, *ex.store);
      if (v && ex.value) ex.value = iteVal(z, c, *v, *ex.value);
      else if (v) ex.value = v;
    }
    ex.cond = orE(ex.cond, c);
  }

  // Joins an exit back into the running state (after a loop or switch).
  void joinExit(Exit& ex) {
    if (!ex.store) return;
    S = iteStore(z, ex.cond, *ex.store, S);
    live = orE(live, ex.cond);
  }

  // ---------------------------------------------------------------- paths

  Path rootPath(int root) {
    Path p;
    p.root = root;
    p.uid = S[static_cast<size_t>(root)].uid;
    p.type = S[root].type;
    return p;
  }

  [[noreturn]] void unsupportedDestructor(QualType t, const CXXDestructorDecl* d, SourceLocation loc) {
    unsupported("an object of type '" + t.getNonReferenceType().getUnqualifiedType().getAsString() +
                    "', whose user-written destructor '" + d->getQualifiedNameAsString() + "' (declared at " +
                    describeLoc(ast(), d->getLocation()) + ") the translation does not run",
                loc);
  }

  int newRoot(const std::string& name, QualType t, SymVal v) {
    // every object the code creates comes here (parameters, locals, temporaries)
    if (const CXXDestructorDecl* d = X.userDestructor(t))
      unsupportedDestructor(t, d, at.isValid() ? at : (fn ? fn->getLocation() : d->getLocation()));
    S.push_back({name, t, std::move(v)});
    S.back().uid = ++X.nextUid_;
    return static_cast<int>(S.size()) - 1;
  }

  // Steps from a record of dynamic type `from` to the subobject declaring field `f`.
  bool baseSteps(QualType from, const RecordDecl* target, std::vector<Step>& out) {
    const RecordDecl* rd = from.getCanonicalType()->getAsRecordDecl();
    if (!rd) return false;
    if (rd->getCanonicalDecl() == target->getCanonicalDecl()) return true;
    const auto* cxx = dyn_cast<CXXRecordDecl>(rd);
    if (!cxx) return false;
    unsigned i = 0;
    for (const CXXBaseSpecifier& b : cxx->bases()) {
      Step s;
      s.kind = Step::Field;
      s.field = i++;
      out.push_back(s);
      if (baseSteps(b.getType(), target, out)) return true;
      out.pop_back();
    }
    return false;
  }

  // A path to a complete object read or written as one of its bases (a base reference bound to
  // a derived object keeps the complete object, for virtual calls): the base subobject.
  Path asStatic(Path p, QualType staticType) {
    const RecordDecl* to = staticType.getCanonicalType()->getAsRecordDecl();
    const RecordDecl* from = p.type.getCanonicalType()->getAsRecordDecl();
    if (!to || !from || to->getCanonicalDecl() == from->getCanonicalDecl()) return p;
    std::vector<Step> bs;
    if (!baseSteps(p.type, to, bs)) return p;
    for (Step& s : bs) p.steps.push_back(s);
    p.type = staticType;
    return p;
  }

  Path fieldPath(Path base, const FieldDecl* f, SourceLocation loc) {
    const RecordDecl* owner = f->getParent();
    std::vector<Step> bs;
    if (!baseSteps(base.type, owner, bs))
      unsupported("member access through a type the translator cannot place", loc);
    for (Step& s : bs) base.steps.push_back(s);
    Step s;
    s.kind = Step::Field;
    s.field = numBases(owner) + f->getFieldIndex();
    base.steps.push_back(s);
    base.type = f->getType();
    return base;
  }

  // Navigates to the value designated by a path: the subtree and the pending array indices.
  SymVal* navigate(const Path& p, std::vector<z3::expr>& idx, SourceLocation loc) {
    if (p.root < 0) unsupported("dereferencing a null pointer", loc);
    if (static_cast<size_t>(p.root) >= S.size() || S[static_cast<size_t>(p.root)].uid != p.uid)
      unsupported("an object that no longer exists", loc);  // (callers ask gone() first)
    if (S[static_cast<size_t>(p.root)].dead) lifetimeUB("a dead object (" + S[static_cast<size_t>(p.root)].name + ")");
    SymVal* v = &S[p.root].value;
    for (const Step& s : p.steps) {
      if (s.kind == Step::Index) {
        idx.push_back(*s.index);
        continue;
      }
      if (v->kind != SymVal::Struct || s.field >= v->fields.size())
        unsupported("malformed object path (" + S[p.root].name + ": field " + std::to_string(s.field) + " of a value with " +
                        std::to_string(v->fields.size()) + " parts; type " + p.type.getAsString() + ")",
                    loc);
      v = &v->fields[s.field];
    }
    return v;
  }

  void checkBounds(const Path& p, bool allowOnePast) {
    for (const Step& s : p.steps) {
      if (s.kind != Step::Index) continue;
      if (s.extent) {
        z3::expr lim = z.bv_val(static_cast<uint64_t>(s.extent), 64);
        addUB(allowOnePast ? z3::ugt(*s.index, lim) : z3::uge(*s.index, lim));
      }
      if (s.limit) addUB(allowOnePast ? z3::ugt(*s.index, *s.limit) : z3::uge(*s.index, *s.limit));
    }
  }

  // An object that is gone: its root was dropped (a callee's own object, a block's local at a
  // join) or now holds another object. Reaching it is undefined; the caller then reads nothing.
  bool gone(const Path& p) {
    if (p.root < 0) return false;
    const size_t r = static_cast<size_t>(p.root);
    if (r < S.size() && S[r].uid == p.uid) return false;
    lifetimeUB("an object that no longer exists (root " + std::to_string(p.root) + ")");
    return true;
  }
  // Reaching an object outside its lifetime (IOAWB_OPT_TRACE=1 says where).
  void lifetimeUB(const std::string& what) {
    static const bool trace = std::getenv("IOAWB_OPT_TRACE") != nullptr;
    if (trace) std::fprintf(stderr, "  %s at %s\n", what.c_str(), describeLoc(ast(), at).c_str());
    addUB(z.bool_val(true));
  }

  SymVal read(const Path& p, SourceLocation loc) {
    if (gone(p)) return X.zero(p.type.getNonReferenceType().getUnqualifiedType());
    checkBounds(p, false);
    std::vector<z3::expr> idx;
    SymVal* v = navigate(p, idx, loc);
    return selectAll(*v, idx);
  }

  void write(const Path& p, const SymVal& v, SourceLocation loc) {
    if (gone(p)) return;
    if (p.root >= 0 && S[static_cast<size_t>(p.root)].readOnly)
      unsupported("a write through a conditional expression (`(c ? a : b) = v`)", loc);
    checkBounds(p, false);
    std::vector<z3::expr> idx;
    SymVal* t = navigate(p, idx, loc);
    // Unconditional: branches are merged at their join by their condition, and a path that
    // returned or broke out already left its state in the exit it took.
    if (live.is_false()) return;
    storeAll(*t, idx, v);
  }

  // ---------------------------------------------------------------- integer conversions

  z3::expr toWidth(const z3::expr& e, bool fromSigned, unsigned w) {
    unsigned ew = e.get_sort().bv_size();
    if (ew == w) return e;
    if (ew > w) return fold(e.extract(w - 1, 0));
    return fold(fromSigned ? z3::sext(e, w - ew) : z3::zext(e, w - ew));
  }

  z3::expr asBool(const SymVal& v, QualType t, SourceLocation loc) {
    if (v.kind == SymVal::Ptr) return v.ptrOk ? (*v.ptrOk && z.bool_val(v.ptr && v.ptr->root >= 0)) : z.bool_val(false);
    if (v.kind != SymVal::Leaf) unsupported("a condition of type '" + t.getAsString() + "'", loc);
    if (v.leaf->is_bool()) return *v.leaf;
    return fold(*v.leaf != z.bv_val(0, v.leaf->get_sort().bv_size()));
  }

  z3::expr asBv(const SymVal& v, SourceLocation loc) {
    if (v.kind != SymVal::Leaf) unsupported("a non-scalar value used as a number", loc);
    if (v.leaf->is_bool()) return z3::ite(*v.leaf, z.bv_val(1, 8), z.bv_val(0, 8));
    return *v.leaf;
  }

  z3::expr intOf(const Expr* e) {
    SymVal v = rval(e);
    z3::expr b = asBv(v, e->getExprLoc());
    bool sgn = X.isSigned(e->getType());
    return toWidth(b, sgn, 64);
  }

  // ---------------------------------------------------------------- expressions

  Path lval(const Expr* e) {
    e = e->IgnoreParens();
    At here(at, e->getExprLoc());
    if (const auto* d = dyn_cast<DeclRefExpr>(e)) {
      const auto* vd = dyn_cast<VarDecl>(d->getDecl());
      if (!vd) unsupported("a reference to '" + d->getDecl()->getNameAsString() + "'", e->getExprLoc());
      auto it = locals.find(vd);
      if (it != locals.end()) return it->second;
      unsupported("global variable '" + vd->getNameAsString() + "'", e->getExprLoc());
    }
    if (const auto* m = dyn_cast<MemberExpr>(e)) {
      const auto* f = dyn_cast<FieldDecl>(m->getMemberDecl());
      if (!f) unsupported("member '" + m->getMemberDecl()->getNameAsString() + "' used as an object", e->getExprLoc());
      Path base;
      if (m->isArrow()) {
        SymVal p = rval(m->getBase());
        base = derefPath(p, m->getBase()->getExprLoc());
      } else {
        base = lval(m->getBase());
      }
      return fieldPath(base, f, e->getExprLoc());
    }
    if (const auto* a = dyn_cast<ArraySubscriptExpr>(e)) {
      SymVal p = rval(a->getBase());
      Path base = derefPath(p, a->getBase()->getExprLoc());
      z3::expr i = intOf(a->getIdx());
      return offsetPath(base, i, e->getExprLoc());
    }
    if (const auto* u = dyn_cast<UnaryOperator>(e)) {
      if (u->getOpcode() == UO_Deref) return derefPath(rval(u->getSubExpr()), e->getExprLoc());
      if (u->getOpcode() == UO_PreInc || u->getOpcode() == UO_PreDec) {
        rval(e);
        return lval(u->getSubExpr());
      }
    }
    if (const auto* c = dyn_cast<CastExpr>(e)) {
      // includes std::move / std::forward's static_cast<T&&>
      if (c->getCastKind() == CK_NoOp || c->getCastKind() == CK_LValueBitCast) return lval(c->getSubExpr());
      if (c->getCastKind() == CK_UncheckedDerivedToBase || c->getCastKind() == CK_DerivedToBase) {
        Path p = lval(c->getSubExpr());
        return p;  // keep the complete object: members are placed by their declaring class
      }
    }
    if (const auto* b = dyn_cast<BinaryOperator>(e)) {
      if (b->isAssignmentOp()) {
        rval(e);
        return lval(b->getLHS());
      }
      if (b->getOpcode() == BO_Comma) {
        rval(b->getLHS());
        return lval(b->getRHS());
      }
    }
    if (const auto* t = dyn_cast<MaterializeTemporaryExpr>(e)) {
      SymVal v = rval(t->getSubExpr());
      int r = newRoot("<temporary>", t->getType(), v);
      if (!t->getExtendingDecl()) temps.push_back(rootPath(r));  // dies with its full-expression
      return rootPath(r);
    }
    if (isa<CXXThisExpr>(e)) {
      if (!thisPath) unsupported("'this' outside a member function", e->getExprLoc());
      return *thisPath;
    }
    if (const auto* cl = dyn_cast<ExprWithCleanups>(e)) return lval(cl->getSubExpr());
    if (const auto* ce = dyn_cast<CallExpr>(e)) {
      // a call returning a reference
      std::optional<SymVal> v = callExpr(ce);
      if (!v || v->kind != SymVal::Ptr) unsupported("a call used as an object", e->getExprLoc());
      return derefPath(*v, e->getExprLoc());
    }
    if (const auto* co = dyn_cast<ConditionalOperator>(e)) {
      SymVal v = rval(co);  // only for scalars: fall back to an rvalue temporary, to be read only
      int r = newRoot("<temporary>", co->getType(), v);
      S[static_cast<size_t>(r)].readOnly = true;
      return rootPath(r);
    }
    unsupported(std::string("expression '") + e->getStmtClassName() + "' used as an object", e->getExprLoc());
  }

  Path derefPath(const SymVal& p, SourceLocation loc) {
    if (p.kind != SymVal::Ptr) unsupported("dereferencing a non-pointer", loc);
    if (!p.ptr || p.ptr->root < 0) unsupported("dereferencing a pointer the translator cannot resolve", loc);
    addUB(p.ptrOk ? !*p.ptrOk : z.bool_val(true));
    return *p.ptr;
  }

  Path offsetPath(Path base, const z3::expr& i, SourceLocation loc) {
    if (!base.steps.empty() && base.steps.back().kind == Step::Index) {
      base.steps.back().index = *base.steps.back().index + i;
      return base;
    }
    // indexing a pointer to a single object: only index 0 is defined
    addUB(i != z.bv_val(0, 64));
    return base;
  }

  SymVal ptrTo(const Path& p) {
    SymVal v;
    v.kind = SymVal::Ptr;
    v.ptr = p;
    v.ptrOk = z.bool_val(true);
    return v;
  }

  SymVal leaf(const z3::expr& e) { return SymVal::ofLeaf(fold(e)); }

  SymVal castTo(const SymVal& v, QualType from, QualType to, SourceLocation loc) {
    if (isBool(to)) return leaf(asBool(v, from, loc));
    if (isScalarInt(to)) {
      z3::expr b = asBv(v, loc);
      bool sgn = v.leaf->is_bool() ? false : X.isSigned(from);
      return leaf(toWidth(b, sgn, X.widthOf(to)));
    }
    return v;
  }

  SymVal rval(const Expr* e) {
    e = e->IgnoreParens();
    SourceLocation loc = e->getExprLoc();
    At here(at, loc);
    // integer constant expressions (enumerators, constexpr, sizeof) fold to their value
    if (!e->isValueDependent() && (isScalarInt(e->getType()) || isBool(e->getType())) && !isa<DeclRefExpr>(e) &&
        !e->HasSideEffects(ast())) {
      Expr::EvalResult r;
      if (!isa<IntegerLiteral>(e) && e->EvaluateAsInt(r, ast()) && r.Val.isInt()) {
        const llvm::APSInt& v = r.Val.getInt();
        if (isBool(e->getType())) return leaf(z.bool_val(v.getBoolValue()));
        return leaf(z.bv_val(static_cast<uint64_t>(v.getZExtValue()), X.widthOf(e->getType())));
      }
    }
    if (const auto* i = dyn_cast<IntegerLiteral>(e)) {
      llvm::APInt v = i->getValue();
      return leaf(z.bv_val(static_cast<uint64_t>(v.getZExtValue()), X.widthOf(e->getType())));
    }
    if (const auto* b = dyn_cast<CXXBoolLiteralExpr>(e)) return leaf(z.bool_val(b->getValue()));
    if (const auto* c = dyn_cast<CharacterLiteral>(e)) return leaf(z.bv_val(c->getValue(), X.widthOf(e->getType())));
    if (isa<CXXNullPtrLiteralExpr>(e) || isa<GNUNullExpr>(e)) {
      SymVal v;
      v.kind = SymVal::Ptr;
      Path p;
      p.root = -1;
      v.ptr = p;
      v.ptrOk = z.bool_val(true);
      return v;
    }
    if (const auto* d = dyn_cast<DeclRefExpr>(e)) {
      if (const auto* ec = dyn_cast<EnumConstantDecl>(d->getDecl()))
        return leaf(z.bv_val(static_cast<uint64_t>(ec->getInitVal().getExtValue()), X.widthOf(e->getType())));
      if (const auto* vd = dyn_cast<VarDecl>(d->getDecl())) {
        if (!locals.count(vd)) {
          // constants: static const / constexpr with a constant initialiser
          if (vd->getType().isConstQualified() && vd->hasInit()) {
            const Expr* init = vd->getInit();
            Expr::EvalResult r;
            if (init->EvaluateAsInt(r, ast()) && r.Val.isInt()) {
              if (isBool(vd->getType())) return leaf(z.bool_val(r.Val.getInt().getBoolValue()));
              return leaf(z.bv_val(static_cast<uint64_t>(r.Val.getInt().getExtValue()), X.widthOf(vd->getType())));
            }
          }
          unsupported("global variable '" + vd->getNameAsString() + "'", loc);
        }
        return read(asStatic(locals[vd], e->getType()), loc);
      }
      unsupported("a reference to '" + d->getDecl()->getNameAsString() + "'", loc);
    }
    if (isa<MemberExpr>(e) || isa<ArraySubscriptExpr>(e)) return read(asStatic(lval(e), e->getType()), loc);
    if (isa<CXXThisExpr>(e)) {
      if (!thisPath) unsupported("'this' outside a member function", loc);
      return ptrTo(*thisPath);
    }
    if (const auto* c = dyn_cast<CastExpr>(e)) return castExpr(c);
    if (const auto* u = dyn_cast<UnaryOperator>(e)) return unary(u);
    if (const auto* b = dyn_cast<BinaryOperator>(e)) return binary(b);
    if (const auto* co = dyn_cast<ConditionalOperator>(e)) {
      z3::expr c = asBool(rval(co->getCond()), co->getCond()->getType(), loc);
      Store before = S;
      z3::expr liveBefore = live;
      live = liveBefore && c;
      SymVal a = rval(co->getTrueExpr());
      Store sa = S;
      S = before;
      live = liveBefore && !c;
      SymVal bv = rval(co->getFalseExpr());
      S = iteStore(z, c, sa, S);
      live = liveBefore;
      return iteVal(z, c, a, bv);
    }
    if (const auto* ce = dyn_cast<CallExpr>(e)) {
      bool asValue = true;  // a call returning a reference, read here: its value will do
      std::optional<SymVal> v = callExpr(ce, &asValue);
      if (!v) return SymVal();
      if (ce->getCallReturnType(ast())->isReferenceType() && !asValue) return read(asStatic(derefPath(*v, loc), e->getType()), loc);
      return *v;
    }
    if (const auto* m = dyn_cast<MaterializeTemporaryExpr>(e)) return rval(m->getSubExpr());
    if (const auto* f = dyn_cast<FullExpr>(e)) return rval(f->getSubExpr());
    if (const auto* bt = dyn_cast<CXXBindTemporaryExpr>(e)) {  // a temporary that needs destroying
      if (const CXXDestructorDecl* d = X.userDestructor(bt->getType())) unsupportedDestructor(bt->getType(), d, loc);
      return rval(bt->getSubExpr());
    }
    if (const auto* da = dyn_cast<CXXDefaultArgExpr>(e)) return rval(da->getExpr());
    if (const auto* di = dyn_cast<CXXDefaultInitExpr>(e)) return rval(di->getExpr());
    if (const auto* ctor = dyn_cast<CXXConstructExpr>(e)) return construct(ctor);
    if (const auto* il = dyn_cast<InitListExpr>(e)) return initList(il);
    if (isa<ImplicitValueInitExpr>(e) || isa<CXXScalarValueInitExpr>(e)) return X.zero(e->getType());
    if (const auto* t = dyn_cast<UnaryExprOrTypeTraitExpr>(e)) {
      Expr::EvalResult r;
      if (t->EvaluateAsInt(r, ast())) return leaf(z.bv_val(static_cast<uint64_t>(r.Val.getInt().getZExtValue()), X.widthOf(e->getType())));
    }
    unsupported(std::string("expression '") + e->getStmtClassName() + "'", loc);
  }

  SymVal castExpr(const CastExpr* c) {
    SourceLocation loc = c->getExprLoc();
    const Expr* sub = c->getSubExpr();
    switch (c->getCastKind()) {
      case CK_LValueToRValue:
        // a call returning a reference, read at once: by value (see refAsValue)
        if (const auto* ce = dyn_cast<CallExpr>(sub->IgnoreParens())) return rval(ce);
        return read(lval(sub), loc);
      case CK_NoOp:
      case CK_ToVoid:
      case CK_ConstructorConversion:
      case CK_UserDefinedConversion:
        if (c->getCastKind() == CK_ToVoid) {
          rval(sub);
          return SymVal();
        }
        return rval(sub);
      case CK_IntegralCast:
      case CK_IntegralToBoolean:
      case CK_BooleanToSignedIntegral: {
        SymVal v = rval(sub);
        if (c->getCastKind() == CK_BooleanToSignedIntegral)
          return leaf(z3::ite(asBool(v, sub->getType(), loc), z.bv_val(static_cast<uint64_t>(~0ull), X.widthOf(c->getType())),
                              z.bv_val(0, X.widthOf(c->getType()))));
        return castTo(v, sub->getType(), c->getType(), loc);
      }
      case CK_PointerToBoolean: return leaf(asBool(rval(sub), sub->getType(), loc));
      case CK_ArrayToPointerDecay: {
        Path p = lval(sub);
        Step s;
        s.kind = Step::Index;
        s.index = z.bv_val(0, 64);
        if (const auto* at = ast().getAsConstantArrayType(sub->getType())) s.extent = at->getSize().getZExtValue();
        p.steps.push_back(s);
        p.type = ast().getAsArrayType(sub->getType())->getElementType();
        return ptrTo(p);
      }
      case CK_NullToPointer: return rvalNull();
      case CK_DerivedToBase:
      case CK_UncheckedDerivedToBase: {
        if (c->getType()->isPointerType()) return rval(sub);  // the pointer keeps the complete object
        // a derived object copied as a base (slicing): its base part
        if (sub->isGLValue()) return read(asStatic(lval(sub), c->getType()), loc);
        std::vector<Step> bs;
        const RecordDecl* to = c->getType().getCanonicalType()->getAsRecordDecl();
        if (!to || !baseSteps(sub->getType(), to, bs)) unsupported("a conversion to a base the translator cannot place", loc);
        SymVal v = rval(sub);
        for (const Step& st : bs) {
          if (v.kind != SymVal::Struct || st.field >= v.fields.size()) unsupported("a malformed base conversion", loc);
          SymVal part = v.fields[st.field];
          v = std::move(part);
        }
        return v;
      }
      case CK_BitCast:
        if (c->getType()->isPointerType()) {
          SymVal v = rval(sub);
          QualType pointee = c->getType()->getPointeeType().getCanonicalType();
          // to void* and back keeps the designated object (memcpy, memset arguments)
          if (pointee->isVoidType()) return v;
          if (v.ptr && pointee.getUnqualifiedType() == v.ptr->type.getCanonicalType().getUnqualifiedType()) return v;
        }
        unsupported("a pointer cast between unrelated types", loc);
      case CK_FunctionToPointerDecay: return rval(sub);
      default: unsupported(std::string("cast '") + c->getCastKindName() + "'", loc);
    }
  }

  SymVal rvalNull() {
    SymVal v;
    v.kind = SymVal::Ptr;
    Path p;
    p.root = -1;
    v.ptr = p;
    v.ptrOk = z.bool_val(true);
    return v;
  }

  SymVal incDec(const UnaryOperator* u) {
    SourceLocation loc = u->getExprLoc();
    Path p = lval(u->getSubExpr());
    SymVal old = read(p, loc);
    QualType t = u->getSubExpr()->getType();
    SymVal nv;
    bool inc = u->isIncrementOp();
    if (t->isPointerType()) {
      if (!old.ptr) unsupported("incrementing an unresolved pointer", loc);
      Path np = offsetPath(*old.ptr, z.bv_val(static_cast<uint64_t>(inc ? 1 : ~0ull), 64), loc);
      nv = ptrTo(np);
    } else if (isBool(t)) {
      unsupported("++ on bool", loc);
    } else {
      z3::expr a = *old.leaf;
      z3::expr one = z.bv_val(1, a.get_sort().bv_size());
      if (X.isSigned(t)) addUB(inc ? !z3::bvadd_no_overflow(a, one, true) : !z3::bvsub_no_underflow(a, one, true));
      nv = leaf(inc ? a + one : a - one);
    }
    write(p, nv, loc);
    return u->isPrefix() ? nv : old;
  }

  SymVal unary(const UnaryOperator* u) {
    SourceLocation loc = u->getExprLoc();
    switch (u->getOpcode()) {
      case UO_AddrOf: return ptrTo(lval(u->getSubExpr()));
      case UO_Deref: return read(asStatic(derefPath(rval(u->getSubExpr()), loc), u->getType()), loc);
      case UO_Plus: return rval(u->getSubExpr());
      case UO_Minus: {
        z3::expr a = asBv(rval(u->getSubExpr()), loc);
        if (X.isSigned(u->getType())) addUB(a == z.bv_val(static_cast<uint64_t>(1) << (a.get_sort().bv_size() - 1), a.get_sort().bv_size()));
        return leaf(-a);
      }
      case UO_Not: return leaf(~asBv(rval(u->getSubExpr()), loc));
      case UO_LNot: return leaf(!asBool(rval(u->getSubExpr()), u->getSubExpr()->getType(), loc));
      case UO_PreInc:
      case UO_PreDec:
      case UO_PostInc:
      case UO_PostDec: return incDec(u);
      case UO_Extension: return rval(u->getSubExpr());
      default: unsupported("unary operator", loc);
    }
  }

  z3::expr arith(BinaryOperatorKind op, const z3::expr& a, const z3::expr& b, bool sgn, SourceLocation loc) {
    unsigned w = a.get_sort().bv_size();
    switch (op) {
      case BO_Add:
        if (sgn) addUB(!z3::bvadd_no_overflow(a, b, true) || !z3::bvadd_no_underflow(a, b));
        return a + b;
      case BO_Sub:
        if (sgn) addUB(!z3::bvsub_no_overflow(a, b) || !z3::bvsub_no_underflow(a, b, true));
        return a - b;
      case BO_Mul:
        if (sgn) addUB(!z3::bvmul_no_overflow(a, b, true) || !z3::bvmul_no_underflow(a, b));
        return a * b;
      case BO_Div:
      case BO_Rem: {
        addUB(b == z.bv_val(0, w));
        if (sgn) addUB(a == z.bv_val(static_cast<uint64_t>(1) << (w - 1), w) && b == z.bv_val(static_cast<uint64_t>(~0ull), w));
        if (op == BO_Div) return sgn ? a / b : z3::udiv(a, b);
        return sgn ? z3::srem(a, b) : z3::urem(a, b);
      }
      case BO_Shl:
      case BO_Shr: {
        z3::expr bb = toWidth(b, false, w);
        addUB(z3::uge(toWidth(b, false, 64), z.bv_val(w, 64)));
        if (op == BO_Shl) return z3::shl(a, bb);
        return sgn ? z3::ashr(a, bb) : z3::lshr(a, bb);
      }
      case BO_And: return a & b;
      case BO_Or: return a | b;
      case BO_Xor: return a ^ b;
      default: unsupported("arithmetic operator", loc);
    }
  }

  static BinaryOperatorKind baseOp(BinaryOperatorKind op) {
    switch (op) {
      case BO_AddAssign: return BO_Add;
      case BO_SubAssign: return BO_Sub;
      case BO_MulAssign: return BO_Mul;
      case BO_DivAssign: return BO_Div;
      case BO_RemAssign: return BO_Rem;
      case BO_ShlAssign: return BO_Shl;
      case BO_ShrAssign: return BO_Shr;
      case BO_AndAssign: return BO_And;
      case BO_OrAssign: return BO_Or;
      case BO_XorAssign: return BO_Xor;
      default: return op;
    }
  }

  SymVal binary(const BinaryOperator* b) {
    SourceLocation loc = b->getExprLoc();
    BinaryOperatorKind op = b->getOpcode();
    if (op == BO_Comma) {
      rval(b->getLHS());
      return rval(b->getRHS());
    }
    if (op == BO_LAnd || op == BO_LOr) {
      z3::expr l = asBool(rval(b->getLHS()), b->getLHS()->getType(), loc);
      Store before = S;
      z3::expr liveBefore = live;
      z3::expr evalRhs = op == BO_LAnd ? l : !l;
      live = liveBefore && evalRhs;
      z3::expr r = asBool(rval(b->getRHS()), b->getRHS()->getType(), loc);
      S = iteStore(z, evalRhs, S, before);
      live = liveBefore;
      return leaf(op == BO_LAnd ? (l && r) : (l || r));
    }
    if (op == BO_Assign) {
      SymVal v = rval(b->getRHS());
      Path p = lval(b->getLHS());
      write(p, v, loc);
      return v;
    }
    if (b->isCompoundAssignmentOp()) {
      const auto* cao = cast<CompoundAssignOperator>(b);
      SymVal rhs = rval(b->getRHS());  // sequenced before the left operand (C++17), as for `=`
      Path p = lval(b->getLHS());
      SymVal old = read(p, loc);
      QualType ct = cao->getComputationLHSType();
      if (b->getLHS()->getType()->isPointerType()) {
        if (!old.ptr) unsupported("arithmetic on an unresolved pointer", loc);
        z3::expr k = toWidth(asBv(rhs, loc), X.isSigned(b->getRHS()->getType()), 64);
        SymVal np = ptrTo(offsetPath(*old.ptr, op == BO_AddAssign ? k : -k, loc));
        write(p, np, loc);
        return np;
      }
      z3::expr a = toWidth(asBv(old, loc), X.isSigned(b->getLHS()->getType()), X.widthOf(ct));
      z3::expr r = toWidth(asBv(rhs, loc), X.isSigned(b->getRHS()->getType()), X.widthOf(ct));
      z3::expr res = arith(baseOp(op), a, r, X.isSigned(ct), loc);
      SymVal nv = castTo(leaf(res), ct, b->getLHS()->getType(), loc);
      write(p, nv, loc);
      return nv;
    }
    QualType lt = b->getLHS()->getType();
    QualType rt = b->getRHS()->getType();
    if (lt->isPointerType() || rt->isPointerType()) return pointerBinary(b);
    SymVal lv = rval(b->getLHS());
    SymVal rv = rval(b->getRHS());
    if (b->isComparisonOp()) {
      if (isBool(lt) && isBool(rt)) {
        z3::expr l = *lv.leaf, r = *rv.leaf;
        if (op == BO_EQ) return leaf(l == r);
        if (op == BO_NE) return leaf(l != r);
      }
      z3::expr l = asBv(lv, loc), r = asBv(rv, loc);
      bool sgn = X.isSigned(lt);
      if (op == BO_EQ || op == BO_NE)
        if (std::optional<z3::expr> all = allZero(l, r)) return leaf(op == BO_EQ ? *all : !*all);
      switch (op) {
        case BO_EQ: return leaf(l == r);
        case BO_NE: return leaf(l != r);
        case BO_LT: return leaf(sgn ? l < r : z3::ult(l, r));
        case BO_LE: return leaf(sgn ? l <= r : z3::ule(l, r));
        case BO_GT: return leaf(sgn ? l > r : z3::ugt(l, r));
        case BO_GE: return leaf(sgn ? l >= r : z3::uge(l, r));
        default: break;
      }
    }
    z3::expr l = asBv(lv, loc), r = asBv(rv, loc);
    if (op == BO_Shl || op == BO_Shr) r = toWidth(r, X.isSigned(rt), l.get_sort().bv_size());
    if (op == BO_Shl || op == BO_Shr) {
      // a negative shift amount is undefined too
      if (X.isSigned(rt)) addUB(toWidth(asBv(rv, loc), true, 64) < z.bv_val(0, 64));
    }
    return leaf(arith(op, l, r, X.isSigned(b->getType()), loc));
  }

  // `(a | b | ...) == 0` (the collapsed stack's quiet test) as `a == 0 && b == 0 && ...`: the same
  // condition, but the solver gets each part as an equality it can substitute, as it does for
  // the layered path's one test per queue. Nothing when neither side is such an or against zero.
  static std::optional<z3::expr> allZero(const z3::expr& l, const z3::expr& r) {
    auto isOr = [](const z3::expr& e) { return e.is_app() && e.decl().decl_kind() == Z3_OP_BOR; };
    auto isZero = [](const z3::expr& e) {
      uint64_t v = 0;
      return e.is_numeral_u64(v) && v == 0;
    };
    const z3::expr* ors = isOr(l) && isZero(r) ? &l : isOr(r) && isZero(l) ? &r : nullptr;
    if (!ors) return std::nullopt;
    std::vector<z3::expr> parts;
    std::function<void(const z3::expr&)> split = [&](const z3::expr& e) {
      if (isOr(e)) {
        for (unsigned i = 0; i < e.num_args(); ++i) split(e.arg(i));
      } else {
        parts.push_back(e == e.ctx().bv_val(0, e.get_sort().bv_size()));
      }
    };
    split(*ors);
    z3::expr all = parts[0];
    for (size_t i = 1; i < parts.size(); ++i) all = all && parts[i];
    return all;
  }

  SymVal pointerBinary(const BinaryOperator* b) {
    SourceLocation loc = b->getExprLoc();
    BinaryOperatorKind op = b->getOpcode();
    SymVal lv = rval(b->getLHS());
    SymVal rv = rval(b->getRHS());
    if (op == BO_Add || op == BO_Sub) {
      bool lptr = b->getLHS()->getType()->isPointerType();
      const SymVal& p = lptr ? lv : rv;
      const Expr* ie = lptr ? b->getRHS() : b->getLHS();
      if (b->getRHS()->getType()->isPointerType() && lptr && op == BO_Sub) {
        // difference of two pointers into the same array
        if (!lv.ptr || !rv.ptr || lv.ptr->root != rv.ptr->root || lv.ptr->uid != rv.ptr->uid || lv.ptr->steps.empty())
          unsupported("difference of unrelated pointers", loc);
        z3::expr d = *lv.ptr->steps.back().index - *rv.ptr->steps.back().index;
        return leaf(toWidth(d, true, X.widthOf(b->getType())));
      }
      if (!p.ptr) unsupported("arithmetic on an unresolved pointer", loc);
      z3::expr k = toWidth(asBv(lptr ? rv : lv, loc), X.isSigned(ie->getType()), 64);
      return ptrTo(offsetPath(*p.ptr, op == BO_Add ? k : -k, loc));
    }
    if (op == BO_EQ || op == BO_NE) {
      z3::expr eq = z.bool_val(false);
      if (lv.ptr && rv.ptr) eq = sameObject(z, *lv.ptr, *rv.ptr);
      return leaf(op == BO_EQ ? eq : !eq);
    }
    if (op == BO_LT || op == BO_LE || op == BO_GT || op == BO_GE) {
      if (!lv.ptr || !rv.ptr || lv.ptr->root != rv.ptr->root || lv.ptr->uid != rv.ptr->uid || lv.ptr->steps.empty() || rv.ptr->steps.empty())
        unsupported("ordering unrelated pointers", loc);
      z3::expr a = *lv.ptr->steps.back().index, c = *rv.ptr->steps.back().index;
      switch (op) {
        case BO_LT: return leaf(z3::ult(a, c));
        case BO_LE: return leaf(z3::ule(a, c));
        case BO_GT: return leaf(z3::ugt(a, c));
        default: return leaf(z3::uge(a, c));
      }
    }
    unsupported("pointer operator", loc);
  }

  SymVal initList(const InitListExpr* il) {
    QualType t = il->getType();
    if (il->isTransparent()) return rval(il->getInit(0));
    if (const auto* at = ast().getAsConstantArrayType(t)) {
      SymVal v = X.zero(t);
      uint64_t n = at->getSize().getZExtValue();
      for (unsigned i = 0; i < il->getNumInits() && i < n; ++i) {
        SymVal e = rval(il->getInit(i));
        storeAll(v, {z.bv_val(i, 64)}, e);
      }
      return v;
    }
    if (t->getAsRecordDecl()) {
      SymVal v = X.zero(t);
      std::vector<QualType> ts = X.fieldTypes(t);
      for (unsigned i = 0; i < il->getNumInits() && i < v.fields.size(); ++i) v.fields[i] = rval(il->getInit(i));
      return v;
    }
    if (il->getNumInits() == 1) return castTo(rval(il->getInit(0)), il->getInit(0)->getType(), t, il->getExprLoc());
    if (il->getNumInits() == 0) return X.zero(t);
    unsupported("initializer list", il->getExprLoc());
  }

  SymVal construct(const CXXConstructExpr* ce) {
    const CXXConstructorDecl* ctor = ce->getConstructor();
    QualType t = ce->getType();
    if (X.intrinsicOf(t) != SymExec::Intrinsic::None) {
      if (ctor->isCopyOrMoveConstructor()) return rval(ce->getArg(0));
      if (ctor->isDefaultConstructor()) return X.zero(t);
      unsupported("constructor of " + t.getAsString(), ce->getExprLoc());
    }
    if (ctor->isCopyOrMoveConstructor() && ctor->isTrivial()) return copySource(ce->getArg(0), t);
    if (ctor->isDefaultConstructor() && ctor->isTrivial()) return X.zero(t);
    // run the constructor on a temporary
    int r = newRoot("<object>", t, X.zero(t));
    Path p = rootPath(r);
    std::vector<const Expr*> args(ce->arg_begin(), ce->arg_end());
    runCtor(ctor, p, args, ce->getExprLoc());
    return S[r].value;
  }

  void runCtor(const CXXConstructorDecl* ctor, const Path& self, const std::vector<const Expr*>& args,
               SourceLocation loc) {
    if (X.intrinsicOf(ctor->getParent()->getTypeForDecl()->getCanonicalTypeInternal()) != SymExec::Intrinsic::None) {
      write(self, ctor->isCopyOrMoveConstructor() ? rval(args[0]) : X.zero(self.type), loc);
      return;
    }
    if (ctor->isCopyOrMoveConstructor() && (ctor->isDefaulted() || ctor->isTrivial())) {
      write(self, copySource(args[0], self.type), loc);
      return;
    }
    const FunctionDecl* def = nullptr;
    if (!ctor->hasBody(def) && !ctor->isDefaulted()) unsupported("constructor without a body", loc);
    std::vector<SymVal> argv;
    if (args.size() > ctor->getNumParams()) unsupported("constructor call with more arguments than parameters", loc);
    for (size_t k = 0; k < args.size(); ++k) argv.push_back(argValue(args[k], ctor->getParamDecl(static_cast<unsigned>(k))));
    inlineCall(def ? def : ctor, argv, self, loc);
  }

  // The value a copy or move constructor of `t` copies: of a derived object, its `t` part (slicing;
  // a base reference keeps the complete object, for virtual calls). A call returning a reference is
  // read by value at its return, as the callee's declared type.
  SymVal copySource(const Expr* arg, QualType t) {
    const Expr* inner = arg->IgnoreParens();
    while (const auto* c = dyn_cast<ImplicitCastExpr>(inner)) {
      if (c->getCastKind() != CK_NoOp) break;
      inner = c->getSubExpr()->IgnoreParens();
    }
    if (!arg->isGLValue() || isa<CallExpr>(inner) || !t->isRecordType()) return rval(arg);
    return read(asStatic(lval(arg), t), arg->getExprLoc());
  }

  SymVal argValue(const Expr* a, const ParmVarDecl* p) {
    if (p->getType()->isReferenceType()) return ptrTo(lval(a));
    return rval(a);
  }

  // ---------------------------------------------------------------- the runtime's value types

  z3::expr len64(const z3::expr& len32) { return z3::zext(len32, 32); }

  z3::expr shiftDown(const z3::expr& arr, const z3::expr& k) {  // arr[i + k]
    z3::expr i = z.bv_const("shift_i", 64);
    return z3::lambda(i, z3::select(arr, i + k));
  }
  z3::expr maskTo(const z3::expr& arr, const z3::expr& n) {  // zero from index n on
    z3::expr i = z.bv_const("mask_i", 64);
    z3::expr r = z3::lambda(i, z3::ite(z3::ult(i, n), z3::select(arr, i), z.bv_val(0, 8)));
    z3::expr ns = n.simplify();
    X.masked_.emplace(r.id(), SymExec::Masked{r, ns});
    z3::expr rs = r.simplify();  // as it is found again after simplification
    X.masked_.emplace(rs.id(), SymExec::Masked{rs, ns});
    return r;
  }
  z3::expr shiftUp(const z3::expr& arr, const z3::expr& k) {  // k new bytes in front
    z3::expr i = z.bv_const("shift_i", 64);
    z3::expr r = z3::lambda(i, z3::ite(z3::ult(i, k), z.bv_val(0, 8), z3::select(arr, i - k)));
    if (z3::expr ks = k.simplify(); ks.is_numeral()) {
      X.shifted_.emplace(r.id(), SymExec::Shifted{r, arr, ks});
      z3::expr rs = r.simplify();
      X.shifted_.emplace(rs.id(), SymExec::Shifted{rs, arr, ks});
    }
    return r;
  }
  // The first k bytes dropped and the rest cut to n bytes: maskTo(shiftDown(arr, k), n). When
  // arr is a push of k bytes (shiftUp, then stores into those k bytes) onto an array already cut
  // to n bytes, that array itself: for every i < n < 2^32 both give a[i] (i + k does not wrap,
  // and the stores lie below k), and both are zero from n on. Popping what was just pushed is
  // then the same term again, not a lambda over a lambda, which the solver handles far better.
  z3::expr dropFront(const z3::expr& arr, const z3::expr& k, const z3::expr& n) {
    z3::expr ks = k.simplify();
    if (ks.is_numeral()) {
      uint64_t kv = ks.get_numeral_uint64();
      z3::expr e = arr.simplify();  // (a message read back from a queue: select(store(q, i, m), i) is m)
      while (e.is_app() && e.decl().decl_kind() == Z3_OP_STORE && e.arg(1).is_numeral() &&
             e.arg(1).get_numeral_uint64() < kv)
        e = e.arg(0);
      if (auto it = X.shifted_.find(e.id()); it != X.shifted_.end() && z3::eq(it->second.lambda, e) &&
                                             it->second.k.get_numeral_uint64() == kv) {
        const z3::expr& a = it->second.arr;
        z3::expr ns = n.simplify();
        if (auto m = X.masked_.find(a.id()); m != X.masked_.end() && z3::eq(m->second.lambda, a) && z3::eq(m->second.n, ns))
          return a;
        return maskTo(a, ns);
      }
    }
    return maskTo(shiftDown(arr, k), n);
  }
  // The bytes a pointer designates from its index on, and that index.
  std::pair<z3::expr, z3::expr> bytesFrom(const SymVal& p, SourceLocation loc) {
    if (!p.ptr || p.ptr->steps.empty() || p.ptr->steps.back().kind != Step::Index)
      unsupported("a byte pointer the translator cannot place", loc);
    Path base = *p.ptr;
    z3::expr off = *base.steps.back().index;
    base.steps.pop_back();
    if (gone(base)) return {z3::const_array(z.bv_sort(64), z.bv_val(0, 8)), off};
    std::vector<z3::expr> idx;
    SymVal* v = navigate(base, idx, loc);
    if (v->kind != SymVal::Leaf) unsupported("a byte pointer into a non-byte object", loc);
    return {nestedSelect(*v->leaf, idx), off};
  }
  // bytesFrom, or a pointer to one byte object (a local uint8_t): an array holding its value.
  std::pair<z3::expr, z3::expr> bytesOrByte(const SymVal& p, SourceLocation loc) {
    if (p.ptr && p.ptr->root >= 0 && (p.ptr->steps.empty() || p.ptr->steps.back().kind != Step::Index) &&
        p.ptr->type->isIntegerType() && X.widthOf(p.ptr->type) == 8) {
      SymVal one = read(*p.ptr, loc);
      return {z3::const_array(z.bv_sort(64), *one.leaf), z.bv_val(0, 64)};
    }
    return bytesFrom(p, loc);
  }
  SymVal bytesPtr(const Path& obj, unsigned field, const z3::expr& limit) {
    Path p = obj;
    Step f;
    f.kind = Step::Field;
    f.field = field;
    p.steps.push_back(f);
    Step i;
    i.kind = Step::Index;
    i.index = z.bv_val(0, 64);
    i.limit = limit;
    p.steps.push_back(i);
    p.type = ast().UnsignedCharTy;
    return ptrTo(p);
  }
  z3::expr checksumOf(const z3::expr& arr, const z3::expr& off, const z3::expr& n) {
    z3::func_decl ck = z.function("rt.checksum16", z.array_sort(z.bv_sort(64), z.bv_sort(8)), z.bv_sort(64), z.bv_sort(16));
    z3::expr i = z.bv_const("ck_i", 64);
    z3::expr window = z3::lambda(i, z3::ite(z3::ult(i, n), z3::select(arr, i + off), z.bv_val(0, 8)));
    // the one value the model fixes: no bytes sum to 0xFFFF (the runtime's first line); left
    // free, a counterexample could give an acknowledgement's empty payload any checksum
    return z3::ite(n == z.bv_val(0, 64), z.bv_val(0xFFFF, 16), ck(window, n));
  }

  // `rt::Msg r = rt::Msg::pushed(m, k, where);`: r is m with k header bytes in front and
  // `where` points at them inside r (the result object, by guaranteed copy elision).
  bool pushedInto(const Expr* init, const Path& target, SourceLocation loc) {
    const Expr* e = init->IgnoreImplicit();
    if (const auto* ce = dyn_cast<CXXConstructExpr>(e); ce && ce->getNumArgs() == 1) e = ce->getArg(0)->IgnoreImplicit();
    const auto* call = dyn_cast<CallExpr>(e);
    if (!call || !call->getDirectCallee() || call->getDirectCallee()->getQualifiedNameAsString() != "ioa::rt::Msg::pushed")
      return false;
    SymVal v = rval(call->getArg(0));
    z3::expr k = intOf(call->getArg(1));
    Path where = lval(call->getArg(2));
    v.fields[0].leaf = shiftUp(*v.fields[0].leaf, k);
    v.fields[1].leaf = *v.fields[1].leaf + toWidth(k, false, 32);
    addUB(z3::ult(*v.fields[1].leaf, toWidth(k, false, 32)));
    write(target, v, loc);
    write(where, bytesPtr(target, 0, len64(*v.fields[1].leaf)), loc);
    return true;
  }

  // Calls into the runtime with a model instead of a body. Returns nullopt when `callee` is not one.
  std::optional<std::optional<SymVal>> runtimeIntrinsic(const CallExpr* ce, const FunctionDecl* callee,
                                                         const std::string& name) {
    using IK = SymExec::Intrinsic;
    SourceLocation loc = ce->getExprLoc();
    if (name == "ioa::rt::raise") {
      // a runtime fault (a full container, a missing header, a key outside a map's domain): outside the
      // proved domain, so the path ends here. What the runtime does next (return a scratch element, kept
      // in a static local) is not followed.
      addUB(z.bool_val(true));
      live = z.bool_val(false);
      return std::optional<SymVal>(std::nullopt);
    }
    if (name == "ioa::rt::checksum16") {
      if (ce->getNumArgs() == 1) {
        SymVal b = rval(ce->getArg(0));
        return std::optional<SymVal>(leaf(checksumOf(*b.fields[0].leaf, z.bv_val(0, 64), len64(*b.fields[1].leaf))));
      }
      SymVal p = rval(ce->getArg(0));
      z3::expr n = intOf(ce->getArg(1));
      auto [arr, off] = bytesFrom(p, loc);
      return std::optional<SymVal>(leaf(checksumOf(arr, off, n)));
    }
    const auto* md = dyn_cast<CXXMethodDecl>(callee);
    IK kind = IK::None;
    if (md) kind = X.intrinsicOf(ast().getRecordType(md->getParent()));
    if (kind == IK::None && callee->isOverloadedOperator() && callee->getNumParams() == 2)
      kind = X.intrinsicOf(callee->getParamDecl(0)->getType().getNonReferenceType());
    if (kind == IK::None) return std::nullopt;
    std::string m = callee->getNameAsString();
    // the object of a member call
    std::optional<Path> self;
    std::vector<const Expr*> args(ce->arg_begin(), ce->arg_end());
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(ce)) {
      const Expr* obj = mc->getImplicitObjectArgument();
      self = obj->getType()->isPointerType() ? derefPath(rval(obj), loc) : lval(obj);
    } else if (isa<CXXOperatorCallExpr>(ce) && md && !md->isStatic()) {
      self = lval(args[0]);
      args.erase(args.begin());
    }
    auto selfVal = [&]() { return read(*self, loc); };
    auto u32 = [&](const z3::expr& e) { return toWidth(e, false, 32); };
    if (callee->isOverloadedOperator()) {
      OverloadedOperatorKind op = callee->getOverloadedOperator();
      if (op == OO_Equal && self) {
        SymVal v = rval(args[0]);
        write(*self, v, loc);
        return std::optional<SymVal>(ptrTo(*self));
      }
      if ((op == OO_EqualEqual || op == OO_ExclaimEqual) && args.size() + (self ? 1 : 0) == 2) {
        SymVal a = self ? selfVal() : rval(args[0]);
        SymVal b = rval(args[self ? 0 : 1]);
        z3::expr eq = z.bool_val(true);
        for (size_t i = 0; i < a.fields.size(); ++i) eq = eq && *a.fields[i].leaf == *b.fields[i].leaf;
        return std::optional<SymVal>(leaf(op == OO_EqualEqual ? eq : !eq));
      }
      unsupported("operator of " + std::string(kind == IK::Msg ? "rt::Msg" : "rt::Bytes"), loc);
    }
    if (kind == IK::Msg) {
      if (m == "header_len") return std::optional<SymVal>(selfVal().fields[1]);
      if (m == "payload_len") return std::optional<SymVal>(selfVal().fields[3]);
      if (m == "size") {
        SymVal v = selfVal();
        return std::optional<SymVal>(leaf(*v.fields[1].leaf + *v.fields[3].leaf));
      }
      if (m == "null") {
        SymVal v = selfVal();
        return std::optional<SymVal>(leaf(*v.fields[1].leaf == z.bv_val(0, 32) && *v.fields[3].leaf == z.bv_val(0, 32)));
      }
      if (m == "header_data") return std::optional<SymVal>(bytesPtr(*self, 0, len64(*selfVal().fields[1].leaf)));
      if (m == "payload_data") return std::optional<SymVal>(bytesPtr(*self, 2, len64(*selfVal().fields[3].leaf)));
      if (m == "payload") {
        SymVal v = selfVal();
        SymVal b = X.intrinsicValue(IK::Bytes, "", 0, true);
        b.fields[0] = v.fields[2];
        b.fields[1] = v.fields[3];
        return std::optional<SymVal>(b);
      }
      if (m == "push_front") {
        z3::expr k = intOf(args[0]);
        SymVal v = selfVal();
        v.fields[0].leaf = shiftUp(*v.fields[0].leaf, k);
        v.fields[1].leaf = *v.fields[1].leaf + u32(k);
        addUB(z3::ult(*v.fields[1].leaf, u32(k)));  // the header stack would wrap
        write(*self, v, loc);
        return std::optional<SymVal>(bytesPtr(*self, 0, len64(*v.fields[1].leaf)));
      }
      if (m == "pop_front") {
        z3::expr k = intOf(args[0]);
        SymVal v = selfVal();
        addUB(z3::ugt(u32(k), *v.fields[1].leaf));
        // bytes past the end stay zero, so equal messages have equal arrays
        v.fields[0].leaf = dropFront(*v.fields[0].leaf, k, len64(*v.fields[1].leaf - u32(k)));
        v.fields[1].leaf = *v.fields[1].leaf - u32(k);
        write(*self, v, loc);
        return std::optional<SymVal>(std::nullopt);
      }
      if (m == "trim") {
        z3::expr n = u32(intOf(args[0]));
        SymVal v = selfVal();
        v.fields[3].leaf = z3::ite(z3::ult(n, *v.fields[3].leaf), n, *v.fields[3].leaf);
        v.fields[2].leaf = maskTo(*v.fields[2].leaf, len64(*v.fields[3].leaf));
        write(*self, v, loc);
        return std::optional<SymVal>(std::nullopt);
      }
      if (m == "make") {
        SymVal b = rval(args[0]);
        SymVal v = X.intrinsicValue(IK::Msg, "", 0, true);
        v.fields[2] = b.fields[0];
        v.fields[3] = b.fields[1];
        return std::optional<SymVal>(v);
      }
      if (m == "copy") {
        SymVal p = rval(args[0]);
        z3::expr n = intOf(args[1]);
        auto [arr, off] = bytesFrom(p, loc);
        SymVal v = X.intrinsicValue(IK::Msg, "", 0, true);
        v.fields[2].leaf = maskTo(shiftDown(arr, off), n);
        v.fields[3].leaf = u32(n);
        return std::optional<SymVal>(v);
      }
      if (m == "Msg" || m == "~Msg") return std::optional<SymVal>(std::nullopt);
      unsupported("rt::Msg::" + m + " (no model)", loc);
    }
    // Bytes
    if (m == "size") return std::optional<SymVal>(leaf(len64(*selfVal().fields[1].leaf)));
    if (m == "empty") return std::optional<SymVal>(leaf(*selfVal().fields[1].leaf == z.bv_val(0, 32)));
    if (m == "data") return std::optional<SymVal>(bytesPtr(*self, 0, len64(*selfVal().fields[1].leaf)));
    if (m == "at") {
      SymVal v = selfVal();
      z3::expr i = intOf(args[0]);
      addUB(z3::uge(i, len64(*v.fields[1].leaf)));
      return std::optional<SymVal>(leaf(z3::select(*v.fields[0].leaf, i)));
    }
    if (m == "slice") {
      SymVal v = selfVal();
      z3::expr from = intOf(args[0]), n = intOf(args[1]);
      addUB(z3::ugt(from + n, len64(*v.fields[1].leaf)));
      v.fields[0].leaf = maskTo(shiftDown(*v.fields[0].leaf, from), n);
      v.fields[1].leaf = u32(n);
      return std::optional<SymVal>(v);
    }
    if (m == "copy") {
      SymVal p = rval(args[0]);
      z3::expr n = intOf(args[1]);
      auto [arr, off] = bytesFrom(p, loc);
      SymVal v = X.intrinsicValue(IK::Bytes, "", 0, true);
      v.fields[0].leaf = maskTo(shiftDown(arr, off), n);
      v.fields[1].leaf = u32(n);
      return std::optional<SymVal>(v);
    }
    if (m == "join") {  // na bytes from a, then nb from b (a or b may be one byte: seq_append's &x)
      auto [a, oa] = bytesOrByte(rval(args[0]), loc);
      z3::expr na = intOf(args[1]);
      auto [b, ob] = bytesOrByte(rval(args[2]), loc);
      z3::expr nb = intOf(args[3]);
      SymVal v = X.intrinsicValue(IK::Bytes, "", 0, true);
      z3::expr i = z.bv_const("join_i", 64);
      z3::expr joined = z3::lambda(i, z3::ite(z3::ult(i, na), z3::select(a, i + oa), z3::select(b, i - na + ob)));
      v.fields[0].leaf = maskTo(joined, na + nb);
      v.fields[1].leaf = u32(na + nb);
      return std::optional<SymVal>(v);
    }
    unsupported("rt::Bytes::" + m + " (no model)", loc);
  }

  // ---------------------------------------------------------------- calls

  // `asValue`: asks that a call returning a reference give the object's value instead; false on
  // return when it does not (a runtime intrinsic, a builtin).
  std::optional<SymVal> callExpr(const CallExpr* ce, bool* asValue = nullptr) {
    const bool wantValue = asValue && *asValue;
    if (asValue) *asValue = false;
    SourceLocation loc = ce->getExprLoc();
    const FunctionDecl* callee = ce->getDirectCallee();
    if (!callee) unsupported("an indirect call", loc);
    std::string name = callee->getQualifiedNameAsString();
    unsigned builtin = callee->getBuiltinID();
    if (std::optional<std::optional<SymVal>> r = runtimeIntrinsic(ce, callee, name)) return *r;
    if (builtin == Builtin::BI__builtin_expect) return rval(ce->getArg(0));
    if (builtin == Builtin::BI__builtin_add_overflow || builtin == Builtin::BI__builtin_sub_overflow ||
        builtin == Builtin::BI__builtin_mul_overflow) {
      // computes in the result's type; says whether the true value did not fit
      QualType rt = ce->getArg(2)->getType()->getPointeeType();
      QualType at = ce->getArg(0)->getType(), bt = ce->getArg(1)->getType();
      if (at.getCanonicalType() != rt.getCanonicalType() || bt.getCanonicalType() != rt.getCanonicalType())
        unsupported("overflow builtin with mixed types", loc);
      z3::expr a = asBv(rval(ce->getArg(0)), loc), b = asBv(rval(ce->getArg(1)), loc);
      Path out = derefPath(rval(ce->getArg(2)), loc);
      bool sgn = X.isSigned(rt);
      z3::expr r = z.bv_val(0, 1), ok = z.bool_val(true);
      if (builtin == Builtin::BI__builtin_add_overflow) {
        r = a + b;
        ok = sgn ? (z3::bvadd_no_overflow(a, b, true) && z3::bvadd_no_underflow(a, b)) : z3::bvadd_no_overflow(a, b, false);
      } else if (builtin == Builtin::BI__builtin_sub_overflow) {
        r = a - b;
        ok = sgn ? (z3::bvsub_no_overflow(a, b) && z3::bvsub_no_underflow(a, b, true)) : z3::bvsub_no_underflow(a, b, false);
      } else {
        r = a * b;
        ok = sgn ? (z3::bvmul_no_overflow(a, b, true) && z3::bvmul_no_underflow(a, b)) : z3::bvmul_no_overflow(a, b, false);
      }
      write(out, leaf(r), loc);
      return leaf(!ok);
    }
    if (builtin == Builtin::BI__builtin_unreachable) {
      addUB(z.bool_val(true));
      live = z.bool_val(false);
      return std::nullopt;
    }
    const bool isMove = name == "memmove" || name == "std::memmove" || builtin == Builtin::BImemmove ||
                        builtin == Builtin::BI__builtin_memmove;
    if (isMove || name == "memcpy" || name == "std::memcpy" || builtin == Builtin::BImemcpy ||
        builtin == Builtin::BI__builtin_memcpy)
      return memcpyModel(ce, isMove);
    if (name == "memset" || name == "std::memset" || builtin == Builtin::BImemset || builtin == Builtin::BI__builtin_memset)
      return memsetModel(ce);
    std::optional<Path> self;
    std::vector<const Expr*> args(ce->arg_begin(), ce->arg_end());
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(ce)) {
      const Expr* obj = mc->getImplicitObjectArgument();
      if (obj->getType()->isPointerType()) self = derefPath(rval(obj), loc);
      else self = lval(obj);
      const auto* md = dyn_cast<CXXMethodDecl>(callee);
      const auto* me = dyn_cast<MemberExpr>(mc->getCallee()->IgnoreParens());
      if (md && md->isVirtual() && !(me && me->hasQualifier())) callee = devirtualize(md, *self, loc);
    } else if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(ce)) {
      if (const auto* md = dyn_cast<CXXMethodDecl>(callee); md && !md->isStatic()) {
        const Expr* obj = oc->getArg(0);
        self = lval(obj);
        args.erase(args.begin());
        if (md->isVirtual()) callee = devirtualize(md, *self, loc);
      }
    }
    std::vector<SymVal> argv;
    for (size_t i = 0; i < args.size(); ++i) {
      if (i >= callee->getNumParams()) unsupported("variadic call", loc);
      argv.push_back(argValue(args[i], callee->getParamDecl(static_cast<unsigned>(i))));
    }
    if (asValue) *asValue = wantValue;
    return inlineCall(callee, argv, self, loc, wantValue);
  }

  const FunctionDecl* devirtualize(const CXXMethodDecl* md, const Path& self, SourceLocation loc) {
    const CXXRecordDecl* dyn = self.type.getCanonicalType()->getAsCXXRecordDecl();
    if (!dyn) unsupported("virtual call on an object of unknown type", loc);
    const CXXMethodDecl* over = md->getCorrespondingMethodInClass(dyn, false);
    if (!over) over = md->getCorrespondingMethodDeclaredInClass(dyn, false);
    if (!over || over->isPure()) unsupported("virtual call the translator cannot resolve", loc);
    return over;
  }

  std::optional<SymVal> inlineCall(const FunctionDecl* callee, const std::vector<SymVal>& argv, std::optional<Path> self,
                                   SourceLocation loc, bool refAsValue = false) {
    const FunctionDecl* def = nullptr;
    const auto* ctor = dyn_cast<CXXConstructorDecl>(callee);
    if (!callee->hasBody(def)) {
      if (!(ctor && ctor->isDefaulted()))
        unsupported("call to '" + callee->getQualifiedNameAsString() + "', which has no body here", loc);
    }
    if (X.outOfTime()) throw ExecTimeout{};  // also between branch decisions
    if (X.depth_ >= X.cfg_.inlineDepth)
      unsupported("calls nested deeper than " + std::to_string(X.cfg_.inlineDepth) + " (recursion?)", loc);
    ++X.depth_;
    static const bool trace = std::getenv("IOAWB_OPT_TRACE") != nullptr;
    if (trace)
      std::fprintf(stderr, "%*s%s (roots %zu)\n", static_cast<int>(X.depth_), "", callee->getQualifiedNameAsString().c_str(),
                   S.size());
    size_t rootsBefore = S.size();
    Frame f(X, std::move(S), live);
    f.fn = def ? def : callee;
    f.thisPath = self;
    f.refAsValue = refAsValue;
    f.firstOwnRoot = rootsBefore;
    const FunctionDecl* body = def ? def : callee;
    for (unsigned i = 0; i < body->getNumParams() && i < argv.size(); ++i) {
      const ParmVarDecl* p = body->getParamDecl(i);
      if (p->getType()->isReferenceType()) {
        if (argv[i].kind != SymVal::Ptr || !argv[i].ptr) unsupported("reference argument", loc);
        f.locals[p] = *argv[i].ptr;
      } else {
        int r = f.newRoot(p->getNameAsString(), p->getType(), argv[i]);
        f.locals[p] = f.rootPath(r);
      }
    }
    if (ctor) f.ctorInits(cast<CXXConstructorDecl>(body), loc);
    if (body->getBody()) f.stmt(body->getBody());
    if (!ctor && !body->getReturnType()->isVoidType() && body->getBody() && !f.live.is_false()) {
      // flowing off the end of a function that returns a value is undefined
      Frame::At end(f.at, body->getBody()->getEndLoc());
      f.addUB(z.bool_val(true));
    }
    // the function's final state: returned on some paths, fell off the end on others
    std::optional<SymVal> result;
    if (f.ret.store) {
      Store fallOff = f.S;
      f.S = iteStore(z, f.ret.cond, *f.ret.store, fallOff);
      result = f.ret.value;
    }
    --X.depth_;
    S = std::move(f.S);
    // the callee's parameters, locals and temporaries are dead now
    if (S.size() > rootsBefore) S.resize(rootsBefore);
    // (a pointer to one of them dangles: its root is gone or holds another object, see gone())
    ub = ub || f.ub;
    incomplete = incomplete || f.incomplete;
    if (!result && !ctor && !body->getReturnType()->isVoidType() && f.live.is_false()) {
      // every path of the callee ended in a runtime fault (raise: outside the proved domain, already in
      // `ub`), so its value is never looked at; a placeholder lets the caller's expression go on
      QualType t = body->getReturnType().getNonReferenceType().getUnqualifiedType();
      SymVal v = X.zero(t);
      result = body->getReturnType()->isReferenceType() && !refAsValue ? ptrTo(rootPath(newRoot("no value (fault)", t, v))) : v;
    }
    // (the indices past rootsBefore go to later objects; a path to a dropped one no longer matches its uid)
    return result;
  }

  void ctorInits(const CXXConstructorDecl* ctor, SourceLocation loc) {
    const CXXRecordDecl* rd = ctor->getParent();
    // members without an explicit initialiser get their default member initialiser
    std::set<const FieldDecl*> explicitInit;
    for (const CXXCtorInitializer* init : ctor->inits()) {
      if (init->isBaseInitializer()) {
        const Expr* e = init->getInit();
        if (const auto* ce = dyn_cast<CXXConstructExpr>(e->IgnoreImplicit())) {
          if (!ce->getConstructor()->isTrivial()) {
            std::vector<const Expr*> args(ce->arg_begin(), ce->arg_end());
            runCtor(ce->getConstructor(), *thisPath, args, loc);
          }
        }
        continue;
      }
      if (!init->isMemberInitializer()) unsupported("delegating or indirect constructor initialiser", loc);
      const FieldDecl* f = init->getMember();
      explicitInit.insert(f);
      Path fp = fieldPath(*thisPath, f, loc);
      const Expr* e = init->getInit();
      if (const auto* ce = dyn_cast<CXXConstructExpr>(e->IgnoreImplicit()); ce && !ce->getConstructor()->isTrivial()) {
        std::vector<const Expr*> args(ce->arg_begin(), ce->arg_end());
        runCtor(ce->getConstructor(), fp, args, loc);
      } else {
        write(fp, rval(e), loc);
      }
    }
    (void)rd;
  }

  // memcpy and memmove (`move`: the ranges may overlap; for memcpy that is undefined).
  std::optional<SymVal> memcpyModel(const CallExpr* ce, bool move) {
    SourceLocation loc = ce->getExprLoc();
    SymVal d = rval(ce->getArg(0));
    SymVal s = rval(ce->getArg(1));
    z3::expr n = intOf(ce->getArg(2));
    if (d.ptr && s.ptr) {
      const bool destGone = gone(*d.ptr), sourceGone = gone(*s.ptr);  // (both: each adds its undefined behaviour)
      if (destGone || sourceGone) return d;
    }
    if (d.ptr && s.ptr && d.ptr->root >= 0 && s.ptr->root >= 0 && !d.ptr->type.isNull() && !s.ptr->type.isNull() &&
        d.ptr->type->isConstantArrayType() &&
        d.ptr->type.getCanonicalType().getUnqualifiedType() == s.ptr->type.getCanonicalType().getUnqualifiedType()) {
      // a whole array copied, as the implicit copy assignment of a class with an array member does
      uint64_t bytes = ast().getTypeSizeInChars(d.ptr->type).getQuantity(), k = 0;
      if (n.is_numeral_u64(k) && k == bytes) {
        addUB(d.ptrOk ? !*d.ptrOk : z.bool_val(false));
        addUB(s.ptrOk ? !*s.ptrOk : z.bool_val(false));
        const auto* at = ast().getAsConstantArrayType(d.ptr->type);
        checkBounds(*s.ptr, false);  // the indices that reach each array (an element of an array of arrays)
        checkBounds(*d.ptr, false);
        std::vector<z3::expr> sidx, didx;
        SymVal from = *navigate(*s.ptr, sidx, loc);  // a copy: the two may be the same object
        SymVal* to = navigate(*d.ptr, didx, loc);
        storeAll(*to, didx, copyElems(from, sidx, *to, didx, at->getSize().getZExtValue()));
        return d;
      }
    }
    if (!d.ptr || !s.ptr || d.ptr->steps.empty() || s.ptr->steps.empty() ||
        d.ptr->steps.back().kind != Step::Index || s.ptr->steps.back().kind != Step::Index)
      unsupported("memcpy between objects that are not byte arrays", loc);
    unsigned ew = X.widthOf(d.ptr->type);
    if (ew != 8 || X.widthOf(s.ptr->type) != 8) unsupported("memcpy of non-byte elements", loc);
    addUB(d.ptrOk ? !*d.ptrOk : z.bool_val(true));
    addUB(s.ptrOk ? !*s.ptrOk : z.bool_val(true));
    // bounds: [off, off+n) within each array
    z3::expr od = *d.ptr->steps.back().index, os = *s.ptr->steps.back().index;
    uint64_t ed = d.ptr->steps.back().extent, es = s.ptr->steps.back().extent;
    if (ed) addUB(z3::ugt(od + n, z.bv_val(ed, 64)) || z3::ult(od + n, od));
    if (es) addUB(z3::ugt(os + n, z.bv_val(es, 64)) || z3::ult(os + n, os));
    // the whole source array, and the destination array, as Z3 arrays
    Path sa = *s.ptr, da = *d.ptr;
    sa.steps.pop_back();
    da.steps.pop_back();
    checkBounds(sa, false);  // the indices that reach each array (a row of an array of arrays)
    checkBounds(da, false);
    if (!move) addUB(sameObject(z, sa, da) && n != z.bv_val(0, 64) && z3::ult(od, os + n) && z3::ult(os, od + n));
    std::vector<z3::expr> sidx, didx;
    SymVal* sv = navigate(sa, sidx, loc);
    SymVal* dv = navigate(da, didx, loc);
    z3::expr src = nestedSelect(*sv->leaf, sidx);
    z3::expr dst = nestedSelect(*dv->leaf, didx);
    z3::expr i = z.bv_const("memcpy_i", 64);
    z3::expr inRange = z3::uge(i, od) && z3::ult(i - od, n);
    z3::expr copied = z3::lambda(i, z3::ite(inRange, z3::select(src, i - od + os), z3::select(dst, i)));
    storeAll(*dv, didx, SymVal::ofLeaf(copied));
    return d;
  }

  std::optional<SymVal> memsetModel(const CallExpr* ce) {
    SourceLocation loc = ce->getExprLoc();
    SymVal d = rval(ce->getArg(0));
    z3::expr byte = toWidth(intOf(ce->getArg(1)), false, 8);
    z3::expr n = intOf(ce->getArg(2));
    if (!d.ptr || d.ptr->steps.empty() || d.ptr->steps.back().kind != Step::Index || X.widthOf(d.ptr->type) != 8)
      unsupported("memset of something other than a byte array", loc);
    if (gone(*d.ptr)) return d;
    z3::expr od = *d.ptr->steps.back().index;
    uint64_t ed = d.ptr->steps.back().extent;
    if (ed) addUB(z3::ugt(od + n, z.bv_val(ed, 64)) || z3::ult(od + n, od));
    Path da = *d.ptr;
    da.steps.pop_back();
    std::vector<z3::expr> didx;
    SymVal* dv = navigate(da, didx, loc);
    z3::expr dst = nestedSelect(*dv->leaf, didx);
    z3::expr i = z.bv_const("memset_i", 64);
    z3::expr set = z3::lambda(i, z3::ite(z3::uge(i, od) && z3::ult(i - od, n), byte, z3::select(dst, i)));
    storeAll(*dv, didx, SymVal::ofLeaf(set));
    return d;
  }

  // ---------------------------------------------------------------- statements

  void stmt(const Stmt* s) {
    try {
      // a statement's temporaries die at its end (their full-expression), and so do the objects it
      // created, a block's or a for, if, while or switch statement's own declarations (those of a
      // declaration statement live on to the end of its block; what calls created is gone already)
      const size_t firstTemp = temps.size(), firstRoot = isa_and_nonnull<DeclStmt>(s) ? SIZE_MAX : S.size();
      stmtIn(s);
      endLifetimes(firstTemp, firstRoot);
    } catch (TranslationError& e) {
      if (e.loc.isInvalid() && s) e.loc = s->getBeginLoc();  // a join of paths, at its statement
      throw;
    }
  }
  void stmtIn(const Stmt* s) {
    if (!s) return;
    if (live.is_false()) return;  // unreachable
    SourceLocation loc = s->getBeginLoc();
    At here(at, loc);
    if (const auto* cs = dyn_cast<CompoundStmt>(s)) {
      for (const Stmt* c : cs->body()) stmt(c);
      return;
    }
    if (isa<NullStmt>(s)) return;
    if (const auto* e = dyn_cast<Expr>(s)) {
      rval(e);
      return;
    }
    if (const auto* ds = dyn_cast<DeclStmt>(s)) {
      for (const Decl* d : ds->decls()) declare(d, loc);
      return;
    }
    if (const auto* rs = dyn_cast<ReturnStmt>(s)) {
      std::optional<SymVal> v;
      if (const Expr* e = rs->getRetValue()) {
        if (fn && fn->getReturnType()->isReferenceType()) {
          Path p = lval(e);
          if (p.root >= 0 && static_cast<size_t>(p.root) >= firstOwnRoot) {
            // a reference to the function's own parameter, local or temporary: it dangles in the caller
            if (!refAsValue) unsupported("a returned reference to the function's own parameter, local or temporary", loc);
            addUB(z.bool_val(true));
          }
          v = refAsValue ? read(asStatic(p, fn->getReturnType().getNonReferenceType()), loc) : ptrTo(p);
        } else {
          v = rval(e);
        }
      }
      mergeExit(ret, v);
      live = z.bool_val(false);
      return;
    }
    if (const auto* is = dyn_cast<IfStmt>(s)) {
      if (is->getInit()) stmt(is->getInit());
      if (is->getConditionVariableDeclStmt()) stmt(is->getConditionVariableDeclStmt());
      if (is->isConstexpr()) {
        Expr::EvalResult r;
        if (!is->getCond()->EvaluateAsInt(r, ast())) unsupported("if constexpr condition", loc);
        stmt(r.Val.getInt().getBoolValue() ? is->getThen() : is->getElse());
        return;
      }
      z3::expr c = simp(asBool(fullExpr(is->getCond()), is->getCond()->getType(), loc));
      branch(c, is->getThen(), is->getElse());
      return;
    }
    if (const auto* ws = dyn_cast<WhileStmt>(s)) {
      loop(nullptr, ws->getCond(), nullptr, ws->getBody(), false, loc);
      return;
    }
    if (const auto* fs = dyn_cast<ForStmt>(s)) {
      if (fs->getInit()) stmt(fs->getInit());
      loop(nullptr, fs->getCond(), fs->getInc(), fs->getBody(), false, loc);
      return;
    }
    if (const auto* ds = dyn_cast<DoStmt>(s)) {
      loop(nullptr, ds->getCond(), nullptr, ds->getBody(), true, loc);
      return;
    }
    if (const auto* rf = dyn_cast<CXXForRangeStmt>(s)) {
      if (rf->getInit()) stmt(rf->getInit());
      stmt(rf->getRangeStmt());
      stmt(rf->getBeginStmt());
      stmt(rf->getEndStmt());
      loop(rf->getLoopVarStmt(), rf->getCond(), rf->getInc(), rf->getBody(), false, loc);
      return;
    }
    if (isa<BreakStmt>(s)) {
      if (breaks.empty()) unsupported("break outside a loop or switch", loc);
      mergeExit(*breaks.back(), std::nullopt);
      live = z.bool_val(false);
      return;
    }
    if (isa<ContinueStmt>(s)) {
      if (continues.empty()) unsupported("continue outside a loop", loc);
      mergeExit(*continues.back(), std::nullopt);
      live = z.bool_val(false);
      return;
    }
    if (const auto* sw = dyn_cast<SwitchStmt>(s)) {
      switchStmt(sw);
      return;
    }
    if (const auto* as = dyn_cast<AttributedStmt>(s)) {
      stmt(as->getSubStmt());
      return;
    }
    unsupported(std::string("statement '") + s->getStmtClassName() + "'", loc);
  }

  void declare(const Decl* d, SourceLocation loc) {
    const auto* vd = dyn_cast<VarDecl>(d);
    if (!vd) {
      if (isa<TypedefNameDecl>(d) || isa<StaticAssertDecl>(d) || isa<UsingDecl>(d)) return;
      unsupported("local declaration", loc);
    }
    if (vd->isStaticLocal()) unsupported("static local variable '" + vd->getNameAsString() + "'", loc);
    QualType t = vd->getType();
    if (t->isReferenceType()) {
      if (!vd->getInit()) unsupported("reference without initialiser", loc);
      locals[vd] = lval(vd->getInit());
      return;
    }
    int r = newRoot(vd->getNameAsString(), t, X.zero(t));
    locals[vd] = rootPath(r);
    if (const Expr* init = vd->getInit(); init && pushedInto(init, rootPath(r), loc)) return;
    if (const Expr* init = vd->getInit()) {
      if (const auto* ce = dyn_cast<CXXConstructExpr>(init->IgnoreImplicit()); ce && !ce->getConstructor()->isTrivial()) {
        std::vector<const Expr*> args(ce->arg_begin(), ce->arg_end());
        runCtor(ce->getConstructor(), rootPath(r), args, loc);
      } else {
        write(rootPath(r), castTo(rval(init), init->getType(), t, loc), loc);
      }
    } else if (t->isScalarType() && !t->isPointerType()) {
      // an uninitialised scalar: any value
      S[r].value = X.fresh(t, "uninit." + vd->getNameAsString() + "." + std::to_string(r));
    }
  }

  void branch(const z3::expr& c, const Stmt* thenS, const Stmt* elseS) {
    int d = X.decide(live, c);
    if (c.is_true() || d > 0) {
      stmt(thenS);
      return;
    }
    if (c.is_false() || d < 0) {
      stmt(elseS);
      return;
    }
    Store before = S;
    z3::expr liveBefore = live;
    live = andE(liveBefore, c);
    stmt(thenS);
    Store st = std::move(S);
    z3::expr lt = live;
    S = before;
    live = andE(liveBefore, !c);
    stmt(elseS);
    S = iteStore(z, c, st, S);
    live = iteB(c, lt, live);
  }

  void loop(const Stmt* perIter, const Expr* cond, const Expr* inc, const Stmt* body, bool doWhile, SourceLocation loc) {
    Exit brk(z);
    breaks.push_back(&brk);
    for (unsigned k = 0;; ++k) {
      if (live.is_false()) break;
      if (!(doWhile && k == 0) && cond) {
        z3::expr c = simp(asBool(fullExpr(cond), cond->getType(), loc));
        if (int d = X.decide(live, c)) c = z.bool_val(d > 0);
        z3::expr stay = andE(live, c);
        // leave the loop where the condition is false
        z3::expr leaving = andE(live, c.is_true() ? z.bool_val(false) : c.is_false() ? z.bool_val(true) : !c);
        if (!leaving.is_false()) {
          z3::expr saved = live;
          live = leaving;
          mergeExit(brk, std::nullopt);
          live = saved;
        }
        live = stay;
        if (live.is_false()) break;
      }
      if (k >= X.cfg_.loopBound) {
        incomplete = incomplete || live;
        live = z.bool_val(false);
        break;
      }
      Exit cont(z);
      continues.push_back(&cont);
      const size_t iterRoot = S.size();
      if (perIter) stmt(perIter);
      stmt(body);
      continues.pop_back();
      joinExit(cont);
      endLifetimes(temps.size(), iterRoot);  // a range-for's variable is a new object each iteration
      if (inc && !live.is_false()) fullExpr(inc);
    }
    breaks.pop_back();
    // after the loop: whatever left through the condition or a break
    live = z.bool_val(false);
    joinExit(brk);
  }

  void switchStmt(const SwitchStmt* sw) {
    SourceLocation loc = sw->getBeginLoc();
    if (sw->getInit()) stmt(sw->getInit());
    if (sw->getConditionVariableDeclStmt()) stmt(sw->getConditionVariableDeclStmt());
    z3::expr v = asBv(fullExpr(sw->getCond()), loc);
    const auto* body = dyn_cast<CompoundStmt>(sw->getBody());
    if (!body) unsupported("switch without a block body", loc);
    // the values of all case labels, to know when `default` is taken
    std::vector<z3::expr> caseVals;
    std::function<void(const Stmt*)> collect = [&](const Stmt* st) {
      if (const auto* cs = dyn_cast<CaseStmt>(st)) {
        if (cs->getRHS()) unsupported("case ranges", cs->getBeginLoc());
        caseVals.push_back(toWidth(asBv(rval(cs->getLHS()), loc), X.isSigned(cs->getLHS()->getType()),
                                   v.get_sort().bv_size()));
        collect(cs->getSubStmt());
      } else if (const auto* ds = dyn_cast<DefaultStmt>(st)) {
        collect(ds->getSubStmt());
      }
    };
    for (const Stmt* st : body->body()) collect(st);
    z3::expr noCase = z.bool_val(true);
    for (const z3::expr& cv : caseVals) noCase = noCase && v != cv;
    Store entry = S;
    z3::expr entryLive = live;
    live = z.bool_val(false);
    Exit brk(z);
    breaks.push_back(&brk);
    bool hasDefault = false;
    std::function<void(const Stmt*)> run = [&](const Stmt* st) {
      if (const auto* cs = dyn_cast<CaseStmt>(st)) {
        z3::expr cv = toWidth(asBv(rval(cs->getLHS()), loc), X.isSigned(cs->getLHS()->getType()), v.get_sort().bv_size());
        z3::expr eq = simp(v == cv);
        if (X.decide(entryLive, eq) < 0) eq = z.bool_val(false);
        z3::expr jump = andE(entryLive, eq);
        S = iteStore(z, jump, entry, S);
        live = orE(live, jump);
        run(cs->getSubStmt());
        return;
      }
      if (const auto* ds = dyn_cast<DefaultStmt>(st)) {
        hasDefault = true;
        z3::expr jump = andE(entryLive, simp(noCase));
        S = iteStore(z, jump, entry, S);
        live = orE(live, jump);
        run(ds->getSubStmt());
        return;
      }
      stmt(st);
    };
    for (const Stmt* st : body->body()) run(st);
    breaks.pop_back();
    if (!hasDefault) {
      // no label matched: continue after the switch with the entry state
      z3::expr skip = andE(entryLive, simp(noCase));
      S = iteStore(z, skip, entry, S);
      live = orE(live, skip);
    }
    joinExit(brk);
  }
};


// ------------------------------------------------------------------ SymExec API

SymExec::SymExec(z3::context& z, ASTContext& ast, ExecConfig cfg) : z_(z), ast_(ast), cfg_(cfg) {}

void SymExec::assume(const z3::expr& a, unsigned budgetMs) {
  deadline_ = budgetMs ? nowMs() + budgetMs : 0;
  feas_ = std::make_unique<z3::solver>(z_);
  fullRlimit_ = kFullRlimit;
  unknownStreak_ = 0;
  models_.clear();
  decided_.clear();
  feas_->add(normalize(a));
  if (const char* f = std::getenv("IOAWB_OPT_DUMP_ASSUME")) {
    if (FILE* out = std::fopen(f, "w")) {
      std::fputs(feas_->to_smt2().c_str(), out);
      std::fclose(out);
    }
  }
}

// The symbolic execution joins paths with ite over whole arrays (a message's header bytes
// popped on one path and not on the other) and reads them through lambdas. Z3 beta-reduces
// a read of a lambda, but not a read of an ite of lambdas, and the lambdas left make it treat
// the query as quantified: the up path's branch conditions and precondition then took
// seconds each or ran out of their count, in incremental mode most of all. With the reads
// pushed into the ite and the lambdas reduced, the same queries take milliseconds.
z3::expr SymExec::normSelect(const z3::expr& a, const z3::expr& i) {
  auto key = std::make_pair(a.id(), i.id());
  if (auto it = normSel_.find(key); it != normSel_.end()) return std::get<2>(it->second);
  z3::expr r(z_);
  if (a.is_app() && a.decl().decl_kind() == Z3_OP_ITE) {
    r = z3::ite(a.arg(0), normSelect(a.arg(1), i), normSelect(a.arg(2), i));
  } else if (a.is_lambda() && Z3_get_quantifier_num_bound(z_, a) == 1) {
    z3::expr_vector to(z_);
    to.push_back(i);
    r = normalize(a.body().substitute(to));
  } else {
    r = z3::select(a, i);
  }
  normSel_.emplace(key, std::make_tuple(a, i, r));
  return r;
}

z3::expr SymExec::normalize(const z3::expr& e) {
  if (auto it = norm_.find(e.id()); it != norm_.end()) return it->second.second;
  z3::expr r = e;
  if (e.is_app() && e.num_args() > 0) {
    z3::expr_vector args(z_);
    bool changed = false;
    for (unsigned k = 0; k < e.num_args(); ++k) {
      z3::expr a = normalize(e.arg(k));
      changed = changed || !z3::eq(a, e.arg(k));
      args.push_back(a);
    }
    if (e.decl().decl_kind() == Z3_OP_SELECT && args.size() == 2) r = normSelect(args[0], args[1]);
    else if (changed) r = e.decl()(args);
  } else if (e.is_lambda()) {
    z3::expr b = normalize(e.body());
    if (!z3::eq(b, e.body())) {
      unsigned n = Z3_get_quantifier_num_bound(z_, e);
      std::vector<Z3_sort> sorts;
      std::vector<Z3_symbol> names;
      for (unsigned k = 0; k < n; ++k) {
        sorts.push_back(Z3_get_quantifier_bound_sort(z_, e, k));
        names.push_back(Z3_get_quantifier_bound_name(z_, e, k));
      }
      r = z3::expr(z_, Z3_mk_lambda(z_, n, sorts.data(), names.data(), b));
    }
  }
  norm_.emplace(e.id(), std::make_pair(e, r));
  return r;
}

// Pruning is only an optimisation (an undecided branch is explored), so its queries are
// bounded by Z3's resource count, not by the clock: the same code gives the same terms
// on a loaded machine as on an idle one. A quick round asks both sides (an impossible
// side is usually found at once: the feasible one is where the solver spends its time
// looking for a model); a full round then asks the sides the quick one left undecided.
bool SymExec::outOfTime() const { return (deadline_ && nowMs() > deadline_) || (cancel_ && cancel_->load()); }

int SymExec::decide(const z3::expr& live, const z3::expr& c) {
  if (outOfTime()) throw ExecTimeout{};
  if (!feas_ || c.is_true() || c.is_false() || live.is_false()) return 0;
  const z3::expr nLive = normalize(live);
  const z3::expr nC = normalize(c);
  // the same question again (the bypass runs the layers' code on the same state): the same answer
  const auto key = std::make_pair(nLive.id(), nC.id());
  if (auto it = decided_.find(key); it != decided_.end()) return ++repeats_, std::get<2>(it->second);
  const int answer = decideNormalized(nLive, nC);
  decided_.emplace(key, std::make_tuple(nLive, nC, answer));
  return answer;
}

int SymExec::decideNormalized(const z3::expr& nLive, const z3::expr& nC) {
  const bool debug = std::getenv("IOAWB_OPT_DEBUG") != nullptr;
  auto possible = [&](const z3::expr& e, unsigned rlimit) {
    ++queries_;
    z3::params p(z_);
    p.set("rlimit", rlimit);
    feas_->set(p);
    feas_->push();
    feas_->add(nLive && e);
    auto t0 = std::chrono::steady_clock::now();
    z3::check_result r = z3util::checkWithin(*feas_, kPruningTimeoutMs);
    if (r == z3::sat) {
      if (models_.size() == kKeptModels) models_.erase(models_.begin());
      models_.push_back(feas_->get_model());
    }
    feas_->pop();
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    pruningMs_ += ms;
    if (debug && ms > 20)
      std::fprintf(stderr, "[optimizer] pruning query %u (rlimit %u): %s in %.0f ms\n", queries_, rlimit,
                   r == z3::sat ? "sat" : r == z3::unsat ? "unsat" : "unknown", ms);
    return r;
  };
  // When the full round keeps giving up, ask it for less, and for the full amount again once
  // a branch is pruned.
  auto pruned = [&] {
    fullRlimit_ = kFullRlimit;
    unknownStreak_ = 0;
  };
  // A side some earlier model of the assumptions already satisfies is possible without asking
  // (a branch possible both ways is the common case, and one of the last few models usually
  // shows both).
  bool seenNot = false, seenYes = false;
  for (const z3::model& m : models_) {  // the condition first: the path condition is the larger term
    z3::expr v = m.eval(nC, true);
    if ((v.is_true() && seenYes) || (v.is_false() && seenNot) || !m.eval(nLive, true).is_true()) continue;
    seenYes = seenYes || v.is_true();
    seenNot = seenNot || v.is_false();
    if (seenYes && seenNot) break;
  }
  if (seenYes && seenNot) return ++modelHits_, 0;
  const z3::expr& c = nC;
  z3::check_result notC = seenNot ? z3::sat : possible(!c, kQuickRlimit);
  if (notC == z3::unsat) return pruned(), 1;
  z3::check_result yesC = seenYes ? z3::sat : possible(c, kQuickRlimit);
  if (yesC == z3::unsat) return pruned(), -1;
  auto full = [&](const z3::expr& e) {
    z3::check_result r = possible(e, fullRlimit_);
    if (r == z3::unsat) pruned();
    else if (r == z3::unknown && ++unknownStreak_ == kUndecidedStreak) fullRlimit_ = kFullRlimit / 10;
    return r == z3::unsat;
  };
  if (notC == z3::unknown && full(!c)) return 1;
  if (yesC == z3::unknown && full(c)) return -1;
  pruningUnknown_ += notC == z3::unknown || yesC == z3::unknown;
  return 0;
}

std::vector<z3::expr> SymExec::concreteFacts(const z3::model& m, const z3::expr_vector& terms, unsigned& skipped) const {
  constexpr uint64_t kMaxBytes = 1u << 16;
  std::vector<z3::expr> facts;
  std::set<unsigned> seen;
  std::vector<z3::expr> todo;
  for (unsigned i = 0; i < terms.size(); ++i) todo.push_back(terms[i]);
  auto value = [&](const z3::expr& t, uint64_t& out) {
    z3::expr v = m.eval(t, true);
    return v.is_numeral() && v.is_numeral_u64(out);
  };
  while (!todo.empty()) {
    z3::expr e = todo.back();
    todo.pop_back();
    if (!seen.insert(e.id()).second) continue;
    if (e.is_quantifier() || e.is_lambda()) {
      todo.push_back(e.body());
      continue;
    }
    if (!e.is_app()) continue;
    for (unsigned i = 0; i < e.num_args(); ++i) todo.push_back(e.arg(i));
    if (e.decl().name().str() != "rt.checksum16" || e.num_args() != 2) continue;
    uint64_t n = 0;
    if (!value(e.arg(1), n) || n > kMaxBytes) {
      ++skipped;
      continue;
    }
    std::vector<uint8_t> bytes(n);
    z3::expr window = z3::const_array(z_.bv_sort(64), z_.bv_val(0, 8));
    bool ok = true;
    for (uint64_t i = 0; i < n && ok; ++i) {
      uint64_t b = 0;
      ok = value(z3::select(e.arg(0), z_.bv_val(i, 64)), b);
      bytes[i] = static_cast<uint8_t>(b);
      if (b) window = z3::store(window, z_.bv_val(i, 64), z_.bv_val(b, 8));
    }
    if (!ok) {
      ++skipped;
      continue;
    }
    // the model's value at the model's arguments; when it is not the real one (or the evaluator
    // cannot tell, for an argument built from lambdas), the application keeps the model's
    // arguments and gets the real value: the solver then has to fit the rest of the
    // counterexample around it (instead of moving to arguments where the value is free again)
    uint64_t got = 0;
    bool known = value(e, got);
    uint16_t real = rt::checksum16(bytes.data(), bytes.size());
    if (!known || got != real)
      facts.push_back(e.arg(1) == z_.bv_val(n, 64) && e.arg(0) == window && e == z_.bv_val(real, 16));
  }
  return facts;
}

RunResult SymExec::call(const FunctionDecl* fn, Store store, const std::vector<SymVal>& args, std::optional<Path> thisObj) {
  Frame f(*this, std::move(store), z_.bool_val(true));
  std::optional<SymVal> r = f.inlineCall(fn, args, thisObj, fn->getLocation());
  RunResult out(z_);
  out.store = std::move(f.S);
  out.ret = r;
  out.ub = f.ub;
  out.incomplete = f.incomplete;
  return out;
}

Store SymExec::construct(Store store, int root) {
  QualType t = store[root].type;
  if (intrinsicOf(t) != Intrinsic::None) return store;
  const CXXRecordDecl* rd = t.getCanonicalType()->getAsCXXRecordDecl();
  if (!rd) return store;
  const CXXConstructorDecl* ctor = nullptr;
  for (const CXXConstructorDecl* c : rd->ctors())
    if (c->isDefaultConstructor()) ctor = c;
  if (!ctor) return store;
  Frame f(*this, std::move(store), z_.bool_val(true));
  Path p = f.rootPath(root);
  f.inlineCall(ctor, {}, p, rd->getLocation());
  return std::move(f.S);
}

std::string SymExec::ubSite(const z3::model& m, size_t from, size_t to) const {
  for (size_t i = from; i < to && i < ubSites_.size(); ++i)
    if (m.eval(ubSites_[i].second, true).is_true()) return describeLoc(ast_, ubSites_[i].first);
  return "";
}

}  // namespace ioa::opt
