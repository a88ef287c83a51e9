// Internals of the C++ generator: naming, the sort -> C++ type map, and the
// term/statement emitter shared by the automaton, layer and stack emitters.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "ioa/codegen/Generator.h"
#include "ioa/codegen/WireFormat.h"
#include "ioa/spec/Model.h"

namespace ioa::codegen::detail {

// Errors name the construct and where it is; rendered as file:line:col later.
struct Diags {
  struct Item {
    SourceRange range;
    std::string message;
  };
  std::vector<Item> items;
  void error(SourceRange r, std::string msg) { items.push_back({r, std::move(msg)}); }
  size_t count() const { return items.size(); }
};

// A C++ identifier for a spec name ("S.queue" -> "S_queue", "Channel(Bytes)" -> "Channel_Bytes").
std::string ident(const std::string& name);
// An identifier-safe spelling of a sort ("Seq[Int[0..2]]" -> "Seq_R0_2").
std::string sortKey(Sort s);
bool isBytes(Sort s);
std::string cppString(const std::string& s);  // a C++ string literal

class UniqueNames {
 public:
  std::string take(const std::string& base);

 private:
  std::map<std::string, int> used_;
};

class TypeMap {
 public:
  TypeMap(Model& m, const GenOptions& o, Diags& d, const WireFormat& w);
  Sort resolve(Sort s) const;          // bindings for uninterpreted sorts and type parameters
  std::string storage(Sort s, SourceRange at);  // C++ type holding a value (state, fields, elements)
  std::string value(Sort s, SourceRange at);    // C++ type of a term's value (ranges widen to int64_t)
  bool narrowStorage(Sort s) const;    // storage differs from value type (ranges)
  std::string keyTraits(Sort key, SourceRange at, bool& dense);
  uint32_t seqCap() const { return opts_.seqCapacity; }
  // Header sort helpers: marks the header's marshaling functions as needed.
  std::string header(Sort h, SourceRange at);  // function suffix, e.g. "Top_Header"
  // Every named type, header function and trace writer requested so far, in dependency order.
  std::string definitions() const { return defs_; }
  std::string typeName(Sort s) const;  // the C++ name of an enum/tuple/union

 private:
  void defineNamed(Sort s, SourceRange at);
  void defineHeader(Sort h, SourceRange at);
  std::string marshal(Sort s, const std::string& val, const std::string& p, uint32_t off, int depth);
  std::string unmarshal(Sort s, const std::string& lv, const std::string& p, uint32_t off, int depth);
  std::string validate(Sort s, const std::string& p, uint32_t off, int depth);

  const GenOptions& opts_;
  Diags& diags_;
  const WireFormat& wire_;
  std::map<std::string, Sort> bound_;
  std::set<Sort> defined_, defining_, headers_, reportedUnbound_;
  std::set<std::string> badBindings_;  // `--bind M=X` with X no sort: reported once, M not again as unbound
  std::map<Sort, std::string> names_;
  UniqueNames typeNames_;
  std::string defs_;
};

// Emits C++ for checked terms and effect programs. `vars` says how each
// variable in scope is spelled (state variables as "s.x", parameters as
// locals or "a.x", bound variables as fresh locals).
class ExprGen {
 public:
  ExprGen(Model& m, TypeMap& t, Diags& d) : model_(m), types_(t), diags_(d) {}
  std::map<const Var*, std::string> vars;
  std::set<const FunctionDecl*>* usedFunctions = nullptr;  // defined functions called (emitted once, shared)
  std::set<const Var*>* usedConsts = nullptr;

