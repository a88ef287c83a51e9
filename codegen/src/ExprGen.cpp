// Checked terms and effect programs to C++. Partial operations compile to
// runtime calls that raise a fault instead of reaching undefined behaviour;
// the common sequence updates (append, tail) compile to in-place ring
// operations.
#include <functional>

#include "Emit.h"
#include "ioa/spec/Build.h"

namespace ioa::codegen::detail {

std::vector<const Expr*> conjunctsOf(const Expr* e) {
  std::vector<const Expr*> out;
  std::function<void(const Expr*)> go = [&](const Expr* x) {
    if (!x) return;
    if (x->op == Op::And) {
      for (const Expr* a : x->args) go(a);
    } else {
      out.push_back(x);
    }
  };
  go(e);
  return out;
}

std::string bare(const std::string& c) {
  if (c.size() < 2 || c.front() != '(' || c.back() != ')') return c;
  int depth = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    if (c[i] == '(') ++depth;
    else if (c[i] == ')' && --depth == 0 && i + 1 != c.size()) return c;  // the first '(' closes early
  }
  return c.substr(1, c.size() - 2);
}

bool exprEqual(const Expr* a, const Expr* b) {
  if (a == b) return true;
  if (!a || !b) return false;
  if (a->op != b->op || a->var != b->var || a->index != b->index || a->fn != b->fn || a->aux != b->aux ||
      a->sort != b->sort || a->args.size() != b->args.size() || a->binders.size() != b->binders.size())
    return false;
  if (a->op == Op::IntConst && a->intValue != b->intValue) return false;
  if (a->op == Op::BoolConst && a->boolValue != b->boolValue) return false;
  for (size_t k = 0; k < a->binders.size(); ++k)
    if (a->binders[k].var != b->binders[k].var) return false;
  for (size_t k = 0; k < a->args.size(); ++k)
    if (!exprEqual(a->args[k], b->args[k])) return false;
  return true;
}

bool mentionsAny(const Expr* e, const std::set<const Var*>& vs) {
  if (vs.empty() || !e) return false;
  bool found = false;
  forEachExpr(e, [&](const Expr* x) {
    if ((x->op == Op::Var || x->op == Op::Post) && vs.count(x->var)) found = true;
  });
  return found;
}

const Var* rootVar(const Expr* lv) {
  while (lv && (lv->op == Op::MapGet || lv->op == Op::SeqIndex || lv->op == Op::TupleGet)) lv = lv->args[0];
  return lv && lv->op == Op::Var ? lv->var : nullptr;
}

std::string ExprGen::fresh(const std::string& base) { return "v_" + base + "_" + std::to_string(++counter_); }

std::string ExprGen::localFor(const Var* v) {
  std::string n = fresh(ident(v->name));
  vars[v] = n;
  return n;
}

std::string ExprGen::unsupported(const Expr* e, const std::string& what) {
  diags_.error(e->range, what);
  return "{}";
}

std::string ExprGen::readAs(const std::string& code, Sort s) {
  if (types_.narrowStorage(s)) return "static_cast<int64_t>(" + code + ")";
  return code;
}

std::string ExprGen::coerceCode(const std::string& code, Sort from, Sort target) {
  Sort t = types_.resolve(target);
  Sort f = types_.resolve(from);
  if (!t || !f) return code;
  if (t->kind == SortKind::Nat) {
    bool fits = f->kind == SortKind::Nat || (f->kind == SortKind::Range && f->lo >= 0);
    return fits ? code : "rt::to_nat(" + code + ")";
  }
  if (t->kind == SortKind::Range) {
    bool fits = f->kind == SortKind::Range && f->lo >= t->lo && f->hi <= t->hi;
    std::string v = fits ? code
                         : "rt::to_range(" + code + ", INT64_C(" + std::to_string(t->lo) + "), INT64_C(" +
                               std::to_string(t->hi) + "))";
    return "static_cast<" + types_.storage(t, {}) + ">(" + v + ")";
  }
  return code;
}

