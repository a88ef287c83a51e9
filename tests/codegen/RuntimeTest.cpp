// The runtime shipped with generated code (codegen/runtime/ioa/rt).
#include <gtest/gtest.h>

#include <cstring>

#include <random>
#include <vector>

#include "ioa/rt/driver.h"
#include "ioa/rt/runtime.h"
#include "ioa/spec/Eval.h"

namespace rt = ioa::rt;

namespace {

struct FaultScope {
  FaultScope() { rt::faults().clear(); }
  uint64_t total() const { return rt::faults().total; }
  uint64_t of(rt::Fault f) const { return rt::faults().count[static_cast<size_t>(f)]; }
};

TEST(Runtime, IntegersFollowTheSpec) {
  FaultScope f;
  std::mt19937_64 g(3);
  for (int i = 0; i < 20000; ++i) {
    int64_t a = static_cast<int64_t>(g() % 2001) - 1000, b = static_cast<int64_t>(g() % 41) - 20;
    if (b == 0) continue;
    int64_t q = rt::div(a, b), r = rt::mod(a, b);
    EXPECT_EQ(a, b * q + r);
    EXPECT_GE(r, 0);
    EXPECT_LT(r, b > 0 ? b : -b);
  }
  EXPECT_EQ(f.total(), 0u);
  EXPECT_EQ(rt::add(INT64_MAX, 1), 0);
  EXPECT_EQ(f.of(rt::Fault::Overflow), 1u);
  EXPECT_EQ(rt::div(1, 0), 0);
  EXPECT_EQ(f.of(rt::Fault::DivZero), 1u);
  EXPECT_EQ(rt::to_nat(-1), 0);
  EXPECT_EQ(f.of(rt::Fault::Narrow), 1u);
  EXPECT_EQ(rt::wadd<uint8_t>(250, 10), 4);
  EXPECT_EQ(rt::wmul<uint16_t>(65535, 65535), 1);  // computed without signed overflow
  EXPECT_EQ(rt::shl<uint32_t>(1, 32), 0u);
  EXPECT_EQ(rt::shr<uint64_t>(~0ull, 64), 0u);
  EXPECT_EQ(rt::wneg<uint8_t>(1), 255);
}

TEST(Runtime, SeqIsABoundedRingWithValueSemantics) {
  FaultScope f;
  rt::Seq<int64_t, 4> s;
  for (int round = 0; round < 10; ++round) {  // wraps around many times
    EXPECT_TRUE(s.push_back(round));
    EXPECT_TRUE(s.push_back(round + 100));
    EXPECT_EQ(rt::seq_head(s), round);
    s.pop_front();
    EXPECT_EQ(rt::seq_head(s), round + 100);
    s.pop_front();
  }
  for (int i = 0; i < 4; ++i) s.push_back(i);
  EXPECT_FALSE(s.push_back(9));
  EXPECT_EQ(f.of(rt::Fault::Capacity), 1u);
  rt::Seq<int64_t, 4> t = rt::seq_tail(s);
  EXPECT_EQ(s.size(), 4u);
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(rt::seq_index(t, 0), 1);
  EXPECT_EQ(rt::seq_concat(rt::seq_sub(s, 0, 1), rt::seq_sub(s, 2, 2)), (rt::Seq<int64_t, 4>::of({0, 2, 3})));
  EXPECT_TRUE(rt::seq_in(3, s));
  EXPECT_EQ(rt::seq_index(s, 4), 0);
  EXPECT_EQ(f.of(rt::Fault::Index), 1u);
  rt::Seq<int64_t, 4> e;
  EXPECT_EQ(rt::seq_head(e), 0);
  EXPECT_EQ(f.of(rt::Fault::EmptySeq), 1u);
}

TEST(Runtime, BytesAreSharedViews) {
  rt::Bytes b = rt::Bytes::of({1, 2, 3, 4});
  rt::Bytes t = rt::seq_tail(b);
  EXPECT_EQ(t.data(), b.data() + 1);  // a view, not a copy
  EXPECT_EQ(rt::seq_len(t), 3);
  EXPECT_EQ(rt::seq_concat(b, t).size(), 7u);
  EXPECT_EQ(rt::seq_append(b, 5), rt::Bytes::of({1, 2, 3, 4, 5}));
  EXPECT_EQ(rt::seq_update(b, 0, 9), rt::Bytes::of({9, 2, 3, 4}));
  EXPECT_EQ(rt::seq_update(b, 3, 9), rt::Bytes::of({1, 2, 3, 9}));
  EXPECT_EQ(rt::seq_prepend(0, b), rt::Bytes::of({0, 1, 2, 3, 4}));
  EXPECT_EQ(rt::seq_concat(rt::Bytes(), b), b);
  EXPECT_EQ(rt::seq_concat(rt::seq_sub(b, 1, 2), rt::seq_sub(b, 0, 1)), rt::Bytes::of({2, 3, 1}));
  EXPECT_EQ(b, rt::Bytes::of({1, 2, 3, 4}));  // values never change
  // joined in one copy also past the 256 bytes the join once staged on the stack
  std::vector<uint8_t> big(3000);
  for (size_t k = 0; k < big.size(); ++k) big[k] = static_cast<uint8_t>(k * 7);
  rt::Bytes large = rt::Bytes::copy(big.data(), big.size());
  rt::Bytes both = rt::seq_concat(large, b);
  ASSERT_EQ(both.size(), 3004u);
  EXPECT_EQ(std::memcmp(both.data(), big.data(), big.size()), 0);
  EXPECT_EQ(rt::seq_sub(both, 3000, 4), b);
  rt::Bytes changed = rt::seq_update(large, 2999, 1);
  EXPECT_EQ(changed.at(2999), 1);
  EXPECT_EQ(std::memcmp(changed.data(), big.data(), 2999), 0);
  FaultScope f;
  EXPECT_EQ(rt::seq_update(b, 4, 9), b);  // past the end: a fault, the value unchanged
  EXPECT_EQ(f.of(rt::Fault::Index), 1u);
}

TEST(Runtime, HeadersGoIntoHeadroomAndThePayloadIsNeverCopied) {
  rt::Msg app = rt::Msg::copy(reinterpret_cast<const uint8_t*>("payload!"), 8);
  const uint8_t* pay = app.payload_data();
  uint8_t* p = nullptr;
  rt::Msg one = rt::Msg::pushed(app, 2, p);
  EXPECT_EQ(p + 2, pay);  // in front of the payload, in the same buffer
  EXPECT_EQ(one.payload_data(), pay);
  p[0] = 1, p[1] = 2;
  rt::Msg two = rt::Msg::pushed(one, 3, p);
  EXPECT_EQ(p + 5, pay);
  // `one` is still visible (a layer keeps it for retransmission): pushing another
  // header in front of it must not overwrite the bytes `two` sees
  uint8_t* q = nullptr;
  rt::Msg again = rt::Msg::pushed(one, 3, q);
  EXPECT_NE(q, p);
  EXPECT_EQ(again.payload_data(), pay);  // the header stack moved, the payload did not
  EXPECT_EQ(again.header_len(), 5u);
  EXPECT_EQ(two.header_data()[3], 1);
  EXPECT_EQ(again.header_data()[3], 1);
  EXPECT_EQ(rt::pool().stats().copies, 0u);
  // values stay what they were
  EXPECT_EQ(app.header_len(), 0u);
  EXPECT_EQ(one.header_len(), 2u);
}

// A message the application keeps and sends again: once the values pushed from it the first
// time are gone, its headroom is free again and the next push writes there, not into a fresh
// buffer; while one of them lives (kept for retransmission), a push in front of a copy moves.
TEST(Runtime, AResentMessageWritesItsHeadersInPlaceAgain) {
  rt::Msg app = rt::Msg::copy(reinterpret_cast<const uint8_t*>("payload!"), 8);
  const uint8_t* pay = app.payload_data();
  const uint64_t moves = rt::pool().stats().header_moves;
  for (int round = 0; round < 3; ++round) {
    uint8_t* p = nullptr;
    rt::Msg top = rt::Msg::pushed(app, 2, p);
    p[0] = 7, p[1] = static_cast<uint8_t>(round);
    rt::Msg kept = top;  // a layer keeps it for retransmission
    uint8_t* q = nullptr;
    rt::Msg frame = rt::Msg::pushed(top, 9, q);
    std::memset(q, 0xC1, 9);
    EXPECT_EQ(q + 11, pay) << "round " << round;  // in place, in front of the payload
    EXPECT_EQ(rt::pool().stats().header_moves, moves) << "round " << round;
    // a second push in front of `kept` while `frame` lives must not overwrite frame's bytes
    uint8_t* r = nullptr;
    rt::Msg other = rt::Msg::pushed(kept, 9, r);
    EXPECT_NE(r, q);
    std::memset(r, 0xEE, 9);
    EXPECT_EQ(frame.header_data()[0], 0xC1);
    EXPECT_EQ(frame.header_data()[10], round);
    EXPECT_EQ(rt::pool().stats().header_moves, moves + 1) << "round " << round;
    rt::pool().stats().header_moves = moves;
  }
  EXPECT_EQ(app.header_len(), 0u);
}

// A message of headers only (an acknowledgement: headers pushed onto an empty message) takes one
// buffer of the smallest class, straight from the pool; it goes back when the last value is gone.
// More header bytes than the headroom take the general path.
TEST(Runtime, HeadersOnAnEmptyMessageTakeOneSmallBuffer) {
  rt::BufferPool& pool = rt::pool();
  { rt::Msg warm = rt::Msg::alloc(0); }  // the smallest class exists
  const uint64_t live = pool.stats().live, allocs = pool.stats().allocs, moves = pool.stats().header_moves;
  {
    uint8_t* p = nullptr;
    rt::Msg ack = rt::Msg::pushed(rt::Msg::make(rt::Bytes{}), 9, p);
    for (uint8_t k = 0; k < 9; ++k) p[k] = static_cast<uint8_t>(0xC0 + k);
    EXPECT_EQ(ack.header_len(), 9u);
    EXPECT_EQ(ack.payload_len(), 0u);
    EXPECT_EQ(ack.header_data()[0], 0xC0);
    EXPECT_EQ(ack.header_data()[8], 0xC8);
    EXPECT_EQ(pool.stats().allocs, allocs + 1);
    EXPECT_EQ(pool.stats().live, live + 1);
    EXPECT_EQ(pool.stats().header_moves, moves);  // nothing was moved: there was nothing
    // one more header in front of it is written in place, and the frame decodes to it
    uint8_t* q = nullptr;
    rt::Msg outer = rt::Msg::pushed(ack, 2, q);
    EXPECT_EQ(q + 2, ack.header_data());
    q[0] = 4, q[1] = 5;
    rt::Msg frame = outer;
    rt::wire_encode_in_place(frame);
    ASSERT_TRUE(rt::wire_decode_in_place(frame));
    EXPECT_TRUE(frame == outer);
    // the same from a default (null) message
    rt::Msg other = rt::Msg::pushed(rt::Msg(), 3, p);
    p[0] = 1, p[1] = 2, p[2] = 3;
    EXPECT_EQ(other.header_len(), 3u);
    EXPECT_EQ(other.header_data()[2], 3);
    EXPECT_EQ(pool.stats().live, live + 2);
    // more than the headroom: a larger buffer, still whole
    rt::Msg big = rt::Msg::pushed(rt::Msg(), rt::kHeadroom + 72, p);
    std::memset(p, 0xAB, rt::kHeadroom + 72);
    EXPECT_EQ(big.header_len(), rt::kHeadroom + 72);
    EXPECT_EQ(big.header_data()[rt::kHeadroom + 71], 0xAB);
  }
  EXPECT_EQ(pool.stats().live, live);
}

// A message holds one reference to a buffer its header stack and payload share, and one to
// each when they lie apart (a header stack moved to a fresh buffer, a frame decoded in the
// middle of one). Releasing too early would hand the buffer out again while a value still
// reads it: the pool gives back the last buffer released first, so a buffer allocated and
// scribbled over right after would land on the bytes the value reads.
TEST(Runtime, AMessageHoldsEachBufferItUsesUntilItIsGone) {
  rt::BufferPool& pool = rt::pool();
  const char text[] = "a payload of a frame";
  const uint32_t n = sizeof text - 1;
  auto scribble = [&] {  // a buffer of the payload's class, taken and filled while values live
    rt::Msg junk = rt::Msg::alloc(n);
    std::memset(junk.payload_data() - rt::kHeadroom, 0xEE, rt::kHeadroom + n);
  };
  const uint64_t live = pool.stats().live;
  rt::Msg moved;
  {
    rt::Msg app = rt::Msg::copy(reinterpret_cast<const uint8_t*>(text), n);
    uint8_t* p = nullptr;
    rt::Msg kept = rt::Msg::pushed(app, 2, p);  // in place: header and payload share the buffer
    p[0] = 1, p[1] = 2;
    rt::Msg frame = rt::Msg::pushed(kept, 3, p);
    p[0] = 3, p[1] = 4, p[2] = 5;
    moved = rt::Msg::pushed(kept, 4, p);  // `frame` sees the bytes in front: a fresh header buffer
    p[0] = 6, p[1] = 7, p[2] = 8, p[3] = 9;
    EXPECT_EQ(pool.stats().live, live + 2);
  }
  EXPECT_EQ(pool.stats().live, live + 2);  // the payload's buffer stays with `moved`
  scribble();
  ASSERT_EQ(moved.payload_len(), n);
  EXPECT_EQ(std::memcmp(moved.payload_data(), text, n), 0);
  EXPECT_EQ(moved.header_len(), 6u);
  EXPECT_EQ(moved.header_data()[0], 6);
  EXPECT_EQ(moved.header_data()[5], 2);
  moved = rt::Msg();
  EXPECT_EQ(pool.stats().live, live);

  // a frame that arrived as one run of bytes: the message it carries has both parts in it
  rt::Msg decoded;
  {
    uint8_t wire[4 + sizeof text] = {0, 2, 0xAA, 0xBB};
    std::memcpy(wire + 4, text, n);
    rt::Msg frame = rt::Msg::copy(wire, 4 + n, 0);
    ASSERT_TRUE(rt::wire_decode(frame, decoded));
    rt::Msg copy = decoded;
  }
  EXPECT_EQ(pool.stats().live, live + 1);
  scribble();
  ASSERT_EQ(decoded.header_len(), 2u);
  EXPECT_EQ(decoded.header_data()[1], 0xBB);
  ASSERT_EQ(decoded.payload_len(), n);
  EXPECT_EQ(std::memcmp(decoded.payload_data(), text, n), 0);
  decoded = rt::Msg();
  EXPECT_EQ(pool.stats().live, live);
}

// A stack with no timer (a layer that only adds a header): it cannot recover a lost frame.
struct NoTimerStack {
  static constexpr int kInternals = 0;
  rt::Seq<rt::Msg, 64> to_app, to_net;
  bool room_dn(const rt::Msg&) const { return !to_net.full(); }
  void dn(const rt::Msg& m) {
    uint8_t* p = nullptr;
    to_net.push_back(rt::Msg::pushed(m, 1, p));
    p[0] = 9;
  }
  void up(const rt::Msg& m) {
    if (m.header_len() != 1 || m.header_data()[0] != 9 || to_app.full()) return;
    rt::Msg d(m);
    d.pop_front(1);
    to_app.push_back(std::move(d));
  }
  bool tick() { return false; }
  void resettle() {}
  bool held() const { return false; }
  void set_trace(rt::TraceOut*) {}
};

// Such a stack is run over a perfect network by default (the exported demo's test and the
// generated harness failed on every stack without retransmission); over a lossy one it fails,
// and the failure still reports the network's figures (they were all 0).
TEST(Runtime, AStackWithoutATimerIsRunOverAPerfectNetworkByDefault) {
  const rt::SimNetConfig n = rt::default_net<NoTimerStack>();
  EXPECT_EQ(n.loss_pct + n.dup_pct + n.reorder_pct, 0u);
  rt::SimOptions opt;
  opt.messages = 40;
  opt.net = n;
  rt::SimResult ok = rt::run_sim<NoTimerStack>(3, opt);
  EXPECT_TRUE(ok.ok) << ok.error;
  EXPECT_EQ(ok.delivered, 40u);
  opt.net = rt::SimNetConfig();  // lossy
  opt.net.dup_pct = opt.net.reorder_pct = 0;
  opt.net.loss_pct = 30;
  rt::SimResult lossy = rt::run_sim<NoTimerStack>(3, opt);
  EXPECT_FALSE(lossy.ok);
  EXPECT_GT(lossy.frames, 0u);
  EXPECT_GT(lossy.lost, 0u);
  EXPECT_GT(lossy.sent, 0u);
}

TEST(Runtime, WireFramesRoundTripAndMalformedOnesAreRejected) {
  rt::Msg m = rt::Msg::copy(reinterpret_cast<const uint8_t*>("abc"), 3);
  uint8_t* p = nullptr;
  m = rt::Msg::pushed(m, 4, p);
  std::memcpy(p, "\x09\x08\x07\x06", 4);
  rt::Msg frame = rt::wire_encode(m);
  ASSERT_EQ(frame.size(), 2u + 4u + 3u);
  rt::Msg back;
  ASSERT_TRUE(rt::wire_decode(frame, back));
  EXPECT_EQ(back, m);
  // the same bytes received as one contiguous datagram
  std::vector<uint8_t> bytes(frame.size());
  frame.copy_to(bytes.data());
  rt::Msg flat = rt::Msg::copy(bytes.data(), static_cast<uint32_t>(bytes.size()), 0);
  ASSERT_TRUE(rt::wire_decode(flat, back));
  EXPECT_EQ(back, m);
  // truncations and lying envelopes
  for (size_t n = 0; n < bytes.size(); ++n) {
    rt::Msg cut = rt::Msg::copy(bytes.data(), static_cast<uint32_t>(n), 0);
    rt::Msg out;
    bool ok = rt::wire_decode(cut, out);
    EXPECT_EQ(ok, n >= 6) << n;  // envelope + 4 header bytes needed; the payload may be shorter
  }
  bytes[1] = 200;
  EXPECT_FALSE(rt::wire_decode(rt::Msg::copy(bytes.data(), static_cast<uint32_t>(bytes.size()), 0), back));
}

// The least a driver needs of a stack: it records what comes up.
struct Recorder {
  std::vector<rt::Msg> got;
  rt::Seq<rt::Msg, 4> to_app, to_net;
  bool room_dn(const rt::Msg&) const { return true; }
  void dn(const rt::Msg&) {}
  void up(const rt::Msg& m) { got.push_back(m); }
  bool tick() { return false; }
  void resettle() {}
  bool held() const { return false; }
};

// Frames given up by their holder: the envelope is written and dropped in place
// (no other reference taken), with the same bytes and the same verdicts as the
// copying forms, and a buffer someone else still sees is not written over.
TEST(Runtime, FramesHandedOverAreEncodedAndDecodedInPlace) {
  rt::Msg m = rt::Msg::copy(reinterpret_cast<const uint8_t*>("abcdef"), 6);
  uint8_t* p = nullptr;
  m = rt::Msg::pushed(m, 3, p);
  std::memcpy(p, "\x01\x02\x03", 3);
  rt::Msg kept = m;  // (a layer keeps the message for retransmission)
  rt::Msg copied = rt::wire_encode(m);
  rt::Msg moved = m;
  rt::wire_encode_in_place(moved);
  EXPECT_EQ(moved, copied);
  EXPECT_EQ(moved.header_len(), 2u + 3u);
  EXPECT_EQ(kept, m);
  rt::Msg back;
  ASSERT_TRUE(rt::wire_decode(copied, back));
  rt::Msg inPlace = moved;
  ASSERT_TRUE(rt::wire_decode_in_place(inPlace));
  EXPECT_EQ(inPlace, back);
  EXPECT_EQ(inPlace, m);
  // a frame off the wire in one piece, whole, cut short, or with a lying envelope
  std::vector<uint8_t> bytes(moved.size());
  moved.copy_to(bytes.data());
  for (size_t n = 0; n <= bytes.size(); ++n) {
    rt::Msg flat = rt::Msg::copy(bytes.data(), static_cast<uint32_t>(n), 0);
    rt::Msg out, same = flat;
    bool ok = rt::wire_decode(flat, out);
    EXPECT_EQ(rt::wire_decode_in_place(same), ok) << n;
    EXPECT_EQ(same, ok ? out : flat) << n;  // or left as it was
  }
  // envelopes in the header part that say another length: as wire_decode reads them
  for (uint16_t h : {0, 1, 2, 3, 4, 9, 10, 200}) {
    rt::Msg f = rt::Msg::pushed(m, 2, p);
    rt::put_u16(p, h);
    rt::Msg out, same = f;
    bool ok = rt::wire_decode(f, out);
    EXPECT_EQ(ok, h <= 9) << h;
    EXPECT_EQ(rt::wire_decode_in_place(same), ok) << h;
    if (ok) {
      EXPECT_EQ(same.header_len(), out.header_len()) << h;
      EXPECT_EQ(same, out) << h;
    }
  }
  // an endpoint takes a frame handed over like one it may only read
  rt::Endpoint<Recorder> b;
  rt::Msg f = m;
  rt::wire_encode_in_place(f);
  EXPECT_TRUE(b.frame_in(std::move(f)));
  rt::Msg g = rt::Msg::copy(bytes.data(), 1, 0);
  EXPECT_FALSE(b.frame_in(std::move(g)));
  EXPECT_EQ(b.malformed, 1u);
  ASSERT_EQ(b.stack.got.size(), 1u);
  EXPECT_EQ(b.stack.got[0], m);
}

TEST(Runtime, ChecksumAgreesWithTheInterpreter) {
  uint8_t none[1] = {0x55};
  ASSERT_EQ(rt::checksum16(none, 0), ioa::checksum16(none, 0));  // the early return for an empty payload
  std::mt19937_64 g(11);
  for (int i = 0; i < 5000; ++i) {
    size_t n = g() % 200;
    std::vector<uint8_t> b(n + 7);
    for (auto& x : b) x = i % 5 == 0 ? 0xFF : static_cast<uint8_t>(g());
    size_t off = g() % 7;
    ASSERT_EQ(rt::checksum16(b.data() + off, n), ioa::checksum16(b.data() + off, n)) << n;
  }
}

TEST(Runtime, MapsOverFiniteAndInfiniteKeys) {
  FaultScope f;
  using Dense = rt::DenseMap<rt::RangeKey<0, 2>, int64_t, false>;
  Dense d;
  EXPECT_FALSE(d.defined(1));
  EXPECT_EQ(rt::map_get(d, 1), 0);
  EXPECT_EQ(f.of(rt::Fault::MapKey), 1u);
  d.ref(1) = 5;
  EXPECT_EQ(rt::map_get(d, 1), 5);
  d.ref(7) = 1;  // outside the key sort
  EXPECT_EQ(f.of(rt::Fault::MapKey), 2u);
  using Sparse = rt::SparseMap<int64_t, int64_t, 4, true>;
  Sparse s = Sparse::constant(3);
  EXPECT_EQ(rt::map_get(s, 1000), 3);
  Sparse t = rt::map_update(s, 1000, 4);
  EXPECT_EQ(rt::map_get(t, 1000), 4);
  EXPECT_FALSE(s == t);
  EXPECT_TRUE(rt::map_update(t, 1000, 3) == s);  // equal as functions
}

TEST(Runtime, ThePoolStopsGrowingAfterWarmUp) {
  rt::BufferPool& pool = rt::pool();
  for (int i = 0; i < 100; ++i) rt::Msg m = rt::Msg::alloc(1000);
  uint64_t grows = pool.stats().grows;
  for (int i = 0; i < 100000; ++i) {
    rt::Msg m = rt::Msg::alloc(1000);
    rt::Msg n = m;
  }
  EXPECT_EQ(pool.stats().grows, grows);
}

TEST(Runtime, TheSimulatedNetworkIsDeterministicForASeed) {
  auto trace = [](uint64_t seed) {
    rt::SimNet net(seed, {30, 30, 50, 6});
    std::vector<int> got;
    for (int i = 0; i < 200; ++i) {
      uint8_t b = static_cast<uint8_t>(i);
      net.send(0, rt::Msg::copy(&b, 1));
      net.advance();
      rt::Msg f;
      while (net.recv(0, f)) got.push_back(f.payload_data()[0]);
    }
    return got;
  };
  EXPECT_EQ(trace(5), trace(5));
  EXPECT_NE(trace(5), trace(6));
  std::vector<int> t = trace(5);
  EXPECT_FALSE(std::is_sorted(t.begin(), t.end()));  // reordered
}

}  // namespace
