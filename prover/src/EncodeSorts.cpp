// Sorts in Z3: names, datatypes, default values.
#include <algorithm>
#include <functional>

#include "Encoder.h"
#include "ioa/spec/Build.h"

namespace ioa::prover::detail {

// ---------------------------------------------------------------- catalog

SortCatalog::SortCatalog(const Model& m) {
  for (const TypeDef* d : m.types) {
    (void)d;
  }
  // Declared types are reached through the variables and actions that use them, in model order.
  std::function<void(const Expr*)> onExpr = [&](const Expr* e) {
    if (e->sort) visit(e->sort);
    if (e->aux) {
      visit(e->aux);
      if (headerIndex(e->aux) < 0) headers_.push_back(e->aux);
    }
  };
  for (const Var* c : m.consts) visit(c->sort);
  for (const FunctionDecl* f : m.functions) {
    for (const Param& p : f->params)
      if (p.var) visit(p.var->sort);
    if (f->result && f->result->resolved) visit(f->result->resolved);
  }
  for (const FlatAutomaton* a : m.automata()) {
    if (a->headerSort) {
      visit(a->headerSort);
      if (headerIndex(a->headerSort) < 0) headers_.push_back(a->headerSort);
    }
  }
  for (const FlatAutomaton* a : m.automata()) {
    for (const Var* v : a->state) visit(v->sort);
    for (const Var* v : a->params) visit(v->sort);
    for (const FlatAction& act : a->actions)
      for (Sort s : act.params) visit(s);
    for (const FlatTransition& t : a->transitions) {
      if (t.guard) forEachExpr(t.guard, onExpr);
      if (t.pre) forEachExpr(t.pre, onExpr);
      if (t.ensuring) forEachExpr(t.ensuring, onExpr);
      forEachExprIn(t.eff, onExpr);
    }
    for (const Expr* e : a->init)
      if (e) forEachExpr(e, onExpr);
    if (a->fastpathDn) forEachExpr(a->fastpathDn, onExpr);
    if (a->fastpathUp) forEachExpr(a->fastpathUp, onExpr);
  }
  for (const Invariant& inv : m.invariants)
    if (inv.pred) forEachExpr(inv.pred, onExpr);
  for (const Simulation& s : m.simulations) {
    if (s.relation) forEachExpr(s.relation, onExpr);
    forEachExprIn(s.proofInit, onExpr);
    for (const SimulationEntry& e : s.entries) forEachExprIn(e.body, onExpr);
  }
  for (const Expr* ax : m.axioms) forEachExpr(ax, onExpr);
  for (const FunctionDecl* f : m.functions)
    if (f->body) forEachExpr(f->body, onExpr);
}

void SortCatalog::visit(Sort s) {
  if (!s) return;
  for (Sort a : s->args) visit(a);
  switch (s->kind) {
    case SortKind::Enum:
    case SortKind::Tuple:
    case SortKind::Union:
    case SortKind::Uninterp:
    case SortKind::Param: {
      if (names_.count(s)) return;
      names_[s] = "";  // mark before visiting fields (types are not recursive, but be safe)
      if (s->def)
        for (const TypeField& f : s->def->fields) visit(f.sort);
      std::string base = s->name.empty() ? "T" : s->name;
      for (char& c : base)
        if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) c = '_';
      int n = ++used_[base];
      names_[s] = n == 1 ? base : base + "_" + std::to_string(n);
      return;
    }
    default: return;
  }
}

std::string SortCatalog::nameOf(Sort s) const {
  auto it = names_.find(s);
  if (it != names_.end() && !it->second.empty()) return it->second;
  // A sort the model walk did not meet (made later by a caller): its plain name.
  return s->name.empty() ? "T" : s->name;
}

int SortCatalog::headerIndex(Sort h) const {
  for (size_t i = 0; i < headers_.size(); ++i)
    if (headers_[i] == h) return static_cast<int>(i);
  return -1;
}

// ---------------------------------------------------------------- helpers

bool isTrue(const z3::expr& e) { return e.is_true(); }
bool isFalse(const z3::expr& e) { return e.is_false(); }

z3::expr quantified(bool forall, const z3::expr_vector& xs, const z3::expr& body, const std::string& qid) {
  z3::context& c = body.ctx();
  std::vector<Z3_app> vars;
  for (unsigned i = 0; i < xs.size(); ++i) vars.push_back(reinterpret_cast<Z3_app>(static_cast<Z3_ast>(xs[i])));
  Z3_ast r = Z3_mk_quantifier_const_ex(c, forall, 0, Z3_mk_string_symbol(c, qid.c_str()), Z3_mk_string_symbol(c, ""),
                                       static_cast<unsigned>(vars.size()), vars.data(), 0, nullptr, 0, nullptr, body);
  c.check_error();
  return z3::expr(c, r);
}

