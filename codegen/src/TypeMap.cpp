// Sorts to C++ types (the dialect's table), and the definitions of named
// types and of header marshaling into buffer headroom.
#include <algorithm>
#include <cctype>

#include "Emit.h"

namespace ioa::codegen::detail {

namespace {

const char* kKeywords[] = {
    "alignas",   "alignof",  "and",       "and_eq",    "asm",          "auto",      "bitand",   "bitor",
    "bool",      "break",    "case",      "catch",     "char",         "class",     "compl",    "concept",
    "const",     "consteval", "constexpr", "constinit", "const_cast",  "continue",  "co_await", "co_return",
    "co_yield",  "decltype", "default",   "delete",    "do",           "double",    "dynamic_cast", "else",
    "enum",      "explicit", "export",    "extern",    "false",        "float",     "for",      "friend",
    "goto",      "if",       "inline",    "int",       "long",         "mutable",   "namespace", "new",
    "noexcept",  "not",      "not_eq",    "nullptr",   "operator",     "or",        "or_eq",    "private",
    "protected", "public",   "register",  "reinterpret_cast", "requires", "return",  "short",    "signed",
    "sizeof",    "static",   "static_assert", "static_cast", "struct", "switch",    "template", "this",
    "thread_local", "throw", "true",      "try",       "typedef",      "typeid",    "typename", "union",
    "unsigned",  "using",    "virtual",   "void",      "volatile",     "wchar_t",   "while",    "xor",
    "xor_eq",    "main",     "rt",        "max",       "min",          "tw",        "std"};

}  // namespace

std::string ident(const std::string& name) {
  std::string out;
  for (char c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    char x = ok ? c : '_';
    if (x == '_' && !out.empty() && out.back() == '_') continue;
    out += x;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  while (!out.empty() && out.front() == '_') out.erase(out.begin());
  if (out.empty()) out = "x";
  if (std::isdigit(static_cast<unsigned char>(out[0]))) out = "n" + out;
  for (const char* k : kKeywords)
    if (out == k) return out + "_";
  return out;
}

std::string cppString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool isBytes(Sort s) {
  return s && s->kind == SortKind::Seq && s->elem()->kind == SortKind::UInt && s->elem()->width == 8;
}

std::string sortKey(Sort s) {
  if (!s) return "X";
  switch (s->kind) {
    case SortKind::Bool: return "Bool";
    case SortKind::Int: return "Int";
    case SortKind::Nat: return "Nat";
    case SortKind::UInt: return "U" + std::to_string(s->width);
    case SortKind::Range: {
      auto num = [](int64_t v) { return v < 0 ? "m" + std::to_string(-(v + 1) + 1) : std::to_string(v); };
      return "R" + num(s->lo) + "_" + num(s->hi);
    }
    case SortKind::Seq: return isBytes(s) ? "Bytes" : "Seq_" + sortKey(s->elem());
    case SortKind::Set: return "Set_" + sortKey(s->elem());
    case SortKind::Mset: return "Mset_" + sortKey(s->elem());
    case SortKind::Map: return "Map_" + sortKey(s->key()) + "_" + sortKey(s->value());
    case SortKind::Array: return "Array_" + sortKey(s->key()) + "_" + sortKey(s->value());
    case SortKind::Msg: return "Msg";
    default: return ident(sortName(s));
  }
}

std::string UniqueNames::take(const std::string& base) {
  int& n = used_[base];
  ++n;
  return n == 1 ? base : base + "_" + std::to_string(n);
}

// ------------------------------------------------------------------ TypeMap

TypeMap::TypeMap(Model& m, const GenOptions& o, Diags& d, const WireFormat& w)
    : opts_(o), diags_(d), wire_(w) {
  for (const auto& [name, text] : o.bindings) {
    std::string err;
    Sort s = parseSortText(m, text, err);
    if (!s) {
      diags_.error({}, "binding " + name + "=" + text + ": " + err);
      badBindings_.insert(name);
    } else {
      bound_[name] = s;
    }
  }
}

Sort TypeMap::resolve(Sort s) const {
  if (s && (s->kind == SortKind::Param || s->kind == SortKind::Uninterp)) {
    auto it = bound_.find(s->name);
    if (it != bound_.end()) return it->second;
  }
  return s;
}

bool TypeMap::narrowStorage(Sort s) const {
  s = resolve(s);
  return s && s->kind == SortKind::Range;
}

static std::string rangeStorage(int64_t lo, int64_t hi) {
  if (lo >= 0) {
    if (hi <= 0xFF) return "uint8_t";
    if (hi <= 0xFFFF) return "uint16_t";
    if (hi <= 0xFFFFFFFFll) return "uint32_t";
    return "int64_t";
  }
  if (lo >= -128 && hi <= 127) return "int8_t";
  if (lo >= -32768 && hi <= 32767) return "int16_t";
  if (lo >= INT32_MIN && hi <= INT32_MAX) return "int32_t";
  return "int64_t";
}

std::string TypeMap::keyTraits(Sort key, SourceRange at, bool& dense) {
  key = resolve(key);
  dense = true;
  switch (key->kind) {
    case SortKind::Bool: return "rt::BoolKey";
    case SortKind::Range:
      if (key->hi >= key->lo && static_cast<uint64_t>(key->hi - key->lo) < 4096)
        return "rt::RangeKey<INT64_C(" + std::to_string(key->lo) + "), INT64_C(" + std::to_string(key->hi) + ")>";
      break;
    case SortKind::Enum:
      defineNamed(key, at);
      return "rt::EnumKey<" + typeName(key) + ", " + std::to_string(key->def->values.size()) + ">";
    case SortKind::UInt:
      if (key->width == 8) return "rt::UIntKey<uint8_t>";
      break;
    default: break;
  }
  dense = false;
  return value(key, at);
}

std::string TypeMap::typeName(Sort s) const {
  auto it = names_.find(s);
  return it == names_.end() ? "?" : it->second;
}

std::string TypeMap::storage(Sort s, SourceRange at) {
  s = resolve(s);
  if (!s) return "void";
  switch (s->kind) {
    case SortKind::Error: return "void";
    case SortKind::Bool: return "bool";
    case SortKind::Int:
    case SortKind::Nat: return "int64_t";
    case SortKind::UInt: return "uint" + std::to_string(s->width) + "_t";
    case SortKind::Range: return rangeStorage(s->lo, s->hi);
    case SortKind::Enum:
    case SortKind::Tuple:
    case SortKind::Union:
      defineNamed(s, at);
      return typeName(s);
    case SortKind::Seq:
      if (isBytes(s)) return "rt::Bytes";
      return "rt::Seq<" + storage(s->elem(), at) + ", " + std::to_string(opts_.seqCapacity) + ">";
    case SortKind::Set: return "rt::Set<" + storage(s->elem(), at) + ", " + std::to_string(opts_.setCapacity) + ">";
    case SortKind::Mset: return "rt::Mset<" + storage(s->elem(), at) + ", " + std::to_string(opts_.setCapacity) + ">";
    case SortKind::Map:
    case SortKind::Array: {
      bool dense = false;
      std::string kt = keyTraits(s->key(), at, dense);
      std::string total = s->kind == SortKind::Array ? "true" : "false";
      std::string v = storage(s->value(), at);
      if (dense) return "rt::DenseMap<" + kt + ", " + v + ", " + total + ">";
      return "rt::SparseMap<" + kt + ", " + v + ", " + std::to_string(opts_.setCapacity) + ", " + total + ">";
    }
    case SortKind::Msg: return "rt::Msg";
    case SortKind::Uninterp:
    case SortKind::Param: {
      if (!reportedUnbound_.count(s) && !badBindings_.count(s->name)) {
        reportedUnbound_.insert(s);
        diags_.error(at, std::string(s->kind == SortKind::Param ? "type parameter" : "uninterpreted sort") + " '" +
                             s->name + "' has no binding, so it has no C++ type (bind it, e.g. --bind " + s->name +
                             "=Bytes)");
      }
      return "int64_t";
    }
  }
  return "void";
}

std::string TypeMap::value(Sort s, SourceRange at) {
  Sort r = resolve(s);
  if (r && r->kind == SortKind::Range) return "int64_t";
  return storage(s, at);
}

static std::string fieldDefault(Sort s) {
  if (s && s->kind == SortKind::Range && s->lo != 0) return "{" + std::to_string(s->lo) + "}";
  return "{}";
}

void TypeMap::defineNamed(Sort s, SourceRange at) {
  if (defined_.count(s) || defining_.count(s)) return;
  defining_.insert(s);
  const TypeDef* d = s->def;
  std::string name = typeNames_.take(ident(d->name));
  names_[s] = name;
  std::string out;
  if (s->kind == SortKind::Enum) {
    out += "// enumeration " + d->name + "\n";
    out += "enum class " + name + " : " + (d->values.size() <= 256 ? "uint8_t" : "uint16_t") + " {";
    for (size_t k = 0; k < d->values.size(); ++k) out += (k ? ", " : " ") + ident(d->values[k]);
    out += " };\n";
    out += "inline void tw(rt::TraceOut& o, " + name + " x) { rt::tw(o, static_cast<int64_t>(x)); }\n\n";
  } else if (s->kind == SortKind::Tuple) {
    std::vector<std::string> types, fields;
    for (const TypeField& f : d->fields) {
      types.push_back(storage(f.sort, f.range.valid() ? f.range : at));
      fields.push_back(ident(f.name));
    }
    out += "// tuple " + d->name + "\n";
    out += "struct " + name + " {\n";
    for (size_t k = 0; k < fields.size(); ++k)
      out += "  " + types[k] + " " + fields[k] + fieldDefault(resolve(d->fields[k].sort)) + ";\n";
    out += "  friend bool operator==(const " + name + "& a, const " + name + "& b) {\n    return true";
    for (const std::string& f : fields) out += " && a." + f + " == b." + f;
    out += ";\n  }\n";
    out += "  friend bool operator<(const " + name + "& a, const " + name + "& b) {\n";
    for (const std::string& f : fields)
      out += "    if (a." + f + " < b." + f + ") return true;\n    if (b." + f + " < a." + f + ") return false;\n";
    out += "    return false;\n  }\n};\n";
    out += "inline void tw(rt::TraceOut& o, const " + name + "& x) {\n  o.raw(\"( \");\n";
    for (const std::string& f : fields) out += "  tw(o, x." + f + ");\n";
    out += "  o.raw(\") \");\n}\n\n";
  } else if (s->kind == SortKind::Union) {
    std::vector<std::string> types, vtypes;
    for (const TypeField& f : d->fields) {
      types.push_back(storage(f.sort, f.range.valid() ? f.range : at));
      vtypes.push_back(value(f.sort, f.range.valid() ? f.range : at));
    }
    out += "// union " + d->name + "\n";
    out += "struct " + name + " {\n  uint8_t tag = 0;\n";
    for (size_t k = 0; k < types.size(); ++k)
      out += "  " + types[k] + " v" + std::to_string(k) + fieldDefault(resolve(d->fields[k].sort)) + ";  // " +
             d->fields[k].name + "\n";
    for (size_t k = 0; k < types.size(); ++k) {
      std::string v = ident(d->fields[k].name), ks = std::to_string(k);
      bool narrow = narrowStorage(d->fields[k].sort);
      out += "  static " + name + " make_" + v + "(" + vtypes[k] + " x) {\n    " + name + " u;\n    u.tag = " + ks +
             ";\n    u.v" + ks + " = " + (narrow ? "static_cast<" + types[k] + ">(x)" : "x") +
             ";\n    return u;\n  }\n";
      out += "  " + vtypes[k] + " get_" + v + "() const {\n    if (tag != " + ks +
             ") rt::raise(rt::Fault::Variant);\n    return v" + ks + ";\n  }\n";
    }
    out += "  friend bool operator==(const " + name + "& a, const " + name + "& b) {\n";
    out += "    if (a.tag != b.tag) return false;\n    switch (a.tag) {\n";
    for (size_t k = 0; k < types.size(); ++k)
      out += "      case " + std::to_string(k) + ": return a.v" + std::to_string(k) + " == b.v" + std::to_string(k) + ";\n";
    out += "    }\n    return true;\n  }\n";
    out += "  friend bool operator<(const " + name + "& a, const " + name + "& b) {\n";
    out += "    if (a.tag != b.tag) return a.tag < b.tag;\n    switch (a.tag) {\n";
    for (size_t k = 0; k < types.size(); ++k)
      out += "      case " + std::to_string(k) + ": return a.v" + std::to_string(k) + " < b.v" + std::to_string(k) + ";\n";
    out += "    }\n    return false;\n  }\n};\n";
    out += "inline void tw(rt::TraceOut& o, const " + name + "& x) {\n  o.raw(\"< \");\n  tw(o, x.tag);\n";
    out += "  switch (x.tag) {\n";
    for (size_t k = 0; k < types.size(); ++k)
      out += "    case " + std::to_string(k) + ": tw(o, x.v" + std::to_string(k) + "); break;\n";
    out += "  }\n  o.raw(\"> \");\n}\n\n";
  }
  defs_ += out;
  defining_.erase(s);
  defined_.insert(s);
}

// ---- header marshaling

static uint32_t sizeOf(Sort s) {
  uint32_t b = 0;
  std::string why;
  WireFormat::fieldSize(s, b, why);
  return b;
}

std::string TypeMap::marshal(Sort s, const std::string& val, const std::string& p, uint32_t off, int depth) {
  std::string at = p + " + " + std::to_string(off);
  std::string ind(2 + 2 * depth, ' ');
  switch (s->kind) {
    case SortKind::Bool: return ind + p + "[" + std::to_string(off) + "] = (" + val + ") ? 1 : 0;\n";
    case SortKind::UInt:
      return ind + "rt::put_u" + std::to_string(s->width) + "(" + at + ", " + val + ");\n";
    case SortKind::Int:
    case SortKind::Nat: return ind + "rt::put_u64(" + at + ", static_cast<uint64_t>(" + val + "));\n";
    case SortKind::Range:
      return ind + "rt::put_uN(" + at + ", static_cast<uint64_t>(static_cast<int64_t>(" + val + ") - INT64_C(" +
             std::to_string(s->lo) + ")), " + std::to_string(WireFormat::rangeBytes(s->lo, s->hi)) + ");\n";
    case SortKind::Enum:
      return ind + "rt::put_uN(" + at + ", static_cast<uint64_t>(" + val + "), " +
             std::to_string(WireFormat::enumBytes(s->def->values.size())) + ");\n";
    case SortKind::Tuple: {
      std::string out;
      uint32_t o = off;
      for (const TypeField& f : s->def->fields) {
        out += marshal(resolve(f.sort), val + "." + ident(f.name), p, o, depth);
        o += sizeOf(resolve(f.sort));
      }
      return out;
    }
    case SortKind::Union: {
      uint32_t total = sizeOf(s);
      std::string out = ind + "for (uint32_t k = 0; k < " + std::to_string(total) + "; ++k) " + p + "[" +
                        std::to_string(off) + " + k] = 0;\n";
      out += ind + p + "[" + std::to_string(off) + "] = " + val + ".tag;\n";
      out += ind + "switch (" + val + ".tag) {\n";
      for (size_t k = 0; k < s->def->fields.size(); ++k) {
        out += ind + "  case " + std::to_string(k) + ":\n";
        out += marshal(resolve(s->def->fields[k].sort), val + ".v" + std::to_string(k), p, off + 1, depth + 2);
        out += ind + "    break;\n";
      }
      out += ind + "}\n";
      return out;
    }
    default: return ind + "// no wire encoding\n";
  }
}

std::string TypeMap::unmarshal(Sort s, const std::string& lv, const std::string& p, uint32_t off, int depth) {
  std::string at = p + " + " + std::to_string(off);
  std::string ind(2 + 2 * depth, ' ');
  switch (s->kind) {
    case SortKind::Bool: return ind + lv + " = " + p + "[" + std::to_string(off) + "] != 0;\n";
    case SortKind::UInt: return ind + lv + " = rt::get_u" + std::to_string(s->width) + "(" + at + ");\n";
    case SortKind::Int:
    case SortKind::Nat: return ind + lv + " = static_cast<int64_t>(rt::get_u64(" + at + "));\n";
    case SortKind::Range:
      return ind + lv + " = static_cast<" + rangeStorage(s->lo, s->hi) + ">(INT64_C(" + std::to_string(s->lo) +
             ") + static_cast<int64_t>(rt::get_uN(" + at + ", " +
             std::to_string(WireFormat::rangeBytes(s->lo, s->hi)) + ")));\n";
    case SortKind::Enum:
      return ind + lv + " = static_cast<" + typeName(s) + ">(rt::get_uN(" + at + ", " +
             std::to_string(WireFormat::enumBytes(s->def->values.size())) + "));\n";
    case SortKind::Tuple: {
      std::string out;
      uint32_t o = off;
      for (const TypeField& f : s->def->fields) {
        out += unmarshal(resolve(f.sort), lv + "." + ident(f.name), p, o, depth);
        o += sizeOf(resolve(f.sort));
      }
      return out;
    }
    case SortKind::Union: {
      std::string out = ind + lv + ".tag = " + p + "[" + std::to_string(off) + "];\n";
      out += ind + "switch (" + lv + ".tag) {\n";
      for (size_t k = 0; k < s->def->fields.size(); ++k) {
        out += ind + "  case " + std::to_string(k) + ":\n";
        out += unmarshal(resolve(s->def->fields[k].sort), lv + ".v" + std::to_string(k), p, off + 1, depth + 2);
        out += ind + "    break;\n";
      }
      out += ind + "}\n";
      return out;
    }
    default: return "";
  }
}

std::string TypeMap::validate(Sort s, const std::string& p, uint32_t off, int depth) {
  std::string at = p + " + " + std::to_string(off);
  std::string ind(2 + 2 * depth, ' ');
  switch (s->kind) {
    case SortKind::Bool: return ind + "if (" + p + "[" + std::to_string(off) + "] > 1) return false;\n";
    case SortKind::Nat: return ind + "if (static_cast<int64_t>(rt::get_u64(" + at + ")) < 0) return false;\n";
    case SortKind::Range:
      return ind + "if (rt::get_uN(" + at + ", " + std::to_string(WireFormat::rangeBytes(s->lo, s->hi)) +
             ") > UINT64_C(" + std::to_string(static_cast<uint64_t>(s->hi) - static_cast<uint64_t>(s->lo)) +
             ")) return false;\n";
    case SortKind::Enum:
      return ind + "if (rt::get_uN(" + at + ", " + std::to_string(WireFormat::enumBytes(s->def->values.size())) +
             ") >= " + std::to_string(s->def->values.size()) + ") return false;\n";
    case SortKind::Tuple: {
      std::string out;
      uint32_t o = off;
      for (const TypeField& f : s->def->fields) {
        out += validate(resolve(f.sort), p, o, depth);
        o += sizeOf(resolve(f.sort));
      }
      return out;
    }
    case SortKind::Union: {
      std::string out = ind + "switch (" + p + "[" + std::to_string(off) + "]) {\n";
      for (size_t k = 0; k < s->def->fields.size(); ++k) {
        out += ind + "  case " + std::to_string(k) + ":\n";
        out += validate(resolve(s->def->fields[k].sort), p, off + 1, depth + 2);
        out += ind + "    break;\n";
      }
      out += ind + "  default: return false;\n" + ind + "}\n";
      return out;
    }
    default: return "";
  }
}

std::string TypeMap::header(Sort h, SourceRange at) {
  if (!headers_.count(h)) defineHeader(h, at);
  return headers_.count(h) ? names_[h] : "bad_header";
}

void TypeMap::defineHeader(Sort h, SourceRange at) {
  const HeaderLayout* lay = wire_.find(h);
  if (!lay) {
    diags_.error(at, "header sort " + sortName(h) + " belongs to no layer");
    return;
  }
  uint32_t bytes = 0;
  std::string why;
  Sort rh = resolve(h);
  if (!WireFormat::fieldSize(rh, bytes, why)) {
    diags_.error(lay->range, "the header of layer " + lay->owner + " cannot be marshaled: " + why);
    return;
  }
  if (bytes + 1 > 200) {
    diags_.error(lay->range, "the header of layer " + lay->owner + " takes " + std::to_string(bytes + 1) +
                                 " bytes; headers are limited to 200 bytes");
    return;
  }
  std::string type = storage(h, at);
  std::string name = (rh->kind == SortKind::Tuple || rh->kind == SortKind::Union || rh->kind == SortKind::Enum)
                         ? typeName(rh)
                         : typeNames_.take("Hdr_" + sortKey(rh));
  names_[h] = name;
  headers_.insert(h);
  std::string tag = "kTag_" + name, size = "kSize_" + name;
  std::string out = "// header of layer " + lay->owner + ": tag " + std::to_string(lay->tag) + ", " +
                    std::to_string(bytes + 1) + " bytes on the wire (see ioa/rt/wire.h)\n";
  out += "inline constexpr uint8_t " + tag + " = " + std::to_string(lay->tag) + ";\n";
  out += "inline constexpr uint32_t " + size + " = " + std::to_string(bytes + 1) + ";\n";
  out += "inline bool hashdr_" + name + "(const rt::Msg& m) {\n";
  out += "  if (m.header_len() < " + size + ") return false;\n";
  out += "  const uint8_t* p = m.header_data();\n";
  out += "  if (p[0] != " + tag + ") return false;\n";
  out += validate(rh, "p", 1, 0);
  out += "  return true;\n}\n";
  out += "inline " + type + " hdr_" + name + "(const rt::Msg& m) {\n  " + type + " h{};\n";
  out += "  if (!hashdr_" + name + "(m)) {\n    rt::raise(rt::Fault::Header);\n    return h;\n  }\n";
  out += "  const uint8_t* p = m.header_data();\n";
  out += unmarshal(rh, "h", "p", 1, 0);
  out += "  return h;\n}\n";
  out += "inline rt::Msg pop_" + name + "(const rt::Msg& m) {\n  rt::Msg r(m);\n";
  out += "  if (!hashdr_" + name + "(m)) {\n    rt::raise(rt::Fault::Header);\n    return r;\n  }\n";
  out += "  r.pop_front(" + size + ");\n  return r;\n}\n";
  out += "inline rt::Msg push_" + name + "(const rt::Msg& m, const " + type + "& h) {\n";
  out += "  uint8_t* p = nullptr;\n  rt::Msg r = rt::Msg::pushed(m, " + size + ", p);\n";
  out += "  p[0] = " + tag + ";\n";
  out += marshal(rh, "h", "p", 1, 0);
  out += "  return r;\n}\n\n";
  defs_ += out;
}

}  // namespace ioa::codegen::detail
