#include "ioa/spec/Eval.h"

#include <algorithm>
#include <set>

#include "ioa/spec/Build.h"
#include "ioa/spec/Printer.h"

namespace ioa {

namespace {

// Restores the evaluator's nesting depth on every exit path.
struct DepthGuard {
  int& d;
  explicit DepthGuard(int& x) : d(x) { ++d; }
  ~DepthGuard() { --d; }
};


int64_t euclidDiv(int64_t a, int64_t b) {
  int64_t q = a / b, r = a % b;
  if (r < 0) q = b > 0 ? q - 1 : q + 1;
  return q;
}

int64_t euclidMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  if (r < 0) r += b > 0 ? b : -b;
  return r;
}

uint64_t widthMask(unsigned w) { return w >= 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1; }

void collectConjuncts(const Expr* e, std::vector<const Expr*>& out) {
  if (!e) return;
  if (e->op == Op::And) {
    for (const Expr* a : e->args) collectConjuncts(a, out);
    return;
  }
  out.push_back(e);
}

}  // namespace

// ------------------------------------------------------------------ helpers

Value bytesValue(const std::vector<uint8_t>& b) {
  std::vector<Value> el;
  el.reserve(b.size());
  for (uint8_t x : b) el.push_back(Value::uinteger(x, 8));
  return Value::seq(std::move(el));
}

bool valueBytes(const Value& v, std::vector<uint8_t>& out) {
  if (v.kind() != Value::Kind::Seq) return false;
  out.clear();
  out.reserve(v.elems().size());
  for (const Value& x : v.elems()) {
    if (x.kind() != Value::Kind::UInt) return false;
    out.push_back(static_cast<uint8_t>(x.asUInt()));
  }
  return true;
}

uint16_t checksum16(const uint8_t* data, size_t n) {
  uint64_t sum = 0;
  size_t i = 0;
  for (; i + 1 < n; i += 2) sum += (uint32_t(data[i]) << 8) | data[i + 1];
  if (i < n) sum += uint32_t(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xFFFF);
}

bool sortHasMap(Sort s) {
  if (!s) return false;
  switch (s->kind) {
    case SortKind::Map:
    case SortKind::Array: return true;
    case SortKind::Seq:
    case SortKind::Set:
    case SortKind::Mset: return sortHasMap(s->elem());
    case SortKind::Tuple:
    case SortKind::Union:
      for (const TypeField& f : s->def->fields)
        if (sortHasMap(f.sort)) return true;
      return false;
    case SortKind::Msg: return true;  // headers may hold maps; checked per header
    default: return false;
  }
}

static bool smallDomain(Sort s, std::vector<Value>& out, uint64_t limit);

Value normalizeValue(const Value& v, Sort s) {
  if (!s || !sortHasMap(s)) return v;
  switch (s->kind) {
    case SortKind::Map:
    case SortKind::Array: {
      if (v.kind() != Value::Kind::Map) return v;
      std::vector<Value> keys;
      if (smallDomain(s->key(), keys, 1 << 16)) {
        std::vector<std::pair<Value, Value>> entries;
        for (const Value& k : keys)
          if (const Value* x = v.lookup(k)) entries.emplace_back(k, normalizeValue(*x, s->value()));
        return Value::map(std::move(entries), nullptr, false);
      }
      std::vector<std::pair<Value, Value>> entries;
      std::unique_ptr<Value> dflt;
      if (v.mapDefault()) dflt = std::make_unique<Value>(normalizeValue(*v.mapDefault(), s->value()));
      for (const auto& [k, x] : v.entries()) {
        Value nx = normalizeValue(x, s->value());
        if (v.defaultDefined() && dflt && nx == *dflt) continue;
        entries.emplace_back(normalizeValue(k, s->key()), std::move(nx));
      }
      bool dd = v.defaultDefined();
      if (!dd) dflt.reset();
      std::vector<Value> holes;
      for (const Value& k : v.undefinedKeys()) holes.push_back(normalizeValue(k, s->key()));
      return Value::map(std::move(entries), std::move(dflt), dd, std::move(holes));
    }
    case SortKind::Seq: {
      std::vector<Value> el;
      for (const Value& x : v.elems()) el.push_back(normalizeValue(x, s->elem()));
      return Value::seq(std::move(el));
    }
    case SortKind::Set: {
      std::vector<Value> el;
      for (const Value& x : v.elems()) el.push_back(normalizeValue(x, s->elem()));
      return Value::set(std::move(el));
    }
    case SortKind::Mset: {
      std::vector<std::pair<Value, int64_t>> el;
      for (const auto& [x, n] : v.entries()) el.emplace_back(normalizeValue(x, s->elem()), n.asInt());
      return Value::mset(std::move(el));
    }
    case SortKind::Tuple: {
      if (v.kind() != Value::Kind::Tuple) return v;
      std::vector<Value> f;
      for (size_t k = 0; k < v.elems().size(); ++k)
        f.push_back(k < s->def->fields.size() ? normalizeValue(v.elems()[k], s->def->fields[k].sort) : v.elems()[k]);
      return Value::tuple(v.sort(), std::move(f));
    }
    case SortKind::Union: {
      if (v.kind() != Value::Kind::Union || v.elems().empty()) return v;
      int i = v.index();
      Sort vs = i >= 0 && i < static_cast<int>(s->def->fields.size()) ? s->def->fields[i].sort : nullptr;
      return Value::unionOf(v.sort(), i, normalizeValue(v.elems()[0], vs));
    }
    case SortKind::Msg: {
      if (v.kind() != Value::Kind::Msg) return v;
      std::vector<std::pair<Sort, Value>> hs;
      for (const auto& [hsort, hv] : v.headers()) hs.emplace_back(hsort, normalizeValue(hv, hsort));
      return Value::msg(v.payload(), std::move(hs));
    }
    default: return v;
  }
}

bool valuesEqual(const Value& a, const Value& b, Sort s) {
  if (!sortHasMap(s)) return a == b;
  return normalizeValue(a, s) == normalizeValue(b, s);
}

static bool smallDomain(Sort s, std::vector<Value>& out, uint64_t limit) {
  out.clear();
  if (!s) return false;
  switch (s->kind) {
    case SortKind::Bool:
      out = {Value::boolean(false), Value::boolean(true)};
      return true;
    case SortKind::Range: {
      if (s->hi < s->lo) return true;
      uint64_t n = static_cast<uint64_t>(s->hi - s->lo) + 1;
      if (n > limit) return false;
      for (int64_t x = s->lo;; ++x) {
        out.push_back(Value::integer(x));
        if (x == s->hi) break;
      }
      return true;
    }
    case SortKind::Enum:
      for (size_t k = 0; k < s->def->values.size(); ++k) out.push_back(Value::enumeration(s, static_cast<int>(k)));
      return true;
    case SortKind::UInt: {
      if (s->width > 16 || (uint64_t(1) << s->width) > limit) return false;
      for (uint64_t x = 0; x < (uint64_t(1) << s->width); ++x) out.push_back(Value::uinteger(x, s->width));
      return true;
    }
    case SortKind::Tuple: {
      std::vector<std::vector<Value>> doms;
      uint64_t total = 1;
      for (const TypeField& f : s->def->fields) {
        std::vector<Value> d;
        if (!smallDomain(f.sort, d, limit)) return false;
        total *= std::max<uint64_t>(d.size(), 1);
        if (total > limit) return false;
        doms.push_back(std::move(d));
      }
      std::vector<size_t> idx(doms.size(), 0);
      for (const auto& d : doms)
        if (d.empty()) return true;
      for (;;) {
        std::vector<Value> f;
        for (size_t k = 0; k < doms.size(); ++k) f.push_back(doms[k][idx[k]]);
        out.push_back(Value::tuple(s, std::move(f)));
        size_t k = doms.size();
        while (k > 0) {
          --k;
          if (++idx[k] < doms[k].size()) break;
          idx[k] = 0;
          if (k == 0) return true;
        }
        if (doms.empty()) return true;
      }
    }
    case SortKind::Union: {
      for (size_t v = 0; v < s->def->fields.size(); ++v) {
        std::vector<Value> d;
        if (!smallDomain(s->def->fields[v].sort, d, limit)) return false;
        for (Value& x : d) out.push_back(Value::unionOf(s, static_cast<int>(v), std::move(x)));
        if (out.size() > limit) return false;
      }
      return true;
    }
    default: return false;
  }
}