z3::expr quantified(bool forall, const z3::expr& x, const z3::expr& body, const std::string& qid) {
  z3::expr_vector xs(body.ctx());
  xs.push_back(x);
  return quantified(forall, xs, body, qid);
}

z3::expr mkAnd(z3::context& c, const std::vector<z3::expr>& xs) {
  z3::expr_vector v(c);
  for (const z3::expr& x : xs) {
    if (x.is_true()) continue;
    if (x.is_false()) return c.bool_val(false);
    v.push_back(x);
  }
  if (v.empty()) return c.bool_val(true);
  if (v.size() == 1) return v[0];
  return z3::mk_and(v);
}

z3::expr mkOr(z3::context& c, const std::vector<z3::expr>& xs) {
  z3::expr_vector v(c);
  for (const z3::expr& x : xs) {
    if (x.is_false()) continue;
    if (x.is_true()) return c.bool_val(true);
    v.push_back(x);
  }
  if (v.empty()) return c.bool_val(false);
  if (v.size() == 1) return v[0];
  return z3::mk_or(v);
}

z3::expr mkImplies(const z3::expr& a, const z3::expr& b) {
  if (a.is_true()) return b;
  if (a.is_false() || b.is_true()) return a.ctx().bool_val(true);
  return z3::implies(a, b);
}

const z3::expr* Env::find(const Var* v) const {
  auto it = index_.find(v);
  return it == index_.end() ? nullptr : &items_[it->second].second;
}

void Env::set(const Var* v, const z3::expr& e) {
  auto it = index_.find(v);
  if (it != index_.end()) {
    items_[it->second].second = e;
    return;
  }
  index_[v] = items_.size();
  items_.emplace_back(v, e);
}

// ---------------------------------------------------------------- context cache

namespace {
// The pseudo sorts of the message header stack: a union over every header sort.
const SortNode& hdrElemNode() {
  static const SortNode n = [] {
    SortNode x;
    x.kind = SortKind::Union;
    x.name = "Hdr";
    return x;
  }();
  return n;
}
const SortNode& hdrSeqNode() {
  static const SortNode n = [] {
    SortNode x;
    x.kind = SortKind::Seq;
    x.args = {&hdrElemNode()};
    return x;
  }();
  return n;
}
bool isHdrElem(Sort s) { return s == &hdrElemNode(); }
}  // namespace

// Bytes as the payload of a message; same Z3 sort as the model's Seq[UInt8] (sorts are shared by name).
Sort bytesSort() {
  static const SortNode u8 = [] {
    SortNode x;
    x.kind = SortKind::UInt;
    x.width = 8;
    return x;
  }();
  static const SortNode b = [] {
    SortNode x;
    x.kind = SortKind::Seq;
    x.args = {&u8};
    return x;
  }();
  return &b;
}

ContextCache::ContextCache(z3::context& c, const Model& m, const SortCatalog& cat, Interrupts* interrupts)
    : ctx_(c), model_(m), cat_(cat), interrupts_(interrupts) {}

Sort ContextCache::hdrSeqSort() { return &hdrSeqNode(); }

bool ContextCache::isSmallFinite(Sort s) const { return isSmallFiniteSort(s); }

int64_t ContextCache::finiteSize(Sort s) const {
  switch (s->kind) {
    case SortKind::Bool: return 2;
    case SortKind::Enum: return static_cast<int64_t>(s->def->values.size());
    case SortKind::Range: return s->hi - s->lo + 1;
    default: return 0;
  }
}

bool ContextCache::finiteTupleIndices(Sort t, int64_t max, std::vector<std::vector<int64_t>>& out) const {
  if (t->kind != SortKind::Tuple || !t->def || t->def->fields.empty()) return false;
  int64_t n = 1;
  for (const TypeField& f : t->def->fields) {
    if (!isSmallFinite(f.sort)) return false;
    n *= finiteSize(f.sort);
    if (n > max) return false;
  }
  for (int64_t i = 0; i < n; ++i) {
    std::vector<int64_t> at(t->def->fields.size());
    int64_t rest = i;
    for (size_t j = at.size(); j-- > 0;) {
      int64_t sz = finiteSize(t->def->fields[j].sort);
      at[j] = rest % sz;
      rest /= sz;
    }
    out.push_back(std::move(at));
  }
  return true;
}

