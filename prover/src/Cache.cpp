#include "Cache.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace ioa::prover::detail {

namespace fs = std::filesystem;

namespace {
constexpr const char* kMagic = "ioawb-result 2";  // 2: maps list their undefined keys
constexpr const char* kKeyMagic = "ioawb-query-hashes 1";

bool isHash(const std::string& h) {
  if (h.size() != 64) return false;
  for (char c : h)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Writes `text` to `p` through a temporary file renamed into place, so that a
// reader (another worker, another process) sees the whole file or none.
void writeAtomically(const fs::path& p, const std::string& text) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) return;
  std::ostringstream tmpName;
  tmpName << p.string() << ".tmp." << std::hash<std::thread::id>{}(std::this_thread::get_id());
  {
    std::ofstream out(tmpName.str(), std::ios::trunc);
    if (!out) return;
    out << text;
    if (!out) return;
  }
  fs::rename(tmpName.str(), p, ec);
  if (ec) fs::remove(tmpName.str(), ec);
}

void enc(const Value& v, const SortCatalog& cat, std::string& out) {
  auto tok = [&](const std::string& t) {
    if (!out.empty()) out += ' ';
    out += t;
  };
  switch (v.kind()) {
    case Value::Kind::Bool: tok(v.asBool() ? "b1" : "b0"); return;
    case Value::Kind::Int: tok("i" + std::to_string(v.asInt())); return;
    case Value::Kind::UInt: tok("u" + std::to_string(v.asUInt())); return;
    case Value::Kind::Enum: tok("e" + std::to_string(v.index())); return;
    case Value::Kind::Opaque: tok("o" + std::to_string(v.asInt())); return;
    case Value::Kind::Tuple:
      tok("t" + std::to_string(v.elems().size()));
      for (const Value& f : v.elems()) enc(f, cat, out);
      return;
    case Value::Kind::Union:
      tok("n" + std::to_string(v.index()));
      enc(v.elems().at(0), cat, out);
      return;
    case Value::Kind::Seq:
    case Value::Kind::Set:
      tok((v.kind() == Value::Kind::Seq ? "s" : "z") + std::to_string(v.elems().size()));
      for (const Value& f : v.elems()) enc(f, cat, out);
      return;
    case Value::Kind::Mset:
      tok("m" + std::to_string(v.entries().size()));
      for (const auto& [e, n] : v.entries()) {
        enc(e, cat, out);
        enc(n, cat, out);
      }
      return;
    case Value::Kind::Map:
      tok("p" + std::to_string(v.entries().size()));
      for (const auto& [k, x] : v.entries()) {
        enc(k, cat, out);
        enc(x, cat, out);
      }
      if (!v.mapDefault()) {
        tok("d0");
      } else {
        tok(v.defaultDefined() ? "d1" : "d2");
        enc(*v.mapDefault(), cat, out);
      }
      tok("u" + std::to_string(v.undefinedKeys().size()));
      for (const Value& k : v.undefinedKeys()) enc(k, cat, out);
      return;
    case Value::Kind::Msg:
      tok("g" + std::to_string(v.payload().size()));
      for (uint8_t b : v.payload()) tok(std::to_string(b));
      tok("h" + std::to_string(v.headers().size()));
      for (const auto& [hs, hv] : v.headers()) {
        tok(std::to_string(cat.headerIndex(hs)));
        enc(hv, cat, out);
      }
      return;
  }
}

class Reader {
 public:
  Reader(std::string_view t, const SortCatalog& cat) : t_(t), cat_(cat) {}
  bool value(Sort s, Value& out);
  bool done() {
    skip();
    return p_ >= t_.size();
  }

 private:
  void skip() {
    while (p_ < t_.size() && t_[p_] == ' ') ++p_;
  }
  bool token(std::string& out) {
    skip();
    if (p_ >= t_.size()) return false;
    size_t q = t_.find(' ', p_);
    if (q == std::string_view::npos) q = t_.size();
    out = std::string(t_.substr(p_, q - p_));
    p_ = q;
    return true;
  }
  bool tagged(char tag, std::string& rest) {
    std::string t;
    if (!token(t) || t.empty() || t[0] != tag) return false;
    rest = t.substr(1);
    return true;
  }
  bool count(char tag, int64_t& n) {
    std::string r;
    if (!tagged(tag, r) || r.empty()) return false;
    n = std::strtoll(r.c_str(), nullptr, 10);
    return n >= 0;
  }
  std::string_view t_;
  const SortCatalog& cat_;
  size_t p_ = 0;
};