// ------------------------------------------------------------------ evaluator

Evaluator::Evaluator(const Model& model, EvalLimits limits) : model_(model), limits_(limits) {}

bool Evaluator::fail(SourceRange r, std::string msg) {
  error_.message = std::move(msg);
  error_.range = r;
  error_.undefined = false;
  return false;
}

bool Evaluator::undefinedAt(SourceRange r, std::string msg) {
  fail(r, std::move(msg));
  error_.undefined = true;
  return false;
}

bool Evaluator::step() {
  if (++steps_ > limits_.maxSteps)
    return fail({}, "evaluation exceeded " + std::to_string(limits_.maxSteps) + " steps (a quantifier or loop too large)");
  return true;
}

Sort Evaluator::resolve(Sort s) const {
  if (s && (s->kind == SortKind::Param || s->kind == SortKind::Uninterp)) {
    auto it = sortBindings_.find(s->name);
    if (it != sortBindings_.end()) return it->second;
  }
  return s;
}

bool Evaluator::finiteDomain(Sort s, std::vector<Value>& out) { return smallDomain(resolve(s), out, limits_.maxDomain); }

bool Evaluator::coerce(Value& v, Sort target, SourceRange where) {
  target = resolve(target);
  if (!target) return true;
  switch (target->kind) {
    case SortKind::Nat:
      if (v.kind() == Value::Kind::Int && v.asInt() < 0)
        return undefinedAt(where, "value " + v.toString() + " does not fit sort Nat");
      return true;
    case SortKind::Range:
      if (v.kind() == Value::Kind::Int && (v.asInt() < target->lo || v.asInt() > target->hi))
        return undefinedAt(where, "value " + v.toString() + " does not fit sort " + sortName(target));
      return true;
    default: return true;
  }
}

bool Evaluator::evalBool(const Expr* e, Env& env, bool& out) {
  if (!e) {
    out = true;
    return true;
  }
  Value v;
  if (!eval(e, env, v)) return false;
  if (v.kind() != Value::Kind::Bool) return fail(e->range, "expected a Bool value, found " + v.toString());
  out = v.asBool();
  return true;
}

bool Evaluator::evalArgs(const Expr* e, Env& env, std::vector<Value>& out) {
  out.clear();
  out.reserve(e->args.size());
  for (const Expr* a : e->args) {
    Value v;
    if (!eval(a, env, v)) return false;
    out.push_back(std::move(v));
  }
  return true;
}

bool Evaluator::evalVar(const Expr* e, Env& env, Value& out) {
  const Var* v = e->var;
  if (!v) return fail(e->range, "unresolved name '" + e->name + "'");
  if (e->op == Op::Post) {
    const Value* x = postEnv_ ? postEnv_->get(v) : nullptr;
    if (!x) return fail(e->range, "primed variable " + v->name + "' has no value here");
    out = *x;
    return true;
  }
  if (const Value* x = env.get(v)) {
    out = *x;
    return true;
  }
  if (v->kind == VarKind::Const) {
    auto c = constCache_.find(v);
    if (c != constCache_.end()) {
      out = c->second;
      return true;
    }
    auto d = model_.constValues.find(v);
    if (d == model_.constValues.end() || !d->second)
      return fail(e->range, "constant " + v->name + " has no value (a free constant needs one from the caller)");
    Value x;
    if (!eval(d->second, env, x)) return false;
    if (!coerce(x, v->sort, e->range)) return false;
    constCache_[v] = x;
    out = std::move(x);
    return true;
  }
  const char* what = v->kind == VarKind::State       ? "state variable"
                     : v->kind == VarKind::AutParam  ? "automaton parameter"
                     : v->kind == VarKind::ActionParam ? "action parameter"
                                                      : "variable";
  return fail(e->range, std::string(what) + " " + v->name + " has no value");
}

bool Evaluator::evalArith(const Expr* e, Env& env, Value& out) {
  if (e->op == Op::Neg) {
    Value a;
    if (!eval(e->args[0], env, a)) return false;
    if (a.kind() == Value::Kind::UInt) {
      out = Value::uinteger(~a.asUInt() + 1, a.width());
      return true;
    }
    if (a.asInt() == INT64_MIN) return fail(e->range, "integer overflow in negation");
    out = Value::integer(-a.asInt());
    return true;
  }
  Value a, b;
  if (!eval(e->args[0], env, a) || !eval(e->args[1], env, b)) return false;
  if (a.kind() == Value::Kind::UInt) {
    unsigned w = a.width();
    uint64_t x = a.asUInt(), y = b.asUInt(), r = 0;
    switch (e->op) {
      case Op::Add: r = x + y; break;
      case Op::Sub: r = x - y; break;
      case Op::Mul: r = x * y; break;
      case Op::Div:
        if (y == 0) return undefinedAt(e->range, "division by zero");
        r = x / y;
        break;
      case Op::Mod:
        if (y == 0) return undefinedAt(e->range, "mod by zero");
        r = x % y;
        break;
      case Op::BAnd: r = x & y; break;
      case Op::BOr: r = x | y; break;
      case Op::BXor: r = x ^ y; break;
      case Op::Shl: r = y >= w ? 0 : x << y; break;
      case Op::Shr: r = y >= w ? 0 : x >> y; break;
      default: return fail(e->range, "unsupported operator on " + sortName(e->sort));
    }
    out = Value::uinteger(r & widthMask(w), w);
    return true;
  }
  int64_t x = a.asInt(), y = b.asInt(), r = 0;
  switch (e->op) {
    case Op::Add:
      if (__builtin_add_overflow(x, y, &r)) return fail(e->range, "integer overflow (beyond 64 bits) in +");
      break;
    case Op::Sub:
      if (__builtin_sub_overflow(x, y, &r)) return fail(e->range, "integer overflow (beyond 64 bits) in -");
      break;
    case Op::Mul:
      if (__builtin_mul_overflow(x, y, &r)) return fail(e->range, "integer overflow (beyond 64 bits) in *");
      break;
    case Op::Div:
      if (y == 0) return undefinedAt(e->range, "division by zero");
      if (x == INT64_MIN && y == -1) return fail(e->range, "integer overflow in div");
      r = euclidDiv(x, y);
      break;
    case Op::Mod:
      if (y == 0) return undefinedAt(e->range, "mod by zero");
      if (y == -1) {
        r = 0;
        break;
      }
      r = euclidMod(x, y);
      break;
    default: return fail(e->range, "unsupported operator on integers");
  }
  out = Value::integer(r);
  return true;
}

