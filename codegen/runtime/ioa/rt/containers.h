// Bounded containers with value semantics for the spec's Seq, Set, Mset, Map
// and Array sorts, and the spec's operations on them (including Bytes).
// Capacities are fixed at generation time; no container allocates. Partial
// operations raise a fault and return a default (see core.h).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <utility>

#include "ioa/rt/buffer.h"
#include "ioa/rt/core.h"

namespace ioa::rt {

// A value compared with the spec's order: ints by value, then containers
// lexicographically. Generated types provide operator== and operator<.
template <class T>
inline int cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

namespace detail {

// The first index of sorted a[0..n) whose element is not less than x.
template <class K>
inline uint32_t lower_index(const K* a, uint32_t n, const K& x) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Element-wise equality and lexicographic order of two sequences read through accessors.
template <class A, class B>
inline bool same_elems(uint32_t an, uint32_t bn, A&& a, B&& b) {
  if (an != bn) return false;
  for (uint32_t i = 0; i < an; ++i)
    if (!(a(i) == b(i))) return false;
  return true;
}
template <class A, class B>
inline bool lex_less(uint32_t an, uint32_t bn, A&& a, B&& b) {
  uint32_t n = an < bn ? an : bn;
  for (uint32_t i = 0; i < n; ++i) {
    if (a(i) < b(i)) return true;
    if (b(i) < a(i)) return false;
  }
  return an < bn;
}

}  // namespace detail

// ---------------------------------------------------------------- Seq: a ring buffer

template <class T, uint32_t N>
class Seq {
 public:
  static constexpr uint32_t capacity = N;
  Seq() = default;
  Seq(const Seq& o) : head_(0), size_(o.size_) {
    for (uint32_t i = 0; i < size_; ++i) items_[i] = o.at(i);
  }
  Seq& operator=(const Seq& o) {
    if (this == &o) return *this;
    clear();
    size_ = o.size_;
    for (uint32_t i = 0; i < size_; ++i) items_[i] = o.at(i);
    return *this;
  }
  static Seq of(std::initializer_list<T> xs) {
    Seq s;
    for (const T& x : xs) s.push_back(x);
    return s;
  }

  uint32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == N; }
  const T& at(uint32_t i) const { return items_[wrap(head_ + i)]; }  // unchecked: i < size()
  T& at(uint32_t i) { return items_[wrap(head_ + i)]; }
  const T& front() const { return items_[head_]; }
  const T& back() const { return items_[wrap(head_ + size_ - 1)]; }

  // By reference, not by value: a message made for the call (a frame pushed by a bypass) is
  // moved straight into its slot instead of through a temporary copy on the stack.
  bool push_back(const T& x) {
    if (size_ == N) {
      raise(Fault::Capacity);
      return false;
    }
    items_[wrap(head_ + size_)] = x;
    ++size_;
    return true;
  }
  bool push_back(T&& x) {
    if (size_ == N) {
      raise(Fault::Capacity);
      return false;
    }
    items_[wrap(head_ + size_)] = std::move(x);
    ++size_;
    return true;
  }
  bool push_front(T x) {
    if (size_ == N) {
      raise(Fault::Capacity);
      return false;
    }
    head_ = head_ == 0 ? N - 1 : head_ - 1;
    items_[head_] = std::move(x);
    ++size_;
    return true;
  }
  // Representation invariant (the optimizer's equivalence proofs rely on it):
  // unused slots hold T{}, and an empty sequence starts at slot 0, so equal
  // sequences have equal representations.
  void pop_front() {  // unchecked: !empty()
    items_[head_] = T{};
    head_ = wrap(head_ + 1);
    if (--size_ == 0) head_ = 0;
  }
  // front() moved out, then pop_front(): no copy of the element.
  T take_front() {  // unchecked: !empty()
    T x = std::move(items_[head_]);
    // a moved-from Msg or Bytes is already T{} (their move constructors leave an empty value)
    if constexpr (!(std::is_same_v<T, Msg> || std::is_same_v<T, Bytes>)) items_[head_] = T{};
    head_ = wrap(head_ + 1);
    if (--size_ == 0) head_ = 0;
    return x;
  }
  void pop_back() {  // unchecked: !empty()
    items_[wrap(head_ + size_ - 1)] = T{};
    if (--size_ == 0) head_ = 0;
  }
  void clear() {
    while (size_) pop_front();
    head_ = 0;
  }

