// Encoding of sorts, terms and effect programs into Z3 (private to the prover).
//
// Sorts: Int, Nat and ranges are Int (with well-formedness facts), UIntN are
// bit-vectors, a Seq[T] is a pair (array Int -> T, length) kept canonical (the
// default element outside [0, length)) so that Z3's own equality is sequence
// equality, even for sequences nested in tuples, sets or other sequences.
// Arrays over a small finite index sort (Bool, enumerations, short ranges) are
// tuples with one field per index; other arrays, sets and multisets are Z3
// arrays; maps are (values, defined) array pairs; enumerations, tuples, unions
// and messages are datatypes; uninterpreted sorts and type parameters are
// uninterpreted sorts.
#pragma once

#include <z3++.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "ioa/prover/Query.h"
#include "ioa/prover/Result.h"
#include "ioa/spec/Model.h"
#include "ioa/spec/Value.h"

namespace ioa::prover::detail {

class Interrupts;

// A construct the encoder cannot translate soundly (reported as an error result).
struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Names for declared sorts and the list of message header sorts, computed once
// per model so every worker (and every run) names things the same way.
class SortCatalog {
 public:
  explicit SortCatalog(const Model& m);
  std::string nameOf(Sort s) const;  // declared types, uninterpreted sorts, type parameters
  const std::vector<Sort>& headers() const { return headers_; }
  int headerIndex(Sort h) const;     // -1 if unknown

 private:
  void visit(Sort s);
  std::map<Sort, std::string> names_;
  std::map<std::string, int> used_;
  std::vector<Sort> headers_;
};

// Z3 declarations for one context, shared by the obligations a worker solves.
class ContextCache {
 public:
  // `interrupts`: where the contexts made for this one's obligations (focused attempts,
  // confirmations) are registered, so that a cancel stops them too; may be null.
  ContextCache(z3::context& c, const Model& m, const SortCatalog& cat, Interrupts* interrupts = nullptr);
  z3::context& ctx() { return ctx_; }
  Interrupts* interrupts() const { return interrupts_; }
  const Model& model() const { return model_; }
  const SortCatalog& catalog() const { return cat_; }

  z3::sort sort(Sort s);
  std::string smtName(Sort s);
  z3::expr dflt(Sort s);

  // Finite index sorts: Bool, enumerations, ranges of at most kMaxFinite values (isSmallFiniteSort).
  static constexpr int64_t kMaxFinite = kSmallFiniteMax;
  // The most values `size` of a set or multiset sums over (a tuple of finite sorts): with 32, a
  // one-line step (`size(s) < 10` before an insert keeps `size(s) <= 10`) was past Z3 in 10 s.
  static constexpr int64_t kMaxSummed = kMaxFinite;
  bool isSmallFinite(Sort s) const;
  int64_t finiteSize(Sort s) const;
  z3::expr finiteValue(Sort s, int64_t i);  // the i-th value of a small finite sort
  // The values of a tuple of small finite sorts, each as its fields' value indices (the last field
  // fastest): false when `t` is no such tuple or has more than `max` values.
  bool finiteTupleIndices(Sort t, int64_t max, std::vector<std::vector<int64_t>>& out) const;
  bool isFiniteArray(Sort s) const { return s->kind == SortKind::Array && isSmallFinite(s->key()); }

  // Datatype pieces.
  struct Datatype {
    std::vector<z3::func_decl> ctors;
    std::vector<z3::func_decl> testers;
    std::vector<std::vector<z3::func_decl>> fields;  // per constructor
  };
  const Datatype& datatype(Sort s);  // Seq, Map, finite Array, Tuple, Union, Enum, Msg
  const Datatype& hdrDatatype();     // the union of all header sorts (message header stack elements)
  Sort hdrSeqSort();                 // Seq of that union: a pseudo sort (elements are hdr datatype values)
  z3::sort hdrSort();

  z3::func_decl function(const FunctionDecl* f);  // uninterpreted user function
  // the uninterpreted functions declared in this context so far
  const std::map<const FunctionDecl*, z3::func_decl>& functions() const { return functions_; }
  z3::func_decl checksum16();