bool Evaluator::evalCompare(const Expr* e, Env& env, Value& out) {
  Value a, b;
  if (!eval(e->args[0], env, a) || !eval(e->args[1], env, b)) return false;
  bool r = false;
  if (e->op == Op::Eq || e->op == Op::Neq) {
    bool eq = valuesEqual(a, b, e->args[0]->sort);
    out = Value::boolean(e->op == Op::Eq ? eq : !eq);
    return true;
  }
  if (a.kind() == Value::Kind::UInt) {
    uint64_t x = a.asUInt(), y = b.asUInt();
    r = e->op == Op::Lt ? x < y : e->op == Op::Le ? x <= y : e->op == Op::Gt ? x > y : x >= y;
  } else {
    int64_t x = a.asInt(), y = b.asInt();
    r = e->op == Op::Lt ? x < y : e->op == Op::Le ? x <= y : e->op == Op::Gt ? x > y : x >= y;
  }
  out = Value::boolean(r);
  return true;
}

bool Evaluator::seqOf(const Value& v, const Expr* at, const std::vector<Value>*& out) {
  if (v.kind() != Value::Kind::Seq) return fail(at->range, "expected a sequence, found " + v.toString());
  out = &v.elems();
  return true;
}

bool Evaluator::evalSeq(const Expr* e, Env& env, Value& out) {
  Sort es = e->sort && e->sort->kind == SortKind::Seq ? e->sort->elem() : nullptr;
  switch (e->op) {
    case Op::SeqEmpty: out = Value::seq({}); return true;
    case Op::SeqLit: {
      std::vector<Value> el;
      if (!evalArgs(e, env, el)) return false;
      for (size_t k = 0; k < el.size(); ++k)
        if (!coerce(el[k], es, e->args[k]->range)) return false;
      out = Value::seq(std::move(el));
      return true;
    }
    case Op::Append:
    case Op::Prepend: {
      const Expr* se = e->op == Op::Append ? e->args[0] : e->args[1];
      const Expr* xe = e->op == Op::Append ? e->args[1] : e->args[0];
      Value s, x;
      if (!eval(se, env, s) || !eval(xe, env, x)) return false;
      const std::vector<Value>* el;
      if (!seqOf(s, se, el)) return false;
      if (!coerce(x, es, xe->range)) return false;
      std::vector<Value> r;
      r.reserve(el->size() + 1);
      if (e->op == Op::Prepend) r.push_back(std::move(x));
      r.insert(r.end(), el->begin(), el->end());
      if (e->op == Op::Append) r.push_back(std::move(x));
      out = Value::seq(std::move(r));
      return true;
    }
    case Op::Concat: {
      Value a, b;
      if (!eval(e->args[0], env, a) || !eval(e->args[1], env, b)) return false;
      const std::vector<Value> *x, *y;
      if (!seqOf(a, e->args[0], x) || !seqOf(b, e->args[1], y)) return false;
      std::vector<Value> r(*x);
      r.insert(r.end(), y->begin(), y->end());
      out = Value::seq(std::move(r));
      return true;
    }
    case Op::Head:
    case Op::Last:
    case Op::Tail:
    case Op::Init:
    case Op::Len: {
      Value s;
      if (!eval(e->args[0], env, s)) return false;
      const std::vector<Value>* el;
      if (!seqOf(s, e->args[0], el)) return false;
      if (e->op == Op::Len) {
        out = Value::integer(static_cast<int64_t>(el->size()));
        return true;
      }
      if (el->empty()) {
        const char* n = e->op == Op::Head ? "head" : e->op == Op::Last ? "last" : e->op == Op::Tail ? "tail" : "init";
        return undefinedAt(e->range, std::string(n) + " of the empty sequence");
      }
      if (e->op == Op::Head) out = el->front();
      else if (e->op == Op::Last) out = el->back();
      else if (e->op == Op::Tail) out = Value::seq(std::vector<Value>(el->begin() + 1, el->end()));
      else out = Value::seq(std::vector<Value>(el->begin(), el->end() - 1));
      return true;
    }
    case Op::SeqIndex: {
      Value s, i;
      if (!eval(e->args[0], env, s) || !eval(e->args[1], env, i)) return false;
      const std::vector<Value>* el;
      if (!seqOf(s, e->args[0], el)) return false;
      if (i.asInt() < 0 || static_cast<uint64_t>(i.asInt()) >= el->size())
        return undefinedAt(e->range, "index " + i.toString() + " out of range for a sequence of length " +
                                  std::to_string(el->size()));
      out = (*el)[static_cast<size_t>(i.asInt())];
      return true;
    }
    case Op::SeqIn: {
      Value x, s;
      if (!eval(e->args[0], env, x) || !eval(e->args[1], env, s)) return false;
      const std::vector<Value>* el;
      if (!seqOf(s, e->args[1], el)) return false;
      bool found = false;
      for (const Value& y : *el)
        if (valuesEqual(x, y, e->args[0]->sort)) {
          found = true;
          break;
        }
      out = Value::boolean(found);
      return true;
    }
    case Op::SubSeq: {
      Value s, i, n;
      if (!eval(e->args[0], env, s) || !eval(e->args[1], env, i) || !eval(e->args[2], env, n)) return false;
      const std::vector<Value>* el;
      if (!seqOf(s, e->args[0], el)) return false;
      int64_t a = i.asInt(), k = n.asInt();
      if (a < 0 || k < 0 || static_cast<uint64_t>(a) > el->size() || static_cast<uint64_t>(k) > el->size() - a)
        return undefinedAt(e->range, "sub(s, " + std::to_string(a) + ", " + std::to_string(k) +
                                  ") out of range for a sequence of length " + std::to_string(el->size()));
      out = Value::seq(std::vector<Value>(el->begin() + a, el->begin() + a + k));
      return true;
    }
    default: return fail(e->range, "unsupported sequence operation");
  }
}

