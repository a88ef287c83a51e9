// An interpreter of checked terms and effect programs over concrete values.
//
// The code generator's conformance checker replays traces of generated code
// with it, and the prover re-checks counterexamples with it, independently of
// any solver. Partial operations (head of the empty sequence, an index out of
// range, division by zero, an undefined map key, the wrong union variant, a
// header of the wrong sort, narrowing a value out of its sort) are reported as
// errors, never given a silent value.
//
// Integer semantics: `Int`/`Nat`/ranges are mathematical integers held in 64
// bits (leaving that range is an error, not a wrap); `div`/`mod` are
// Euclidean (as in SMT-LIB: 0 <= a mod b < |b|); `UIntN` wraps modulo 2^N and
// `shl`/`shr` by N or more give 0. `checksum16` is RFC 1071.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ioa/spec/Model.h"
#include "ioa/spec/Value.h"

namespace ioa {

struct EvalError {
  std::string message;
  SourceRange range;       // the term or statement that failed (may be invalid for internal limits)
  bool undefined = false;  // a partial operation applied outside its domain (not a limit or a missing value)
};

// Values of variables: state variables, action parameters, automaton
// parameters, free constants and bound variables.
class Env {
 public:
  void set(const Var* v, Value x) { vals_[v] = std::move(x); }
  const Value* get(const Var* v) const {
    auto it = vals_.find(v);
    return it == vals_.end() ? nullptr : &it->second;
  }
  Value* getMutable(const Var* v) {
    auto it = vals_.find(v);
    return it == vals_.end() ? nullptr : &it->second;
  }
  void erase(const Var* v) { vals_.erase(v); }
  bool has(const Var* v) const { return vals_.count(v) != 0; }

 private:
  std::unordered_map<const Var*, Value> vals_;
};

// Supplies the value of each `choose` the evaluator meets (effects and initial
// values). `candidates` lists the values that satisfy the `where` clause when
// the domain could be enumerated (finite sort, or bounded by the clause), and is
// null otherwise. Return a value to take it (it is checked against the clause),
// or nullopt to take the first candidate.
class ChoiceOracle {
 public:
  virtual ~ChoiceOracle() = default;
  virtual std::optional<Value> choose(const Expr* chooseExpr, const std::vector<Value>* candidates) = 0;
};

struct EvalLimits {
  uint64_t maxDomain = uint64_t(1) << 20;  // largest domain enumerated for quantifiers, choose and for-loops
  uint64_t maxSteps = uint64_t(1) << 26;   // evaluation steps per top-level call (guards runaway quantifiers)
};

class Evaluator {
 public:
  explicit Evaluator(const Model& model, EvalLimits limits = {});

  // ---- terms and effects. Each returns false on an error; error() says what and where.
  bool eval(const Expr* e, Env& env, Value& out);
  bool evalBool(const Expr* e, Env& env, bool& out);  // null `e` is true
  bool exec(const Block& b, Env& env);

  // ---- automata. A state is one value per FlatAutomaton::state entry, in order.
  using State = std::vector<Value>;
  // Loads state values and action arguments into `env` (on top of whatever it
  // already holds, e.g. automaton parameters or free constants).
  void bindState(const FlatAutomaton& a, const State& s, Env& env) const;
  State readState(const FlatAutomaton& a, const Env& env) const;
  bool bindArgs(const FlatTransition& t, const std::vector<Value>& args, Env& env);
  // Bindings, guard and precondition of `t` with the given arguments.
  bool enabled(const FlatAutomaton& a, const FlatTransition& t, const State& s, const std::vector<Value>& args,
               bool& out, const Env* base = nullptr);
  // Runs `t`'s effect (without checking enabledness) and returns the post-state.
  bool apply(const FlatAutomaton& a, const FlatTransition& t, const State& s, const std::vector<Value>& args,
             State& post, const Env* base = nullptr);
  // The `ensuring` clause of `t` (primed names read `post`); true when absent.
  bool ensuring(const FlatAutomaton& a, const FlatTransition& t, const State& pre, const std::vector<Value>& args,
                const State& post, bool& out, const Env* base = nullptr);
  // Does `s` satisfy the start condition (initial terms, `choose` initial values, `initially`)?
  bool isStart(const FlatAutomaton& a, const State& s, bool& out, const Env* base = nullptr);
  // One start state: initial terms evaluated, `choose` resolved by the oracle or
  // the first candidate, unconstrained variables given their sort's default.
  // `initially` must hold of the result (it is not searched). `given`: values for
  // some variables (by index; an empty one is computed as above), such as a
  // solver's model of the start condition; the result must then be a start
  // state as isStart says.
  bool startState(const FlatAutomaton& a, State& out, const Env* base = nullptr,
                  const std::vector<std::optional<Value>>* given = nullptr);