 private:
  z3::sort build(Sort s);
  z3::sort tupleLike(const std::string& name, const std::vector<std::string>& fields, const std::vector<z3::sort>& sorts,
                     Sort key);
  z3::context& ctx_;
  const Model& model_;
  const SortCatalog& cat_;
  Interrupts* interrupts_;
  std::map<Sort, z3::sort> sorts_;
  std::map<std::string, z3::sort> byName_;
  std::map<std::string, Datatype> datatypes_;  // by smt name
  std::map<Sort, z3::expr> dflts_;
  std::map<const FunctionDecl*, z3::func_decl> functions_;
  std::optional<z3::func_decl> checksum_;
  std::optional<z3::sort> hdrSort_;
  Datatype hdr_;
  std::map<std::string, z3::sort> uninterp_;
};

// Values of variables, in insertion order (deterministic encodings).
class Env {
 public:
  const z3::expr* find(const Var* v) const;
  void set(const Var* v, const z3::expr& e);
  const std::vector<std::pair<const Var*, z3::expr>>& items() const { return items_; }

 private:
  std::vector<std::pair<const Var*, z3::expr>> items_;
  std::unordered_map<const Var*, size_t> index_;
};

// The text of a failed enabledness side condition: "the abstract action deq(x) must be
// enabled here but is not" (`when`: "here", "after deq").
inline std::string enabledLabel(const std::string& call, const std::string& when) {
  return "the abstract action " + call + " must be enabled " + when + " but is not";
}

struct SideCond {
  SideKind kind;
  z3::expr cond;
  std::string label;
  SourceRange range;
  // the enabledness of a fired abstract action: the call and its arguments, as written
  std::string call = {};
  std::vector<std::string> args = {};
};

struct Fired {
  z3::expr pc;
  std::string action;
  ActionKind kind;
  std::vector<z3::expr> args;
  std::vector<Sort> sorts;
};

// A free symbol of the query (for counterexamples and re-checking).
struct Input {
  std::string name;
  Sort sort;
  z3::expr sym;
};

class Encoder {
 public:
  Encoder(ContextCache& cc);
  z3::context& ctx() { return cc_.ctx(); }
  ContextCache& cache() { return cc_; }

  // --- symbols
  // A fresh constant; its well-formedness is appended to `facts`.
  z3::expr fresh(const std::string& name, Sort s, std::vector<z3::expr>& facts);
  z3::expr boundConst(const std::string& hint, Sort s);  // for quantifiers and lambdas
  std::vector<z3::expr> witnessCandidates(const Var* bv, const z3::expr& x);  // (of a choose)
  std::string uniqueName(const std::string& base);
  const std::vector<Input>& inputs() const { return inputs_; }
  // Every sequence inside the free symbols has at most `bound` elements (model search hint).
  z3::expr smallModel(int64_t bound);
  // Pinned values (re-checking): a fresh symbol whose name is pinned is fixed to that value.
  const std::map<std::string, Value>* pinned = nullptr;

  // Canonical form facts (elements outside a sequence's length, values of
  // undefined map keys). They only matter for proofs about whole sequences;
  // model search goes better without them.
  bool canonicity = true;
  // Sequence equality as Z3's equality (sound with canonicity): used for
  // bounded model checking, whose states are built from start values and
  // stay canonical, so that its queries need no quantified equalities.
  bool groundSeqEq = false;

  // --- well-formedness of a free term of sort s (true when nothing to say)
  z3::expr wf(Sort s, const z3::expr& t);
  bool hasWf(Sort s);

  // --- terms
  Env env;
  const Env* postEnv = nullptr;          // primed variables (ensuring clauses)
  std::vector<SideCond>* sides = nullptr;  // where side conditions go (null: dropped)
  z3::expr pc;                           // path condition for side conditions
  std::vector<z3::expr> globalFacts;     // axioms, constants, function ranges
  std::vector<Fired>* fired = nullptr;   // external actions fired by Exec

  z3::expr term(const Expr* e);
  z3::expr narrow(const z3::expr& v, Sort target, const Expr* from);  // adds a narrowing side condition
  void side(SideKind k, const z3::expr& cond, const std::string& label, SourceRange r);
  void side(SideCond s);  // `s.cond` under the current path condition