bool Evaluator::evalSet(const Expr* e, Env& env, Value& out) {
  Sort cs = e->sort;
  auto norm = [&](Value v, Sort elem) { return sortHasMap(elem) ? normalizeValue(v, elem) : v; };
  switch (e->op) {
    case Op::SetEmpty: out = Value::set({}); return true;
    case Op::MsetEmpty: out = Value::mset({}); return true;
    case Op::SetLit:
    case Op::MsetLit: {
      std::vector<Value> el;
      if (!evalArgs(e, env, el)) return false;
      Sort es = cs && (cs->kind == SortKind::Set || cs->kind == SortKind::Mset) ? cs->elem() : nullptr;
      for (size_t k = 0; k < el.size(); ++k) {
        if (!coerce(el[k], es, e->args[k]->range)) return false;
        el[k] = norm(el[k], es);
      }
      if (e->op == Op::SetLit) {
        out = Value::set(std::move(el));
      } else {
        std::vector<std::pair<Value, int64_t>> c;
        for (Value& x : el) c.emplace_back(std::move(x), 1);
        out = Value::mset(std::move(c));
      }
      return true;
    }
    default: break;
  }
  // binary and unary operations: the collection's sort decides set vs multiset
  std::vector<Value> a;
  if (!evalArgs(e, env, a)) return false;
  auto countsOf = [](const Value& m) {
    std::vector<std::pair<Value, int64_t>> c;
    for (const auto& [x, n] : m.entries()) c.emplace_back(x, n.asInt());
    return c;
  };
  auto countIn = [](const Value& m, const Value& x) -> int64_t {
    for (const auto& [y, n] : m.entries())
      if (y == x) return n.asInt();
    return 0;
  };
  switch (e->op) {
    case Op::SetInsert:
    case Op::SetDelete: {
      Sort es = e->args[1]->sort ? e->args[1]->sort->elem() : nullptr;
      if (!coerce(a[0], es, e->args[0]->range)) return false;
      Value x = norm(a[0], es);
      std::vector<Value> el = a[1].elems();
      if (e->op == Op::SetInsert) el.push_back(x);
      else el.erase(std::remove(el.begin(), el.end(), x), el.end());
      out = Value::set(std::move(el));
      return true;
    }
    case Op::MsetInsert:
    case Op::MsetDelete: {
      Sort es = e->args[1]->sort ? e->args[1]->sort->elem() : nullptr;
      if (!coerce(a[0], es, e->args[0]->range)) return false;
      Value x = norm(a[0], es);
      auto c = countsOf(a[1]);
      bool found = false;
      for (auto& [y, n] : c)
        if (y == x) {
          n += e->op == Op::MsetInsert ? 1 : (n > 0 ? -1 : 0);
          found = true;
        }
      if (!found && e->op == Op::MsetInsert) c.emplace_back(x, 1);
      out = Value::mset(std::move(c));
      return true;
    }
    case Op::SetIn: {
      Value x = norm(a[0], e->args[0]->sort);
      out = Value::boolean(std::find(a[1].elems().begin(), a[1].elems().end(), x) != a[1].elems().end());
      return true;
    }
    case Op::MsetIn: out = Value::boolean(countIn(a[1], norm(a[0], e->args[0]->sort)) > 0); return true;
    case Op::MsetCount: out = Value::integer(countIn(a[1], norm(a[0], e->args[0]->sort))); return true;
    case Op::SetUnion: {
      std::vector<Value> el = a[0].elems();
      el.insert(el.end(), a[1].elems().begin(), a[1].elems().end());
      out = Value::set(std::move(el));
      return true;
    }
    case Op::MsetUnion: {
      auto c = countsOf(a[0]);
      auto d = countsOf(a[1]);
      c.insert(c.end(), d.begin(), d.end());
      out = Value::mset(std::move(c));
      return true;
    }
    case Op::SetIntersect: {
      std::vector<Value> el;
      for (const Value& x : a[0].elems())
        if (std::find(a[1].elems().begin(), a[1].elems().end(), x) != a[1].elems().end()) el.push_back(x);
      out = Value::set(std::move(el));
      return true;
    }
    case Op::SetDiff: {
      if (a[0].kind() == Value::Kind::Mset) {
        auto c = countsOf(a[0]);
        for (auto& [x, n] : c) n = std::max<int64_t>(0, n - countIn(a[1], x));
        out = Value::mset(std::move(c));
        return true;
      }
      std::vector<Value> el;
      for (const Value& x : a[0].elems())
        if (std::find(a[1].elems().begin(), a[1].elems().end(), x) == a[1].elems().end()) el.push_back(x);
      out = Value::set(std::move(el));
      return true;
    }
    case Op::SetSize: out = Value::integer(static_cast<int64_t>(a[0].elems().size())); return true;
    case Op::MsetSize: {
      int64_t n = 0;
      for (const auto& kv : a[0].entries()) n += kv.second.asInt();
      out = Value::integer(n);
      return true;
    }
    case Op::SetSubseteq: {
      bool sub = true;
      for (const Value& x : a[0].elems())
        if (std::find(a[1].elems().begin(), a[1].elems().end(), x) == a[1].elems().end()) sub = false;
      out = Value::boolean(sub);
      return true;
    }
    default: return fail(e->range, "unsupported set operation");
  }
}

bool Evaluator::evalMap(const Expr* e, Env& env, Value& out) {
  switch (e->op) {
    case Op::MapEmpty: out = Value::map({}, nullptr, false); return true;
    case Op::MapConst: {
      Value v;
      if (!eval(e->args[0], env, v)) return false;
      Sort vs = e->sort && (e->sort->kind == SortKind::Map || e->sort->kind == SortKind::Array) ? e->sort->value()
                                                                                             : nullptr;
      if (!coerce(v, vs, e->args[0]->range)) return false;
      out = Value::map({}, std::make_unique<Value>(std::move(v)), true);
      return true;
    }
    case Op::MapGet: {
      Value m, k;
      if (!eval(e->args[0], env, m) || !eval(e->args[1], env, k)) return false;
      if (m.kind() != Value::Kind::Map) return fail(e->range, "expected a map, found " + m.toString());
      Sort ms = e->args[0]->sort;
      if (ms && (ms->kind == SortKind::Map || ms->kind == SortKind::Array)) {
        if (!coerce(k, ms->key(), e->args[1]->range)) return false;
        if (sortHasMap(ms->key())) k = normalizeValue(k, ms->key());
      }
      const Value* x = m.lookup(k);
      if (!x) return undefinedAt(e->range, "map key " + k.toString() + " is not defined");
      out = *x;
      return true;
    }
    case Op::MapTotal: {  // every key defined: a defined default with no hole, or every key of a finite sort listed
      Value m;
      if (!eval(e->args[0], env, m)) return false;
      if (m.kind() != Value::Kind::Map) return fail(e->range, "expected a map, found " + m.toString());
      bool total = m.defaultDefined() && m.undefinedKeys().empty();
      std::vector<Value> keys;
      Sort ms = e->args[0]->sort;
      if (!total && !m.defaultDefined() && ms && ms->kind == SortKind::Map && finiteDomain(ms->key(), keys)) {
        total = true;
        for (const Value& k : keys) total = total && m.lookup(k) != nullptr;
      }
      out = Value::boolean(total);
      return true;
    }
    case Op::MapDefined: {
      Value m, k;
      if (!eval(e->args[0], env, m) || !eval(e->args[1], env, k)) return false;
      if (m.kind() != Value::Kind::Map) return fail(e->range, "expected a map, found " + m.toString());
      out = Value::boolean(m.lookup(k) != nullptr);
      return true;
    }
    case Op::MapUpdate: {
      Value m, k, v;
      if (!eval(e->args[0], env, m) || !eval(e->args[1], env, k) || !eval(e->args[2], env, v)) return false;
      Sort ms = e->args[0]->sort;
      if (m.kind() == Value::Kind::Seq) {
        std::vector<Value> el = m.elems();
        if (k.asInt() < 0 || static_cast<uint64_t>(k.asInt()) >= el.size())
          return undefinedAt(e->range, "update index " + k.toString() + " out of range for a sequence of length " +
                                    std::to_string(el.size()));
        if (ms && ms->kind == SortKind::Seq && !coerce(v, ms->elem(), e->args[2]->range)) return false;
        el[static_cast<size_t>(k.asInt())] = std::move(v);
        out = Value::seq(std::move(el));
        return true;
      }
      if (m.kind() != Value::Kind::Map) return fail(e->range, "expected a map, found " + m.toString());
      if (ms && (ms->kind == SortKind::Map || ms->kind == SortKind::Array)) {
        if (!coerce(k, ms->key(), e->args[1]->range) || !coerce(v, ms->value(), e->args[2]->range)) return false;
        if (sortHasMap(ms->key())) k = normalizeValue(k, ms->key());
      }
      out = m.withEntry(k, v);
      return true;
    }
    default: return fail(e->range, "unsupported map operation");
  }
}

