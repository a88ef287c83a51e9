// Buffers with headroom, and the two value types built on them: `Bytes` (a
// view of bytes, the spec's Bytes = Seq[UInt8]) and `Msg` (the spec's Msg: a
// payload plus a stack of headers).
//
// Memory: buffers come from a per-thread pool of fixed size classes; after a
// warm-up the hot path never touches the heap (the pool grows by whole slabs
// only when a class runs dry, and counts it). Buffers are reference counted,
// so values share bytes instead of copying them.
//
// Headroom and the no-copy rule: a message is laid out as
//     [ headroom | header stack (top header first) | payload ]
// `push` writes a header into the headroom in front of the header stack. Two
// values may share a buffer (a layer keeps `m` for retransmission and sends
// `push(m, h)` down); writing in front of a value is allowed in place only
// when no other value can see those bytes: the buffer has one owner, or the
// value starts at the buffer's lowest written byte ("claim"). Otherwise push
// copies the message into a fresh buffer first (counted in `copies`).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>
#include <vector>

#include "ioa/rt/core.h"

namespace ioa::rt {

class BufferPool;

struct Buf {
  uint32_t refs;
  uint32_t cap;
  uint32_t claim;  // lowest byte written so far; no value starts before it
  uint32_t cls;
  Buf* next;
  BufferPool* pool;
  uint8_t* data() { return reinterpret_cast<uint8_t*>(this + 1); }
};

inline constexpr uint32_t kHeadroom = 128;

class BufferPool {
 public:
  static constexpr uint32_t kClasses = 4;
  static constexpr uint32_t kCaps[kClasses] = {256, 2048, 16384, 65536 + 1024};
  static constexpr uint32_t kPerSlab[kClasses] = {256, 64, 16, 4};

  struct Stats {
    uint64_t allocs = 0, releases = 0, grows = 0, copies = 0, live = 0;
  };

  BufferPool() = default;
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;
  ~BufferPool() {
    for (void* s : slabs_) std::free(s);
  }

  // A buffer of at least `need` bytes with one reference; nullptr if `need`
  // exceeds the largest class.
  Buf* alloc(uint32_t need) {
    uint32_t c = 0;
    while (c < kClasses && kCaps[c] < need) ++c;
    if (c == kClasses) return nullptr;
    if (!free_[c]) grow(c);
    if (!free_[c]) return nullptr;
    Buf* b = free_[c];
    free_[c] = b->next;
    b->refs = 1;
    b->claim = b->cap;
    b->next = nullptr;
    ++stats_.allocs;
    ++stats_.live;
    return b;
  }

  void release(Buf* b) {
    b->next = free_[b->cls];
    free_[b->cls] = b;
    ++stats_.releases;
    --stats_.live;
  }

  Stats& stats() { return stats_; }
  static uint32_t max_size() { return kCaps[kClasses - 1]; }

 private:
  void grow(uint32_t c) {
    size_t stride = (sizeof(Buf) + kCaps[c] + 15) & ~size_t(15);
    size_t n = kPerSlab[c];
    void* slab = std::malloc(stride * n);
    if (!slab) return;
    slabs_.push_back(slab);
    ++stats_.grows;
    for (size_t k = 0; k < n; ++k) {
      Buf* b = new (static_cast<uint8_t*>(slab) + k * stride) Buf{};
      b->cap = kCaps[c];
      b->cls = c;
      b->pool = this;
      b->next = free_[c];
      free_[c] = b;
    }
  }

  Buf* free_[kClasses] = {};
  std::vector<void*> slabs_;
  Stats stats_;
};

inline BufferPool& pool() {
  thread_local BufferPool p;
  return p;
}

inline void buf_retain(Buf* b) {
  if (b) ++b->refs;
}
inline void buf_release(Buf* b) {
  if (b && --b->refs == 0) b->pool->release(b);
}

// ---------------------------------------------------------------- Bytes

class Bytes {
 public:
  Bytes() = default;
  Bytes(const Bytes& o) : b_(o.b_), begin_(o.begin_), end_(o.end_) { buf_retain(b_); }
  Bytes(Bytes&& o) noexcept : b_(o.b_), begin_(o.begin_), end_(o.end_) { o.b_ = nullptr, o.begin_ = o.end_ = 0; }
  Bytes& operator=(const Bytes& o) {
    if (this != &o) {
      buf_retain(o.b_);
      buf_release(b_);
      b_ = o.b_, begin_ = o.begin_, end_ = o.end_;
    }
    return *this;
  }
  Bytes& operator=(Bytes&& o) noexcept {
    if (this != &o) {
      buf_release(b_);
      b_ = o.b_, begin_ = o.begin_, end_ = o.end_;
      o.b_ = nullptr, o.begin_ = o.end_ = 0;
    }
    return *this;
  }
  ~Bytes() { buf_release(b_); }

