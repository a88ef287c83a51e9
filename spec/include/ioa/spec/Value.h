// Concrete values of spec sorts: what counterexamples are decoded into, what
// the interpreter computes with, and what the workbench displays.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ioa/spec/Sort.h"

namespace ioa {

class Value {
 public:
  enum class Kind : uint8_t { Bool, Int, UInt, Enum, Tuple, Union, Seq, Set, Mset, Map, Msg, Opaque };

  Value() = default;  // Bool false
  static Value boolean(bool b);
  static Value integer(int64_t v);
  static Value uinteger(uint64_t v, unsigned width);
  static Value enumeration(Sort s, int index);
  static Value tuple(Sort s, std::vector<Value> fields);
  static Value unionOf(Sort s, int variant, Value v);
  static Value seq(std::vector<Value> elems);
  static Value set(std::vector<Value> elems);            // sorted and deduplicated here
  static Value mset(std::vector<std::pair<Value, int64_t>> counts);
  // A total function: listed entries, everything else maps to `dflt` (may be absent: undefined).
  // With a defined default, `undefinedKeys` are the keys where the map is nevertheless undefined.
  static Value map(std::vector<std::pair<Value, Value>> entries, std::unique_ptr<Value> dflt, bool defaultDefined,
                   std::vector<Value> undefinedKeys = {});
  static Value msg(std::vector<uint8_t> payload, std::vector<std::pair<Sort, Value>> headers);  // headers: top first
  static Value opaque(Sort s, int64_t id);               // element of an uninterpreted sort

  Kind kind() const { return kind_; }
  bool asBool() const { return i_ != 0; }
  int64_t asInt() const { return i_; }
  uint64_t asUInt() const { return static_cast<uint64_t>(i_); }
  unsigned width() const { return width_; }
  int index() const { return static_cast<int>(i_); }  // Enum value, Union variant
  Sort sort() const { return sort_; }                 // Enum/Tuple/Union/Opaque
  const std::vector<Value>& elems() const { return elems_; }  // Tuple fields, Seq/Set elements, Union payload[0]
  const std::vector<std::pair<Value, Value>>& entries() const { return entries_; }  // Map; Mset: (elem, Int count)
  const Value* mapDefault() const { return dflt_.get(); }
  bool defaultDefined() const { return defaultDefined_; }
  const std::vector<Value>& undefinedKeys() const { return kind_ == Kind::Map ? elems_ : noValues(); }  // Map, sorted
  const std::vector<uint8_t>& payload() const { return bytes_; }
  const std::vector<std::pair<Sort, Value>>& headers() const { return headers_; }

  // Map/Array lookup; nullptr when undefined.
  const Value* lookup(const Value& key) const;
  Value withEntry(const Value& key, const Value& v) const;

  int compare(const Value& o) const;  // total order within one sort
  bool operator==(const Value& o) const { return compare(o) == 0; }
  bool operator!=(const Value& o) const { return compare(o) != 0; }
  bool operator<(const Value& o) const { return compare(o) < 0; }

  std::string toString() const;  // spec syntax: 3, true, [1, 2], {a}, Frame(bit: true, data: [..])

  Value(const Value& o);
  Value& operator=(const Value& o);
  Value(Value&&) noexcept = default;
  Value& operator=(Value&&) noexcept = default;

 private:
  static const std::vector<Value>& noValues();
  int compareElems(const Value& o) const;
  Kind kind_ = Kind::Bool;
  unsigned width_ = 0;
  int64_t i_ = 0;
  Sort sort_ = nullptr;
  std::vector<Value> elems_;  // (Map: the undefined keys under a defined default)
  std::vector<std::pair<Value, Value>> entries_;
  std::unique_ptr<Value> dflt_;
  bool defaultDefined_ = false;
  std::vector<uint8_t> bytes_;
  std::vector<std::pair<Sort, Value>> headers_;
};

// A sort's default value (false, 0, empty, first enumerator, ...), used for
// unconstrained parts of models and for initialising generated state.
Value defaultValue(Sort s);

}  // namespace ioa