  std::string expr(const Expr* e);
  // A term converted for storing into `target` (narrowing checks, storage casts).
  std::string coerce(const Expr* e, Sort target);
  std::string coerceCode(const std::string& code, Sort from, Sort target);
  std::string block(const Block& b, int indent);
  std::string lvalue(const Expr* e);
  std::string fresh(const std::string& base);
  // Opens loops binding `v` to the values it may take given the conjuncts
  // (a finite sort, `v < t`/`v <= t` bounds, `v \in S`). False when unbounded.
  bool loopFor(const Var* v, const std::vector<const Expr*>& conjs, const std::set<const Var*>& unbound,
               std::string& open, std::string& close, std::string& why);
  // The length of a sequence term, computed without building it; false if unknown.
  bool lengthOf(const Expr* e, std::string& out);
  std::string localFor(const Var* v);  // declares a fresh local name for v in `vars`

 private:
  std::string bin(const char* op, const Expr* e);
  std::string call(const char* fn, const Expr* e);
  std::string quant(const Expr* e);
  std::string choose(const Expr* e);
  std::string lambda(const Expr* e);
  std::string assign(const Stmt* s, const std::string& ind);
  std::string stmt(const Stmt* s, int indent);
  std::string readAs(const std::string& code, Sort s);
  std::string unsupported(const Expr* e, const std::string& what);

  Model& model_;
  TypeMap& types_;
  Diags& diags_;
  int counter_ = 0;
};

std::vector<const Expr*> conjunctsOf(const Expr* e);
// `c` without one pair of enclosing parentheses (for `if (c)`: clang warns on `if ((a == b))`).
std::string bare(const std::string& c);
bool exprEqual(const Expr* a, const Expr* b);
bool mentionsAny(const Expr* e, const std::set<const Var*>& vs);
const Var* rootVar(const Expr* lv);

}  // namespace ioa::codegen::detail

namespace ioa::codegen::detail {

// What the stack and harness emitters need to know about a generated class.
struct ActionCode {
  int index = -1;                    // into FlatAutomaton::actions
  std::string name;                  // spec name, e.g. "C1.lose"
  std::string id;                    // C++ spelling, e.g. "C1_lose"
  ActionKind kind = ActionKind::Input;
  std::vector<std::string> members;  // parameter members of <id>_args, or parameter names of in_<id>
  std::vector<std::string> types;    // their C++ value types
  std::vector<Sort> sorts;
};

struct ClassCode {
  const FlatAutomaton* automaton = nullptr;
  std::string cls;
  std::string header, source;  // file names
  std::string headerText, sourceText;
  bool isLayer = false;
  bool isStack = false;
  std::vector<std::string> layerClasses;  // stacks, top first
  std::vector<ActionCode> actions;
  std::vector<std::string> paramTypes, paramNames;  // automaton parameters (constructor)
  std::vector<Sort> paramSorts;
  const ActionCode* find(const std::string& name) const {
    for (const ActionCode& a : actions)
      if (a.name == name) return &a;
    return nullptr;
  }
};

struct Shared {
  Model& model;
  const GenOptions& opts;
  Diags& diags;
  TypeMap& types;
  const WireFormat& wire;
  std::set<const FunctionDecl*> usedFunctions;
  std::set<const Var*> usedConsts;
  std::string base;       // file prefix
  std::string typesHeader;
  const SourceManager* sources = nullptr;  // for the spec locations marked in handlers
};

// "  // spec t.ioa:48:5: input up(m)\n": where a transition comes from, above its code in a
// handler. The optimizer's errors about a handler point back at the spec through it.
std::string specMark(const Shared& sh, const FlatTransition& t, const std::string& indent);
// The same mark for any spec range ("// spec t.ioa:31:17: fastpath dn").
std::string specMark(const Shared& sh, SourceRange range, const std::string& label, const std::string& indent);

ClassCode emitAutomaton(Shared& sh, const FlatAutomaton& a, const std::string& cls);

}  // namespace ioa::codegen::detail

namespace ioa::codegen::detail {
ClassCode emitStack(Shared& sh, const Stack& st, const std::string& cls, const std::vector<const ClassCode*>& layers);
std::string emitHarness(Shared& sh, const std::vector<ClassCode>& classes, const std::string& ns);
}  // namespace ioa::codegen::detail