  // A fresh buffer holding a copy of `n` bytes (n must not exceed the pool's largest class).
  static Bytes copy(const uint8_t* p, size_t n, uint32_t headroom = kHeadroom) {
    Bytes r;
    if (n == 0) return r;
    Buf* b = pool().alloc(static_cast<uint32_t>(n) + headroom);
    if (!b) {
      raise(Fault::Capacity);
      return r;
    }
    std::memcpy(b->data() + headroom, p, n);
    b->claim = headroom;
    r.b_ = b, r.begin_ = headroom, r.end_ = headroom + static_cast<uint32_t>(n);
    return r;
  }
  static Bytes of(std::initializer_list<uint8_t> xs) { return copy(xs.begin(), xs.size()); }

  size_t size() const { return end_ - begin_; }
  bool empty() const { return end_ == begin_; }
  const uint8_t* data() const { return b_ ? b_->data() + begin_ : nullptr; }
  uint8_t at(size_t i) const { return b_->data()[begin_ + i]; }  // unchecked: i < size()
  Bytes slice(size_t from, size_t n) const {  // unchecked: from + n <= size()
    Bytes r(*this);
    r.begin_ = begin_ + static_cast<uint32_t>(from);
    r.end_ = r.begin_ + static_cast<uint32_t>(n);
    if (n == 0) r = Bytes();
    return r;
  }

  friend bool operator==(const Bytes& a, const Bytes& b) {
    if (a.size() != b.size()) return false;
    if (a.size() == 0 || (a.b_ == b.b_ && a.begin_ == b.begin_)) return true;
    return std::memcmp(a.data(), b.data(), a.size()) == 0;
  }
  friend int compare(const Bytes& a, const Bytes& b) {
    size_t n = a.size() < b.size() ? a.size() : b.size();
    int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
  }
  friend bool operator<(const Bytes& a, const Bytes& b) { return compare(a, b) < 0; }

 private:
  friend class Msg;
  Buf* b_ = nullptr;
  uint32_t begin_ = 0, end_ = 0;
};

// ---------------------------------------------------------------- Msg

class Msg {
 public:
  Msg() = default;
  Msg(const Msg& o) : b_(o.b_), begin_(o.begin_), pay_(o.pay_), end_(o.end_) { buf_retain(b_); }
  Msg(Msg&& o) noexcept : b_(o.b_), begin_(o.begin_), pay_(o.pay_), end_(o.end_) { o.reset_fields(); }
  Msg& operator=(const Msg& o) {
    if (this != &o) {
      buf_retain(o.b_);
      buf_release(b_);
      b_ = o.b_, begin_ = o.begin_, pay_ = o.pay_, end_ = o.end_;
    }
    return *this;
  }
  Msg& operator=(Msg&& o) noexcept {
    if (this != &o) {
      buf_release(b_);
      b_ = o.b_, begin_ = o.begin_, pay_ = o.pay_, end_ = o.end_;
      o.reset_fields();
    }
    return *this;
  }
  ~Msg() { buf_release(b_); }

  // A message with no headers and an uninitialised payload of `n` bytes, with
  // `headroom` bytes free in front for the headers the stack will push.
  static Msg alloc(uint32_t n, uint32_t headroom = kHeadroom) {
    Msg m;
    if (n == 0 && headroom == 0) return m;
    Buf* b = pool().alloc(n + headroom);
    if (!b) {
      raise(Fault::Capacity);
      return m;
    }
    b->claim = headroom;
    m.b_ = b, m.begin_ = m.pay_ = headroom, m.end_ = headroom + n;
    return m;
  }
  static Msg copy(const uint8_t* p, uint32_t n, uint32_t headroom = kHeadroom) {
    Msg m = alloc(n, headroom);
    if (n && m.b_) std::memcpy(m.payload_data(), p, n);
    return m;
  }
  // msg(b): a message with payload `b` and no headers; shares b's bytes.
  static Msg make(const Bytes& b) {
    Msg m;
    if (b.b_) {
      buf_retain(b.b_);
      m.b_ = b.b_, m.begin_ = m.pay_ = b.begin_, m.end_ = b.end_;
    }
    return m;
  }