std::string ExprGen::coerce(const Expr* e, Sort target) { return coerceCode(expr(e), e->sort, target); }

std::string ExprGen::bin(const char* op, const Expr* e) {
  return "(" + expr(e->args[0]) + " " + op + " " + expr(e->args[1]) + ")";
}

std::string ExprGen::call(const char* fn, const Expr* e) {
  std::string out = std::string(fn) + "(";
  for (size_t k = 0; k < e->args.size(); ++k) out += (k ? ", " : "") + expr(e->args[k]);
  return out + ")";
}

static bool isEmptyColl(const Expr* e) {
  return e && (e->op == Op::SeqEmpty || e->op == Op::SetEmpty || e->op == Op::MsetEmpty);
}

std::string ExprGen::expr(const Expr* e) {
  if (!e) return "true";
  Sort s = types_.resolve(e->sort);
  switch (e->op) {
    case Op::IntConst:
      if (s && s->kind == SortKind::UInt) {
        if (s->width == 64) return "UINT64_C(" + std::to_string(e->intValue) + ")";
        return "static_cast<" + types_.storage(s, e->range) + ">(" + std::to_string(e->intValue) + "u)";
      }
      return "INT64_C(" + std::to_string(e->intValue) + ")";
    case Op::BoolConst: return e->boolValue ? "true" : "false";
    case Op::Var: {
      const Var* v = e->var;
      auto it = vars.find(v);
      if (it != vars.end()) return v->kind == VarKind::State ? readAs(it->second, v->sort) : it->second;
      if (v->kind == VarKind::Const) {
        auto cv = model_.constValues.find(v);
        if (cv == model_.constValues.end() || !cv->second)
          return unsupported(e, "constant '" + v->name + "' has no value, so generated code cannot use it");
        if (usedConsts) usedConsts->insert(v);
        return "k_" + ident(v->name);
      }
      return unsupported(e, "'" + v->name + "' is not available in generated code here");
    }
    case Op::Post: return unsupported(e, "primed variables (ensuring clauses) are not generated");
    case Op::MapTotal: return unsupported(e, "total(m) (the prover's derived invariants) is not generated");
    case Op::EnumConst: {
      types_.storage(s, e->range);
      return types_.typeName(s) + "::" + ident(s->def->values[e->index]);
    }
    case Op::Not: return "(!" + expr(e->args[0]) + ")";
    case Op::And: return bin("&&", e);
    case Op::Or: return bin("||", e);
    case Op::Implies: return "(!" + expr(e->args[0]) + " || " + expr(e->args[1]) + ")";
    case Op::Iff: return bin("==", e);
    case Op::Eq:
    case Op::Neq: {
      const Expr* a = e->args[0];
      const Expr* b = e->args[1];
      const char* cmp = e->op == Op::Eq ? " == 0)" : " != 0)";
      if (isEmptyColl(b)) return "(rt::coll_size(" + expr(a) + ")" + cmp;
      if (isEmptyColl(a)) return "(rt::coll_size(" + expr(b) + ")" + cmp;
      return bin(e->op == Op::Eq ? "==" : "!=", e);
    }
    case Op::Lt: return bin("<", e);
    case Op::Le: return bin("<=", e);
    case Op::Gt: return bin(">", e);
    case Op::Ge: return bin(">=", e);
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Mod: {
      bool u = s && s->kind == SortKind::UInt;
      const char* fn = nullptr;
      switch (e->op) {
        case Op::Add: fn = u ? "rt::wadd" : "rt::add"; break;
        case Op::Sub: fn = u ? "rt::wsub" : "rt::sub"; break;
        case Op::Mul: fn = u ? "rt::wmul" : "rt::mul"; break;
        case Op::Div: fn = u ? "rt::udiv" : "rt::div"; break;
        default: fn = u ? "rt::umod" : "rt::mod"; break;
      }
      return call(fn, e);
    }
    case Op::Neg: return call(s && s->kind == SortKind::UInt ? "rt::wneg" : "rt::neg", e);
    case Op::BAnd: return call("rt::band", e);
    case Op::BOr: return call("rt::bor", e);
    case Op::BXor: return call("rt::bxor", e);
    case Op::Shl: return call("rt::shl", e);
    case Op::Shr: return call("rt::shr", e);
    case Op::ToInt: {
      Sort from = types_.resolve(e->args[0]->sort);
      std::string x = expr(e->args[0]);
      if (from && from->kind == SortKind::UInt)
        x = from->width == 64 ? "rt::u_to_int(" + x + ")" : "static_cast<int64_t>(" + x + ")";
      if (s && s->kind == SortKind::Nat && !(from && (from->kind == SortKind::Nat || from->kind == SortKind::UInt ||
                                                       (from->kind == SortKind::Range && from->lo >= 0))))
        x = "rt::to_nat(" + x + ")";
      return x;
    }
    case Op::ToUInt: {
      Sort from = types_.resolve(e->args[0]->sort);
      std::string t = types_.storage(s, e->range);
      if (from && from->kind == SortKind::UInt) return "static_cast<" + t + ">(" + expr(e->args[0]) + ")";
      return "static_cast<" + t + ">(static_cast<uint64_t>(" + expr(e->args[0]) + "))";
    }
    case Op::Ite:
      return "(" + expr(e->args[0]) + " ? " + expr(e->args[1]) + " : " + expr(e->args[2]) + ")";
    case Op::Forall:
    case Op::Exists: return quant(e);
    case Op::Choose: return choose(e);
    case Op::Lambda: return lambda(e);
    // ---- sequences
    case Op::SeqEmpty: return types_.value(s, e->range) + "{}";
    case Op::SeqLit: {
      Sort el = s->elem();
      if (!isBytes(s) && e->args.size() > types_.seqCap())
        return unsupported(e, "this sequence literal has " + std::to_string(e->args.size()) +
                                  " elements, more than the sequence capacity " + std::to_string(types_.seqCap()));
      std::string out = isBytes(s) ? "rt::Bytes::of({" : types_.storage(s, e->range) + "::of({";
      for (size_t k = 0; k < e->args.size(); ++k) out += (k ? ", " : "") + coerce(e->args[k], el);
      return out + "})";
    }
    case Op::Append:
      return "rt::seq_append(" + expr(e->args[0]) + ", " + coerce(e->args[1], s->elem()) + ")";
    case Op::Prepend:
      return "rt::seq_prepend(" + coerce(e->args[0], s->elem()) + ", " + expr(e->args[1]) + ")";
    case Op::Concat: return call("rt::seq_concat", e);
    case Op::Head: return readAs(call("rt::seq_head", e), s);
    case Op::Last: return readAs(call("rt::seq_last", e), s);
    case Op::Tail: return call("rt::seq_tail", e);
    case Op::Init: return call("rt::seq_init", e);
    case Op::Len:
      if (e->args[0]->op == Op::MsgPayload)
        return "static_cast<int64_t>((" + expr(e->args[0]->args[0]) + ").payload_len())";
      return call("rt::seq_len", e);
    case Op::SeqIndex: return readAs(call("rt::seq_index", e), s);
    case Op::SeqIn: {
      Sort el = types_.resolve(e->args[1]->sort)->elem();
      return "rt::seq_in(" + coerce(e->args[0], el) + ", " + expr(e->args[1]) + ")";
    }
    case Op::SubSeq: return call("rt::seq_sub", e);
    // ---- sets and multisets
    case Op::SetEmpty:
    case Op::MsetEmpty: return types_.value(s, e->range) + "{}";
    case Op::SetLit:
    case Op::MsetLit: {
      std::string out = types_.storage(s, e->range) + "::of({";
      for (size_t k = 0; k < e->args.size(); ++k) out += (k ? ", " : "") + coerce(e->args[k], s->elem());
      return out + "})";
    }
    case Op::SetInsert:
    case Op::SetDelete:
    case Op::MsetInsert:
    case Op::MsetDelete:
    case Op::SetIn:
    case Op::MsetIn:
    case Op::MsetCount: {
      const char* fn = e->op == Op::SetInsert    ? "rt::set_insert"
                       : e->op == Op::SetDelete  ? "rt::set_delete"
                       : e->op == Op::MsetInsert ? "rt::mset_insert"
                       : e->op == Op::MsetDelete ? "rt::mset_delete"
                       : e->op == Op::SetIn      ? "rt::set_in"
                       : e->op == Op::MsetIn     ? "rt::mset_in"
                                                 : "rt::mset_count";
      Sort cs = types_.resolve(e->args[1]->sort);
      return std::string(fn) + "(" + coerce(e->args[0], cs->elem()) + ", " + expr(e->args[1]) + ")";
    }
    case Op::SetUnion: return call("rt::set_union", e);
    case Op::MsetUnion: return call("rt::mset_union", e);
    case Op::SetIntersect: return call("rt::set_intersect", e);
    case Op::SetDiff: return call("rt::set_diff", e);
    case Op::SetSize: return call("rt::set_size", e);
    case Op::MsetSize: return call("rt::mset_size", e);
    case Op::SetSubseteq: return call("rt::set_subseteq", e);
    // ---- maps and arrays
    case Op::MapGet: {
      Sort ms = types_.resolve(e->args[0]->sort);
      return readAs("rt::map_get(" + expr(e->args[0]) + ", " + expr(e->args[1]) + ")", ms->value());
    }
    case Op::MapUpdate: {
      Sort ms = types_.resolve(e->args[0]->sort);
      if (ms->kind == SortKind::Seq)
        return "rt::seq_update(" + expr(e->args[0]) + ", " + expr(e->args[1]) + ", " +
               coerce(e->args[2], ms->elem()) + ")";
      return "rt::map_update(" + expr(e->args[0]) + ", " + expr(e->args[1]) + ", " + coerce(e->args[2], ms->value()) +
             ")";
    }
    case Op::MapDefined: return "rt::map_defined(" + expr(e->args[0]) + ", " + expr(e->args[1]) + ")";
    case Op::MapConst: return types_.storage(s, e->range) + "::constant(" + coerce(e->args[0], s->value()) + ")";
    case Op::MapEmpty: return types_.storage(s, e->range) + "{}";  // (default-constructed: no key defined)
    // ---- tuples and unions
    case Op::TupleMake: {
      std::string out = types_.storage(s, e->range) + "{";
      for (size_t k = 0; k < e->args.size(); ++k)
        out += (k ? ", " : "") + coerce(e->args[k], s->def->fields[k].sort);
      return out + "}";
    }
    case Op::TupleGet: {
      Sort ts = types_.resolve(e->args[0]->sort);
      return readAs("(" + expr(e->args[0]) + ")." + ident(ts->def->fields[e->index].name), s);
    }
    case Op::TupleSet: {
      Sort ts = types_.resolve(e->args[0]->sort);
      std::string t = types_.storage(ts, e->range);
      return "[&]() { " + t + " t_ = " + expr(e->args[0]) + "; t_." + ident(ts->def->fields[e->index].name) + " = " +
             coerce(e->args[1], ts->def->fields[e->index].sort) + "; return t_; }()";
    }
    case Op::UnionMake:
      types_.storage(s, e->range);
      return types_.typeName(s) + "::make_" + ident(s->def->fields[e->index].name) + "(" + expr(e->args[0]) + ")";
    case Op::UnionGet: {
      Sort us = types_.resolve(e->args[0]->sort);
      return "(" + expr(e->args[0]) + ").get_" + ident(us->def->fields[e->index].name) + "()";
    }
    case Op::UnionIs: return "((" + expr(e->args[0]) + ").tag == " + std::to_string(e->index) + ")";
    // ---- functions
    case Op::FuncApp: {
      const FunctionDecl* f = e->fn;
      if (!f || !f->body)
        return unsupported(e, "function '" + (f ? f->name : e->name) +
                                  "' is uninterpreted, so it has no C++ definition (give it a body to generate code)");
      if (usedFunctions) usedFunctions->insert(f);
      std::string out = "f_" + ident(f->name) + "(";
      for (size_t k = 0; k < e->args.size(); ++k)
        out += (k ? ", " : "") + coerce(e->args[k], f->params[k].var ? f->params[k].var->sort : e->args[k]->sort);
      return out + ")";
    }
    // ---- messages
    case Op::MsgMake: return "rt::Msg::make(" + expr(e->args[0]) + ")";
    case Op::MsgPayload: return "(" + expr(e->args[0]) + ").payload()";
    case Op::MsgSize: return "static_cast<int64_t>((" + expr(e->args[0]) + ").payload_len())";
    case Op::MsgPush:
      return "push_" + types_.header(e->aux, e->range) + "(" + expr(e->args[0]) + ", " + coerce(e->args[1], e->aux) + ")";
    case Op::MsgHdr: return "hdr_" + types_.header(e->aux, e->range) + "(" + expr(e->args[0]) + ")";
    case Op::MsgPop: return "pop_" + types_.header(e->aux, e->range) + "(" + expr(e->args[0]) + ")";
    case Op::MsgHasHdr: return "hashdr_" + types_.header(e->aux, e->range) + "(" + expr(e->args[0]) + ")";
    case Op::Checksum16:
      if (e->args[0]->op == Op::MsgPayload) {
        std::string m = expr(e->args[0]->args[0]);
        return "rt::checksum16((" + m + ").payload_data(), (" + m + ").payload_len())";
      }
      return call("rt::checksum16", e);
    case Op::None: return unsupported(e, "unchecked term");
  }
  return unsupported(e, "this term is not supported by the code generator");
}