bool Reader::value(Sort s, Value& out) {
  std::string r;
  int64_t n = 0;
  if (!s || s->kind == SortKind::Int || s->kind == SortKind::Nat || s->kind == SortKind::Range) {
    if (!tagged('i', r)) return false;
    out = Value::integer(std::strtoll(r.c_str(), nullptr, 10));
    return true;
  }
  switch (s->kind) {
    case SortKind::Bool:
      if (!tagged('b', r)) return false;
      out = Value::boolean(r == "1");
      return true;
    case SortKind::UInt:
      if (!tagged('u', r)) return false;
      out = Value::uinteger(std::strtoull(r.c_str(), nullptr, 10), s->width);
      return true;
    case SortKind::Enum:
      if (!tagged('e', r)) return false;
      out = Value::enumeration(s, static_cast<int>(std::strtol(r.c_str(), nullptr, 10)));
      return true;
    case SortKind::Uninterp:
    case SortKind::Param:
      if (!tagged('o', r)) return false;
      out = Value::opaque(s, std::strtoll(r.c_str(), nullptr, 10));
      return true;
    case SortKind::Tuple: {
      if (!count('t', n) || n != static_cast<int64_t>(s->def->fields.size())) return false;
      std::vector<Value> fs(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i)
        if (!value(s->def->fields[static_cast<size_t>(i)].sort, fs[static_cast<size_t>(i)])) return false;
      out = Value::tuple(s, fs);
      return true;
    }
    case SortKind::Union: {
      if (!count('n', n)) return false;
      Sort vs = nullptr;
      if (s->def) {
        if (n >= static_cast<int64_t>(s->def->fields.size())) return false;
        vs = s->def->fields[static_cast<size_t>(n)].sort;
      } else {
        if (n >= static_cast<int64_t>(cat_.headers().size())) return false;
        vs = cat_.headers()[static_cast<size_t>(n)];
      }
      Value x;
      if (!value(vs, x)) return false;
      out = Value::unionOf(s, static_cast<int>(n), x);
      return true;
    }
    case SortKind::Seq:
    case SortKind::Set: {
      if (!count(s->kind == SortKind::Seq ? 's' : 'z', n)) return false;
      std::vector<Value> xs(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i)
        if (!value(s->elem(), xs[static_cast<size_t>(i)])) return false;
      out = s->kind == SortKind::Seq ? Value::seq(xs) : Value::set(xs);
      return true;
    }
    case SortKind::Mset: {
      if (!count('m', n)) return false;
      std::vector<std::pair<Value, int64_t>> cs;
      for (int64_t i = 0; i < n; ++i) {
        Value e, c;
        if (!value(s->elem(), e) || !value(nullptr, c)) return false;
        cs.emplace_back(e, c.asInt());
      }
      out = Value::mset(cs);
      return true;
    }
    case SortKind::Map:
    case SortKind::Array: {
      if (!count('p', n)) return false;
      std::vector<std::pair<Value, Value>> es;
      for (int64_t i = 0; i < n; ++i) {
        Value k, x;
        if (!value(s->key(), k) || !value(s->value(), x)) return false;
        es.emplace_back(k, x);
      }
      if (!tagged('d', r)) return false;
      std::unique_ptr<Value> d;
      if (r != "0") {
        d = std::make_unique<Value>();
        if (!value(s->value(), *d)) return false;
      }
      int64_t nu = 0;
      if (!count('u', nu)) return false;
      std::vector<Value> holes(static_cast<size_t>(nu));
      for (Value& k : holes)
        if (!value(s->key(), k)) return false;
      out = Value::map(es, std::move(d), r == "1", std::move(holes));
      return true;
    }
    case SortKind::Msg: {
      if (!count('g', n)) return false;
      std::vector<uint8_t> bytes;
      for (int64_t i = 0; i < n; ++i) {
        std::string b;
        if (!token(b)) return false;
        bytes.push_back(static_cast<uint8_t>(std::strtoul(b.c_str(), nullptr, 10)));
      }
      int64_t h = 0;
      if (!count('h', h)) return false;
      std::vector<std::pair<Sort, Value>> hs;
      for (int64_t i = 0; i < h; ++i) {
        std::string idx;
        if (!token(idx)) return false;
        long k = std::strtol(idx.c_str(), nullptr, 10);
        if (k < 0 || k >= static_cast<long>(cat_.headers().size())) return false;
        Sort hsort = cat_.headers()[static_cast<size_t>(k)];
        Value hv;
        if (!value(hsort, hv)) return false;
        hs.emplace_back(hsort, hv);
      }
      out = Value::msg(bytes, hs);
      return true;
    }
    default: return false;
  }
}
}  // namespace

std::string encodeValue(const Value& v, const SortCatalog& cat) {
  std::string out;
  enc(v, cat, out);
  return out;
}

bool decodeValue(Sort s, std::string_view text, Value& out, const SortCatalog& cat) {
  Reader r(text, cat);
  return r.value(s, out) && r.done();
}

std::string ObligationCache::path(const std::string& hash, const char* ext) const {
  return (fs::path(dir_) / hash.substr(0, 2) / (hash + ext)).string();
}

namespace {
// Marks a cache file used now (the order in which prune() removes files).
void touch(const std::string& p) {
  std::error_code ec;
  fs::last_write_time(p, fs::file_time_type::clock::now(), ec);
}
}  // namespace