bool Evaluator::evalMsg(const Expr* e, Env& env, Value& out) {
  switch (e->op) {
    case Op::MsgMake: {
      Value b;
      if (!eval(e->args[0], env, b)) return false;
      std::vector<uint8_t> bytes;
      if (!valueBytes(b, bytes)) return fail(e->range, "msg(...) needs bytes, found " + b.toString());
      out = Value::msg(std::move(bytes), {});
      return true;
    }
    case Op::Checksum16: {
      Value b;
      if (!eval(e->args[0], env, b)) return false;
      std::vector<uint8_t> bytes;
      if (!valueBytes(b, bytes)) return fail(e->range, "checksum16 needs bytes, found " + b.toString());
      out = Value::uinteger(checksum16(bytes.data(), bytes.size()), 16);
      return true;
    }
    default: break;
  }
  Value m;
  if (!eval(e->args[0], env, m)) return false;
  if (m.kind() != Value::Kind::Msg) return fail(e->range, "expected a Msg, found " + m.toString());
  bool has = !m.headers().empty() && m.headers().front().first == e->aux;
  switch (e->op) {
    case Op::MsgPayload: out = bytesValue(m.payload()); return true;
    case Op::MsgSize: out = Value::integer(static_cast<int64_t>(m.payload().size())); return true;
    case Op::MsgHasHdr: out = Value::boolean(has); return true;
    case Op::MsgHdr:
    case Op::MsgPop: {
      if (!has) {
        std::string top = m.headers().empty() ? "no header" : "a header of sort " + sortName(m.headers().front().first);
        return undefinedAt(e->range, std::string(e->op == Op::MsgHdr ? "hdr" : "pop") + " of a message whose top is " + top +
                                  ", not " + sortName(e->aux));
      }
      if (e->op == Op::MsgHdr) {
        out = m.headers().front().second;
      } else {
        std::vector<std::pair<Sort, Value>> hs(m.headers().begin() + 1, m.headers().end());
        out = Value::msg(m.payload(), std::move(hs));
      }
      return true;
    }
    case Op::MsgPush: {
      Value h;
      if (!eval(e->args[1], env, h)) return false;
      std::vector<std::pair<Sort, Value>> hs;
      hs.reserve(m.headers().size() + 1);
      hs.emplace_back(e->aux, std::move(h));
      hs.insert(hs.end(), m.headers().begin(), m.headers().end());
      out = Value::msg(m.payload(), std::move(hs));
      return true;
    }
    default: return fail(e->range, "unsupported message operation");
  }
}

bool Evaluator::domainFor(const Var* v, const std::vector<const Expr*>& conjs, Env& env, std::vector<Value>& out,
                          SourceRange where) {
  Sort s = resolve(v->sort);
  if (finiteDomain(s, out)) return true;
  bool haveLo = false, haveHi = false;
  int64_t lo = 0, hi = 0;
  if (s && s->kind == SortKind::Nat) {
    haveLo = true;
    lo = 0;
  }
  auto isV = [&](const Expr* x) { return x && x->op == Op::Var && x->var == v; };
  for (const Expr* c : conjs) {
    if (!c || c->args.size() < 2) continue;
    const Expr* a = c->args[0];
    const Expr* b = c->args[1];
    if ((c->op == Op::SeqIn || c->op == Op::SetIn || c->op == Op::MsetIn) && isV(a) && !mentionsVar(b, v)) {
      Value col;
      if (!eval(b, env, col)) continue;
      out.clear();
      if (col.kind() == Value::Kind::Mset) {
        for (const auto& kv : col.entries()) out.push_back(kv.first);
      } else {
        out = col.elems();
      }
      return true;
    }
    bool vLeft = isV(a) && !mentionsVar(b, v);
    bool vRight = isV(b) && !mentionsVar(a, v);
    if (!vLeft && !vRight) continue;
    if (!s || !isIntLike(s)) continue;
    const Expr* t = vLeft ? b : a;
    Value tv;
    if (!eval(t, env, tv)) continue;  // mentions something not bound yet
    if (tv.kind() != Value::Kind::Int) continue;
    int64_t x = tv.asInt();
    Op op = c->op;
    if (vRight) {  // t op v  ==>  v op' t
      switch (op) {
        case Op::Lt: op = Op::Gt; break;
        case Op::Le: op = Op::Ge; break;
        case Op::Gt: op = Op::Lt; break;
        case Op::Ge: op = Op::Le; break;
        default: break;
      }
    }
    auto setHi = [&](int64_t h) {
      if (!haveHi || h < hi) hi = h;
      haveHi = true;
    };
    auto setLo = [&](int64_t l) {
      if (!haveLo || l > lo) lo = l;
      haveLo = true;
    };
    switch (op) {
      case Op::Lt:
        if (x == INT64_MIN) continue;
        setHi(x - 1);
        break;
      case Op::Le: setHi(x); break;
      case Op::Gt:
        if (x == INT64_MAX) continue;
        setLo(x + 1);
        break;
      case Op::Ge: setLo(x); break;
      case Op::Eq:
        setLo(x);
        setHi(x);
        break;
      default: break;
    }
  }
  if (!haveLo || !haveHi)
    return fail(where, "cannot enumerate " + v->name + ": " + sortName(s) +
                           " (infinite sort; expected a bound such as " + v->name + " < n or " + v->name + " \\in S)");
  out.clear();
  if (hi < lo) return true;
  if (static_cast<uint64_t>(hi - lo) >= limits_.maxDomain)
    return fail(where, "domain of " + v->name + " has " + std::to_string(static_cast<uint64_t>(hi - lo) + 1) +
                           " values, more than the limit " + std::to_string(limits_.maxDomain));
  for (int64_t k = lo;; ++k) {
    out.push_back(Value::integer(k));
    if (k == hi) break;
  }
  return true;
}