z3::expr ContextCache::finiteValue(Sort s, int64_t i) {
  switch (s->kind) {
    case SortKind::Bool: return ctx_.bool_val(i != 0);
    case SortKind::Enum: return datatype(s).ctors.at(static_cast<size_t>(i))();
    case SortKind::Range: return ctx_.int_val(static_cast<int64_t>(s->lo + i));
    default: throw Unsupported("not a finite sort: " + sortName(s));
  }
}

namespace {
// A sort the user declared, under a name none of the prover's own sorts has (sorts are shared
// by name): a type called Hdr (the header-stack elements) or BV32 (UInt32) gets a '$' ('$'
// ends no name of the dialect).
std::string userSortName(const std::string& n) {
  bool bv = n.size() > 2 && n.compare(0, 2, "BV") == 0 &&
            std::all_of(n.begin() + 2, n.end(), [](char c) { return c >= '0' && c <= '9'; });
  return n == "Hdr" || n == "Msg" || n == "Bool" || n == "Int" || bv ? n + "$" : n;
}
}  // namespace

std::string ContextCache::smtName(Sort s) {
  switch (s->kind) {
    case SortKind::Bool: return "Bool";
    case SortKind::Int:
    case SortKind::Nat:
    case SortKind::Range: return "Int";
    case SortKind::UInt: return "BV" + std::to_string(s->width);
    case SortKind::Seq: return "Seq<" + smtName(s->elem()) + ">";
    case SortKind::Set: return "Set<" + smtName(s->elem()) + ">";
    case SortKind::Mset: return "Mset<" + smtName(s->elem()) + ">";
    case SortKind::Map: return "Map<" + smtName(s->key()) + "/" + smtName(s->value()) + ">";
    case SortKind::Array: {
      if (isSmallFinite(s->key())) {
        std::string k = s->key()->kind == SortKind::Range
                            ? "R" + std::to_string(s->key()->lo) + "_" + std::to_string(s->key()->hi)
                            : smtName(s->key());
        for (char& c : k)
          if (c == '-') c = 'm';
        return "Arr<" + k + "/" + smtName(s->value()) + ">";
      }
      return "Array<" + smtName(s->key()) + "/" + smtName(s->value()) + ">";
    }
    case SortKind::Msg: return "Msg";
    case SortKind::Union:
      if (isHdrElem(s)) return "Hdr";
      return userSortName(cat_.nameOf(s));
    case SortKind::Enum:
    case SortKind::Tuple:
    case SortKind::Uninterp:
    case SortKind::Param: return userSortName(cat_.nameOf(s));
    case SortKind::Error: break;
  }
  throw Unsupported("a term of erroneous sort reached the prover");
}

z3::sort ContextCache::sort(Sort s) {
  auto it = sorts_.find(s);
  if (it != sorts_.end()) return it->second;
  std::string name = smtName(s);
  auto bn = byName_.find(name);
  z3::sort z = bn != byName_.end() ? bn->second : build(s);
  byName_.emplace(name, z);
  sorts_.emplace(s, z);
  return z;
}

z3::sort ContextCache::tupleLike(const std::string& name, const std::vector<std::string>& fields,
                                 const std::vector<z3::sort>& sorts, Sort) {
  std::vector<std::string> full;
  std::vector<const char*> names;
  for (const std::string& f : fields) full.push_back(name + "." + f);
  for (const std::string& f : full) names.push_back(f.c_str());
  z3::func_decl_vector projs(ctx_);
  z3::func_decl mk = ctx_.tuple_sort(name.c_str(), static_cast<unsigned>(names.size()), names.data(), sorts.data(), projs);
  Datatype d;
  d.ctors.push_back(mk);
  std::vector<z3::func_decl> fs;
  for (unsigned i = 0; i < projs.size(); ++i) fs.push_back(projs[i]);
  d.fields.push_back(fs);
  z3::sort result = mk.range();
  // tuples have one constructor; its tester is always true
  datatypes_.emplace(name, d);
  return result;
}

