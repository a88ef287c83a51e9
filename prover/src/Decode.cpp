// From Z3 models to spec values, and from spec values back to canonical Z3
// terms (for re-checking a counterexample in a fresh context).
#include "Decode.h"

#include "ioa/z3util/Alarm.h"

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>

namespace ioa::prover::detail {

namespace {
constexpr int64_t kMaxDecodedElems = 512;   // per sequence
constexpr int64_t kMaxDecodedTotal = 20000;  // per counterexample
constexpr const char* kTooLong = "sequences too long to show";

Value finiteKeyValue(Sort k, int64_t i) {
  switch (k->kind) {
    case SortKind::Bool: return Value::boolean(i != 0);
    case SortKind::Enum: return Value::enumeration(k, static_cast<int>(i));
    default: return Value::integer(k->lo + i);
  }
}
}  // namespace

// ---------------------------------------------------------------- values to terms

z3::expr Encoder::opaqueValue(Sort s, int64_t id) {
  auto key = std::make_pair(s, id);
  auto it = opaques_.find(key);
  if (it != opaques_.end()) return it->second;
  z3::expr c = ctx().constant(("opaque." + cc_.smtName(s) + "." + std::to_string(id)).c_str(), cc_.sort(s));
  for (const z3::expr& o : opaqueList_)
    if (z3::eq(o.get_sort(), c.get_sort())) opaqueFacts.push_back(c != o);
  opaqueList_.push_back(c);
  opaques_.emplace(key, c);
  return c;
}

z3::expr Encoder::valueTerm(Sort s, const Value& v) {
  z3::context& c = ctx();
  switch (s->kind) {
    case SortKind::Bool: return c.bool_val(v.asBool());
    case SortKind::Int:
    case SortKind::Nat:
    case SortKind::Range: return c.int_val(v.asInt());
    case SortKind::UInt: return c.bv_val(v.asUInt(), s->width);
    case SortKind::Enum: return cc_.datatype(s).ctors.at(static_cast<size_t>(v.index()))();
    case SortKind::Tuple: {
      z3::expr_vector fs(c);
      for (size_t i = 0; i < s->def->fields.size(); ++i)
        fs.push_back(i < v.elems().size() ? valueTerm(s->def->fields[i].sort, v.elems()[i]) : cc_.dflt(s->def->fields[i].sort));
      return cc_.datatype(s).ctors[0](fs);
    }
    case SortKind::Union: {
      size_t i = static_cast<size_t>(v.index());
      Sort vs = s->def ? s->def->fields.at(i).sort : cc_.catalog().headers().at(i);
      return cc_.datatype(s).ctors.at(i)(valueTerm(vs, v.elems().at(0)));
    }
    case SortKind::Seq: {
      z3::expr arr = z3::const_array(c.int_sort(), cc_.dflt(s->elem()));
      for (size_t i = 0; i < v.elems().size(); ++i)
        arr = z3::store(arr, c.int_val(static_cast<int64_t>(i)), valueTerm(s->elem(), v.elems()[i]));
      return mkSeq(s, arr, c.int_val(static_cast<int64_t>(v.elems().size())));
    }
    case SortKind::Set: {
      z3::expr a = z3::const_array(cc_.sort(s->elem()), c.bool_val(false));
      for (const Value& e : v.elems()) a = z3::store(a, valueTerm(s->elem(), e), c.bool_val(true));
      return a;
    }
    case SortKind::Mset: {
      z3::expr a = z3::const_array(cc_.sort(s->elem()), c.int_val(0));
      for (const auto& [e, n] : v.entries()) a = z3::store(a, valueTerm(s->elem(), e), c.int_val(n.asInt()));
      return a;
    }
    case SortKind::Map: {
      z3::sort ks = cc_.sort(s->key());
      bool dd = v.defaultDefined() && v.mapDefault();
      z3::expr val = z3::const_array(ks, dd ? valueTerm(s->value(), *v.mapDefault()) : cc_.dflt(s->value()));
      z3::expr def = z3::const_array(ks, c.bool_val(dd));
      for (const auto& [k, x] : v.entries()) {
        z3::expr kt = valueTerm(s->key(), k);
        val = z3::store(val, kt, valueTerm(s->value(), x));
        def = z3::store(def, kt, c.bool_val(true));
      }
      for (const Value& k : v.undefinedKeys()) {  // (holding the value sort's default, as undefined keys do)
        z3::expr kt = valueTerm(s->key(), k);
        val = z3::store(val, kt, cc_.dflt(s->value()));
        def = z3::store(def, kt, c.bool_val(false));
      }
      return cc_.datatype(s).ctors[0](val, def);
    }
    case SortKind::Array: {
      if (cc_.isFiniteArray(s)) {
        z3::expr_vector fs(c);
        for (int64_t i = 0; i < cc_.finiteSize(s->key()); ++i) {
          const Value* x = v.lookup(finiteKeyValue(s->key(), i));
          fs.push_back(x ? valueTerm(s->value(), *x) : cc_.dflt(s->value()));
        }
        return cc_.datatype(s).ctors[0](fs);
      }
      z3::expr a = z3::const_array(cc_.sort(s->key()),
                                   v.mapDefault() ? valueTerm(s->value(), *v.mapDefault()) : cc_.dflt(s->value()));
      for (const auto& [k, x] : v.entries()) a = z3::store(a, valueTerm(s->key(), k), valueTerm(s->value(), x));
      return a;
    }
    case SortKind::Msg: {
      std::vector<Value> bytes;
      for (uint8_t b : v.payload()) bytes.push_back(Value::uinteger(b, 8));
      z3::expr payload = valueTerm(bytesSort(), Value::seq(bytes));
      Sort hs = cc_.hdrSeqSort();
      z3::expr arr = z3::const_array(c.int_sort(), cc_.dflt(hs->elem()));
      const auto& hdrs = v.headers();
      for (size_t i = 0; i < hdrs.size(); ++i) {
        // headers are listed top first; the encoding keeps the top at the end
        const auto& [hsort, hv] = hdrs[hdrs.size() - 1 - i];
        int hi = cc_.catalog().headerIndex(hsort);
        if (hi < 0) throw Unsupported("unknown header sort in a message value");
        arr = z3::store(arr, c.int_val(static_cast<int64_t>(i)),
                        cc_.hdrDatatype().ctors[static_cast<size_t>(hi)](valueTerm(hsort, hv)));
      }
      return cc_.datatype(s).ctors[0](payload, mkSeq(hs, arr, c.int_val(static_cast<int64_t>(hdrs.size()))));
    }
    case SortKind::Uninterp:
    case SortKind::Param: return opaqueValue(s, v.asInt());
    case SortKind::Error: break;
  }
  throw Unsupported("cannot encode a value of sort " + sortName(s));
}

// ---------------------------------------------------------------- models to values

Decoder::Decoder(Encoder& en, const z3::model& m) : en_(en), m_(m), budget_(kMaxDecodedTotal) {}

int64_t Decoder::toInt(const z3::expr& t) {
  z3::expr v = settled(t);
  std::string s;
  if (!v.is_numeral(s)) return 0;
  errno = 0;
  long long r = std::strtoll(s.c_str(), nullptr, 10);
  if (errno == ERANGE)  // (the spec's values are 64-bit: shown clamped, it would not violate anything)
    overflow_ = "an integer beyond the 64-bit signed range of spec values (" + s + "), which counterexamples cannot show";
  return static_cast<int64_t>(r);
}

uint64_t Decoder::toUInt(const z3::expr& t) {
  z3::expr v = settled(t);
  uint64_t r = 0;
  if (v.is_numeral_u64(r)) return r;
  std::string s;
  if (v.is_numeral(s)) return std::strtoull(s.c_str(), nullptr, 10);
  return 0;
}

bool Decoder::arrayEntries(const z3::expr& val, std::vector<std::pair<z3::expr, z3::expr>>& entries,
                           std::optional<z3::expr>& dflt) {
  if (!val.is_app()) return false;
  Z3_decl_kind k = val.decl().decl_kind();
  if (k == Z3_OP_STORE) {
    if (!arrayEntries(val.arg(0), entries, dflt)) return false;
    entries.emplace_back(val.arg(1), val.arg(2));
    return true;
  }
  if (k == Z3_OP_CONST_ARRAY) {
    dflt = val.arg(0);
    return true;
  }
  if (k == Z3_OP_AS_ARRAY) {
    z3::func_decl f(val.ctx(), Z3_get_as_array_func_decl(val.ctx(), val));
    z3::func_interp fi = m_.get_func_interp(f);
    for (unsigned i = 0; i < fi.num_entries(); ++i) entries.emplace_back(fi.entry(i).arg(0), fi.entry(i).value());
    dflt = fi.else_value();
    return true;
  }
  return false;
}

namespace {
constexpr int64_t kMaxEnumerated = 64;  // keys of a finite tuple sort read one by one

bool isValueTerm(const z3::expr& e) {
  if (e.is_numeral() || e.is_true() || e.is_false()) return true;
  // an element of an uninterpreted sort's universe in a model (Proc!val!0)
  if (e.is_app() && e.num_args() == 0 && e.decl().decl_kind() == Z3_OP_UNINTERPRETED &&
      e.get_sort().sort_kind() == Z3_UNINTERPRETED_SORT)
    return true;
  if (!e.is_app() || e.decl().decl_kind() != Z3_OP_DT_CONSTRUCTOR) return false;
  for (unsigned i = 0; i < e.num_args(); ++i)
    if (!isValueTerm(e.arg(i))) return false;
  return true;
}

bool isComparison(Z3_decl_kind k) {
  switch (k) {
    case Z3_OP_EQ:
    case Z3_OP_DISTINCT:
    case Z3_OP_LE:
    case Z3_OP_LT:
    case Z3_OP_GE:
    case Z3_OP_GT:
    case Z3_OP_ULEQ:
    case Z3_OP_ULT:
    case Z3_OP_UGEQ:
    case Z3_OP_UGT:
    case Z3_OP_SLEQ:
    case Z3_OP_SLT:
    case Z3_OP_SGEQ:
    case Z3_OP_SGT: return true;
    default: return false;
  }
}

std::optional<int64_t> intOf(const z3::expr& e) {
  int64_t r = 0;
  if (e.is_numeral_i64(r)) return r;
  return std::nullopt;
}
}  // namespace

// Every term that can be a key where the array value `e` (or a lambda body,
// or an as-array function's else value) changes: store indices, the entries
// of as-array functions, and constants compared with anything (in a lambda,
// with its bound variable: `ite(x = 3, ...)`).
void Decoder::collectKeys(const z3::expr& e, const z3::sort& ks, std::vector<z3::expr>& out, std::set<unsigned>& seen) {
  if (!seen.insert(e.id()).second) return;
  if (e.is_quantifier()) {
    collectKeys(e.body(), ks, out, seen);
    return;
  }
  if (!e.is_app()) return;
  Z3_decl_kind k = e.decl().decl_kind();
  if (k == Z3_OP_STORE && e.num_args() == 3) {
    if (z3::eq(e.arg(1).get_sort(), ks)) out.push_back(e.arg(1));
    collectKeys(e.arg(0), ks, out, seen);
    collectKeys(e.arg(1), ks, out, seen);
    return;  // the stored value is of the value sort: its own keys are not this array's
  }
  if (k == Z3_OP_AS_ARRAY) {
    z3::func_decl f(e.ctx(), Z3_get_as_array_func_decl(e.ctx(), e));
    if (f.arity() != 1 || !m_.has_interp(f)) return;
    z3::func_interp fi = m_.get_func_interp(f);
    for (unsigned i = 0; i < fi.num_entries(); ++i)
      if (z3::eq(fi.entry(i).arg(0).get_sort(), ks)) out.push_back(fi.entry(i).arg(0));
    collectKeys(fi.else_value(), ks, out, seen);
    return;
  }
  if (isComparison(k))
    for (unsigned i = 0; i < e.num_args(); ++i)
      if (z3::eq(e.arg(i).get_sort(), ks) && isValueTerm(e.arg(i))) out.push_back(e.arg(i));
  for (unsigned i = 0; i < e.num_args(); ++i) collectKeys(e.arg(i), ks, out, seen);
}

// Every value of a small finite sort (and of a tuple of them, up to
// kMaxEnumerated), as spec values and terms. False for any other sort.
bool Decoder::enumerate(Sort k, std::vector<Key>& out) {
  ContextCache& cc = en_.cache();
  if (cc.isSmallFinite(k)) {
    for (int64_t i = 0; i < cc.finiteSize(k); ++i) out.push_back({finiteKeyValue(k, i), cc.finiteValue(k, i)});
    return true;
  }
  if (k->kind == SortKind::Union && k->def && !k->def->fields.empty()) {
    // every variant with every value of its payload (a set of messages whose variants carry
    // enumeration constants was read as empty: its model compares with no constant)
    const auto& dt = cc.datatype(k);
    std::vector<Key> all;
    for (size_t i = 0; i < k->def->fields.size() && i < dt.ctors.size(); ++i) {
      std::vector<Key> payload;
      if (!enumerate(k->def->fields[i].sort, payload)) return false;
      for (Key& p : payload) {
        if (static_cast<int64_t>(all.size()) >= kMaxEnumerated) return false;
        all.push_back({Value::unionOf(k, static_cast<int>(i), p.v), dt.ctors[i](p.t)});
      }
    }
    out.insert(out.end(), all.begin(), all.end());
    return true;
  }
  std::vector<std::vector<int64_t>> tuples;
  if (!cc.finiteTupleIndices(k, kMaxEnumerated, tuples)) return false;
  for (const std::vector<int64_t>& at : tuples) {
    std::vector<Value> vs;
    z3::expr_vector ts(en_.ctx());
    for (size_t j = 0; j < at.size(); ++j) {
      vs.push_back(finiteKeyValue(k->def->fields[j].sort, at[j]));
      ts.push_back(en_.valueTerm(k->def->fields[j].sort, vs.back()));
    }
    out.push_back({Value::tuple(k, vs), cc.datatype(k).ctors[0](ts)});
  }
  return true;
}

// A well-formed key of sort k that is none of `avoid` (model values), if one is easily found.
std::optional<z3::expr> Decoder::freshKey(Sort k, const std::vector<z3::expr>& avoid, int depth) {
  z3::context& c = en_.ctx();
  ContextCache& cc = en_.cache();
  if (depth > 4) return std::nullopt;
  auto avoided = [&](const z3::expr& x) {
    for (const z3::expr& a : avoid)
      if (z3::eq(m_.eval(a == x, true), c.bool_val(true))) return true;
    return false;
  };
  switch (k->kind) {
    case SortKind::Int:
    case SortKind::Nat: {
      int64_t next = 0;
      for (const z3::expr& a : avoid)
        if (auto v = intOf(a); v && *v >= next && *v < INT64_MAX) next = *v + 1;
      return c.int_val(next);
    }
    case SortKind::Range: {
      std::set<int64_t> used;
      for (const z3::expr& a : avoid)
        if (auto v = intOf(a)) used.insert(*v);
      for (int64_t v = k->lo; v <= k->hi; ++v)
        if (!used.count(v)) return c.int_val(v);
      return std::nullopt;
    }
    case SortKind::UInt: {
      std::set<uint64_t> used;
      for (const z3::expr& a : avoid) {
        uint64_t v = 0;
        if (a.is_numeral_u64(v)) used.insert(v);
      }
      uint64_t top = k->width >= 64 ? UINT64_MAX : (uint64_t{1} << k->width) - 1;
      for (uint64_t v = 0;; ++v) {
        if (!used.count(v)) return c.bv_val(v, k->width);
        if (v == top) return std::nullopt;
      }
    }
    case SortKind::Bool:
    case SortKind::Enum: {
      std::vector<Key> all;
      enumerate(k, all);
      for (const Key& x : all)
        if (!avoided(x.t)) return x.t;
      return std::nullopt;
    }
    case SortKind::Tuple: {
      if (!k->def) return std::nullopt;
      size_t n = k->def->fields.size();
      for (size_t i = 0; i < n; ++i) {
        std::vector<z3::expr> proj;
        for (const z3::expr& a : avoid) proj.push_back(m_.eval(en_.field(k, 0, static_cast<int>(i), a), true));
        std::optional<z3::expr> fi = freshKey(k->def->fields[i].sort, proj, depth + 1);
        if (!fi) continue;
        z3::expr_vector fs(c);
        for (size_t j = 0; j < n; ++j)
          fs.push_back(j == i ? *fi : en_.valueTerm(k->def->fields[j].sort, defaultValue(k->def->fields[j].sort)));
        return cc.datatype(k).ctors[0](fs);
      }
      return std::nullopt;
    }
    case SortKind::Union: {
      if (!k->def) return std::nullopt;
      const auto& dt = cc.datatype(k);
      for (size_t i = 0; i < dt.ctors.size() && i < k->def->fields.size(); ++i) {
        std::vector<z3::expr> proj;
        for (const z3::expr& a : avoid)
          if (a.is_app() && z3::eq(a.decl(), dt.ctors[i])) proj.push_back(a.arg(0));
        std::optional<z3::expr> p = freshKey(k->def->fields[i].sort, proj, depth + 1);
        if (p) return dt.ctors[i](*p);
      }
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

bool Decoder::allValues(Sort s, std::vector<std::pair<Value, z3::expr>>& out) {
  if (s->kind != SortKind::Uninterp && s->kind != SortKind::Param && !en_.cache().isSmallFinite(s)) return false;
  KeySet ks = keysOf(s, {});
  for (Key& k : ks.keys) out.emplace_back(std::move(k.v), k.t);
  return !out.empty();
}

Decoder::KeySet Decoder::keysOf(Sort k, const std::vector<z3::expr>& arrays) {
  KeySet r;
  if (enumerate(k, r.keys)) {
    r.complete = true;
    return r;
  }
  z3::sort ks = en_.cache().sort(k);
  std::vector<z3::expr> found;
  std::set<unsigned> seen;
  if (k->kind == SortKind::Uninterp || k->kind == SortKind::Param) {
    // the elements of an uninterpreted sort the model has (its universe): arrays over
    // it are written as comparisons with them, or with terms that evaluate to them
    for (unsigned i = 0, n = Z3_model_get_num_sorts(m_.ctx(), m_); i < n; ++i) {
      if (!z3::eq(z3::sort(m_.ctx(), Z3_model_get_sort(m_.ctx(), m_, i)), ks)) continue;
      z3::expr_vector u(m_.ctx(), Z3_model_get_sort_universe(m_.ctx(), m_, ks));
      for (unsigned j = 0; j < u.size(); ++j) found.push_back(u[j]);
    }
  }
  for (const z3::expr& a : arrays) collectKeys(a, ks, found, seen);
  if (auto it = points_.find(Z3_get_sort_id(ks.ctx(), ks)); it != points_.end())
    found.insert(found.end(), it->second.begin(), it->second.end());
  std::set<unsigned> ids;
  std::vector<z3::expr> vals;
  for (const z3::expr& f : found) {
    z3::expr v = m_.eval(f, true);
    if (!isValueTerm(v) || !ids.insert(v.id()).second) continue;
    // a key outside the sort's domain (a negative Nat) is no key of the spec's map
    if (en_.hasWf(k) && (k->kind == SortKind::Nat || k->kind == SortKind::Range) &&
        !m_.eval(en_.wf(k, v), true).is_true())
      continue;
    vals.push_back(v);
  }
  if (static_cast<int64_t>(vals.size()) > kMaxDecodedElems) {
    overflow_ = kTooLong;
    vals.erase(vals.begin() + kMaxDecodedElems, vals.end());
  }
  for (const z3::expr& v : vals) r.keys.push_back({decode(k, v), v});
  r.other = freshKey(k, vals);
  return r;
}

// What the array value `arr` holds at every key not in `ks.keys`: its value at
// `ks.other`; when no such key was found (and the keys are not all of the
// sort's), the array's own default, when the model gives one.
std::optional<z3::expr> Decoder::restOf(const KeySet& ks, const z3::expr& arr) {
  if (ks.other) return z3::select(arr, *ks.other);
  if (ks.complete) return std::nullopt;
  std::vector<std::pair<z3::expr, z3::expr>> es;
  std::optional<z3::expr> d;
  if (arrayEntries(arr, es, d) && d) return d;
  return std::nullopt;
}

namespace {
// Whether `f` holds (true), fails (false) or cannot be told in 1 s: a closed Boolean term.
std::optional<bool> decide(const z3::expr& f) {
  z3::context& c = f.ctx();
  for (bool want : {true, false}) {
    z3::solver s(c);
    s.add(want ? !f : f);
    if (z3util::checkWithin(s, 1000u) == z3::unsat) return want;
  }
  return std::nullopt;
}
}  // namespace

z3::expr Decoder::settled(const z3::expr& t) {
  z3::expr v = m_.eval(t, true);
  for (int depth = 0; depth < 64; ++depth) {
    if (isValueTerm(v)) return v;
    v = v.simplify();
    if (isValueTerm(v)) return v;
    if (settleCalls_ >= kMaxSettleCalls) return v;  // (a model full of such terms: not decided one by one)
    ++settleCalls_;
    if (v.is_bool()) {
      std::optional<bool> b = decide(v);
      return b ? en_.ctx().bool_val(*b) : v;
    }
    // an if-then-else (a fired action's effect under its precondition): the branch its condition takes
    if (!(v.is_app() && v.decl().decl_kind() == Z3_OP_ITE)) return v;
    std::optional<bool> b = decide(v.arg(0));
    if (!b) return v;
    v = v.arg(*b ? 1 : 2);
  }
  return v;
}

void Decoder::notePoint(const z3::expr& v) {
  if (!isValueTerm(v) || v.is_bool() || !pointIds_.insert(v.id()).second) return;
  z3::sort st = v.get_sort();
  std::vector<z3::expr>& ps = points_[Z3_get_sort_id(st.ctx(), st)];
  if (static_cast<int64_t>(ps.size()) < kMaxDecodedElems) ps.push_back(v);
}

void Decoder::restart() {
  budget_ = kMaxDecodedTotal;
  overflow_.clear();
}

Value Decoder::decode(Sort s, const z3::expr& t0) {
  z3::context& c = en_.ctx();
  ContextCache& cc = en_.cache();
  z3::expr t = m_.eval(t0, true);
  switch (s->kind) {
    case SortKind::Bool: return Value::boolean(settled(t).is_true());
    case SortKind::Int:
    case SortKind::Nat:
    case SortKind::Range: {
      z3::expr v = settled(t);
      notePoint(v);
      return Value::integer(toInt(v));
    }
    case SortKind::UInt: {
      z3::expr v = settled(t);
      notePoint(v);
      return Value::uinteger(toUInt(v), s->width);
    }
    case SortKind::Enum: {
      const auto& dt = cc.datatype(s);
      t = settled(t);
      for (size_t i = 0; i < dt.ctors.size(); ++i)
        if (t.is_app() && z3::eq(t.decl(), dt.ctors[i])) return Value::enumeration(s, static_cast<int>(i));
      return Value::enumeration(s, 0);
    }
    case SortKind::Tuple: {
      notePoint(t);
      std::vector<Value> fs;
      for (size_t i = 0; i < s->def->fields.size(); ++i)
        fs.push_back(decode(s->def->fields[i].sort, en_.field(s, 0, static_cast<int>(i), t)));
      return Value::tuple(s, fs);
    }
    case SortKind::Union: {
      const auto& dt = cc.datatype(s);
      for (size_t i = 0; i < dt.ctors.size(); ++i)
        if (t.is_app() && z3::eq(t.decl(), dt.ctors[i])) {
          Sort vs = s->def ? s->def->fields[i].sort : cc.catalog().headers().at(i);
          return Value::unionOf(s, static_cast<int>(i), decode(vs, t.arg(0)));
        }
      Sort vs = s->def ? s->def->fields[0].sort : cc.catalog().headers().at(0);
      return Value::unionOf(s, 0, defaultValue(vs));
    }
    case SortKind::Seq: {
      int64_t n = toInt(en_.seqLen(t));
      if (n < 0) n = 0;
      if (n > kMaxDecodedElems || budget_ < n) {
        overflow_ = kTooLong;
        n = std::min<int64_t>(std::min(n, kMaxDecodedElems), std::max<int64_t>(budget_, 0));
      }
      budget_ -= n;
      std::vector<Value> xs;
      z3::expr a = en_.seqArr(t);
      for (int64_t i = 0; i < n; ++i) xs.push_back(decode(s->elem(), z3::select(a, c.int_val(i))));
      return Value::seq(xs);
    }
    case SortKind::Set:
    case SortKind::Mset: {
      bool set = s->kind == SortKind::Set;
      std::vector<Value> elems;
      std::vector<std::pair<Value, int64_t>> counts;
      auto add = [&](const Value& e, const z3::expr& x) {
        if (set) {
          if (settled(x).is_true()) elems.push_back(e);
        } else {
          int64_t n = toInt(x);
          if (n > 0) counts.emplace_back(e, n);
        }
      };
      for (const Key& k : keysOf(s->elem(), {t}).keys) add(k.v, z3::select(t, k.t));
      return set ? Value::set(elems) : Value::mset(counts);
    }
    case SortKind::Map: {
      z3::expr val = m_.eval(en_.field(s, 0, 0, t), true), def = m_.eval(en_.field(s, 0, 1, t), true);
      KeySet ks = keysOf(s->key(), {val, def});
      std::vector<std::pair<Value, Value>> entries;
      std::vector<Value> undefinedKeys;  // (shown only when the map is defined elsewhere)
      for (const Key& k : ks.keys) {
        if (settled(z3::select(def, k.t)).is_true())
          entries.emplace_back(k.v, decode(s->value(), z3::select(val, k.t)));
        else
          undefinedKeys.push_back(k.v);
      }
      std::unique_ptr<Value> dv;
      std::optional<z3::expr> restDefined = restOf(ks, def);
      bool allDefined = restDefined && m_.eval(*restDefined, true).is_true();
      if (allDefined) {
        std::optional<z3::expr> rest = restOf(ks, val);
        dv = std::make_unique<Value>(rest ? decode(s->value(), *rest) : defaultValue(s->value()));
      }
      if (dv) std::erase_if(entries, [&](const auto& e) { return e.second == *dv; });
      return Value::map(entries, std::move(dv), allDefined, std::move(undefinedKeys));
    }
    case SortKind::Array: {
      std::vector<std::pair<Value, Value>> entries;
      if (cc.isFiniteArray(s)) {
        for (int64_t i = 0; i < cc.finiteSize(s->key()); ++i)
          entries.emplace_back(finiteKeyValue(s->key(), i),
                               decode(s->value(), en_.field(s, 0, static_cast<int>(i), t)));
        return Value::map(entries, nullptr, false);
      }
      KeySet ks = keysOf(s->key(), {t});
      for (const Key& k : ks.keys) entries.emplace_back(k.v, decode(s->value(), z3::select(t, k.t)));
      std::unique_ptr<Value> dv;
      if (std::optional<z3::expr> rest = restOf(ks, t)) dv = std::make_unique<Value>(decode(s->value(), *rest));
      if (!dv) dv = std::make_unique<Value>(defaultValue(s->value()));
      else std::erase_if(entries, [&](const auto& e) { return e.second == *dv; });
      return Value::map(entries, std::move(dv), true);
    }
    case SortKind::Msg: {
      Value p = decode(bytesSort(), en_.field(s, 0, 0, t));
      std::vector<uint8_t> bytes;
      for (const Value& b : p.elems()) bytes.push_back(static_cast<uint8_t>(b.asUInt()));
      z3::expr hd = en_.field(s, 0, 1, t);
      int64_t n = toInt(en_.seqLen(hd));
      if (n < 0) n = 0;
      if (n > kMaxDecodedElems || budget_ < n) {
        overflow_ = kTooLong;
        n = std::min<int64_t>(std::min(n, kMaxDecodedElems), std::max<int64_t>(budget_, 0));
      }
      budget_ -= n;
      std::vector<std::pair<Sort, Value>> headers;
      const auto& hdt = cc.hdrDatatype();
      const auto& hsorts = cc.catalog().headers();
      for (int64_t i = n; i-- > 0;) {
        z3::expr h = m_.eval(z3::select(en_.seqArr(hd), c.int_val(i)), true);
        for (size_t k = 0; k < hdt.ctors.size() && k < hsorts.size(); ++k)
          if (h.is_app() && z3::eq(h.decl(), hdt.ctors[k])) headers.emplace_back(hsorts[k], decode(hsorts[k], h.arg(0)));
      }
      return Value::msg(bytes, headers);
    }
    case SortKind::Uninterp:
    case SortKind::Param: {
      std::string key = cc.smtName(s) + ":" + t.to_string();
      auto it = opaqueIds_.find(key);
      if (it != opaqueIds_.end()) return Value::opaque(s, it->second);
      int64_t id = 0;
      for (const auto& [k, v] : opaqueIds_)
        if (k.rfind(cc.smtName(s) + ":", 0) == 0) id = std::max(id, v + 1);
      opaqueIds_[key] = id;
      return Value::opaque(s, id);
    }
    case SortKind::Error: break;
  }
  return defaultValue(s);
}

}  // namespace ioa::prover::detail