// ---- loops over the values a variable may take

bool ExprGen::loopFor(const Var* v, const std::vector<const Expr*>& conjs, const std::set<const Var*>& unbound,
                      std::string& open, std::string& close, std::string& why) {
  Sort s = types_.resolve(v->sort);
  std::string n = localFor(v);
  std::string k = n + "_k";
  switch (s->kind) {
    case SortKind::Range:
      open = "for (int64_t " + n + " = INT64_C(" + std::to_string(s->lo) + "); " + n + " <= INT64_C(" +
             std::to_string(s->hi) + "); ++" + n + ") {";
      close = "}";
      return true;
    case SortKind::Bool:
      open = "for (int " + k + " = 0; " + k + " < 2; ++" + k + ") { const bool " + n + " = " + k + " != 0;";
      close = "}";
      return true;
    case SortKind::Enum: {
      std::string t = types_.storage(s, v->range);
      open = "for (uint32_t " + k + " = 0; " + k + " < " + std::to_string(s->def->values.size()) + "u; ++" + k +
             ") { const " + t + " " + n + " = static_cast<" + t + ">(" + k + ");";
      close = "}";
      return true;
    }
    case SortKind::UInt:
      if (s->width <= 16) {
        std::string t = types_.storage(s, v->range);
        open = "for (uint32_t " + k + " = 0; " + k + " < " + std::to_string(1u << s->width) + "u; ++" + k +
               ") { const " + t + " " + n + " = static_cast<" + t + ">(" + k + ");";
        close = "}";
        return true;
      }
      break;
    default: break;
  }
  auto isV = [&](const Expr* x) { return x && x->op == Op::Var && x->var == v; };
  // v \in S
  for (const Expr* c : conjs) {
    if ((c->op == Op::SeqIn || c->op == Op::SetIn || c->op == Op::MsetIn) && isV(c->args[0]) &&
        !mentionsAny(c->args[1], unbound)) {
      std::string dom = n + "_dom";
      open = "{ const auto " + dom + " = " + expr(c->args[1]) + "; for (uint32_t " + k + " = 0; " + k +
             " < rt::coll_size(" + dom + "); ++" + k + ") { const " + types_.value(s, v->range) + " " + n +
             " = rt::coll_elem(" + dom + ", " + k + ");";
      close = "} }";
      return true;
    }
  }
  if (isIntLike(s)) {
    std::string lo = s->kind == SortKind::Nat ? "INT64_C(0)" : "", hi;
    for (const Expr* c : conjs) {
      if (!c || c->args.size() != 2) continue;
      const Expr* a = c->args[0];
      const Expr* b = c->args[1];
      bool left = isV(a) && !mentionsAny(b, unbound);
      bool right = isV(b) && !mentionsAny(a, unbound);
      if (!left && !right) continue;
      const Expr* t = left ? b : a;
      Sort ts = types_.resolve(t->sort);
      if (!isIntLike(ts)) continue;
      Op op = c->op;
      if (right) op = op == Op::Lt ? Op::Gt : op == Op::Le ? Op::Ge : op == Op::Gt ? Op::Lt : op == Op::Ge ? Op::Le : op;
      if (hi.empty() && op == Op::Lt) hi = expr(t);
      else if (hi.empty() && op == Op::Le) hi = "rt::add(" + expr(t) + ", INT64_C(1))";
      else if (lo.empty() && op == Op::Gt) lo = "rt::add(" + expr(t) + ", INT64_C(1))";
      else if (lo.empty() && op == Op::Ge) lo = expr(t);
      else if (op == Op::Eq && (hi.empty() || lo.empty())) {
        lo = expr(t);
        hi = "rt::add(" + lo + ", INT64_C(1))";
      }
    }
    if (!lo.empty() && !hi.empty()) {
      open = "{ const int64_t " + n + "_lo = " + lo + "; const int64_t " + n + "_hi = " + hi + "; for (int64_t " + n +
             " = " + n + "_lo; " + n + " < " + n + "_hi; ++" + n + ") {";
      close = "} }";
      return true;
    }
    why = "'" + v->name + ": " + sortName(s) + "' ranges over an infinite sort and no bound (" + v->name + " < n, " +
          v->name + " \\in S) constrains it";
    return false;
  }
  why = "'" + v->name + ": " + sortName(s) + "' ranges over a sort that cannot be enumerated";
  return false;
}