z3::sort ContextCache::build(Sort s) {
  std::string name = smtName(s);
  switch (s->kind) {
    case SortKind::Bool: return ctx_.bool_sort();
    case SortKind::Int:
    case SortKind::Nat:
    case SortKind::Range: return ctx_.int_sort();
    case SortKind::UInt: return ctx_.bv_sort(s->width);
    case SortKind::Seq:
      return tupleLike(name, {"arr", "len"}, {ctx_.array_sort(ctx_.int_sort(), sort(s->elem())), ctx_.int_sort()}, s);
    case SortKind::Set: return ctx_.array_sort(sort(s->elem()), ctx_.bool_sort());
    case SortKind::Mset: return ctx_.array_sort(sort(s->elem()), ctx_.int_sort());
    case SortKind::Map: {
      z3::sort k = sort(s->key());
      return tupleLike(name, {"val", "def"}, {ctx_.array_sort(k, sort(s->value())), ctx_.array_sort(k, ctx_.bool_sort())},
                       s);
    }
    case SortKind::Array: {
      if (isSmallFinite(s->key())) {
        int64_t n = finiteSize(s->key());
        std::vector<std::string> fs;
        std::vector<z3::sort> ss;
        z3::sort v = sort(s->value());
        for (int64_t i = 0; i < n; ++i) {
          fs.push_back("f" + std::to_string(i));
          ss.push_back(v);
        }
        return tupleLike(name, fs, ss, s);
      }
      return ctx_.array_sort(sort(s->key()), sort(s->value()));
    }
    case SortKind::Enum: {
      std::vector<std::string> full;
      std::vector<const char*> names;
      for (const std::string& v : s->def->values) full.push_back(name + "." + v);
      for (const std::string& v : full) names.push_back(v.c_str());
      z3::func_decl_vector cs(ctx_), ts(ctx_);
      z3::sort r = ctx_.enumeration_sort(name.c_str(), static_cast<unsigned>(names.size()), names.data(), cs, ts);
      Datatype d;
      for (unsigned i = 0; i < cs.size(); ++i) {
        d.ctors.push_back(cs[i]);
        d.testers.push_back(ts[i]);
        d.fields.push_back({});
      }
      datatypes_.emplace(name, d);
      return r;
    }
    case SortKind::Tuple: {
      std::vector<std::string> fs;
      std::vector<z3::sort> ss;
      for (const TypeField& f : s->def->fields) {
        fs.push_back(f.name);
        ss.push_back(sort(f.sort));
      }
      return tupleLike(name, fs, ss, s);
    }
    case SortKind::Union: {
      // one constructor per variant (or per header sort for the header stack)
      std::vector<std::string> vnames;
      std::vector<z3::sort> vsorts;
      if (isHdrElem(s)) {
        for (Sort h : cat_.headers()) {
          vnames.push_back(smtName(h));
          vsorts.push_back(sort(h));
        }
        if (vnames.empty()) {
          vnames.push_back("none");
          vsorts.push_back(ctx_.bool_sort());
        }
      } else {
        for (const TypeField& f : s->def->fields) {
          vnames.push_back(f.name);
          vsorts.push_back(sort(f.sort));
        }
      }
      std::vector<Z3_constructor> cons;
      std::vector<std::string> keep;
      for (size_t i = 0; i < vnames.size(); ++i) {
        std::string cn = name + "." + vnames[i];
        std::string tn = "is-" + cn;
        std::string fn = name + "." + vnames[i] + ".val";
        Z3_symbol fsym = Z3_mk_string_symbol(ctx_, fn.c_str());
        Z3_sort fsort = vsorts[i];
        unsigned ref = 0;
        cons.push_back(Z3_mk_constructor(ctx_, Z3_mk_string_symbol(ctx_, cn.c_str()),
                                         Z3_mk_string_symbol(ctx_, tn.c_str()), 1, &fsym, &fsort, &ref));
      }
      Z3_sort r = Z3_mk_datatype(ctx_, Z3_mk_string_symbol(ctx_, name.c_str()), static_cast<unsigned>(cons.size()),
                                 cons.data());
      ctx_.check_error();
      Datatype d;
      for (Z3_constructor c : cons) {
        Z3_func_decl cd, td, ad;
        Z3_query_constructor(ctx_, c, 1, &cd, &td, &ad);
        d.ctors.emplace_back(ctx_, cd);
        d.testers.emplace_back(ctx_, td);
        d.fields.push_back({z3::func_decl(ctx_, ad)});
        Z3_del_constructor(ctx_, c);
      }
      datatypes_.emplace(name, d);
      return z3::sort(ctx_, r);
    }
    case SortKind::Msg:
      return tupleLike(name, {"payload", "hdrs"}, {sort(bytesSort()), sort(hdrSeqSort())}, s);
    case SortKind::Uninterp:
    case SortKind::Param: {
      auto u = uninterp_.find(name);
      if (u != uninterp_.end()) return u->second;
      z3::sort r = ctx_.uninterpreted_sort(name.c_str());
      uninterp_.emplace(name, r);
      return r;
    }
    case SortKind::Error: break;
  }
  throw Unsupported("cannot encode sort " + sortName(s));
}

