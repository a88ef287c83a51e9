// Buffers with headroom, and the two value types built on them: `Bytes` (a
// view of bytes, the spec's Bytes = Seq[UInt8]) and `Msg` (the spec's Msg: a
// payload plus a stack of headers).
//
// Memory: buffers come from a per-thread pool of fixed size classes; after a
// warm-up the hot path never touches the heap (the pool grows by whole slabs
// only when a class runs dry, and counts it). Buffers are reference counted,
// so values share bytes instead of copying them. The pool belongs to a thread:
// a buffer must be released on the thread that allocated it (one thread per
// endpoint, as the drivers do).
//
// Headroom and the no-copy rule: a message is normally laid out as
//     [ headroom | header stack (top header first) | payload ]
// `push` writes a header into the headroom in front of the header stack. Two
// values may share a buffer (a layer keeps `m` for retransmission and sends
// `push(m, h)` down); writing in front of a value is allowed in place only
// when no other value can see those bytes: the buffer has one owner, or the
// value starts at the buffer's lowest written byte ("claim"). Otherwise push
// moves the header stack (a few bytes) into a fresh buffer; the payload is
// never copied.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>
#include <vector>

#include "ioa/rt/checksum.h"
#include "ioa/rt/core.h"

#if defined(__GNUC__) || defined(__clang__)
#define IOA_RT_NOINLINE [[gnu::noinline]]
#define IOA_RT_ALWAYS_INLINE [[gnu::always_inline]] inline
#else
#define IOA_RT_NOINLINE
#define IOA_RT_ALWAYS_INLINE inline
#endif

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
    uint64_t allocs = 0, releases = 0, grows = 0, live = 0;
    uint64_t copies = 0;        // payload bytes copied (only for frames cut in an odd place)
    uint64_t header_moves = 0;  // header stacks moved to a fresh buffer because the headroom was shared
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
    return c == kClasses ? nullptr : take(c);
  }
  // A buffer of the smallest class (room for a header stack and a small payload).
  Buf* alloc_small() { return take(0); }

  void release(Buf* b) {
    b->next = free_[b->cls];
    free_[b->cls] = b;
    ++stats_.releases;
    --stats_.live;
  }

  Stats& stats() { return stats_; }
  static constexpr uint32_t max_size() { return kCaps[kClasses - 1]; }

 private:
  // A buffer of class `c` with one reference, or nullptr when the heap has no slab to give.
  // Always inlined: called out of line from alloc(), the layered round trip ran 48
  // instructions more under callgrind.
  IOA_RT_ALWAYS_INLINE Buf* take(uint32_t c) {
    if (!free_[c]) grow(c);
    Buf* b = free_[c];
    if (!b) return nullptr;
    free_[c] = b->next;
    b->refs = 1;
    b->claim = b->cap;
    b->next = nullptr;
    ++stats_.allocs;
    ++stats_.live;
    return b;
  }
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
  static Bytes copy(const uint8_t* p, size_t n, uint32_t headroom = kHeadroom) { return join(p, n, nullptr, 0, headroom); }
  static Bytes of(std::initializer_list<uint8_t> xs) { return copy(xs.begin(), xs.size()); }
  // A fresh buffer holding `na` bytes from `a` then `nb` bytes from `b` (together within the pool's
  // largest class): a sequence joined, appended to or prepended to, copied once.
  static Bytes join(const uint8_t* a, size_t na, const uint8_t* b, size_t nb, uint32_t headroom = kHeadroom) {
    Bytes r;
    const size_t n = na + nb;
    if (n == 0) return r;
    Buf* buf = pool().alloc(static_cast<uint32_t>(n) + headroom);
    if (!buf) {
      raise(Fault::Capacity);
      return r;
    }
    if (na) std::memcpy(buf->data() + headroom, a, na);
    if (nb) std::memcpy(buf->data() + headroom + na, b, nb);
    buf->claim = headroom;
    r.b_ = buf, r.begin_ = headroom, r.end_ = headroom + static_cast<uint32_t>(n);
    return r;
  }

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