std::string ExprGen::quant(const Expr* e) {
  bool forall = e->op == Op::Forall;
  const Expr* body = e->args[0];
  std::vector<const Expr*> conjs = forall ? (body->op == Op::Implies ? conjunctsOf(body->args[0])
                                                                     : std::vector<const Expr*>{})
                                          : conjunctsOf(body);
  std::set<const Var*> unbound;
  for (const Binder& b : e->binders) unbound.insert(b.var);
  std::string opens, closes;
  while (!unbound.empty()) {
    bool progress = false;
    std::string lastWhy;
    for (const Binder& b : e->binders) {
      if (!unbound.count(b.var)) continue;
      std::string open, close, why;
      if (loopFor(b.var, conjs, unbound, open, close, why)) {
        opens += open + " ";
        closes = close + " " + closes;
        unbound.erase(b.var);
        progress = true;
        break;
      }
      lastWhy = why;
    }
    if (!progress) return unsupported(e, "cannot generate this quantifier: " + lastWhy);
  }
  std::string test = forall ? "if (!(" + expr(body) + ")) return false;" : "if (" + bare(expr(body)) + ") return true;";
  return "[&]() -> bool { " + opens + test + " " + closes + "return " + (forall ? "true" : "false") + "; }()";
}

std::string ExprGen::choose(const Expr* e) {
  const Var* v = e->binders.empty() ? nullptr : e->binders[0].var;
  if (!v) return unsupported(e, "malformed choose");
  const Expr* pred = e->args.empty() ? nullptr : e->args[0];
  std::string t = types_.value(v->sort, e->range);
  std::string open, close, why;
  if (!loopFor(v, conjunctsOf(pred), {v}, open, close, why)) {
    if (!pred) return t + "{}";
    return unsupported(e, "cannot generate this choose: " + why);
  }
  std::string n = vars[v];
  return "[&]() -> " + t + " { " + open + " if (" + bare(expr(pred)) + ") return " + n + "; " + close +
         " rt::raise(rt::Fault::Choose); return " + t + "{}; }()";
}