bool Evaluator::quantLoop(const Expr* e, size_t k, std::vector<const Var*>& order,
                          const std::vector<const Expr*>& conjs, Env& env, bool forall, bool& result) {
  if (k == order.size()) {
    if (!step()) return false;
    bool b = false;
    if (!evalBool(e->args[0], env, b)) return false;
    result = b;
    return true;
  }
  // Pick the first remaining binder whose domain can be enumerated now.
  std::vector<Value> dom;
  size_t pick = order.size();
  EvalError saved = error_;
  for (size_t j = k; j < order.size(); ++j) {
    if (domainFor(order[j], conjs, env, dom, e->range)) {
      pick = j;
      break;
    }
  }
  if (pick == order.size()) {
    if (error_.message == saved.message)
      return fail(e->range, "cannot enumerate the bound variables of this quantifier");
    return false;
  }
  error_ = saved;
  std::swap(order[k], order[pick]);
  const Var* v = order[k];
  for (Value& x : dom) {
    env.set(v, std::move(x));
    bool r = false;
    if (!quantLoop(e, k + 1, order, conjs, env, forall, r)) {
      env.erase(v);
      return false;
    }
    if (forall ? !r : r) {
      env.erase(v);
      result = r;
      return true;
    }
  }
  env.erase(v);
  result = forall;
  return true;
}

bool Evaluator::evalQuant(const Expr* e, Env& env, Value& out) {
  bool forall = e->op == Op::Forall;
  std::vector<const Expr*> conjs;
  const Expr* body = e->args[0];
  if (forall && body->op == Op::Implies) collectConjuncts(body->args[0], conjs);
  else if (!forall) collectConjuncts(body, conjs);
  std::vector<const Var*> order;
  for (const Binder& b : e->binders) order.push_back(b.var);
  bool r = false;
  if (!quantLoop(e, 0, order, conjs, env, forall, r)) return false;
  out = Value::boolean(r);
  return true;
}

bool Evaluator::evalChoose(const Expr* e, Env& env, Value& out) {
  if (e->binders.empty() || !e->binders[0].var) return fail(e->range, "malformed choose");
  const Var* v = e->binders[0].var;
  const Expr* pred = e->args.empty() ? nullptr : e->args[0];
  std::vector<const Expr*> conjs;
  collectConjuncts(pred, conjs);
  std::vector<Value> dom;
  EvalError saved = error_;
  bool enumerable = domainFor(v, conjs, env, dom, e->range);
  std::string why = enumerable ? "" : error_.message;
  error_ = saved;
  std::vector<Value> cands;
  if (enumerable) {
    for (Value& x : dom) {
      if (!step()) return false;
      env.set(v, x);
      bool ok = false;
      if (!evalBool(pred, env, ok)) {
        env.erase(v);
        return false;
      }
      env.erase(v);
      if (ok) cands.push_back(std::move(x));
    }
  }
  if (oracle_) {
    std::optional<Value> pickd = oracle_->choose(e, enumerable ? &cands : nullptr);
    if (pickd) {
      if (!coerce(*pickd, v->sort, e->range)) return false;
      env.set(v, *pickd);
      bool ok = false;
      bool evaluated = evalBool(pred, env, ok);
      env.erase(v);
      if (!evaluated) return false;
      if (!ok) return fail(e->range, "the chosen value " + pickd->toString() + " does not satisfy the where clause");
      out = std::move(*pickd);
      return true;
    }
  }
  if (!enumerable) {
    if (!pred) {
      out = defaultValue(resolve(v->sort));
      return true;
    }
    return fail(e->range, "choose " + v->name + ": " + why);
  }
  if (cands.empty()) return fail(e->range, "no value of " + v->name + " satisfies the where clause of this choose");
  out = std::move(cands.front());
  return true;
}

bool Evaluator::evalLambda(const Expr* e, Env& env, Value& out) {
  const Var* v = e->binders.empty() ? nullptr : e->binders[0].var;
  if (!v) return fail(e->range, "malformed lambda");
  std::vector<Value> dom;
  if (!finiteDomain(v->sort, dom))
    return fail(e->range, "lambda over the infinite sort " + sortName(v->sort) + " cannot be evaluated");
  Sort vs = e->sort && (e->sort->kind == SortKind::Map || e->sort->kind == SortKind::Array) ? e->sort->value()
                                                                                         : nullptr;
  std::vector<std::pair<Value, Value>> entries;
  for (const Value& k : dom) {
    env.set(v, k);
    Value x;
    bool ok = eval(e->args[0], env, x);
    env.erase(v);
    if (!ok) return false;
    if (!coerce(x, vs, e->args[0]->range)) return false;
    entries.emplace_back(k, std::move(x));
  }
  out = Value::map(std::move(entries), nullptr, false);
  return true;
}

bool Evaluator::evalFunc(const Expr* e, Env& env, Value& out) {
  const FunctionDecl* f = e->fn;
  if (!f) return fail(e->range, "unresolved function");
  if (!f->body) {
    std::vector<Value> args;
    if (!uninterpreted_ || !evalArgs(e, env, args))
      return fail(e->range, "function " + f->name + " is uninterpreted and has no value here");
    std::optional<Value> v = uninterpreted_(f, args);
    if (!v) return fail(e->range, "function " + f->name + " is uninterpreted and has no value here");
    out = std::move(*v);
    return true;
  }
  if (depth_ > 200) return fail(e->range, "function unfolding too deep");
  std::vector<Value> args;
  if (!evalArgs(e, env, args)) return false;
  std::vector<std::pair<const Var*, std::optional<Value>>> saved;
  for (size_t k = 0; k < f->params.size() && k < args.size(); ++k) {
    const Var* p = f->params[k].var;
    if (!p) continue;
    if (!coerce(args[k], p->sort, e->args[k]->range)) return false;
    const Value* old = env.get(p);
    saved.emplace_back(p, old ? std::optional<Value>(*old) : std::nullopt);
    env.set(p, std::move(args[k]));
  }
  bool ok = eval(f->body, env, out);
  for (auto& [p, old] : saved) {
    if (old) env.set(p, std::move(*old));
    else env.erase(p);
  }
  return ok;
}