  friend bool operator==(const Seq& a, const Seq& b) {
    return detail::same_elems(a.size_, b.size_, [&](uint32_t i) -> const T& { return a.at(i); },
                              [&](uint32_t i) -> const T& { return b.at(i); });
  }
  friend bool operator<(const Seq& a, const Seq& b) {
    return detail::lex_less(a.size_, b.size_, [&](uint32_t i) -> const T& { return a.at(i); },
                            [&](uint32_t i) -> const T& { return b.at(i); });
  }

 private:
  static uint32_t wrap(uint32_t i) { return i >= N ? i - N : i; }
  T items_[N] = {};
  uint32_t head_ = 0, size_ = 0;
};

template <class T>
struct ElemDefault {
  static T& dummy() {
    thread_local T d{};
    d = T{};
    return d;
  }
};

// ---- sequence operations (Seq)

template <class T, uint32_t N>
inline int64_t seq_len(const Seq<T, N>& s) {
  return s.size();
}
template <class T, uint32_t N>
inline T seq_head(const Seq<T, N>& s) {
  if (s.empty()) {
    raise(Fault::EmptySeq);
    return T{};
  }
  return s.front();
}
template <class T, uint32_t N>
inline T seq_last(const Seq<T, N>& s) {
  if (s.empty()) {
    raise(Fault::EmptySeq);
    return T{};
  }
  return s.back();
}
template <class T, uint32_t N>
inline Seq<T, N> seq_tail(const Seq<T, N>& s) {
  Seq<T, N> r(s);
  if (r.empty()) raise(Fault::EmptySeq);
  else r.pop_front();
  return r;
}
template <class T, uint32_t N>
inline Seq<T, N> seq_init(const Seq<T, N>& s) {
  Seq<T, N> r(s);
  if (r.empty()) raise(Fault::EmptySeq);
  else r.pop_back();
  return r;
}
template <class T, uint32_t N>
inline void seq_pop_front(Seq<T, N>& s) {
  if (s.empty()) raise(Fault::EmptySeq);
  else s.pop_front();
}
template <class T, uint32_t N>
inline void seq_pop_back(Seq<T, N>& s) {
  if (s.empty()) raise(Fault::EmptySeq);
  else s.pop_back();
}
template <class T, uint32_t N>
inline T seq_index(const Seq<T, N>& s, int64_t i) {
  if (i < 0 || i >= static_cast<int64_t>(s.size())) {
    raise(Fault::Index);
    return T{};
  }
  return s.at(static_cast<uint32_t>(i));
}
template <class T, uint32_t N>
inline T& seq_ref(Seq<T, N>& s, int64_t i) {
  if (i < 0 || i >= static_cast<int64_t>(s.size())) {
    raise(Fault::Index);
    return ElemDefault<T>::dummy();
  }
  return s.at(static_cast<uint32_t>(i));
}
template <class T, uint32_t N>
inline Seq<T, N> seq_sub(const Seq<T, N>& s, int64_t i, int64_t n) {
  Seq<T, N> r;
  if (i < 0 || n < 0 || i > static_cast<int64_t>(s.size()) || n > static_cast<int64_t>(s.size()) - i) {
    raise(Fault::Index);
    return r;
  }
  for (int64_t k = 0; k < n; ++k) r.push_back(s.at(static_cast<uint32_t>(i + k)));
  return r;
}
template <class T, uint32_t N>
inline Seq<T, N> seq_append(const Seq<T, N>& s, std::type_identity_t<T> x) {
  Seq<T, N> r(s);
  r.push_back(std::move(x));
  return r;
}
template <class T, uint32_t N>
inline Seq<T, N> seq_prepend(std::type_identity_t<T> x, const Seq<T, N>& s) {
  Seq<T, N> r(s);
  r.push_front(std::move(x));
  return r;
}
template <class T, uint32_t N>
inline Seq<T, N> seq_concat(const Seq<T, N>& a, const Seq<T, N>& b) {
  Seq<T, N> r(a);
  for (uint32_t k = 0; k < b.size(); ++k) r.push_back(b.at(k));
  return r;
}
template <class T, uint32_t N>
inline bool seq_in(const std::type_identity_t<T>& x, const Seq<T, N>& s) {
  for (uint32_t k = 0; k < s.size(); ++k)
    if (s.at(k) == x) return true;
  return false;
}
template <class T, uint32_t N>
inline Seq<T, N> seq_update(const Seq<T, N>& s, int64_t i, std::type_identity_t<T> x) {
  Seq<T, N> r(s);
  if (i < 0 || i >= static_cast<int64_t>(r.size())) raise(Fault::Index);
  else r.at(static_cast<uint32_t>(i)) = std::move(x);
  return r;
}
template <class T, uint32_t N>
inline uint32_t coll_size(const Seq<T, N>& s) {
  return s.size();
}
template <class T, uint32_t N>
inline T coll_elem(const Seq<T, N>& s, uint32_t k) {
  return s.at(k);
}