std::string ExprGen::lambda(const Expr* e) {
  const Var* v = e->binders.empty() ? nullptr : e->binders[0].var;
  Sort s = types_.resolve(e->sort);
  if (!v || !s || (s->kind != SortKind::Array && s->kind != SortKind::Map)) return unsupported(e, "malformed lambda");
  std::string open, close, why;
  if (!loopFor(v, {}, {v}, open, close, why)) return unsupported(e, "cannot generate this array: " + why);
  std::string t = types_.storage(s, e->range);
  return "[&]() { " + t + " m_{}; " + open + " m_.ref(" + vars[v] + ") = " + coerce(e->args[0], s->value()) + "; " +
         close + " return m_; }()";
}

// ---- statements

std::string ExprGen::lvalue(const Expr* e) {
  switch (e->op) {
    case Op::Var: {
      auto it = vars.find(e->var);
      if (it == vars.end()) return unsupported(e, "cannot assign to '" + e->var->name + "' here");
      return it->second;
    }
    case Op::MapGet: return "(" + lvalue(e->args[0]) + ").ref(" + expr(e->args[1]) + ")";
    case Op::SeqIndex: return "rt::seq_ref(" + lvalue(e->args[0]) + ", " + expr(e->args[1]) + ")";
    case Op::TupleGet: {
      Sort ts = types_.resolve(e->args[0]->sort);
      return "(" + lvalue(e->args[0]) + ")." + ident(ts->def->fields[e->index].name);
    }
    default: return unsupported(e, "the target of this assignment is not supported by the code generator");
  }
}