  // --- programs
  const FlatAutomaton* fireTarget = nullptr;
  std::vector<z3::expr>* hyps = nullptr;  // where Exec puts facts it learns (choose constraints)
  // The symbol of a constant without a defining value, when this encoder has made one.
  std::optional<z3::expr> freeConstant(const Var* v) const;
  // The automaton parameters the encoding has read (`K` of a generic automaton), in that order.
  const std::vector<const Var*>& paramsRead() const { return paramsRead_; }
  // The first conversion of a bit-vector to an integer the encoding made (`Nat(acc)`), for the
  // reason of an undecided query: Z3 decides such mixed queries slowly.
  std::string bvToInt;
  // A choose's `where` holds of its value only when some value satisfies it (Hilbert's epsilon):
  // needed wherever that is a goal (the witness side condition proved, a bounded step's
  // definedness), which assuming the `where` outright would make hold by the chosen value.
  // Elsewhere the `where` is assumed: a step without a witness is then vacuous, and its
  // well-definedness obligation is the one that fails.
  bool epsilonChoose = false;
  // Angelic choices: in a simulation's abstract fragment the proof may take any value a `choose`
  // allows (IOA's nondeterminism), so the goals must hold for some such value, not for one fixed
  // value. When set, each chosen value's symbol and what it must satisfy (its sort's facts, its
  // `where` under the path condition) are collected here; the query encoder states the goals
  // under an existential over them. The symbol itself gets the epsilon facts (a witness when
  // there is one), so a counterexample shows one of the values it rules out.
  struct Angelic {
    std::vector<z3::expr> vars;    // the symbols (parts of the chosen values)
    std::vector<z3::expr> conds;
    std::vector<z3::expr> values;  // the chosen values, one per choose executed
  };
  Angelic* angelic = nullptr;
  void exec(const Block& b);
  void assign(const Expr* lhs, const z3::expr& v);

  // --- helpers used by the query encoder and the decoder
  z3::expr mkSeq(Sort seqSort, const z3::expr& arr, const z3::expr& len);
  z3::expr seqArr(const z3::expr& s);
  z3::expr seqLen(const z3::expr& s);
  z3::expr field(Sort s, int ctor, int field, const z3::expr& t);
  z3::expr arrayGet(Sort arraySort, const z3::expr& a, const z3::expr& k);
  z3::expr arraySet(Sort arraySort, const z3::expr& a, const z3::expr& k, const z3::expr& v);
  z3::expr valueTerm(Sort s, const Value& v);  // canonical term of a decoded value
  std::vector<z3::expr> opaqueFacts;           // distinctness of the opaque values used by valueTerm

  // Start values of an automaton's state (facts about nondeterministic parts appended).
  void startState(const FlatAutomaton& a, const std::string& prefix, std::vector<z3::expr>& facts);

 private:
  z3::expr var(const Var* v);
  z3::expr freshParts(const std::string& n, Sort s);
  z3::expr quant(const Expr* e);
  z3::expr lambdaTerm(const Expr* e);
  z3::expr call(const Expr* e);
  z3::expr seqOp(const Expr* e);
  z3::expr setOp(const Expr* e);
  z3::expr mapOp(const Expr* e);
  z3::expr msgOp(const Expr* e);
  z3::expr arith(const Expr* e);
  z3::expr compare(const Expr* e);
  z3::expr equal(const Expr* a, const Expr* b);
  z3::expr underPc(const z3::expr& extra, const Expr* e);
  z3::expr constArray(Sort arraySort, const z3::expr& v);
  z3::expr opaqueValue(Sort s, int64_t id);
  void execStmt(const Stmt* s);
  void fire(const Stmt* s);
  std::string label(const Expr* e) const;

  ContextCache& cc_;
  int counter_ = 0;
  std::map<std::string, int> names_;
  std::vector<Input> inputs_;
  z3::expr small(Sort s, const z3::expr& t, int64_t bound, int depth);
  std::vector<const Var*> paramsRead_;
  std::map<const Var*, z3::expr> globals_;  // constants and automaton parameters (looked up, never iterated)
  std::map<std::pair<Sort, int64_t>, z3::expr> opaques_;
  std::vector<z3::expr> opaqueList_;
  std::set<const FunctionDecl*> notedFns_;
};

Sort bytesSort();  // Seq[UInt8], the payload of a message
// A quantifier with an id (shows in Z3's statistics and in emitted SMT-LIB).
z3::expr quantified(bool forall, const z3::expr_vector& xs, const z3::expr& body, const std::string& qid);
z3::expr quantified(bool forall, const z3::expr& x, const z3::expr& body, const std::string& qid);
bool isTrue(const z3::expr& e);
bool isFalse(const z3::expr& e);
z3::expr mkAnd(z3::context& c, const std::vector<z3::expr>& xs);
z3::expr mkOr(z3::context& c, const std::vector<z3::expr>& xs);
z3::expr mkImplies(const z3::expr& a, const z3::expr& b);

}  // namespace ioa::prover::detail