bool Evaluator::eval(const Expr* e, Env& env, Value& out) {
  if (!e) return fail({}, "missing term");
  if (depth_ == 0) steps_ = 0;
  DepthGuard g(depth_);
  if (!step()) return false;
  switch (e->op) {
    case Op::IntConst:
      if (isUInt(e->sort)) out = Value::uinteger(e->intValue, e->sort->width);
      else out = Value::integer(static_cast<int64_t>(e->intValue));
      return true;
    case Op::BoolConst: out = Value::boolean(e->boolValue); return true;
    case Op::Var:
    case Op::Post: return evalVar(e, env, out);
    case Op::EnumConst: out = Value::enumeration(e->sort, e->index); return true;
    case Op::Not: {
      bool b = false;
      if (!evalBool(e->args[0], env, b)) return false;
      out = Value::boolean(!b);
      return true;
    }
    case Op::And:
    case Op::Or:
    case Op::Implies: {
      bool a = false;
      if (!evalBool(e->args[0], env, a)) return false;
      if (e->op == Op::And && !a) return out = Value::boolean(false), true;
      if (e->op == Op::Or && a) return out = Value::boolean(true), true;
      if (e->op == Op::Implies && !a) return out = Value::boolean(true), true;
      bool b = false;
      if (!evalBool(e->args[1], env, b)) return false;
      out = Value::boolean(b);
      return true;
    }
    case Op::Iff: {
      bool a = false, b = false;
      if (!evalBool(e->args[0], env, a) || !evalBool(e->args[1], env, b)) return false;
      out = Value::boolean(a == b);
      return true;
    }
    case Op::Eq:
    case Op::Neq:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: return evalCompare(e, env, out);
    case Op::Ite: {
      bool c = false;
      if (!evalBool(e->args[0], env, c)) return false;
      return eval(e->args[c ? 1 : 2], env, out);
    }
    case Op::Forall:
    case Op::Exists: return evalQuant(e, env, out);
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
    case Op::Shr: return evalArith(e, env, out);
    case Op::ToInt: {
      Value a;
      if (!eval(e->args[0], env, a)) return false;
      if (a.kind() == Value::Kind::UInt) {
        if (a.asUInt() > static_cast<uint64_t>(INT64_MAX))
          return fail(e->range, "value " + a.toString() + " exceeds the interpreter's 64-bit Int range");
        a = Value::integer(static_cast<int64_t>(a.asUInt()));
      }
      if (!coerce(a, e->sort, e->range)) return false;
      out = std::move(a);
      return true;
    }
    case Op::ToUInt: {
      Value a;
      if (!eval(e->args[0], env, a)) return false;
      unsigned w = e->sort ? e->sort->width : 64;
      uint64_t x = a.kind() == Value::Kind::UInt ? a.asUInt() : static_cast<uint64_t>(a.asInt());
      out = Value::uinteger(x & widthMask(w), w);
      return true;
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
    case Op::SubSeq: return evalSeq(e, env, out);
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
    case Op::MsetCount: return evalSet(e, env, out);
    case Op::MapGet:
    case Op::MapUpdate:
    case Op::MapDefined:
    case Op::MapTotal:
    case Op::MapConst:
    case Op::MapEmpty: return evalMap(e, env, out);
    case Op::TupleMake: {
      std::vector<Value> f;
      if (!evalArgs(e, env, f)) return false;
      if (e->sort && e->sort->def)
        for (size_t k = 0; k < f.size() && k < e->sort->def->fields.size(); ++k)
          if (!coerce(f[k], e->sort->def->fields[k].sort, e->args[k]->range)) return false;
      out = Value::tuple(e->sort, std::move(f));
      return true;
    }
    case Op::TupleGet: {
      Value t;
      if (!eval(e->args[0], env, t)) return false;
      if (t.kind() != Value::Kind::Tuple || e->index < 0 || static_cast<size_t>(e->index) >= t.elems().size())
        return fail(e->range, "expected a tuple with field #" + std::to_string(e->index) + ", found " + t.toString());
      out = t.elems()[e->index];
      return true;
    }
    case Op::TupleSet: {
      Value t, v;
      if (!eval(e->args[0], env, t) || !eval(e->args[1], env, v)) return false;
      if (t.kind() != Value::Kind::Tuple || e->index < 0 || static_cast<size_t>(e->index) >= t.elems().size())
        return fail(e->range, "expected a tuple, found " + t.toString());
      std::vector<Value> f = t.elems();
      f[e->index] = std::move(v);
      out = Value::tuple(t.sort(), std::move(f));
      return true;
    }
    case Op::UnionMake: {
      Value v;
      if (!eval(e->args[0], env, v)) return false;
      if (e->sort && e->sort->def && e->index >= 0 && e->index < static_cast<int>(e->sort->def->fields.size()) &&
          !coerce(v, e->sort->def->fields[e->index].sort, e->args[0]->range))
        return false;
      out = Value::unionOf(e->sort, e->index, std::move(v));
      return true;
    }
    case Op::UnionGet:
    case Op::UnionIs: {
      Value u;
      if (!eval(e->args[0], env, u)) return false;
      if (u.kind() != Value::Kind::Union) return fail(e->range, "expected a union, found " + u.toString());
      if (e->op == Op::UnionIs) {
        out = Value::boolean(u.index() == e->index);
        return true;
      }
      if (u.index() != e->index) {
        std::string want = e->args[0]->sort && e->args[0]->sort->def &&
                                   e->index < static_cast<int>(e->args[0]->sort->def->fields.size())
                               ? e->args[0]->sort->def->fields[e->index].name
                               : std::to_string(e->index);
        return undefinedAt(e->range, "reading variant '" + want + "' of " + u.toString());
      }
      out = u.elems().empty() ? Value() : u.elems()[0];
      return true;
    }
    case Op::FuncApp: return evalFunc(e, env, out);
    case Op::MsgMake:
    case Op::MsgPayload:
    case Op::MsgPush:
    case Op::MsgHdr:
    case Op::MsgPop:
    case Op::MsgHasHdr:
    case Op::MsgSize:
    case Op::Checksum16: return evalMsg(e, env, out);
    case Op::Choose: return evalChoose(e, env, out);
    case Op::Lambda: return evalLambda(e, env, out);
    case Op::None: return fail(e->range, "unchecked term");
  }
  return fail(e->range, "unsupported term");
}

// ------------------------------------------------------------------ effects

bool Evaluator::assign(const Expr* lhs, Value v, Env& env) {
  switch (lhs->op) {
    case Op::Var: {
      if (!coerce(v, lhs->var->sort, lhs->range)) return false;
      env.set(lhs->var, std::move(v));
      return true;
    }
    case Op::MapGet: {
      Value m, k;
      if (!eval(lhs->args[0], env, m) || !eval(lhs->args[1], env, k)) return false;
      if (m.kind() != Value::Kind::Map) return fail(lhs->range, "expected a map, found " + m.toString());
      Sort ms = lhs->args[0]->sort;
      if (ms && (ms->kind == SortKind::Map || ms->kind == SortKind::Array)) {
        if (!coerce(k, ms->key(), lhs->args[1]->range) || !coerce(v, ms->value(), lhs->range)) return false;
        if (sortHasMap(ms->key())) k = normalizeValue(k, ms->key());
      }
      return assign(lhs->args[0], m.withEntry(k, v), env);
    }
    case Op::SeqIndex: {
      Value s, i;
      if (!eval(lhs->args[0], env, s) || !eval(lhs->args[1], env, i)) return false;
      if (s.kind() != Value::Kind::Seq) return fail(lhs->range, "expected a sequence, found " + s.toString());
      std::vector<Value> el = s.elems();
      if (i.asInt() < 0 || static_cast<uint64_t>(i.asInt()) >= el.size())
        return undefinedAt(lhs->range, "index " + i.toString() + " out of range for a sequence of length " +
                                    std::to_string(el.size()));
      Sort ss = lhs->args[0]->sort;
      if (ss && ss->kind == SortKind::Seq && !coerce(v, ss->elem(), lhs->range)) return false;
      el[static_cast<size_t>(i.asInt())] = std::move(v);
      return assign(lhs->args[0], Value::seq(std::move(el)), env);
    }
    case Op::TupleGet: {
      Value t;
      if (!eval(lhs->args[0], env, t)) return false;
      if (t.kind() != Value::Kind::Tuple || lhs->index < 0 || static_cast<size_t>(lhs->index) >= t.elems().size())
        return fail(lhs->range, "expected a tuple, found " + t.toString());
      if (!coerce(v, lhs->sort, lhs->range)) return false;
      std::vector<Value> f = t.elems();
      f[lhs->index] = std::move(v);
      return assign(lhs->args[0], Value::tuple(t.sort(), std::move(f)), env);
    }
    default: return fail(lhs->range, "cannot assign to this term");
  }
}

bool Evaluator::execStmt(const Stmt* s, Env& env) {
  if (!step()) return false;
  switch (s->kind) {
    case StmtKind::Assign: {
      Value v;
      if (!eval(s->rhs, env, v)) return false;
      return assign(s->lhs, std::move(v), env);
    }
    case StmtKind::If: {
      for (size_t i = 0; i < s->conds.size(); ++i) {
        bool c = false;
        if (!evalBool(s->conds[i], env, c)) return false;
        if (c) return exec(s->branches[i], env);
      }
      if (s->hasElse) return exec(s->elseBranch, env);
      return true;
    }
    case StmtKind::For: {
      const Var* v = s->binder.var;
      if (!v) return fail(s->range, "malformed for-loop");
      std::vector<Value> dom;
      if (s->domain) {
        Value col;
        if (!eval(s->domain, env, col)) return false;
        if (col.kind() == Value::Kind::Mset) {
          for (const auto& [x, n] : col.entries())
            for (int64_t k = 0; k < n.asInt(); ++k) dom.push_back(x);
        } else {
          dom = col.elems();
        }
      } else {
        std::vector<const Expr*> conjs;
        collectConjuncts(s->filter, conjs);
        if (!domainFor(v, conjs, env, dom, s->binder.range)) return false;
      }
      for (Value& x : dom) {
        env.set(v, std::move(x));
        bool keep = true;
        if (s->filter && !evalBool(s->filter, env, keep)) {
          env.erase(v);
          return false;
        }
        if (keep && !exec(s->body, env)) {
          env.erase(v);
          return false;
        }
      }
      env.erase(v);
      return true;
    }
    case StmtKind::Fire: {
      if (!fire_) return fail(s->range, "'fire' is only meaningful in proof blocks");
      std::vector<Value> args;
      for (const Expr* a : s->fireArgs) {
        Value x;
        if (!eval(a, env, x)) return false;
        args.push_back(std::move(x));
      }
      return fire_(s, args, env);
    }
    case StmtKind::Ignore: return true;
  }
  return true;
}

bool Evaluator::exec(const Block& b, Env& env) {
  bool top = depth_ == 0;
  if (top) steps_ = 0;
  DepthGuard g(depth_);
  for (const Stmt* s : b)
    if (!execStmt(s, env)) return false;
  return true;
}

// ------------------------------------------------------------------ automata

void Evaluator::bindState(const FlatAutomaton& a, const State& s, Env& env) const {
  for (size_t k = 0; k < a.state.size() && k < s.size(); ++k) env.set(a.state[k], s[k]);
}

Evaluator::State Evaluator::readState(const FlatAutomaton& a, const Env& env) const {
  State s;
  s.reserve(a.state.size());
  for (const Var* v : a.state) {
    const Value* x = env.get(v);
    s.push_back(x ? *x : Value());
  }
  return s;
}

bool Evaluator::bindArgs(const FlatTransition& t, const std::vector<Value>& args, Env& env) {
  if (args.size() != t.params.size())
    return fail(t.range, "transition takes " + std::to_string(t.params.size()) + " argument(s), given " +
                             std::to_string(args.size()));
  for (size_t k = 0; k < args.size(); ++k) {
    Value v = args[k];
    if (!coerce(v, t.params[k]->sort, t.range)) return false;
    env.set(t.params[k], std::move(v));
  }
  return true;
}

bool Evaluator::enabled(const FlatAutomaton& a, const FlatTransition& t, const State& s,
                        const std::vector<Value>& args, bool& out, const Env* base) {
  Env env = base ? *base : Env();
  bindState(a, s, env);
  if (!bindArgs(t, args, env)) return false;
  out = false;
  for (const ParamBinding& b : t.bindings) {
    Value v;
    if (!eval(b.value, env, v)) return false;
    if (b.param < 0 || static_cast<size_t>(b.param) >= args.size()) return fail(t.range, "bad parameter binding");
    if (!valuesEqual(v, args[b.param], t.params[b.param]->sort)) return true;
  }
  bool g = false;
  if (!evalBool(t.guard, env, g)) return false;
  if (!g) return true;
  bool p = false;
  if (!evalBool(t.pre, env, p)) return false;
  out = p;
  return true;
}

bool Evaluator::apply(const FlatAutomaton& a, const FlatTransition& t, const State& s, const std::vector<Value>& args,
                      State& post, const Env* base) {
  Env env = base ? *base : Env();
  bindState(a, s, env);
  if (!bindArgs(t, args, env)) return false;
  if (!exec(t.eff, env)) return false;
  post = readState(a, env);
  return true;
}

bool Evaluator::ensuring(const FlatAutomaton& a, const FlatTransition& t, const State& pre,
                         const std::vector<Value>& args, const State& post, bool& out, const Env* base) {
  out = true;
  if (!t.ensuring) return true;
  Env env = base ? *base : Env();
  bindState(a, pre, env);
  if (!bindArgs(t, args, env)) return false;
  Env postEnv;
  bindState(a, post, postEnv);
  postEnv_ = &postEnv;
  bool ok = evalBool(t.ensuring, env, out);
  postEnv_ = nullptr;
  return ok;
}

bool Evaluator::isStart(const FlatAutomaton& a, const State& s, bool& out, const Env* base) {
  Env env = base ? *base : Env();
  bindState(a, s, env);
  out = false;
  for (size_t k = 0; k < a.state.size() && k < s.size(); ++k) {
    const Expr* init = k < a.init.size() ? a.init[k] : nullptr;
    if (!init) continue;
    if (init->op == Op::Choose) {
      const Var* b = init->binders.empty() ? nullptr : init->binders[0].var;
      if (!b) continue;
      env.set(b, s[k]);
      bool ok = true;
      bool evaluated = init->args.empty() || evalBool(init->args[0], env, ok);
      env.erase(b);
      if (!evaluated) return false;
      if (!ok) return true;
      continue;
    }
    Value v;
    if (!eval(init, env, v)) return false;
    if (!valuesEqual(v, s[k], a.state[k]->sort)) return true;
  }
  bool ok = false;
  if (!evalBool(a.initially, env, ok)) return false;
  out = ok;
  return true;
}

bool Evaluator::startState(const FlatAutomaton& a, State& out, const Env* base,
                           const std::vector<std::optional<Value>>* given) {
  Env env = base ? *base : Env();
  out.clear();
  for (size_t k = 0; k < a.state.size(); ++k) {
    const Expr* init = k < a.init.size() ? a.init[k] : nullptr;
    Value v;
    if (given && k < given->size() && (*given)[k]) {
      v = *(*given)[k];
      if (!coerce(v, a.state[k]->sort, a.range)) return false;
    } else if (!init) {
      v = defaultValue(resolve(a.state[k]->sort));
    } else {
      if (!eval(init, env, v)) return false;
      if (!coerce(v, a.state[k]->sort, init->range)) return false;
    }
    env.set(a.state[k], v);
    out.push_back(std::move(v));
  }
  bool ok = false;
  if (given) {
    if (!isStart(a, out, ok, base)) return false;
    return ok || fail(a.range, "the values given are not a start state of " + a.name);
  }
  if (!evalBool(a.initially, env, ok)) return false;
  if (!ok) return fail(a.range, "the initial values do not satisfy the 'initially' clause of " + a.name);
  return true;
}

}  // namespace ioa