static bool lvalueThroughPartialMap(const Expr* lv) {
  while (lv && (lv->op == Op::MapGet || lv->op == Op::SeqIndex || lv->op == Op::TupleGet)) {
    if (lv->op == Op::MapGet && lv->args[0]->sort && lv->args[0]->sort->kind == SortKind::Map) return true;
    lv = lv->args[0];
  }
  return false;
}

std::string ExprGen::assign(const Stmt* s, const std::string& ind) {
  const Expr* lhs = s->lhs;
  const Expr* rhs = s->rhs;
  Sort target = types_.resolve(lhs->sort);
  // x[i] := v on Bytes: Bytes are immutable views, so rebuild
  if (lhs->op == Op::SeqIndex && isBytes(types_.resolve(lhs->args[0]->sort))) {
    std::string base = lvalue(lhs->args[0]);
    return ind + base + " = rt::seq_update(" + base + ", " + expr(lhs->args[1]) + ", " + coerce(rhs, target) + ");\n";
  }
  std::string lv = lvalue(lhs);
  if (rhs->op == Op::Choose) return ind + lv + " = " + coerceCode(choose(rhs), rhs->sort, target) + ";\n";
  if (target && target->kind == SortKind::Seq && !isBytes(target) && !lvalueThroughPartialMap(lhs)) {
    if (rhs->op == Op::Append && exprEqual(rhs->args[0], lhs))
      return ind + lv + ".push_back(" + coerce(rhs->args[1], target->elem()) + ");\n";
    if (rhs->op == Op::Prepend && exprEqual(rhs->args[1], lhs))
      return ind + lv + ".push_front(" + coerce(rhs->args[0], target->elem()) + ");\n";
    if (rhs->op == Op::Tail && exprEqual(rhs->args[0], lhs)) return ind + "rt::seq_pop_front(" + lv + ");\n";
    if (rhs->op == Op::Init && exprEqual(rhs->args[0], lhs)) return ind + "rt::seq_pop_back(" + lv + ");\n";
    if (rhs->op == Op::SeqEmpty) return ind + lv + ".clear();\n";
    if (rhs->op == Op::SeqLit) {  // q := [a, b]: the elements first (they may read q), then refill in place
      std::string out = ind + "{\n";
      std::vector<std::string> tmps;
      for (const Expr* x : rhs->args) {
        tmps.push_back(fresh("elem"));
        out += ind + "  " + types_.storage(target->elem(), x->range) + " " + tmps.back() + " = " +
               coerce(x, target->elem()) + ";\n";
      }
      out += ind + "  " + lv + ".clear();\n";
      for (const std::string& t : tmps) out += ind + "  " + lv + ".push_back(std::move(" + t + "));\n";
      return out + ind + "}\n";
    }
  }
  return ind + lv + " = " + coerce(rhs, target) + ";\n";
}