// ---- the same operations on Bytes (Seq[UInt8]); views share the buffer

inline int64_t seq_len(const Bytes& s) { return static_cast<int64_t>(s.size()); }
inline uint8_t seq_head(const Bytes& s) {
  if (s.empty()) {
    raise(Fault::EmptySeq);
    return 0;
  }
  return s.at(0);
}
inline uint8_t seq_last(const Bytes& s) {
  if (s.empty()) {
    raise(Fault::EmptySeq);
    return 0;
  }
  return s.at(s.size() - 1);
}
inline Bytes seq_tail(const Bytes& s) {
  if (s.empty()) {
    raise(Fault::EmptySeq);
    return s;
  }
  return s.slice(1, s.size() - 1);
}
inline Bytes seq_init(const Bytes& s) {
  if (s.empty()) {
    raise(Fault::EmptySeq);
    return s;
  }
  return s.slice(0, s.size() - 1);
}
inline void seq_pop_front(Bytes& s) { s = seq_tail(s); }
inline void seq_pop_back(Bytes& s) { s = seq_init(s); }
inline uint8_t seq_index(const Bytes& s, int64_t i) {
  if (i < 0 || i >= static_cast<int64_t>(s.size())) {
    raise(Fault::Index);
    return 0;
  }
  return s.at(static_cast<size_t>(i));
}
inline Bytes seq_sub(const Bytes& s, int64_t i, int64_t n) {
  if (i < 0 || n < 0 || i > static_cast<int64_t>(s.size()) || n > static_cast<int64_t>(s.size()) - i) {
    raise(Fault::Index);
    return Bytes();
  }
  return s.slice(static_cast<size_t>(i), static_cast<size_t>(n));
}
inline Bytes bytes_join(const uint8_t* a, size_t na, const uint8_t* b, size_t nb) {
  if (na + nb > BufferPool::max_size() - kHeadroom) {
    raise(Fault::Capacity);
    return Bytes();
  }
  return Bytes::join(a, na, b, nb);
}
inline Bytes seq_append(const Bytes& s, uint8_t x) { return bytes_join(s.data(), s.size(), &x, 1); }
inline Bytes seq_prepend(uint8_t x, const Bytes& s) { return bytes_join(&x, 1, s.data(), s.size()); }
inline Bytes seq_concat(const Bytes& a, const Bytes& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return bytes_join(a.data(), a.size(), b.data(), b.size());
}
inline bool seq_in(uint8_t x, const Bytes& s) {
  for (size_t k = 0; k < s.size(); ++k)
    if (s.at(k) == x) return true;
  return false;
}
inline Bytes seq_update(const Bytes& s, int64_t i, uint8_t x) {
  if (i < 0 || i >= static_cast<int64_t>(s.size())) {
    raise(Fault::Index);
    return s;
  }
  const size_t k = static_cast<size_t>(i);
  Bytes front = Bytes::join(s.data(), k, &x, 1);  // the bytes before i, then x
  return Bytes::join(front.data(), k + 1, s.data() + k + 1, s.size() - k - 1);
}
inline uint32_t coll_size(const Bytes& s) { return static_cast<uint32_t>(s.size()); }
inline uint8_t coll_elem(const Bytes& s, uint32_t k) { return s.at(k); }

