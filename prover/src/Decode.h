// Reading spec values out of a Z3 model (private to the prover).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "Encoder.h"

namespace ioa::prover::detail {

class Decoder {
 public:
  Decoder(Encoder& en, const z3::model& m);
  Value decode(Sort s, const z3::expr& t);
  int64_t toInt(const z3::expr& t);
  uint64_t toUInt(const z3::expr& t);
  // Values the decoder cannot show as they are: a sequence longer than it shows (or too many
  // elements in all), cut short; an integer beyond 64 bits. Empty when there is none; otherwise why.
  const std::string& overflow() const { return overflow_; }
  // Every value of sort `s` the model has, when it can list them: a small finite sort (all
  // of it) or an uninterpreted sort (the model's universe). False for any other sort.
  bool allValues(Sort s, std::vector<std::pair<Value, z3::expr>>& out);
  // Starts reading the model again, with every scalar value read so far kept as a key at
  // which sets, multisets, maps and arrays over an infinite sort are read (see keysOf).
  void restart();


 private:
  // The value of a term of a scalar sort in the model. Z3's model evaluation leaves some ground
  // terms unreduced (an array compared with a constant array: a fired action's `pool ~= {}`; a
  // quantifier in its precondition), which read as false or 0 showed a fired abstract action's
  // effect as not taken; such a term, closed and over values, is settled by the simplifier or a
  // small solver call (else it stays as evaluated).
  z3::expr settled(const z3::expr& t);
  static constexpr int kMaxSettleCalls = 64;  // solver calls per counterexample (each at most 1 s)
  int settleCalls_ = 0;
  // The keys at which the model's arrays (values, each of key sort k) are read
  // to show them. A key sort small enough is enumerated (`complete`); for any
  // other the keys are those the arrays' model values mention (store indices,
  // entries of an as-array function, constants compared with a lambda's
  // bound variable, ...), and `other` is a well-formed key they do not
  // mention, where the arrays hold their value for every key not listed.
  struct Key {
    Value v;
    z3::expr t;
  };
  struct KeySet {
    std::vector<Key> keys;
    std::optional<z3::expr> other;
    bool complete = false;
  };
  KeySet keysOf(Sort k, const std::vector<z3::expr>& arrays);
  std::optional<z3::expr> restOf(const KeySet& ks, const z3::expr& arr);
  void collectKeys(const z3::expr& e, const z3::sort& ks, std::vector<z3::expr>& out, std::set<unsigned>& seen);
  bool enumerate(Sort k, std::vector<Key>& out);
  std::optional<z3::expr> freshKey(Sort k, const std::vector<z3::expr>& avoid, int depth = 0);
  bool arrayEntries(const z3::expr& val, std::vector<std::pair<z3::expr, z3::expr>>& entries,
                    std::optional<z3::expr>& dflt);
  // Values read so far (by Z3 sort): the elements a sequence or tuple holds, numbers, enum
  // constants. A set over an infinite sort can be, in a model, an interval of thousands of
  // elements (`lambda x. 1 <= x < 7719`), read at its bounds only: the set shown is then not
  // the model's, and its counterexample was not confirmed (a spec that lost a set's element
  // stayed unknown). Read at these values as well, it is the model's set restricted to them,
  // which is what a counterexample's formulas read of it (the restriction is confirmed).
  void notePoint(const z3::expr& v);
  std::map<unsigned, std::vector<z3::expr>> points_;
  std::set<unsigned> pointIds_;
  Encoder& en_;
  const z3::model& m_;
  std::map<std::string, int64_t> opaqueIds_;
  int64_t budget_;
  std::string overflow_;
};

}  // namespace ioa::prover::detail