std::string ExprGen::stmt(const Stmt* s, int indent) {
  std::string ind(indent, ' ');
  switch (s->kind) {
    case StmtKind::Assign: return assign(s, ind);
    case StmtKind::If: {
      std::string out;
      for (size_t i = 0; i < s->conds.size(); ++i) {
        out += (i == 0 ? ind + "if (" : " else if (") + bare(expr(s->conds[i])) + ") {\n";
        out += block(s->branches[i], indent + 2) + ind + "}";
      }
      if (s->hasElse) out += " else {\n" + block(s->elseBranch, indent + 2) + ind + "}";
      return out + "\n";
    }
    case StmtKind::For: {
      const Var* v = s->binder.var;
      std::string open, close;
      if (s->domain) {
        std::string n = localFor(v);
        std::string dom = n + "_dom", k = n + "_k";
        open = "{ const auto " + dom + " = " + expr(s->domain) + "; for (uint32_t " + k + " = 0; " + k +
               " < rt::coll_size(" + dom + "); ++" + k + ") { const " + types_.value(v->sort, s->range) + " " + n +
               " = rt::coll_elem(" + dom + ", " + k + ");";
        close = "} }";
      } else {
        std::string why;
        if (!loopFor(v, conjunctsOf(s->filter), {v}, open, close, why)) {
          diags_.error(s->range, "cannot generate this loop: " + why);
          return "";
        }
      }
      std::string out = ind + open + "\n";
      if (s->filter) out += ind + "  if (!(" + expr(s->filter) + ")) continue;\n";
      out += block(s->body, indent + 2);
      return out + ind + close + "\n";
    }
    case StmtKind::Fire: diags_.error(s->range, "'fire' belongs in proof blocks, not in effects"); return "";
    case StmtKind::Ignore: return "";
  }
  return "";
}