// ---------------------------------------------------------------- Set: a sorted array

template <class T, uint32_t N>
class Set {
 public:
  static constexpr uint32_t capacity = N;
  uint32_t size() const { return size_; }
  const T& at(uint32_t i) const { return items_[i]; }
  bool contains(const T& x) const { return find(x) < size_; }
  bool insert(const T& x) {
    uint32_t i = lower(x);
    if (i < size_ && items_[i] == x) return true;
    if (size_ == N) {
      raise(Fault::Capacity);
      return false;
    }
    for (uint32_t k = size_; k > i; --k) items_[k] = std::move(items_[k - 1]);
    items_[i] = x;
    ++size_;
    return true;
  }
  void erase(const T& x) {
    uint32_t i = find(x);
    if (i >= size_) return;
    for (uint32_t k = i; k + 1 < size_; ++k) items_[k] = std::move(items_[k + 1]);
    items_[--size_] = T{};
  }
  static Set of(std::initializer_list<T> xs) {
    Set s;
    for (const T& x : xs) s.insert(x);
    return s;
  }
  friend bool operator==(const Set& a, const Set& b) {
    return detail::same_elems(a.size_, b.size_, [&](uint32_t i) -> const T& { return a.items_[i]; },
                              [&](uint32_t i) -> const T& { return b.items_[i]; });
  }
  friend bool operator<(const Set& a, const Set& b) {
    return detail::lex_less(a.size_, b.size_, [&](uint32_t i) -> const T& { return a.items_[i]; },
                            [&](uint32_t i) -> const T& { return b.items_[i]; });
  }

 private:
  uint32_t lower(const T& x) const { return detail::lower_index(items_, size_, x); }
  uint32_t find(const T& x) const {
    uint32_t i = lower(x);
    return i < size_ && items_[i] == x ? i : size_;
  }
  T items_[N] = {};
  uint32_t size_ = 0;
};

template <class T, uint32_t N>
inline Set<T, N> set_insert(const std::type_identity_t<T>& x, const Set<T, N>& s) {
  Set<T, N> r(s);
  r.insert(x);
  return r;
}
template <class T, uint32_t N>
inline Set<T, N> set_delete(const std::type_identity_t<T>& x, const Set<T, N>& s) {
  Set<T, N> r(s);
  r.erase(x);
  return r;
}
template <class T, uint32_t N>
inline bool set_in(const std::type_identity_t<T>& x, const Set<T, N>& s) {
  return s.contains(x);
}
template <class T, uint32_t N>
inline Set<T, N> set_union(const Set<T, N>& a, const Set<T, N>& b) {
  Set<T, N> r(a);
  for (uint32_t k = 0; k < b.size(); ++k) r.insert(b.at(k));
  return r;
}
template <class T, uint32_t N>
inline Set<T, N> set_intersect(const Set<T, N>& a, const Set<T, N>& b) {
  Set<T, N> r;
  for (uint32_t k = 0; k < a.size(); ++k)
    if (b.contains(a.at(k))) r.insert(a.at(k));
  return r;
}
template <class T, uint32_t N>
inline Set<T, N> set_diff(const Set<T, N>& a, const Set<T, N>& b) {
  Set<T, N> r;
  for (uint32_t k = 0; k < a.size(); ++k)
    if (!b.contains(a.at(k))) r.insert(a.at(k));
  return r;
}
template <class T, uint32_t N>
inline int64_t set_size(const Set<T, N>& s) {
  return s.size();
}
template <class T, uint32_t N>
inline bool set_subseteq(const Set<T, N>& a, const Set<T, N>& b) {
  for (uint32_t k = 0; k < a.size(); ++k)
    if (!b.contains(a.at(k))) return false;
  return true;
}
template <class T, uint32_t N>
inline uint32_t coll_size(const Set<T, N>& s) {
  return s.size();
}
template <class T, uint32_t N>
inline T coll_elem(const Set<T, N>& s, uint32_t k) {
  return s.at(k);
}

