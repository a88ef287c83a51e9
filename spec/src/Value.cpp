#include "ioa/spec/Value.h"

#include <algorithm>

namespace ioa {

Value::Value(const Value& o)
    : kind_(o.kind_),
      width_(o.width_),
      i_(o.i_),
      sort_(o.sort_),
      elems_(o.elems_),
      entries_(o.entries_),
      dflt_(o.dflt_ ? std::make_unique<Value>(*o.dflt_) : nullptr),
      defaultDefined_(o.defaultDefined_),
      bytes_(o.bytes_),
      headers_(o.headers_) {}

Value& Value::operator=(const Value& o) {
  if (this == &o) return *this;
  Value tmp(o);
  *this = std::move(tmp);
  return *this;
}

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::Bool;
  v.i_ = b ? 1 : 0;
  return v;
}

Value Value::integer(int64_t x) {
  Value v;
  v.kind_ = Kind::Int;
  v.i_ = x;
  return v;
}

Value Value::uinteger(uint64_t x, unsigned width) {
  Value v;
  v.kind_ = Kind::UInt;
  v.width_ = width;
  if (width < 64) x &= (uint64_t(1) << width) - 1;
  v.i_ = static_cast<int64_t>(x);
  return v;
}

Value Value::enumeration(Sort s, int index) {
  Value v;
  v.kind_ = Kind::Enum;
  v.sort_ = s;
  v.i_ = index;
  return v;
}

Value Value::tuple(Sort s, std::vector<Value> fields) {
  Value v;
  v.kind_ = Kind::Tuple;
  v.sort_ = s;
  v.elems_ = std::move(fields);
  return v;
}

Value Value::unionOf(Sort s, int variant, Value x) {
  Value v;
  v.kind_ = Kind::Union;
  v.sort_ = s;
  v.i_ = variant;
  v.elems_.push_back(std::move(x));
  return v;
}

Value Value::seq(std::vector<Value> elems) {
  Value v;
  v.kind_ = Kind::Seq;
  v.elems_ = std::move(elems);
  return v;
}

Value Value::set(std::vector<Value> elems) {
  Value v;
  v.kind_ = Kind::Set;
  std::sort(elems.begin(), elems.end());
  elems.erase(std::unique(elems.begin(), elems.end()), elems.end());
  v.elems_ = std::move(elems);
  return v;
}

Value Value::mset(std::vector<std::pair<Value, int64_t>> counts) {
  Value v;
  v.kind_ = Kind::Mset;
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [e, n] : counts) {
    if (n <= 0) continue;
    if (!v.entries_.empty() && v.entries_.back().first == e)
      v.entries_.back().second = Value::integer(v.entries_.back().second.asInt() + n);
    else
      v.entries_.emplace_back(e, Value::integer(n));
  }
  return v;
}

Value Value::map(std::vector<std::pair<Value, Value>> entries, std::unique_ptr<Value> dflt, bool defaultDefined,
                 std::vector<Value> undefinedKeys) {
  Value v;
  v.kind_ = Kind::Map;
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& e : entries) {
    if (!v.entries_.empty() && v.entries_.back().first == e.first) v.entries_.back().second = e.second;
    else v.entries_.push_back(std::move(e));
  }
  v.dflt_ = std::move(dflt);
  v.defaultDefined_ = defaultDefined && v.dflt_;
  if (v.defaultDefined_) {
    std::sort(undefinedKeys.begin(), undefinedKeys.end());
    undefinedKeys.erase(std::unique(undefinedKeys.begin(), undefinedKeys.end()), undefinedKeys.end());
    for (Value& k : undefinedKeys) {
      auto it = std::lower_bound(v.entries_.begin(), v.entries_.end(), k,
                                 [](const auto& e, const Value& key) { return e.first < key; });
      if (it == v.entries_.end() || it->first != k) v.elems_.push_back(std::move(k));
    }
  }
  return v;
}

const std::vector<Value>& Value::noValues() {
  static const std::vector<Value> none;
  return none;
}

Value Value::msg(std::vector<uint8_t> payload, std::vector<std::pair<Sort, Value>> headers) {
  Value v;
  v.kind_ = Kind::Msg;
  v.bytes_ = std::move(payload);
  v.headers_ = std::move(headers);
  return v;
}

