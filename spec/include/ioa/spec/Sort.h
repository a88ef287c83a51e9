// Semantic sorts. Sorts are interned in a SortTable, so two sorts are equal
// exactly when their pointers are equal.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ioa/spec/Source.h"

namespace ioa {

enum class SortKind : uint8_t {
  Error,     // result of a sort error; compatible with everything to avoid cascades
  Bool, Int, Nat,
  UInt,      // width 8/16/32/64
  Range,     // Int[lo..hi]
  Seq, Set, Mset,
  Map, Array,
  Enum, Tuple, Union,
  Uninterp,  // `sort S`
  Param,     // automaton type parameter `M: type`
  Msg,       // built-in message: payload Bytes plus a stack of headers
};

struct SortNode;
using Sort = const SortNode*;

struct TypeField {
  std::string name;
  Sort sort = nullptr;
  SourceRange range;
};

// Definition of a declared enumeration, tuple or union type.
struct TypeDef {
  std::string name;
  SortKind kind = SortKind::Enum;
  std::vector<std::string> values;       // enumeration constants
  std::vector<SourceRange> valueRanges;
  std::vector<TypeField> fields;         // tuple fields or union variants
  SourceRange range;
  int fieldIndex(const std::string& n) const;
  int valueIndex(const std::string& n) const;
};

struct SortNode {
  SortKind kind = SortKind::Error;
  unsigned width = 0;                    // UInt
  int64_t lo = 0, hi = 0;                // Range
  std::vector<Sort> args;                // Seq/Set/Mset: {elem}; Map/Array: {key, value}
  const TypeDef* def = nullptr;          // Enum/Tuple/Union
  std::string name;                      // Uninterp/Param
  const void* owner = nullptr;           // Param: the declaring automaton

  Sort elem() const { return args.at(0); }
  Sort key() const { return args.at(0); }
  Sort value() const { return args.at(1); }
};

class SortTable {
 public:
  SortTable();
  Sort error() const { return error_; }
  Sort boolean() const { return bool_; }
  Sort integer() const { return int_; }
  Sort nat() const { return nat_; }
  Sort msg() const { return msg_; }
  Sort uint(unsigned width);
  Sort range(int64_t lo, int64_t hi);
  Sort seq(Sort elem);
  Sort bytes() { return seq(uint(8)); }
  Sort set(Sort elem);
  Sort mset(Sort elem);
  Sort map(Sort key, Sort value);
  Sort array(Sort index, Sort elem);
  Sort named(const TypeDef* def);          // enum, tuple, union
  Sort uninterp(const std::string& name, const void* owner);
  Sort param(const std::string& name, const void* owner);
  TypeDef* newTypeDef() { return &defs_.emplace_back(); }

 private:
  Sort intern(SortNode n, const std::string& key);
  std::deque<SortNode> nodes_;
  std::deque<TypeDef> defs_;
  std::map<std::string, Sort> index_;
  Sort error_, bool_, int_, nat_, msg_;
};

std::string sortName(Sort s);
bool isIntLike(Sort s);      // Int, Nat, Range: mathematical integers
bool isUInt(Sort s);
bool isNumeric(Sort s);      // intLike or UInt
bool isFiniteDomain(Sort s); // Bool, Range, Enum, UInt8/16 (usable in for-loops and codegen arrays)
bool isError(Sort s);
// Sorts that may be used where `expected` is wanted (Nat and ranges flow into Int and back,
// with a well-definedness obligation for the narrowing direction).
bool sortCompatible(Sort expected, Sort actual);
// Replaces type parameters using the map (for instantiating parameterized automata).
Sort substituteSort(SortTable& t, Sort s, const std::map<Sort, Sort>& subst);

}  // namespace ioa
