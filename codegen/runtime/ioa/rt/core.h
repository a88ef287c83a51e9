// IOA Workbench runtime: integers with the spec's semantics, faults, and a
// seeded random number generator. Header-only; shipped with every export.
//
// Generated code never has undefined behaviour on bad input: a partial
// operation of the spec that is not defined at run time (head of an empty
// sequence, an index out of range, division by zero, an undefined map key,
// the wrong union variant, a header that is not there, a value out of its
// sort, a bounded container that is full) raises a fault, which is counted
// here, and the operation yields a default value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ioa::rt {

enum class Fault : uint8_t {
  Overflow,  // Int/Nat arithmetic beyond 64 bits
  Narrow,    // a value flowing into Nat or Int[lo..hi] out of its range
  DivZero,   // div or mod by zero
  EmptySeq,  // head/tail/last/init of an empty sequence
  Index,     // sequence index or sub-range out of range
  MapKey,    // reading an undefined map key, or a key outside an array's domain
  Variant,   // reading the wrong variant of a union
  Header,    // hdr/pop of a message whose top header is not of that sort
  Capacity,  // a bounded sequence, set or map is full
  Choose,    // no value satisfies a `choose`
  Start,     // the initial values do not satisfy the automaton's `initially`
  Count
};

inline const char* fault_name(Fault f) {
  switch (f) {
    case Fault::Overflow: return "integer overflow";
    case Fault::Narrow: return "value out of its sort";
    case Fault::DivZero: return "division by zero";
    case Fault::EmptySeq: return "empty sequence";
    case Fault::Index: return "index out of range";
    case Fault::MapKey: return "undefined map key";
    case Fault::Variant: return "wrong union variant";
    case Fault::Header: return "missing header";
    case Fault::Capacity: return "capacity exceeded";
    case Fault::Choose: return "no value to choose";
    case Fault::Start: return "start condition violated";
    case Fault::Count: break;
  }
  return "?";
}

struct FaultLog {
  uint64_t count[static_cast<size_t>(Fault::Count)] = {};
  uint64_t total = 0;
  Fault last = Fault::Count;
  void clear() { *this = FaultLog{}; }
};

inline FaultLog& faults() {
  thread_local FaultLog log;
  return log;
}

inline void raise(Fault f) {
  FaultLog& l = faults();
  ++l.count[static_cast<size_t>(f)];
  ++l.total;
  l.last = f;
}

// Keeps checks that only ask a question (capacity guards) from counting faults.
class FaultMute {
 public:
  FaultMute() : saved_(faults()) {}
  ~FaultMute() { faults() = saved_; }
  FaultMute(const FaultMute&) = delete;
  FaultMute& operator=(const FaultMute&) = delete;

 private:
  FaultLog saved_;
};

// ---- mathematical integers (Int, Nat, ranges) held in int64_t, checked

// The result of a checked operation: `r`, or 0 with a fault when it overflowed.
inline int64_t checked(bool overflowed, int64_t r) {
  if (!overflowed) return r;
  raise(Fault::Overflow);
  return 0;
}
inline int64_t add(int64_t a, int64_t b) {
  int64_t r;
  bool o = __builtin_add_overflow(a, b, &r);
  return checked(o, r);
}
inline int64_t sub(int64_t a, int64_t b) {
  int64_t r;
  bool o = __builtin_sub_overflow(a, b, &r);
  return checked(o, r);
}
inline int64_t mul(int64_t a, int64_t b) {
  int64_t r;
  bool o = __builtin_mul_overflow(a, b, &r);
  return checked(o, r);
}

inline int64_t neg(int64_t a) {
  if (a == INT64_MIN) {
    raise(Fault::Overflow);
    return 0;
  }
  return -a;
}

// Euclidean division, as SMT-LIB: a = b*q + r with 0 <= r < |b|.
inline int64_t div(int64_t a, int64_t b) {
  if (b == 0) {
    raise(Fault::DivZero);
    return 0;
  }
  if (a == INT64_MIN && b == -1) {
    raise(Fault::Overflow);
    return 0;
  }
  int64_t q = a / b, r = a % b;
  if (r < 0) q = b > 0 ? q - 1 : q + 1;
  return q;
}

inline int64_t mod(int64_t a, int64_t b) {
  if (b == 0) {
    raise(Fault::DivZero);
    return 0;
  }
  if (b == -1) return 0;
  int64_t r = a % b;
  if (r < 0) r += b > 0 ? b : -b;
  return r;
}

inline int64_t to_nat(int64_t x) {
  if (x < 0) {
    raise(Fault::Narrow);
    return 0;
  }
  return x;
}

inline int64_t to_range(int64_t x, int64_t lo, int64_t hi) {
  if (x < lo || x > hi) {
    raise(Fault::Narrow);
    return lo;
  }
  return x;
}

inline int64_t u_to_int(uint64_t x) {
  if (x > static_cast<uint64_t>(INT64_MAX)) {
    raise(Fault::Overflow);
    return 0;
  }
  return static_cast<int64_t>(x);
}

// ---- fixed-width unsigned integers: arithmetic modulo 2^N
// (computed in uint64_t so that no narrow operand is promoted to a signed int)

template <class U>
inline U wadd(U a, U b) {
  return static_cast<U>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
template <class U>
inline U wsub(U a, U b) {
  return static_cast<U>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
template <class U>
inline U wmul(U a, U b) {
  return static_cast<U>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}
template <class U>
inline U wneg(U a) {
  return static_cast<U>(0 - static_cast<uint64_t>(a));
}
template <class U>
inline U udiv(U a, U b) {
  if (b == 0) {
    raise(Fault::DivZero);
    return 0;
  }
  return static_cast<U>(static_cast<uint64_t>(a) / static_cast<uint64_t>(b));
}
template <class U>
inline U umod(U a, U b) {
  if (b == 0) {
    raise(Fault::DivZero);
    return 0;
  }
  return static_cast<U>(static_cast<uint64_t>(a) % static_cast<uint64_t>(b));
}
template <class U>
inline U band(U a, U b) {
  return static_cast<U>(a & b);
}
template <class U>
inline U bor(U a, U b) {
  return static_cast<U>(a | b);
}
template <class U>
inline U bxor(U a, U b) {
  return static_cast<U>(a ^ b);
}
template <class U>
inline U shl(U a, U b) {
  return static_cast<uint64_t>(b) >= sizeof(U) * 8 ? U(0) : static_cast<U>(static_cast<uint64_t>(a) << b);
}
template <class U>
inline U shr(U a, U b) {
  return static_cast<uint64_t>(b) >= sizeof(U) * 8 ? U(0) : static_cast<U>(static_cast<uint64_t>(a) >> b);
}

// ---- deterministic pseudo-random numbers (splitmix64)

class Rng {
 public:
  explicit Rng(uint64_t seed = 1) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
  bool percent(uint32_t p) { return below(100) < p; }
  int64_t range(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
  }

 private:
  uint64_t s_;
};

}  // namespace ioa::rt