// ---------------------------------------------------------------- Mset: sorted (element, count) pairs

template <class T, uint32_t N>
class Mset {
 public:
  static constexpr uint32_t capacity = N;
  uint32_t distinct() const { return size_; }
  const T& elem(uint32_t i) const { return items_[i]; }
  int64_t count_at(uint32_t i) const { return counts_[i]; }
  int64_t count(const T& x) const {
    for (uint32_t i = 0; i < size_; ++i)
      if (items_[i] == x) return counts_[i];
    return 0;
  }
  int64_t total() const {
    int64_t n = 0;
    for (uint32_t i = 0; i < size_; ++i) n += counts_[i];
    return n;
  }
  void add(const T& x, int64_t n) {
    uint32_t i = detail::lower_index(items_, size_, x);
    if (i < size_ && items_[i] == x) {
      counts_[i] += n;
      if (counts_[i] <= 0) remove_at(i);
      return;
    }
    if (n <= 0) return;
    if (size_ == N) {
      raise(Fault::Capacity);
      return;
    }
    for (uint32_t k = size_; k > i; --k) {
      items_[k] = std::move(items_[k - 1]);
      counts_[k] = counts_[k - 1];
    }
    items_[i] = x;
    counts_[i] = n;
    ++size_;
  }
  static Mset of(std::initializer_list<T> xs) {
    Mset s;
    for (const T& x : xs) s.add(x, 1);
    return s;
  }
  friend bool operator==(const Mset& a, const Mset& b) {
    return detail::same_elems(a.size_, b.size_, [&](uint32_t i) { return a.entry(i); },
                              [&](uint32_t i) { return b.entry(i); });
  }
  friend bool operator<(const Mset& a, const Mset& b) {
    return detail::lex_less(a.size_, b.size_, [&](uint32_t i) { return a.entry(i); },
                            [&](uint32_t i) { return b.entry(i); });
  }

 private:
  std::pair<const T&, int64_t> entry(uint32_t i) const { return {items_[i], counts_[i]}; }
  void remove_at(uint32_t i) {
    for (uint32_t k = i; k + 1 < size_; ++k) {
      items_[k] = std::move(items_[k + 1]);
      counts_[k] = counts_[k + 1];
    }
    --size_;
    items_[size_] = T{};
    counts_[size_] = 0;
  }
  T items_[N] = {};
  int64_t counts_[N] = {};
  uint32_t size_ = 0;
};