Value Value::opaque(Sort s, int64_t id) {
  Value v;
  v.kind_ = Kind::Opaque;
  v.sort_ = s;
  v.i_ = id;
  return v;
}

const Value* Value::lookup(const Value& key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const auto& e, const Value& k) { return e.first < k; });
  if (it != entries_.end() && it->first == key) return &it->second;
  if (defaultDefined_ && std::binary_search(elems_.begin(), elems_.end(), key)) return nullptr;
  return defaultDefined_ ? dflt_.get() : nullptr;
}

Value Value::withEntry(const Value& key, const Value& val) const {
  Value v(*this);
  auto it = std::lower_bound(v.entries_.begin(), v.entries_.end(), key,
                             [](const auto& e, const Value& k) { return e.first < k; });
  if (it != v.entries_.end() && it->first == key) it->second = val;
  else v.entries_.insert(it, {key, val});
  if (kind_ == Kind::Map) std::erase(v.elems_, key);
  return v;
}

template <class T>
static int cmp3(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int Value::compareElems(const Value& o) const {  // lexicographic
  size_t n = std::min(elems_.size(), o.elems_.size());
  for (size_t k = 0; k < n; ++k)
    if (int c = elems_[k].compare(o.elems_[k])) return c;
  return cmp3(elems_.size(), o.elems_.size());
}

int Value::compare(const Value& o) const {
  if (kind_ != o.kind_) return cmp3(static_cast<int>(kind_), static_cast<int>(o.kind_));
  switch (kind_) {
    case Kind::Bool:
    case Kind::Int:
    case Kind::Enum:
    case Kind::Opaque: return cmp3(i_, o.i_);
    case Kind::UInt: return cmp3(static_cast<uint64_t>(i_), static_cast<uint64_t>(o.i_));
    case Kind::Union:
      if (i_ != o.i_) return cmp3(i_, o.i_);
      [[fallthrough]];
    case Kind::Tuple:
    case Kind::Seq:
    case Kind::Set: return compareElems(o);
    case Kind::Mset:
    case Kind::Map: {
      size_t n = std::min(entries_.size(), o.entries_.size());
      for (size_t k = 0; k < n; ++k) {
        if (int c = entries_[k].first.compare(o.entries_[k].first)) return c;
        if (int c = entries_[k].second.compare(o.entries_[k].second)) return c;
      }
      if (int c = cmp3(entries_.size(), o.entries_.size())) return c;
      if (static_cast<bool>(dflt_) != static_cast<bool>(o.dflt_)) return dflt_ ? 1 : -1;
      if (dflt_)
        if (int c = dflt_->compare(*o.dflt_)) return c;
      return kind_ == Kind::Map ? compareElems(o) : 0;  // (a map's undefined keys under a defined default)
    }
    case Kind::Msg: {
      if (int c = cmp3(bytes_, o.bytes_)) return c;
      size_t n = std::min(headers_.size(), o.headers_.size());
      for (size_t k = 0; k < n; ++k) {
        if (headers_[k].first != o.headers_[k].first)
          return cmp3(sortName(headers_[k].first), sortName(o.headers_[k].first));
        if (int c = headers_[k].second.compare(o.headers_[k].second)) return c;
      }
      return cmp3(headers_.size(), o.headers_.size());
    }
  }
  return 0;
}

static std::string bytesText(const std::vector<uint8_t>& b) {
  std::string s = "[";
  for (size_t i = 0; i < b.size(); ++i) s += (i ? ", " : "") + std::to_string(b[i]);
  return s + "]";
}

std::string Value::toString() const {
  switch (kind_) {
    case Kind::Bool: return i_ ? "true" : "false";
    case Kind::Int: return std::to_string(i_);
    case Kind::UInt: return std::to_string(static_cast<uint64_t>(i_));
    case Kind::Enum:
      if (sort_ && sort_->def && i_ >= 0 && i_ < static_cast<int64_t>(sort_->def->values.size()))
        return sort_->def->values[i_];
      return "enum#" + std::to_string(i_);
    case Kind::Opaque: return (sort_ ? sortName(sort_) : std::string("S")) + "!" + std::to_string(i_);
    case Kind::Tuple: {
      std::string s = sort_ ? sortName(sort_) : "";
      s += "(";
      for (size_t k = 0; k < elems_.size(); ++k) {
        if (k) s += ", ";
        if (sort_ && sort_->def && k < sort_->def->fields.size()) s += sort_->def->fields[k].name + ": ";
        s += elems_[k].toString();
      }
      return s + ")";
    }
    case Kind::Union: {
      std::string s = sort_ ? sortName(sort_) : "";
      if (sort_ && sort_->def && i_ >= 0 && i_ < static_cast<int64_t>(sort_->def->fields.size()))
        s += "." + sort_->def->fields[i_].name;
      return s + "(" + (elems_.empty() ? "" : elems_[0].toString()) + ")";
    }
    case Kind::Seq: {
      std::string s = "[";
      for (size_t k = 0; k < elems_.size(); ++k) s += (k ? ", " : "") + elems_[k].toString();
      return s + "]";
    }
    case Kind::Set: {
      std::string s = "{";
      for (size_t k = 0; k < elems_.size(); ++k) s += (k ? ", " : "") + elems_[k].toString();
      return s + "}";
    }
    case Kind::Mset: {
      std::string s = "{";
      bool first = true;
      // a few copies are written out; more as `7 (200 times)` (until 2026-12-04 cut at 64
      // copies without a mark, so 200 and 201 copies read the same and a changed state as unchanged)
      constexpr int64_t kWrittenOut = 4;
      for (const auto& [e, n] : entries_) {
        std::string one = e.toString();
        if (n.asInt() > kWrittenOut) {
          s += (first ? "" : ", ") + one + " (" + std::to_string(n.asInt()) + " times)";
          first = false;
          continue;
        }
        for (int64_t k = 0; k < n.asInt(); ++k) {
          s += (first ? "" : ", ") + one;
          first = false;
        }
      }
      return s + "}";
    }
    case Kind::Map: {
      std::string s = "{";
      bool first = true;
      size_t h = 0;  // the undefined keys, in key order among the entries
      auto holesBefore = [&](const Value* k) {
        for (; h < elems_.size() && (!k || elems_[h] < *k); ++h) {
          s += (first ? "" : ", ") + elems_[h].toString() + " -> undefined";
          first = false;
        }
      };
      for (const auto& [k, v] : entries_) {
        holesBefore(&k);
        s += (first ? "" : ", ") + k.toString() + " -> " + v.toString();
        first = false;
      }
      holesBefore(nullptr);
      if (dflt_ && defaultDefined_) s += std::string(first ? "" : ", ") + "else -> " + dflt_->toString();
      return s + "}";
    }
    case Kind::Msg: {
      std::string s = "Msg(payload: " + bytesText(bytes_);
      if (!headers_.empty()) {
        s += ", headers: [";
        for (size_t k = 0; k < headers_.size(); ++k) s += (k ? ", " : "") + headers_[k].second.toString();
        s += "]";
      }
      return s + ")";
    }
  }
  return "?";
}

Value defaultValue(Sort s) {
  if (!s) return Value();
  switch (s->kind) {
    case SortKind::Bool:
    case SortKind::Error: return Value::boolean(false);
    case SortKind::Int:
    case SortKind::Nat: return Value::integer(0);
    case SortKind::Range: return Value::integer(s->lo);
    case SortKind::UInt: return Value::uinteger(0, s->width);
    case SortKind::Enum: return Value::enumeration(s, 0);
    case SortKind::Tuple: {
      std::vector<Value> f;
      for (const TypeField& tf : s->def->fields) f.push_back(defaultValue(tf.sort));
      return Value::tuple(s, std::move(f));
    }
    case SortKind::Union:
      return Value::unionOf(s, 0, s->def->fields.empty() ? Value() : defaultValue(s->def->fields[0].sort));
    case SortKind::Seq: return Value::seq({});
    case SortKind::Set: return Value::set({});
    case SortKind::Mset: return Value::mset({});
    case SortKind::Map: return Value::map({}, std::make_unique<Value>(defaultValue(s->value())), false);
    case SortKind::Array: return Value::map({}, std::make_unique<Value>(defaultValue(s->value())), true);
    case SortKind::Msg: return Value::msg({}, {});
    case SortKind::Uninterp:
    case SortKind::Param: return Value::opaque(s, 0);
  }
  return Value();
}

}  // namespace ioa