bool ObligationCache::load(const std::string& hash, CacheRecord& r) const {
  const std::string p = path(hash);
  std::ifstream in(p);
  if (!in) return false;
  touch(p);
  std::string line;
  if (!std::getline(in, line) || line != kMagic) return false;
  std::string key;
  r = CacheRecord{};
  size_t nvalues = 0;
  while (in >> key) {
    if (key == "status") {
      std::string s;
      in >> s;
      r.status = s == "proved" ? Status::Proved : s == "refuted" ? Status::Refuted : Status::Unknown;
      r.alone = s == "alone";
    } else if (key == "case") {
      in >> r.caseIndex;
    } else if (key == "segment") {
      in >> r.segment;
    } else if (key == "failed") {
      size_t n = 0;
      in >> n;
      for (size_t i = 0; i < n; ++i) {
        int f = 0;
        in >> f;
        r.failed.push_back(f);
      }
    } else if (key == "phases") {
      in >> r.phases;
      if (r.phases == ".") r.phases.clear();
    } else if (key == "values") {
      in >> nvalues;
      std::getline(in, line);
      for (size_t i = 0; i < nvalues && std::getline(in, line); ++i) r.values.push_back(line);
      break;
    } else {
      return false;
    }
  }
  if (r.values.size() != nvalues) return false;
  return r.status == Status::Proved || r.status == Status::Refuted || r.alone;
}

void ObligationCache::store(const std::string& hash, const CacheRecord& r) const {
  if (r.status != Status::Proved && r.status != Status::Refuted && !r.alone) return;
  std::ostringstream out;
  out << kMagic << "\n";
  out << "status " << (r.alone ? "alone" : r.status == Status::Proved ? "proved" : "refuted") << "\n";
  out << "case " << r.caseIndex << "\n";
  out << "segment " << r.segment << "\n";
  out << "failed " << r.failed.size();
  for (int f : r.failed) out << " " << f;
  out << "\n";
  out << "phases " << (r.phases.empty() ? "." : r.phases) << "\n";
  out << "values " << r.values.size() << "\n";
  for (const std::string& v : r.values) out << v << "\n";
  writeAtomically(path(hash), out.str());
}

ObligationCache::QueryHashes ObligationCache::loadQueryHashes(const std::string& spec) const {
  QueryHashes out;
  const std::string p = path(spec, ".keys");
  std::ifstream in(p);
  std::string line, key, hash;
  if (!in || !std::getline(in, line) || line != kKeyMagic) return out;
  touch(p);
  while (in >> key >> hash)
    if (isHash(key) && isHash(hash)) out[key] = hash;
  return out;
}

void ObligationCache::storeQueryHashes(const std::string& spec, const QueryHashes& hashes) const {
  std::string text = std::string(kKeyMagic) + "\n";
  for (const auto& [key, hash] : hashes)
    if (isHash(key) && isHash(hash)) text += key + " " + hash + "\n";
  writeAtomically(path(spec, ".keys"), text);
}

namespace {
// A file the cache wrote: <64 hex digits>.res or .keys, or a temporary file of one.
bool ownFile(const std::string& name, bool& temporary) {
  temporary = false;
  if (name.size() < 68 || !isHash(name.substr(0, 64))) return false;
  std::string rest = name.substr(64);
  if (rest == ".res" || rest == ".keys") return true;
  temporary = rest.rfind(".res.tmp.", 0) == 0 || rest.rfind(".keys.tmp.", 0) == 0;
  return temporary;
}
}  // namespace

size_t ObligationCache::prune(uint64_t maxBytes, bool force) const {
  if (maxBytes == 0) return 0;
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  const fs::path stamp = fs::path(dir_) / "last-prune";
  if (!force) {
    auto last = fs::last_write_time(stamp, ec);
    if (!ec && now - last < std::chrono::hours(1)) return 0;
  }
  writeAtomically(stamp, "ioawb-last-prune 1\n");
  struct Entry {
    fs::file_time_type used;
    uint64_t size;
    fs::path path;
  };
  std::vector<Entry> files;
  uint64_t total = 0;
  size_t removed = 0;
  for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    bool temporary = false;
    if (!ownFile(it->path().filename().string(), temporary)) continue;
    auto t = it->last_write_time(ec);
    uint64_t n = it->file_size(ec);
    if (ec) {
      ec.clear();
      continue;
    }
    if (temporary) {  // a run killed between writing and renaming
      if (now - t >= std::chrono::hours(1) && fs::remove(it->path(), ec)) ++removed;
      ec.clear();
      continue;
    }
    total += n;
    files.push_back({t, n, it->path()});
  }
  if (total <= maxBytes) return removed;
  std::sort(files.begin(), files.end(), [](const Entry& a, const Entry& b) { return a.used < b.used; });
  const uint64_t target = maxBytes / 4 * 3;
  for (const Entry& e : files) {
    if (total <= target) break;
    if (fs::remove(e.path, ec)) {
      total -= e.size;
      ++removed;
    }
    ec.clear();
  }
  return removed;
}

}  // namespace ioa::prover::detail
