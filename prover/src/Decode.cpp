// From Z3 models to spec values, and from spec values back to canonical Z3
// terms (for re-checking a counterexample in a fresh context).
#include "Decode.h"

#include <cstdlib>

namespace ioa::prover::detail {

namespace {
constexpr int64_t kMaxDecodedElems = 512;   // per sequence
constexpr int64_t kMaxDecodedTotal = 20000;  // per counterexample

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
  z3::expr v = m_.eval(t, true);
  std::string s;
  if (!v.is_numeral(s)) return 0;
  errno = 0;
  long long r = std::strtoll(s.c_str(), nullptr, 10);
  return static_cast<int64_t>(r);
}

uint64_t Decoder::toUInt(const z3::expr& t) {
  z3::expr v = m_.eval(t, true);
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

Value Decoder::decode(Sort s, const z3::expr& t0) {
  z3::context& c = en_.ctx();
  ContextCache& cc = en_.cache();
  z3::expr t = m_.eval(t0, true);
  switch (s->kind) {
    case SortKind::Bool: return Value::boolean(t.is_true());
    case SortKind::Int:
    case SortKind::Nat:
    case SortKind::Range: return Value::integer(toInt(t));
    case SortKind::UInt: return Value::uinteger(toUInt(t), s->width);
    case SortKind::Enum: {
      const auto& dt = cc.datatype(s);
      for (size_t i = 0; i < dt.ctors.size(); ++i)
        if (t.is_app() && z3::eq(t.decl(), dt.ctors[i])) return Value::enumeration(s, static_cast<int>(i));
      return Value::enumeration(s, 0);
    }
    case SortKind::Tuple: {
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
        overflow_ = true;
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
          if (m_.eval(x, true).is_true()) elems.push_back(e);
        } else {
          int64_t n = toInt(x);
          if (n > 0) counts.emplace_back(e, n);
        }
      };
      if (cc.isSmallFinite(s->elem())) {
        for (int64_t i = 0; i < cc.finiteSize(s->elem()); ++i)
          add(finiteKeyValue(s->elem(), i), z3::select(t, cc.finiteValue(s->elem(), i)));
      } else {
        std::vector<std::pair<z3::expr, z3::expr>> es;
        std::optional<z3::expr> d;
        if (arrayEntries(t, es, d))
          for (const auto& [k, v] : es) add(decode(s->elem(), k), z3::select(t, k));
      }
      return set ? Value::set(elems) : Value::mset(counts);
    }
    case SortKind::Map: {
      z3::expr val = m_.eval(en_.field(s, 0, 0, t), true), def = m_.eval(en_.field(s, 0, 1, t), true);
      std::vector<std::pair<z3::expr, z3::expr>> es;
      std::optional<z3::expr> d;
      std::vector<std::pair<Value, Value>> entries;
      bool allDefined = false;
      if (arrayEntries(def, es, d)) {
        allDefined = d && m_.eval(*d, true).is_true();
        for (const auto& [k, x] : es) {
          (void)x;
          if (m_.eval(z3::select(def, k), true).is_true())
            entries.emplace_back(decode(s->key(), k), decode(s->value(), z3::select(val, k)));
        }
      }
      std::unique_ptr<Value> dv;
      if (allDefined) {
        std::vector<std::pair<z3::expr, z3::expr>> ves;
        std::optional<z3::expr> vd;
        if (arrayEntries(val, ves, vd) && vd) dv = std::make_unique<Value>(decode(s->value(), *vd));
        else dv = std::make_unique<Value>(defaultValue(s->value()));
      }
      return Value::map(entries, std::move(dv), allDefined);
    }
    case SortKind::Array: {
      std::vector<std::pair<Value, Value>> entries;
      if (cc.isFiniteArray(s)) {
        for (int64_t i = 0; i < cc.finiteSize(s->key()); ++i)
          entries.emplace_back(finiteKeyValue(s->key(), i),
                               decode(s->value(), en_.field(s, 0, static_cast<int>(i), t)));
        return Value::map(entries, nullptr, false);
      }
      std::vector<std::pair<z3::expr, z3::expr>> es;
      std::optional<z3::expr> d;
      std::unique_ptr<Value> dv;
      if (arrayEntries(t, es, d)) {
        for (const auto& [k, x] : es) entries.emplace_back(decode(s->key(), k), decode(s->value(), z3::select(t, k)));
        if (d) dv = std::make_unique<Value>(decode(s->value(), *d));
      }
      if (!dv) dv = std::make_unique<Value>(defaultValue(s->value()));
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
        overflow_ = true;
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
