#include "ioa/codegen/WireFormat.h"

namespace ioa::codegen {

WireFormat::WireFormat(const Model& m) {
  for (const AutomatonDecl* d : m.automatonDecls) {
    if (!d->isLayer || !d->headerSort || isError(d->headerSort)) continue;
    if (find(d->headerSort)) continue;
    HeaderLayout h;
    h.sort = d->headerSort;
    h.tag = static_cast<uint8_t>(headers_.size() + 1);
    h.owner = d->name;
    h.range = d->nameRange;
    uint32_t bytes = 0;
    std::string why;
    h.size = fieldSize(d->headerSort, bytes, why) ? 1 + bytes : 0;
    headers_.push_back(h);
  }
}

const HeaderLayout* WireFormat::find(Sort s) const {
  for (const HeaderLayout& h : headers_)
    if (h.sort == s) return &h;
  return nullptr;
}

const HeaderLayout* WireFormat::byTag(uint8_t tag) const {
  for (const HeaderLayout& h : headers_)
    if (h.tag == tag) return &h;
  return nullptr;
}

uint32_t WireFormat::rangeBytes(int64_t lo, int64_t hi) {
  uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  uint32_t b = 1;
  while (b < 8 && (span >> (8 * b)) != 0) ++b;
  return b;
}

uint32_t WireFormat::enumBytes(size_t count) { return count <= 256 ? 1 : 2; }

bool WireFormat::fieldSize(Sort s, uint32_t& bytes, std::string& why) {
  if (!s) {
    why = "unknown sort";
    return false;
  }
  switch (s->kind) {
    case SortKind::Bool: bytes = 1; return true;
    case SortKind::UInt: bytes = s->width / 8; return true;
    case SortKind::Int:
    case SortKind::Nat: bytes = 8; return true;
    case SortKind::Range: bytes = rangeBytes(s->lo, s->hi); return true;
    case SortKind::Enum: bytes = enumBytes(s->def->values.size()); return true;
    case SortKind::Tuple: {
      uint32_t total = 0;
      for (const TypeField& f : s->def->fields) {
        uint32_t b = 0;
        if (!fieldSize(f.sort, b, why)) {
          why = "field '" + f.name + "': " + why;
          return false;
        }
        total += b;
      }
      bytes = total;
      return true;
    }
    case SortKind::Union: {
      uint32_t most = 0;
      for (const TypeField& f : s->def->fields) {
        uint32_t b = 0;
        if (!fieldSize(f.sort, b, why)) {
          why = "variant '" + f.name + "': " + why;
          return false;
        }
        most = b > most ? b : most;
      }
      bytes = 1 + most;
      return true;
    }
    default:
      why = "sort " + sortName(s) + " has no fixed-size wire encoding";
      return false;
  }
}

static uint64_t getN(const uint8_t* p, uint32_t n) {
  uint64_t v = 0;
  for (uint32_t k = 0; k < n; ++k) v = (v << 8) | p[k];
  return v;
}

static void putN(uint8_t* p, uint64_t v, uint32_t n) {
  for (uint32_t k = 0; k < n; ++k) p[k] = static_cast<uint8_t>(v >> (8 * (n - 1 - k)));
}

bool WireFormat::decodeField(Sort s, const uint8_t* p, Value& out) {
  uint32_t bytes = 0;
  std::string why;
  if (!fieldSize(s, bytes, why)) return false;
  switch (s->kind) {
    case SortKind::Bool:
      if (p[0] > 1) return false;
      out = Value::boolean(p[0] != 0);
      return true;
    case SortKind::UInt: out = Value::uinteger(getN(p, bytes), s->width); return true;
    case SortKind::Int: out = Value::integer(static_cast<int64_t>(getN(p, 8))); return true;
    case SortKind::Nat: {
      int64_t v = static_cast<int64_t>(getN(p, 8));
      if (v < 0) return false;
      out = Value::integer(v);
      return true;
    }
    case SortKind::Range: {
      uint64_t off = getN(p, bytes);
      if (off > static_cast<uint64_t>(s->hi) - static_cast<uint64_t>(s->lo)) return false;
      out = Value::integer(static_cast<int64_t>(static_cast<uint64_t>(s->lo) + off));
      return true;
    }
    case SortKind::Enum: {
      uint64_t v = getN(p, bytes);
      if (v >= s->def->values.size()) return false;
      out = Value::enumeration(s, static_cast<int>(v));
      return true;
    }
    case SortKind::Tuple: {
      std::vector<Value> fs;
      uint32_t off = 0;
      for (const TypeField& f : s->def->fields) {
        uint32_t b = 0;
        fieldSize(f.sort, b, why);
        Value v;
        if (!decodeField(f.sort, p + off, v)) return false;
        fs.push_back(std::move(v));
        off += b;
      }
      out = Value::tuple(s, std::move(fs));
      return true;
    }
    case SortKind::Union: {
      if (p[0] >= s->def->fields.size()) return false;
      Value v;
      if (!decodeField(s->def->fields[p[0]].sort, p + 1, v)) return false;
      out = Value::unionOf(s, p[0], std::move(v));
      return true;
    }
    default: return false;
  }
}

void WireFormat::encodeField(Sort s, const Value& v, uint8_t* p) {
  uint32_t bytes = 0;
  std::string why;
  if (!fieldSize(s, bytes, why)) return;
  switch (s->kind) {
    case SortKind::Bool: p[0] = v.asBool() ? 1 : 0; return;
    case SortKind::UInt: putN(p, v.asUInt(), bytes); return;
    case SortKind::Int:
    case SortKind::Nat: putN(p, static_cast<uint64_t>(v.asInt()), 8); return;
    case SortKind::Range: putN(p, static_cast<uint64_t>(v.asInt()) - static_cast<uint64_t>(s->lo), bytes); return;
    case SortKind::Enum: putN(p, static_cast<uint64_t>(v.index()), bytes); return;
    case SortKind::Tuple: {
      uint32_t off = 0;
      for (size_t k = 0; k < s->def->fields.size(); ++k) {
        uint32_t b = 0;
        fieldSize(s->def->fields[k].sort, b, why);
        if (k < v.elems().size()) encodeField(s->def->fields[k].sort, v.elems()[k], p + off);
        off += b;
      }
      return;
    }
    case SortKind::Union: {
      for (uint32_t k = 0; k < bytes; ++k) p[k] = 0;
      p[0] = static_cast<uint8_t>(v.index());
      if (!v.elems().empty() && v.index() >= 0 && v.index() < static_cast<int>(s->def->fields.size()))
        encodeField(s->def->fields[v.index()].sort, v.elems()[0], p + 1);
      return;
    }
    default: return;
  }
}

bool WireFormat::decodeMsg(const std::vector<uint8_t>& hb, const std::vector<uint8_t>& payload, Value& out,
                           std::string& error) const {
  std::vector<std::pair<Sort, Value>> hs;
  size_t off = 0;
  while (off < hb.size()) {
    const HeaderLayout* h = byTag(hb[off]);
    if (!h || h->size == 0) {
      error = "unknown header tag " + std::to_string(hb[off]) + " at byte " + std::to_string(off);
      return false;
    }
    if (hb.size() - off < h->size) {
      error = "header " + sortName(h->sort) + " truncated at byte " + std::to_string(off);
      return false;
    }
    Value v;
    if (!decodeField(h->sort, hb.data() + off + 1, v)) {
      error = "header " + sortName(h->sort) + " at byte " + std::to_string(off) + " does not decode";
      return false;
    }
    hs.emplace_back(h->sort, std::move(v));
    off += h->size;
  }
  out = Value::msg(payload, std::move(hs));
  return true;
}

bool WireFormat::encodeMsg(const Value& msg, std::vector<uint8_t>& out, std::string& error) const {
  out.clear();
  for (const auto& [s, v] : msg.headers()) {
    const HeaderLayout* h = find(s);
    if (!h || h->size == 0) {
      error = "no wire layout for header sort " + sortName(s);
      return false;
    }
    size_t at = out.size();
    out.resize(at + h->size);
    out[at] = h->tag;
    encodeField(s, v, out.data() + at + 1);
  }
  return true;
}

}  // namespace ioa::codegen