template <class T, uint32_t N>
inline Mset<T, N> mset_insert(const std::type_identity_t<T>& x, const Mset<T, N>& s) {
  Mset<T, N> r(s);
  r.add(x, 1);
  return r;
}
template <class T, uint32_t N>
inline Mset<T, N> mset_delete(const std::type_identity_t<T>& x, const Mset<T, N>& s) {
  Mset<T, N> r(s);
  if (r.count(x) > 0) r.add(x, -1);
  return r;
}
template <class T, uint32_t N>
inline bool mset_in(const std::type_identity_t<T>& x, const Mset<T, N>& s) {
  return s.count(x) > 0;
}
template <class T, uint32_t N>
inline int64_t mset_count(const std::type_identity_t<T>& x, const Mset<T, N>& s) {
  return s.count(x);
}
template <class T, uint32_t N>
inline Mset<T, N> mset_union(const Mset<T, N>& a, const Mset<T, N>& b) {
  Mset<T, N> r(a);
  for (uint32_t k = 0; k < b.distinct(); ++k) r.add(b.elem(k), b.count_at(k));
  return r;
}
template <class T, uint32_t N>
inline Mset<T, N> set_diff(const Mset<T, N>& a, const Mset<T, N>& b) {
  Mset<T, N> r(a);
  for (uint32_t k = 0; k < b.distinct(); ++k) {
    int64_t have = r.count(b.elem(k));
    int64_t take = have < b.count_at(k) ? have : b.count_at(k);
    if (take > 0) r.add(b.elem(k), -take);
  }
  return r;
}
template <class T, uint32_t N>
inline int64_t mset_size(const Mset<T, N>& s) {
  return s.total();
}
template <class T, uint32_t N>
inline uint32_t coll_size(const Mset<T, N>& s) {
  return static_cast<uint32_t>(s.total());
}
template <class T, uint32_t N>
inline T coll_elem(const Mset<T, N>& s, uint32_t k) {
  for (uint32_t i = 0; i < s.distinct(); ++i) {
    if (k < s.count_at(i)) return s.elem(i);
    k -= static_cast<uint32_t>(s.count_at(i));
  }
  return T{};
}

// ---------------------------------------------------------------- maps

// Keys of finite sorts index dense arrays.
template <int64_t LO, int64_t HI>
struct RangeKey {
  using key_type = int64_t;
  static constexpr uint32_t size = static_cast<uint32_t>(HI - LO + 1);
  static bool valid(int64_t k) { return k >= LO && k <= HI; }
  static uint32_t index(int64_t k) { return static_cast<uint32_t>(k - LO); }
  static int64_t key(uint32_t i) { return LO + static_cast<int64_t>(i); }
};
struct BoolKey {
  using key_type = bool;
  static constexpr uint32_t size = 2;
  static bool valid(bool) { return true; }
  static uint32_t index(bool k) { return k ? 1 : 0; }
  static bool key(uint32_t i) { return i != 0; }
};
template <class E, uint32_t N>
struct EnumKey {
  using key_type = E;
  static constexpr uint32_t size = N;
  static bool valid(E k) { return static_cast<uint32_t>(k) < N; }
  static uint32_t index(E k) { return static_cast<uint32_t>(k); }
  static E key(uint32_t i) { return static_cast<E>(i); }
};
template <class U>
struct UIntKey {
  using key_type = U;
  static constexpr uint32_t size = uint32_t(1) << (8 * sizeof(U));
  static bool valid(U) { return true; }
  static uint32_t index(U k) { return k; }
  static U key(uint32_t i) { return static_cast<U>(i); }
};

// A map over a finite key sort. Total = true for Array (every key defined).
template <class KT, class V, bool Total>
class DenseMap {
 public:
  using K = typename KT::key_type;
  static constexpr uint32_t size = KT::size;
  static DenseMap constant(const V& v) {
    DenseMap m;
    for (uint32_t i = 0; i < size; ++i) {
      m.vals_[i] = v;
      m.def_[i] = true;
    }
    return m;
  }
  bool defined(const K& k) const { return KT::valid(k) && (Total || def_[KT::index(k)]); }
  const V& get(const K& k) const {
    if (!defined(k)) {
      raise(Fault::MapKey);
      return ElemDefault<V>::dummy();
    }
    return vals_[KT::index(k)];
  }
  V& ref(const K& k) {
    if (!KT::valid(k)) {
      raise(Fault::MapKey);
      return ElemDefault<V>::dummy();
    }
    def_[KT::index(k)] = true;
    return vals_[KT::index(k)];
  }
  bool defined_at(uint32_t i) const { return Total || def_[i]; }
  const V& at(uint32_t i) const { return vals_[i]; }
  friend bool operator==(const DenseMap& a, const DenseMap& b) {
    for (uint32_t i = 0; i < size; ++i) {
      if (a.defined_at(i) != b.defined_at(i)) return false;
      if (a.defined_at(i) && !(a.vals_[i] == b.vals_[i])) return false;
    }
    return true;
  }
  friend bool operator<(const DenseMap& a, const DenseMap& b) {
    for (uint32_t i = 0; i < size; ++i) {
      if (a.defined_at(i) != b.defined_at(i)) return b.defined_at(i);
      if (!a.defined_at(i)) continue;
      if (a.vals_[i] < b.vals_[i]) return true;
      if (b.vals_[i] < a.vals_[i]) return false;
    }
    return false;
  }

