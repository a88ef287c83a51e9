#include "ioa/spec/Sort.h"

#include <cstdio>

namespace ioa {

int TypeDef::fieldIndex(const std::string& n) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == n) return static_cast<int>(i);
  return -1;
}

int TypeDef::valueIndex(const std::string& n) const {
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] == n) return static_cast<int>(i);
  return -1;
}

SortTable::SortTable() {
  SortNode n;
  n.kind = SortKind::Error;
  error_ = intern(n, "!error");
  n.kind = SortKind::Bool;
  bool_ = intern(n, "Bool");
  n.kind = SortKind::Int;
  int_ = intern(n, "Int");
  n.kind = SortKind::Nat;
  nat_ = intern(n, "Nat");
  n.kind = SortKind::Msg;
  msg_ = intern(n, "Msg");
}

Sort SortTable::intern(SortNode n, const std::string& key) {
  auto it = index_.find(key);
  if (it != index_.end()) return it->second;
  nodes_.push_back(std::move(n));
  Sort s = &nodes_.back();
  index_.emplace(key, s);
  return s;
}

static std::string ptrKey(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%p", p);
  return buf;
}

Sort SortTable::uint(unsigned width) {
  SortNode n;
  n.kind = SortKind::UInt;
  n.width = width;
  return intern(n, "UInt" + std::to_string(width));
}

Sort SortTable::range(int64_t lo, int64_t hi) {
  SortNode n;
  n.kind = SortKind::Range;
  n.lo = lo;
  n.hi = hi;
  return intern(n, "Int[" + std::to_string(lo) + ".." + std::to_string(hi) + "]");
}

Sort SortTable::seq(Sort elem) {
  SortNode n;
  n.kind = SortKind::Seq;
  n.args = {elem};
  return intern(n, "Seq[" + ptrKey(elem) + "]");
}

Sort SortTable::set(Sort elem) {
  SortNode n;
  n.kind = SortKind::Set;
  n.args = {elem};
  return intern(n, "Set[" + ptrKey(elem) + "]");
}

Sort SortTable::mset(Sort elem) {
  SortNode n;
  n.kind = SortKind::Mset;
  n.args = {elem};
  return intern(n, "Mset[" + ptrKey(elem) + "]");
}

Sort SortTable::map(Sort key, Sort value) {
  SortNode n;
  n.kind = SortKind::Map;
  n.args = {key, value};
  return intern(n, "Map[" + ptrKey(key) + "," + ptrKey(value) + "]");
}

Sort SortTable::array(Sort index, Sort elem) {
  SortNode n;
  n.kind = SortKind::Array;
  n.args = {index, elem};
  return intern(n, "Array[" + ptrKey(index) + "," + ptrKey(elem) + "]");
}

Sort SortTable::named(const TypeDef* def) {
  SortNode n;
  n.kind = def->kind;
  n.def = def;
  n.name = def->name;
  return intern(n, "def:" + ptrKey(def));
}

Sort SortTable::uninterp(const std::string& name, const void* owner) {
  SortNode n;
  n.kind = SortKind::Uninterp;
  n.name = name;
  n.owner = owner;
  return intern(n, "sort:" + name + "@" + ptrKey(owner));
}

Sort SortTable::param(const std::string& name, const void* owner) {
  SortNode n;
  n.kind = SortKind::Param;
  n.name = name;
  n.owner = owner;
  return intern(n, "param:" + name + "@" + ptrKey(owner));
}

std::string sortName(Sort s) {
  if (!s) return "?";
  switch (s->kind) {
    case SortKind::Error: return "<error>";
    case SortKind::Bool: return "Bool";
    case SortKind::Int: return "Int";
    case SortKind::Nat: return "Nat";
    case SortKind::Msg: return "Msg";
    case SortKind::UInt: return "UInt" + std::to_string(s->width);
    case SortKind::Range: return "Int[" + std::to_string(s->lo) + ".." + std::to_string(s->hi) + "]";
    case SortKind::Seq:
      if (s->elem()->kind == SortKind::UInt && s->elem()->width == 8) return "Bytes";
      return "Seq[" + sortName(s->elem()) + "]";
    case SortKind::Set: return "Set[" + sortName(s->elem()) + "]";
    case SortKind::Mset: return "Mset[" + sortName(s->elem()) + "]";
    case SortKind::Map: return "Map[" + sortName(s->key()) + ", " + sortName(s->value()) + "]";
    case SortKind::Array: return "Array[" + sortName(s->key()) + ", " + sortName(s->value()) + "]";
    case SortKind::Enum:
    case SortKind::Tuple:
    case SortKind::Union:
    case SortKind::Uninterp:
    case SortKind::Param: return s->name;
  }
  return "?";
}

bool isIntLike(Sort s) {
  return s && (s->kind == SortKind::Int || s->kind == SortKind::Nat || s->kind == SortKind::Range);
}
bool isUInt(Sort s) { return s && s->kind == SortKind::UInt; }
bool isNumeric(Sort s) { return isIntLike(s) || isUInt(s); }
bool isError(Sort s) { return !s || s->kind == SortKind::Error; }

bool isFiniteDomain(Sort s) {
  if (!s) return false;
  switch (s->kind) {
    case SortKind::Bool:
    case SortKind::Range:
    case SortKind::Enum: return true;
    case SortKind::UInt: return s->width <= 16;
    default: return false;
  }
}

bool sortCompatible(Sort expected, Sort actual) {
  if (expected == actual || isError(expected) || isError(actual)) return true;
  if (isIntLike(expected) && isIntLike(actual)) return true;
  if (expected->kind != actual->kind || expected->args.size() != actual->args.size()) return false;
  // Containers are compatible when their element sorts are identical up to Int/Nat/Range
  // only at the top level; nested containers must match exactly.
  return false;
}

Sort substituteSort(SortTable& t, Sort s, const std::map<Sort, Sort>& subst) {
  if (!s) return s;
  switch (s->kind) {
    case SortKind::Param: {
      auto it = subst.find(s);
      return it == subst.end() ? s : it->second;
    }
    case SortKind::Seq: return t.seq(substituteSort(t, s->elem(), subst));
    case SortKind::Set: return t.set(substituteSort(t, s->elem(), subst));
    case SortKind::Mset: return t.mset(substituteSort(t, s->elem(), subst));
    case SortKind::Map: return t.map(substituteSort(t, s->key(), subst), substituteSort(t, s->value(), subst));
    case SortKind::Array:
      return t.array(substituteSort(t, s->key(), subst), substituteSort(t, s->value(), subst));
    default: return s;
  }
}

}  // namespace ioa