std::string ExprGen::block(const Block& b, int indent) {
  std::string out;
  for (const Stmt* s : b) out += stmt(s, indent);
  return out;
}

// ---- lengths of sequence terms (for capacity guards)

bool ExprGen::lengthOf(const Expr* e, std::string& out) {
  switch (e->op) {
    case Op::Var:
    case Op::MapGet:
    case Op::TupleGet:
    case Op::SeqIndex:
      out = "rt::seq_len(" + expr(e) + ")";
      return true;
    case Op::SeqEmpty: out = "INT64_C(0)"; return true;
    case Op::SeqLit: out = "INT64_C(" + std::to_string(e->args.size()) + ")"; return true;
    case Op::Append:
    case Op::Prepend: {
      std::string a;
      if (!lengthOf(e->args[e->op == Op::Append ? 0 : 1], a)) return false;
      out = "(" + a + " + 1)";
      return true;
    }
    case Op::Concat: {
      std::string a, b;
      if (!lengthOf(e->args[0], a) || !lengthOf(e->args[1], b)) return false;
      out = "(" + a + " + " + b + ")";
      return true;
    }
    case Op::Tail:
    case Op::Init: return lengthOf(e->args[0], out);
    case Op::SubSeq: out = "(" + expr(e->args[2]) + ")"; return true;
    case Op::MapUpdate: return lengthOf(e->args[0], out);
    case Op::Ite: {
      std::string a, b;
      if (!lengthOf(e->args[1], a) || !lengthOf(e->args[2], b)) return false;
      out = "(" + a + " > " + b + " ? " + a + " : " + b + ")";
      return true;
    }
    default: return false;
  }
}

}  // namespace ioa::codegen::detail