  // ---- domains and sorts
  // All values of a finite sort (Bool, enumerations, ranges, UInt8/16, and
  // tuples/unions of those), or false when infinite or larger than maxDomain.
  bool finiteDomain(Sort s, std::vector<Value>& out);
  // Checks (and for UIntN/Int conversions, adjusts) a value flowing into `target`:
  // Int into Nat or a range is a narrowing that must fit.
  bool coerce(Value& v, Sort target, SourceRange where);

  void setOracle(ChoiceOracle* o) { oracle_ = o; }
  // Statements `fire` (proof blocks) are handed to this callback; without one they are errors.
  using FireHandler = std::function<bool(const Stmt* fire, const std::vector<Value>& args, Env& env)>;
  void setFireHandler(FireHandler h) { fire_ = std::move(h); }
  // Sort bindings for uninterpreted sorts and type parameters (by name), used
  // for defaults and domains; values of unbound such sorts are opaque.
  void bindSort(const std::string& name, Sort to) { sortBindings_[name] = to; }
  // Values of uninterpreted functions (a counterexample's tables); nullopt: no value known.
  using FunctionValues = std::function<std::optional<Value>(const FunctionDecl* f, const std::vector<Value>& args)>;
  void setUninterpreted(FunctionValues f) { uninterpreted_ = std::move(f); }

  const EvalError& error() const { return error_; }
  const Model& model() const { return model_; }

 private:
  struct Bound {
    const Var* var;
    bool haveLo = false, haveHi = false;
    int64_t lo = 0, hi = 0;  // inclusive
    const Expr* inDomain = nullptr;
  };
  bool fail(SourceRange r, std::string msg);
  bool undefinedAt(SourceRange r, std::string msg);  // (sets EvalError::undefined)
  bool step();
  Sort resolve(Sort s) const;
  bool evalVar(const Expr* e, Env& env, Value& out);
  bool evalArith(const Expr* e, Env& env, Value& out);
  bool evalCompare(const Expr* e, Env& env, Value& out);
  bool evalSeq(const Expr* e, Env& env, Value& out);
  bool evalSet(const Expr* e, Env& env, Value& out);
  bool evalMap(const Expr* e, Env& env, Value& out);
  bool evalMsg(const Expr* e, Env& env, Value& out);
  bool evalQuant(const Expr* e, Env& env, Value& out);
  bool evalChoose(const Expr* e, Env& env, Value& out);
  bool evalLambda(const Expr* e, Env& env, Value& out);
  bool evalFunc(const Expr* e, Env& env, Value& out);
  bool evalArgs(const Expr* e, Env& env, std::vector<Value>& out);
  // Candidate values for variable `v` constrained by `pred` (conjuncts `v < t`,
  // `v <= t`, `v >= t`, `v \in S`, or a finite sort). False if unbounded.
  bool domainFor(const Var* v, const std::vector<const Expr*>& conjs, Env& env, std::vector<Value>& out,
                 SourceRange where);
  bool quantLoop(const Expr* e, size_t k, std::vector<const Var*>& order, const std::vector<const Expr*>& conjs,
                 Env& env, bool forall, bool& result);
  bool assign(const Expr* lhs, Value v, Env& env);
  bool execStmt(const Stmt* s, Env& env);
  bool seqOf(const Value& v, const Expr* at, const std::vector<Value>*& out);

  const Model& model_;
  EvalLimits limits_;
  uint64_t steps_ = 0;
  int depth_ = 0;
  EvalError error_;
  ChoiceOracle* oracle_ = nullptr;
  FireHandler fire_;
  FunctionValues uninterpreted_;
  std::map<std::string, Sort> sortBindings_;
  std::unordered_map<const Var*, Value> constCache_;
  const Env* postEnv_ = nullptr;  // values of primed variables while evaluating `ensuring`
};

// Canonical form of a value of sort `s`, so that equal functions compare equal:
// maps over finite key sorts list every key; other maps drop entries equal to
// their default. Values without maps are returned unchanged.
Value normalizeValue(const Value& v, Sort s);
bool valuesEqual(const Value& a, const Value& b, Sort s);
bool sortHasMap(Sort s);

// Bytes <-> Seq[UInt8] values.
Value bytesValue(const std::vector<uint8_t>& b);
bool valueBytes(const Value& v, std::vector<uint8_t>& out);
// RFC 1071: ones' complement of the ones' complement sum of big-endian 16-bit
// words (an odd last byte is padded with zero). checksum16([]) = 0xFFFF.
uint16_t checksum16(const uint8_t* data, size_t n);

}  // namespace ioa
