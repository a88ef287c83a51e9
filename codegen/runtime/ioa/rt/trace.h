// Execution traces for conformance checking. Compiled in only with
// IOA_TRACE=1; the generated code then records its start state and, after
// every step, the action, its arguments and the whole state, which
// `ioa::codegen::checkTrace` replays against the spec.
//
// Line format:
//   V name...                       state variable names (flat automaton order)
//   I value...                      start state
//   S action arg... | value...      one step: action, arguments, state after
// Values are space-separated tokens, written by sort: Bool t/f; integers in
// decimal; enumerations by index; tuples ( ... ); unions < index value >;
// sequences [ ... ]; Bytes x<hex>; sets and multisets { ... } (multisets
// repeat elements); maps m{ key value ... } with "* default" before the closing
// brace when every other key maps to a default; Msg M<header hex>.<payload hex>.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "ioa/rt/buffer.h"
#include "ioa/rt/containers.h"

#ifndef IOA_TRACE
#define IOA_TRACE 0
#endif

namespace ioa::rt {

class TraceOut {
 public:
  explicit TraceOut(std::string* s) : s_(s) {}
  explicit TraceOut(std::FILE* f) : f_(f) {}
  void raw(const char* p, size_t n) {
    if (s_) s_->append(p, n);
    if (f_) std::fwrite(p, 1, n, f_);
  }
  void raw(const char* p) { raw(p, std::char_traits<char>::length(p)); }
  void hex(const uint8_t* p, size_t n) {
    static const char* d = "0123456789abcdef";
    char buf[64];
    size_t k = 0;
    for (size_t i = 0; i < n; ++i) {
      buf[k++] = d[p[i] >> 4];
      buf[k++] = d[p[i] & 15];
      if (k == sizeof buf) {
        raw(buf, k);
        k = 0;
      }
    }
    if (k) raw(buf, k);
  }
  void begin_names() { raw("V"); }
  void name(const char* n) {
    raw(" ");
    raw(n);
  }
  void end_line() { raw("\n"); }
  void begin_init() { raw("I "); }
  void begin_step(const char* action) {
    raw("S ");
    raw(action);
    raw(" ");
  }
  void state_sep() { raw("| "); }

 private:
  std::string* s_ = nullptr;
  std::FILE* f_ = nullptr;
};

inline void tw(TraceOut& o, bool b) { o.raw(b ? "t " : "f "); }
inline void tw(TraceOut& o, int64_t x) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%lld ", static_cast<long long>(x));
  o.raw(buf, static_cast<size_t>(n));
}
inline void tw(TraceOut& o, int32_t x) { tw(o, static_cast<int64_t>(x)); }
inline void tw(TraceOut& o, int16_t x) { tw(o, static_cast<int64_t>(x)); }
inline void tw(TraceOut& o, int8_t x) { tw(o, static_cast<int64_t>(x)); }
inline void tw(TraceOut& o, uint64_t x) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%llu ", static_cast<unsigned long long>(x));
  o.raw(buf, static_cast<size_t>(n));
}
inline void tw(TraceOut& o, uint32_t x) { tw(o, static_cast<uint64_t>(x)); }
inline void tw(TraceOut& o, uint16_t x) { tw(o, static_cast<uint64_t>(x)); }
inline void tw(TraceOut& o, uint8_t x) { tw(o, static_cast<uint64_t>(x)); }
inline void tw(TraceOut& o, const Bytes& b) {
  o.raw("x");
  o.hex(b.data(), b.size());
  o.raw(" ");
}
inline void tw(TraceOut& o, const Msg& m) {
  o.raw("M");
  o.hex(m.header_data(), m.header_len());
  o.raw(".");
  o.hex(m.payload_data(), m.payload_len());
  o.raw(" ");
}

template <class T, uint32_t N>
inline void tw(TraceOut& o, const Seq<T, N>& s) {
  o.raw("[ ");
  for (uint32_t k = 0; k < s.size(); ++k) tw(o, s.at(k));
  o.raw("] ");
}
template <class T, uint32_t N>
inline void tw(TraceOut& o, const Set<T, N>& s) {
  o.raw("{ ");
  for (uint32_t k = 0; k < s.size(); ++k) tw(o, s.at(k));
  o.raw("} ");
}
template <class T, uint32_t N>
inline void tw(TraceOut& o, const Mset<T, N>& s) {
  o.raw("{ ");
  for (uint32_t k = 0; k < s.distinct(); ++k)
    for (int64_t c = 0; c < s.count_at(k); ++c) tw(o, s.elem(k));
  o.raw("} ");
}
template <class KT, class V, bool Total>
inline void tw(TraceOut& o, const DenseMap<KT, V, Total>& m) {
  o.raw("m{ ");
  for (uint32_t i = 0; i < DenseMap<KT, V, Total>::size; ++i) {
    if (!m.defined_at(i)) continue;
    tw(o, KT::key(i));
    tw(o, m.at(i));
  }
  o.raw("} ");
}
template <class K, class V, uint32_t N, bool Total>
inline void tw(TraceOut& o, const SparseMap<K, V, N, Total>& m) {
  o.raw("m{ ");
  for (uint32_t i = 0; i < m.entries(); ++i) {
    tw(o, m.key_at(i));
    tw(o, m.val_at(i));
  }
  if (m.has_default()) {
    o.raw("* ");
    tw(o, m.default_value());
  }
  o.raw("} ");
}

}  // namespace ioa::rt
