// Internal: symbolic execution of a C++ subset, from the Clang AST to Z3
// terms with bit-vector semantics. Undefined behaviour (signed overflow,
// shifts out of range, division by zero, out-of-bounds indexing, reading an
// uninitialised pointer) is collected as an explicit condition rather than
// given a value, as in Alive2's refinement check.
//
// Values follow the C++ type: a struct is a node with one child per field
// (bases first); a scalar is a leaf (Z3 bit-vector or Bool); arrays lift the
// leaves of their element type into Z3 arrays indexed by 64-bit vectors, so an
// array of structs is a struct of arrays. Pointers and references are paths
// from a root object through field and index steps.
#pragma once

#include <z3++.h>

#include <atomic>
#include <map>
#include <tuple>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/Stmt.h>

namespace ioa::opt {

// An unsupported construct or another reason the translation cannot continue.
struct TranslationError {
  std::string message;
  clang::SourceLocation loc;
};

// The symbolic execution ran out of its time budget.
struct ExecTimeout {};

struct Step {
  enum Kind { Field, Index } kind = Field;
  unsigned field = 0;
  std::optional<z3::expr> index;  // 64-bit
  uint64_t extent = 0;            // array length, for bounds checks
  std::optional<z3::expr> limit;  // dynamic length (bytes of a message), 64-bit
};

struct Path {
  int root = -1;  // -1: null pointer
  uint64_t uid = 0;  // the object's identity (Root::uid): a root index is reused once its object is gone
  std::vector<Step> steps;
  clang::QualType type;  // type of the object designated
};

// When `a` and `b` designate the same object: the same root (and object), the same fields,
// equal indices (a condition on them); false for different objects or shapes.
z3::expr sameObject(z3::context& z, const Path& a, const Path& b);

struct SymVal {
  enum Kind { Leaf, Struct, Ptr, None } kind = None;
  std::optional<z3::expr> leaf;
  std::vector<SymVal> fields;
  std::optional<Path> ptr;         // Ptr with a known target
  std::optional<z3::expr> ptrOk;   // false when the pointer may be unset
  static SymVal ofLeaf(z3::expr e) {
    SymVal v;
    v.kind = Leaf;
    v.leaf = e;
    return v;
  }
};

struct Root {
  std::string name;
  clang::QualType type;
  SymVal value;
  bool readOnly = false;  // a temporary standing for an lvalue it cannot be (a conditional's value)
  bool dead = false;      // its lifetime has ended (a temporary after its full-expression, a block's local after it)
  uint64_t uid = 0;       // unique per object created (0: the compared functions' parameters)
};

using Store = std::vector<Root>;

struct ExecConfig {
  unsigned loopBound = 64;
  unsigned inlineDepth = 24;
};

// A run of one function: final store, return value, conditions.
struct RunResult {
  Store store;
  std::optional<SymVal> ret;
  z3::expr ub;          // some execution path has undefined behaviour
  z3::expr incomplete;  // some loop ran past the unrolling bound
  explicit RunResult(z3::context& c) : ub(c.bool_val(false)), incomplete(c.bool_val(false)) {}
};

class SymExec {
 public:
  SymExec(z3::context& z, clang::ASTContext& ast, ExecConfig cfg = {});

  // Fresh symbolic value of a type, leaves named after `prefix` (e.g. "st.seqno.send_seq").
  SymVal fresh(clang::QualType t, const std::string& prefix, unsigned liftDepth = 0);
  // Default-initialised value (zero for scalars, unset pointers).
  SymVal zero(clang::QualType t, unsigned liftDepth = 0);

  // Runs `fn` with the given arguments. References and pointers are passed as paths into `store`.
  RunResult call(const clang::FunctionDecl* fn, Store store, const std::vector<SymVal>& args,
                 std::optional<Path> thisObj = std::nullopt);
  // Runs the default constructor of a record type on a root (for wiring pointers between members).
  Store construct(Store store, int root);

  z3::context& z() { return z_; }
  clang::ASTContext& ast() { return ast_; }
  unsigned widthOf(clang::QualType t) const;
  bool isSigned(clang::QualType t) const;
  // Leaves of a value with their dotted paths (for decoding models and comparing states).
  void leaves(const SymVal& v, clang::QualType t, const std::string& prefix,
              std::vector<std::pair<std::string, z3::expr>>& out) const;
  std::vector<const clang::FieldDecl*> fieldsOf(const clang::RecordDecl* rd) const;
  std::vector<clang::QualType> fieldTypes(clang::QualType t) const;

  // The runtime's value types are modelled, not executed (their buffers are
  // pooled and reference counted): a message is its header bytes and payload
  // bytes, `Bytes` is bytes and a length. Children: Msg = {hdr, hlen, pay, plen},
  // Bytes = {data, len}; byte arrays are (Array BV64 BV8), lengths BV32.
  enum class Intrinsic { None, Msg, Bytes };
  Intrinsic intrinsicOf(clang::QualType t) const;
  SymVal intrinsicValue(Intrinsic k, const std::string& prefix, unsigned lift, bool zeroed);
  z3::expr padded(const z3::expr& arr, const z3::expr& len, unsigned lift);