// A range [begin, end) of a buffer's bytes in one 64-bit word, always written whole: the
// range of a message's header stack. A message is often copied right after a push moved
// the front of its header stack, and the copy reads the range as one 8-byte load: had
// the push stored 4 bytes into half of it, that load could not be forwarded from the
// store and waited for it to retire (the largest single cost of the collapsed round
// trip, under perf). The payload's range, rarely written, keeps two 32-bit fields: as a
// Span too, the extra shifts made the layered round trip about 7 % slower.
class Span {
 public:
  Span() = default;
  static Span of(uint32_t begin, uint32_t end) { return Span(uint64_t(begin) | (uint64_t(end) << 32)); }
  uint32_t begin() const { return static_cast<uint32_t>(w_); }
  uint32_t end() const { return static_cast<uint32_t>(w_ >> 32); }
  uint32_t len() const { return end() - begin(); }
  void grow_front(uint32_t k) { w_ -= k; }  // k <= begin()
  void drop_front(uint32_t k) { w_ += k; }  // k <= len()

 private:
  explicit Span(uint64_t w) : w_(w) {}
  uint64_t w_ = 0;
};

// A message: its header stack and its payload, each a range of bytes in a
// buffer. Normally both lie in one buffer, the headers right in front of the
// payload, pushed into its headroom. When the bytes in front of the header
// stack may be seen by another value, `push` moves the (small) header stack
// into a fresh buffer instead of writing there: the payload is never copied.
class Msg {
 public:
  Msg() = default;
  Msg(const Msg& o)
      : hb_(o.hb_), h_(o.h_), pb_(o.pb_), pbegin_(o.pbegin_), pend_(o.pend_) {
    o.retain();
  }
  Msg(Msg&& o) noexcept
      : hb_(o.hb_), h_(o.h_), pb_(o.pb_), pbegin_(o.pbegin_), pend_(o.pend_) {
    o.reset_fields();
  }
  Msg& operator=(const Msg& o) {
    if (this != &o) {
      o.retain();
      release();
      assign_fields(o);
    }
    return *this;
  }
  Msg& operator=(Msg&& o) noexcept {
    if (this != &o) {
      release();
      assign_fields(o);
      o.reset_fields();
    }
    return *this;
  }
  ~Msg() { release(); }

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
    m.hb_ = m.pb_ = b;  // one reference for both parts
    m.h_ = Span::of(headroom, headroom);
    m.pbegin_ = headroom, m.pend_ = headroom + n;
    return m;
  }
  static Msg copy(const uint8_t* p, uint32_t n, uint32_t headroom = kHeadroom) {
    Msg m = alloc(n, headroom);
    if (n && m.pb_) std::memcpy(m.payload_data(), p, n);
    return m;
  }
  // msg(b): a message with payload `b` and no headers; shares b's bytes, and
  // pushes go into the headroom in front of them when nobody else can see it.
  static Msg make(const Bytes& b) {
    Msg m;
    if (b.b_) {
      buf_retain(b.b_);
      m.hb_ = m.pb_ = b.b_;
      m.h_ = Span::of(b.begin_, b.begin_);
      m.pbegin_ = b.begin_, m.pend_ = b.end_;
    }
    return m;
  }

  bool null() const { return !hb_ && !pb_; }
  uint32_t header_len() const { return h_.len(); }
  const uint8_t* header_data() const { return hb_ ? hb_->data() + h_.begin() : nullptr; }
  uint32_t payload_len() const { return pend_ - pbegin_; }
  const uint8_t* payload_data() const { return pb_ ? pb_->data() + pbegin_ : nullptr; }
  uint8_t* payload_data() { return pb_ ? pb_->data() + pbegin_ : nullptr; }  // for filling a fresh message
  Bytes payload() const {
    Bytes r;
    if (pb_ && pend_ > pbegin_) {
      buf_retain(pb_);
      r.b_ = pb_, r.begin_ = pbegin_, r.end_ = pend_;
    }
    return r;
  }
  // Header stack and payload together: the bytes that follow the envelope on the wire.
  uint32_t size() const { return header_len() + payload_len(); }
  bool contiguous() const { return header_len() == 0 || payload_len() == 0 || (hb_ == pb_ && h_.end() == pbegin_); }
  void copy_to(uint8_t* dst) const {
    if (header_len()) std::memcpy(dst, header_data(), header_len());
    if (payload_len()) std::memcpy(dst + header_len(), payload_data(), payload_len());
  }

  // Room for `k` more header bytes in front of the header stack; returns where
  // to write them (see the class comment).
  uint8_t* push_front(uint32_t k) {
    bool alone = sole_owner();
    if (!writable_front(k)) move_headers(k), alone = true;
    return claim_front(k, alone);
  }
  // push(m, h) as a new value: `m` with `k` more header bytes in front, `where`
  // the place to write them. In place when no value but `m` can see the bytes
  // in front of m's header stack (m holds the buffer alone, or its header
  // stack starts at the lowest byte written there).
  static Msg pushed(const Msg& m, uint32_t k, uint8_t*& where) {
    bool inPlace = m.writable_front(k);
    bool alone = m.sole_owner();
    Msg r(m);
    if (!inPlace) r.move_headers(k), alone = true;
    where = r.claim_front(k, alone);
    return r;
  }
  // Keeps the first `n` payload bytes (n <= payload_len()).
  void trim(uint32_t n) {
    if (n < payload_len()) pend_ = pbegin_ + n;
  }
  // Drops `k` header bytes (the caller has checked k <= header_len()).
  void pop_front(uint32_t k) { h_.drop_front(k); }

  // The message whose bytes are those of `m` from offset `from` on, the first
  // `hdr_len` of them its header stack (for decoding frames). Shares m's
  // buffers when the split falls on them; copies only a frame whose parts are
  // cut in an odd place. False if the bytes run out.
  static bool carve(const Msg& m, uint32_t from, uint32_t hdr_len, Msg& out) {
    uint32_t hl = m.header_len(), total = m.size();
    if (from > total || hdr_len > total - from) return false;
    if (from + hdr_len == hl) {
      // headers inside m's header part, payload = m's payload part
      Msg r(m);
      r.h_.drop_front(from);
      out = std::move(r);
      return true;
    }
    if (from >= hl) {
      // everything inside m's payload part: both parts view it
      uint32_t at = m.pbegin_ + (from - hl);
      Msg r;
      buf_retain(m.pb_);
      r.hb_ = r.pb_ = m.pb_;
      r.h_ = Span::of(at, at + hdr_len);
      r.pbegin_ = at + hdr_len, r.pend_ = m.pend_;
      out = std::move(r);
      return true;
    }
    std::vector<uint8_t> flat(total);
    m.copy_to(flat.data());
    Msg whole = copy(flat.data(), total, 0);
    if (whole.pb_) ++pool().stats().copies;
    return carve(whole, from, hdr_len, out);
  }

  friend bool operator==(const Msg& a, const Msg& b) {
    if (a.header_len() != b.header_len() || a.payload_len() != b.payload_len()) return false;
    bool sameH = a.header_len() == 0 || (a.hb_ == b.hb_ && a.h_.begin() == b.h_.begin()) ||
                 std::memcmp(a.header_data(), b.header_data(), a.header_len()) == 0;
    if (!sameH) return false;
    return a.payload_len() == 0 || (a.pb_ == b.pb_ && a.pbegin_ == b.pbegin_) ||
           std::memcmp(a.payload_data(), b.payload_data(), a.payload_len()) == 0;
  }
  friend int compare(const Msg& a, const Msg& b) {
    if (a.header_len() != b.header_len()) return a.header_len() < b.header_len() ? -1 : 1;
    if (int c = a.header_len() ? std::memcmp(a.header_data(), b.header_data(), a.header_len()) : 0)
      return c < 0 ? -1 : 1;
    size_t n = a.payload_len() < b.payload_len() ? a.payload_len() : b.payload_len();
    if (int c = n ? std::memcmp(a.payload_data(), b.payload_data(), n) : 0) return c < 0 ? -1 : 1;
    return a.payload_len() < b.payload_len() ? -1 : a.payload_len() > b.payload_len() ? 1 : 0;
  }
  friend bool operator<(const Msg& a, const Msg& b) { return compare(a, b) < 0; }

 private:
  // A message holds one reference to each buffer it uses: one in all when its header
  // stack and its payload lie in the same buffer (the common case). Counting that
  // buffer once halves the read-modify-writes of one counter on every copy, which
  // the collapsed paths make many of.
  void retain() const {
    buf_retain(hb_);
    if (pb_ != hb_) buf_retain(pb_);
  }
  void release() {
    buf_release(hb_);
    if (pb_ != hb_) buf_release(pb_);
  }
  // The header part leaves its buffer (for a fresh one): its reference goes, unless the
  // payload part keeps using that buffer.
  void leave_header_buf() {
    if (hb_ != pb_) buf_release(hb_);
  }
  void assign_fields(const Msg& o) {
    hb_ = o.hb_, h_ = o.h_;
    pb_ = o.pb_, pbegin_ = o.pbegin_, pend_ = o.pend_;
  }
  void reset_fields() {
    hb_ = pb_ = nullptr;
    h_ = Span();
    pbegin_ = pend_ = 0;
  }
  bool sole_owner() const { return hb_ && hb_->refs == 1; }
  bool writable_front(uint32_t k) const { return hb_ && h_.begin() >= k && (sole_owner() || h_.begin() == hb_->claim); }
  // `alone`: no value but this one (and the one it was pushed from) holds the buffer, so the
  // lowest byte any value starts at is the new front, even when bytes further in front were
  // written before (by values now gone): the claim moves back up. Without this, a buffer
  // sent again (a message kept by the application and resent) never writes in place again.
  uint8_t* claim_front(uint32_t k, bool alone) {
    if (!hb_) return scratch();
    h_.grow_front(k);
    if (alone || h_.begin() < hb_->claim) hb_->claim = h_.begin();
    return hb_->data() + h_.begin();
  }
  static uint8_t* scratch() {
    thread_local uint8_t s[256];
    return s;
  }
  // Moves the header stack into a fresh small buffer with room for `k` more in front.
  // Out of line: inlined, it made every push save and restore six registers for a
  // path most pushes do not take.
  IOA_RT_NOINLINE void move_headers(uint32_t k) {
    uint32_t hl = header_len();
    if (hl == 0 && k <= kHeadroom) {  // no header stack yet (an acknowledgement): a fresh small buffer
      if (Buf* nb = pool().alloc_small()) {
        leave_header_buf();
        nb->claim = kHeadroom;
        hb_ = nb;
        h_ = Span::of(kHeadroom, kHeadroom);
        return;
      }
    }
    uint32_t room = k > kHeadroom ? k + kHeadroom : kHeadroom;
    Buf* nb = pool().alloc(room + hl);
    if (!nb) {
      raise(Fault::Capacity);
      leave_header_buf();
      hb_ = nullptr;
      h_ = Span();
      return;
    }
    if (hl) std::memcpy(nb->data() + room, header_data(), hl);
    nb->claim = room;
    if (hl) ++pool().stats().header_moves;
    leave_header_buf();
    hb_ = nb;
    h_ = Span::of(room, room + hl);
  }

  Buf* hb_ = nullptr;
  Span h_;  // the header stack's bytes in hb_
  Buf* pb_ = nullptr;
  uint32_t pbegin_ = 0, pend_ = 0;  // the payload's bytes in pb_
};

// ---------------------------------------------------------------- checksum16 of Bytes

inline uint16_t checksum16(const Bytes& b) { return checksum16(b.data(), b.size()); }

}  // namespace ioa::rt