  bool null() const { return b_ == nullptr; }
  uint32_t header_len() const { return pay_ - begin_; }
  const uint8_t* header_data() const { return b_ ? b_->data() + begin_ : nullptr; }
  uint32_t payload_len() const { return end_ - pay_; }
  const uint8_t* payload_data() const { return b_ ? b_->data() + pay_ : nullptr; }
  uint8_t* payload_data() { return b_ ? b_->data() + pay_ : nullptr; }  // for filling a fresh message
  Bytes payload() const {
    Bytes r;
    if (b_ && end_ > pay_) {
      buf_retain(b_);
      r.b_ = b_, r.begin_ = pay_, r.end_ = end_;
    }
    return r;
  }
  // Header stack and payload together: what goes on the wire after the envelope.
  uint32_t size() const { return end_ - begin_; }
  const uint8_t* data() const { return header_data(); }

  // Room for `k` more header bytes in front of the header stack; returns where
  // to write them. Copies the message first when the bytes in front are
  // shared or the headroom is too small (see the no-copy rule above).
  uint8_t* push_front(uint32_t k) {
    if (!b_ || begin_ < k || (b_->refs != 1 && begin_ != b_->claim)) relocate(k);
    if (!b_) return scratch();
    begin_ -= k;
    if (begin_ < b_->claim) b_->claim = begin_;
    return b_->data() + begin_;
  }
  // Keeps the first `n` payload bytes (n <= payload_len()).
  void trim(uint32_t n) {
    if (n < payload_len()) end_ = pay_ + n;
  }
  // Drops `k` header bytes (the caller has checked k <= header_len()).
  void pop_front(uint32_t k) { begin_ += k; }

  // Builds a message from a received frame: `frame`'s payload holds the bytes;
  // the first `hdr_len` of them are the header stack.
  static Msg split(const Msg& frame, uint32_t skip, uint32_t hdr_len) {
    Msg m(frame);
    m.begin_ = frame.pay_ + skip;
    m.pay_ = m.begin_ + hdr_len;
    return m;
  }
  // The whole message (headers and payload) as a raw frame (no header stack).
  Msg as_frame() const {
    Msg m(*this);
    m.pay_ = m.begin_;
    return m;
  }

  friend bool operator==(const Msg& a, const Msg& b) {
    if (a.header_len() != b.header_len() || a.size() != b.size()) return false;
    if (a.size() == 0 || (a.b_ == b.b_ && a.begin_ == b.begin_)) return true;
    return std::memcmp(a.data(), b.data(), a.size()) == 0;
  }
  friend int compare(const Msg& a, const Msg& b) {
    if (a.header_len() != b.header_len()) return a.header_len() < b.header_len() ? -1 : 1;
    size_t n = a.size() < b.size() ? a.size() : b.size();
    int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
  }
  friend bool operator<(const Msg& a, const Msg& b) { return compare(a, b) < 0; }

 private:
  void reset_fields() {
    b_ = nullptr;
    begin_ = pay_ = end_ = 0;
  }
  static uint8_t* scratch() {
    thread_local uint8_t s[256];
    return s;
  }
  void relocate(uint32_t k) {
    uint32_t n = size();
    uint32_t room = k > kHeadroom ? k + kHeadroom : kHeadroom;
    Buf* nb = pool().alloc(room + n);
    if (!nb) {
      raise(Fault::Capacity);
      buf_release(b_);
      reset_fields();
      return;
    }
    if (n) std::memcpy(nb->data() + room, data(), n);
    nb->claim = room;
    uint32_t hl = header_len();
    if (b_) ++pool().stats().copies;
    buf_release(b_);
    b_ = nb;
    begin_ = room;
    pay_ = room + hl;
    end_ = room + n;
  }

  Buf* b_ = nullptr;
  uint32_t begin_ = 0, pay_ = 0, end_ = 0;
};

// ---------------------------------------------------------------- checksum16

// RFC 1071: the ones' complement of the ones' complement sum of the data as
// big-endian 16-bit words (an odd last byte is padded with zero).
// Sums 32-bit big-endian words into a 64-bit accumulator, then folds.
inline uint16_t checksum16(const uint8_t* p, size_t n) {
  uint64_t sum = 0;
  while (n >= 32) {
    for (int k = 0; k < 32; k += 4)
      sum += (uint64_t(p[k]) << 24) | (uint64_t(p[k + 1]) << 16) | (uint64_t(p[k + 2]) << 8) | uint64_t(p[k + 3]);
    p += 32;
    n -= 32;
  }
  while (n >= 4) {
    sum += (uint64_t(p[0]) << 24) | (uint64_t(p[1]) << 16) | (uint64_t(p[2]) << 8) | uint64_t(p[3]);
    p += 4;
    n -= 4;
  }
  if (n >= 2) {
    sum += (uint64_t(p[0]) << 8) | p[1];
    p += 2;
    n -= 2;
  }
  if (n) sum += uint64_t(p[0]) << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xFFFF);
}
inline uint16_t checksum16(const Bytes& b) { return checksum16(b.data(), b.size()); }

}  // namespace ioa::rt