  // Path pruning: with an assumption set (the precondition), a branch whose
  // condition is decided by the assumption and the path condition is not
  // explored on its impossible side. decide() answers +1 (always true there),
  // -1 (always false) or 0 (both possible, or the solver gave up).
  // Also sets a deadline for the whole execution (ms from now): past it, decide() throws ExecTimeout.
  void assume(const z3::expr& a, unsigned budgetMs = 0);
  int decide(const z3::expr& live, const z3::expr& c);
  // Set: decide() and the next call inlined throw ExecTimeout, as past the deadline.
  void setCancel(const std::atomic<bool>* cancel) { cancel_ = cancel; }
  bool outOfTime() const;

  // The runtime functions modelled as uninterpreted (checksum16) take whatever value
  // a model gives them. For a counterexample to be one the compiled code shows, those
  // values must be the real ones: for each application in `terms` whose value in `m`
  // is not the real one at the model's arguments, the fact that it has those arguments
  // and the real value. Empty when all agree. `skipped` counts applications too long
  // to compute.
  std::vector<z3::expr> concreteFacts(const z3::model& m, const z3::expr_vector& terms, unsigned& skipped) const;
  // Where undefined behaviour can happen, in the order met: each site's location and the
  // condition under which it happens there. ubSite() is the location of the first of the
  // sites [from, to) that happens in `m` ("" when none does).
  size_t ubSiteCount() const { return ubSites_.size(); }
  std::string ubSite(const z3::model& m, size_t from, size_t to) const;
  unsigned pruningQueries() const { return queries_; }
  double pruningMs() const { return pruningMs_; }
  unsigned pruningUnknown() const { return pruningUnknown_; }
  unsigned pruningModelHits() const { return modelHits_; }
  unsigned pruningRepeats() const { return repeats_; }
  // The same term with every read of an if-then-else of arrays taken into both branches and
  // every read of a lambda beta-reduced: equivalent, over the same constants, and without the
  // array-valued ite that left lambdas the solver could only treat as quantifiers.
  z3::expr normalize(const z3::expr& e);


 private:
  struct Frame;
  friend struct Frame;
  z3::context& z_;
  clang::ASTContext& ast_;
  ExecConfig cfg_;
  unsigned depth_ = 0;
  std::unique_ptr<z3::solver> feas_;
  unsigned queries_ = 0;
  double pruningMs_ = 0;
  unsigned pruningUnknown_ = 0;
  // Z3 resource counts per pruning query (about 20 ms and 200 ms of solving on the
  // development machine); the timeout only guards against a query that does not count.
  static constexpr unsigned kQuickRlimit = 50000, kFullRlimit = 600000, kPruningTimeoutMs = 5000;
  unsigned fullRlimit_ = kFullRlimit;
  unsigned unknownStreak_ = 0;  // full-round queries in a row the solver could not decide
  static constexpr unsigned kUndecidedStreak = 8;  // after this many, the full round gets a tenth
  double deadline_ = 0;  // steady-clock ms; 0 = none
  const std::atomic<bool>* cancel_ = nullptr;
  // The models of the last satisfiable pruning queries (each one a model of the assumptions):
  // a branch both sides of which hold in one of them is decided without the solver.
  static constexpr size_t kKeptModels = 4;  // 8 saved fewer queries than their evaluation cost
  std::vector<z3::model> models_;
  unsigned modelHits_ = 0;
  // decide()'s answers by the ids of the normalized path condition and condition (the terms kept)
  std::map<std::pair<unsigned, unsigned>, std::tuple<z3::expr, z3::expr, int>> decided_;
  unsigned repeats_ = 0;
  int decideNormalized(const z3::expr& nLive, const z3::expr& nC);
  // The byte arrays built by header pushes and by cutting to a length, by Z3 AST id (the terms
  // are kept so an id is never reused while it is here): popping a header just pushed gives
  // the array it was pushed onto.
  struct Shifted {
    z3::expr lambda, arr, k;
  };
  struct Masked {
    z3::expr lambda, n;
  };
  std::map<unsigned, Shifted> shifted_;
  // normalize()'s results by Z3 AST id (and by array and index ids for reads), with the terms
  // kept so an id is not reused while it is here
  std::map<unsigned, std::pair<z3::expr, z3::expr>> norm_;
  std::map<std::pair<unsigned, unsigned>, std::tuple<z3::expr, z3::expr, z3::expr>> normSel_;
  z3::expr normSelect(const z3::expr& a, const z3::expr& i);
  std::map<unsigned, Masked> masked_;
  // The user-written destructor an object of a type would run (its own, a base's or a member's),
  // null when none: the translation does not run destructors, so such an object is an error.
  std::map<const clang::RecordDecl*, const clang::CXXDestructorDecl*> userDtors_;
  const clang::CXXDestructorDecl* userDestructor(clang::QualType t);
  uint64_t nextUid_ = 0;
  std::vector<std::pair<clang::SourceLocation, z3::expr>> ubSites_;
};

std::string describeLoc(const clang::ASTContext& ast, clang::SourceLocation loc);

}  // namespace ioa::opt