 private:
  V vals_[size] = {};
  bool def_[size] = {};
};

// A map over an infinite key sort: sorted entries plus a default (for
// Array, or a Map built with `constant`).
template <class K, class V, uint32_t N, bool Total>
class SparseMap {
 public:
  static SparseMap constant(const V& v) {
    SparseMap m;
    m.dflt_ = v;
    m.dfltDefined_ = true;
    return m;
  }
  bool defined(const K& k) const { return find(k) < size_ || Total || dfltDefined_; }
  const V& get(const K& k) const {
    uint32_t i = find(k);
    if (i < size_) return vals_[i];
    if (Total || dfltDefined_) return dflt_;
    raise(Fault::MapKey);
    return ElemDefault<V>::dummy();
  }
  V& ref(const K& k) {
    uint32_t i = lower(k);
    if (i < size_ && keys_[i] == k) return vals_[i];
    if (size_ == N) {
      raise(Fault::Capacity);
      return ElemDefault<V>::dummy();
    }
    for (uint32_t j = size_; j > i; --j) {
      keys_[j] = std::move(keys_[j - 1]);
      vals_[j] = std::move(vals_[j - 1]);
    }
    keys_[i] = k;
    vals_[i] = dflt_;
    ++size_;
    return vals_[i];
  }
  uint32_t entries() const { return size_; }
  const K& key_at(uint32_t i) const { return keys_[i]; }
  const V& val_at(uint32_t i) const { return vals_[i]; }
  bool has_default() const { return Total || dfltDefined_; }
  const V& default_value() const { return dflt_; }
  friend bool operator==(const SparseMap& a, const SparseMap& b) {
    if (a.has_default() != b.has_default()) return false;
    if (a.has_default() && !(a.dflt_ == b.dflt_)) return false;
    for (uint32_t i = 0; i < a.size_; ++i)
      if (!b.defined(a.keys_[i]) || !(b.get(a.keys_[i]) == a.vals_[i])) return false;
    for (uint32_t i = 0; i < b.size_; ++i)
      if (!a.defined(b.keys_[i]) || !(a.get(b.keys_[i]) == b.vals_[i])) return false;
    return true;
  }
  friend bool operator<(const SparseMap& a, const SparseMap& b) {
    if (a == b) return false;
    if (a.size_ != b.size_) return a.size_ < b.size_;
    for (uint32_t i = 0; i < a.size_; ++i) {
      if (a.keys_[i] < b.keys_[i]) return true;
      if (b.keys_[i] < a.keys_[i]) return false;
      if (a.vals_[i] < b.vals_[i]) return true;
      if (b.vals_[i] < a.vals_[i]) return false;
    }
    return a.dflt_ < b.dflt_;
  }

 private:
  uint32_t lower(const K& k) const { return detail::lower_index(keys_, size_, k); }
  uint32_t find(const K& k) const {
    uint32_t i = lower(k);
    return i < size_ && keys_[i] == k ? i : size_;
  }
  K keys_[N] = {};
  V vals_[N] = {};
  V dflt_{};
  bool dfltDefined_ = false;
  uint32_t size_ = 0;
};

template <class M, class K>
inline auto map_get(const M& m, const K& k) {
  return m.get(k);
}
template <class M, class K>
inline bool map_defined(const M& m, const K& k) {
  return m.defined(k);
}
template <class M, class K, class V>
inline M map_update(const M& m, const K& k, const V& v) {
  M r(m);
  r.ref(k) = v;
  return r;
}

}  // namespace ioa::rt