const ContextCache::Datatype& ContextCache::datatype(Sort s) {
  sort(s);
  auto it = datatypes_.find(smtName(s));
  if (it == datatypes_.end()) throw Unsupported("sort " + sortName(s) + " is not a datatype");
  return it->second;
}

const ContextCache::Datatype& ContextCache::hdrDatatype() { return datatype(&hdrElemNode()); }
z3::sort ContextCache::hdrSort() { return sort(&hdrElemNode()); }

z3::expr ContextCache::dflt(Sort s) {
  auto it = dflts_.find(s);
  if (it != dflts_.end()) return it->second;
  z3::expr d(ctx_);
  switch (s->kind) {
    case SortKind::Bool: d = ctx_.bool_val(false); break;
    case SortKind::Int:
    case SortKind::Nat: d = ctx_.int_val(0); break;
    case SortKind::Range: d = ctx_.int_val(static_cast<int64_t>(s->lo <= 0 && 0 <= s->hi ? 0 : s->lo)); break;
    case SortKind::UInt: d = ctx_.bv_val(0, s->width); break;
    case SortKind::Seq: {
      const Datatype& dt = datatype(s);
      d = dt.ctors[0](z3::const_array(ctx_.int_sort(), dflt(s->elem())), ctx_.int_val(0));
      break;
    }
    case SortKind::Set: d = z3::const_array(sort(s->elem()), ctx_.bool_val(false)); break;
    case SortKind::Mset: d = z3::const_array(sort(s->elem()), ctx_.int_val(0)); break;
    case SortKind::Map: {
      const Datatype& dt = datatype(s);
      z3::sort k = sort(s->key());
      d = dt.ctors[0](z3::const_array(k, dflt(s->value())), z3::const_array(k, ctx_.bool_val(false)));
      break;
    }
    case SortKind::Array: {
      if (isFiniteArray(s)) {
        const Datatype& dt = datatype(s);
        z3::expr_vector args(ctx_);
        for (int64_t i = 0; i < finiteSize(s->key()); ++i) args.push_back(dflt(s->value()));
        d = dt.ctors[0](args);
      } else {
        d = z3::const_array(sort(s->key()), dflt(s->value()));
      }
      break;
    }
    case SortKind::Enum: d = datatype(s).ctors[0](); break;
    case SortKind::Tuple: {
      const Datatype& dt = datatype(s);
      z3::expr_vector args(ctx_);
      for (const TypeField& f : s->def->fields) args.push_back(dflt(f.sort));
      d = dt.ctors[0](args);
      break;
    }
    case SortKind::Union: {
      const Datatype& dt = datatype(s);
      if (isHdrElem(s)) {
        d = cat_.headers().empty() ? dt.ctors[0](ctx_.bool_val(false)) : dt.ctors[0](dflt(cat_.headers()[0]));
      } else {
        d = dt.ctors[0](dflt(s->def->fields[0].sort));
      }
      break;
    }
    case SortKind::Msg: {
      const Datatype& dt = datatype(s);
      d = dt.ctors[0](dflt(bytesSort()), dflt(hdrSeqSort()));
      break;
    }
    case SortKind::Uninterp:
    case SortKind::Param: d = ctx_.constant(("dflt." + smtName(s)).c_str(), sort(s)); break;
    case SortKind::Error: throw Unsupported("erroneous sort");
  }
  dflts_.emplace(s, d);
  return d;
}

z3::func_decl ContextCache::function(const FunctionDecl* f) {
  auto it = functions_.find(f);
  if (it != functions_.end()) return it->second;
  z3::sort_vector dom(ctx_);
  for (const Param& p : f->params) dom.push_back(sort(p.var->sort));
  z3::func_decl d = ctx_.function(("fn." + f->name).c_str(), dom, sort(f->result->resolved));
  functions_.emplace(f, d);
  return d;
}

z3::func_decl ContextCache::checksum16() {
  if (!checksum_) checksum_ = ctx_.function("checksum16", sort(bytesSort()), ctx_.bv_sort(16));
  return *checksum_;
}

}  // namespace ioa::prover::detail
