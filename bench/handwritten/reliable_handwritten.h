// The Reliable stack of samples/stacks/reliable.ioa written by hand, as one
// monolithic endpoint tuned for speed: the baseline the generated layered
// stack and, later, the optimizer's collapsed stack are measured against.
//
// Same protocol and same bytes on the wire as the generated stack (the
// format of codegen/runtime/ioa/rt/wire.h with the tags the generator gives
// the four headers), and the same checks on the way up:
//
//   data frame: u16 H=14 | 4 len:u16 | 3 sum:u16 | 2 seq:u32 ack:u8=0 | 1 kind:u8=1 | payload
//   ack frame:  u16 H=12 | 4 len=0   | 3 sum=FFFF | 2 seq:u32 ack:u8=1
//
//   Bottom    drop unless len = payload length mod 2^16
//   Checksum  drop unless sum = checksum16(payload)   (RFC 1071)
//   Seqno     stop-and-wait: one message in flight; an ack for send_seq frees
//             the window; a data frame is acknowledged always and delivered
//             when its seq is recv_seq; retransmission on the timer
//   Top       drop unless kind = 1
//
// Headers are written in place into the headroom in front of the caller's
// payload, frames are handed to the transport by pointer, received frames
// are parsed in one pass without copying, and nothing is allocated.
// Depends only on the runtime's checksum header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ioa/rt/checksum.h"

namespace handwritten {

// The RFC 1071 routine of the runtime (codegen/runtime/ioa/rt/checksum.h):
// both stacks checksum with the same code, so the comparison measures the
// protocol processing around it.
using ioa::rt::checksum16;

class ReliableEndpoint {
 public:
  static constexpr uint32_t kDataHeaders = 16;  // envelope and the four headers of a data frame
  static constexpr uint32_t kPending = 64;
  static constexpr uint8_t kTagTop = 1, kTagSeqno = 2, kTagChecksum = 3, kTagBottom = 4, kKindData = 1;

  struct Stats {
    uint64_t malformed = 0, bottom_dropped = 0, checksum_dropped = 0, seqno_dropped = 0, top_dropped = 0;
  };

  // Queues `len` payload bytes at `payload`, which must have kDataHeaders bytes
  // of headroom in front and stay untouched until acknowledged. Sends at once
  // when nothing is in flight. `tx(const uint8_t* frame, uint32_t n)` must
  // consume the frame before returning. False when the queue is full.
  template <class Tx>
  bool send(uint8_t* payload, uint32_t len, Tx&& tx) {
    if (!in_flight_) {
      in_flight_ = true;
      cur_ = {payload, len};
      transmit_data(tx);
      return true;
    }
    if (pending_n_ == kPending) return false;
    pending_[(pending_head_ + pending_n_++) % kPending] = {payload, len};
    return true;
  }

  // The retransmission timer.
  template <class Tx>
  bool tick(Tx&& tx) {
    if (!in_flight_) return false;
    transmit_data(tx);
    return true;
  }

  // A frame from the transport. `deliver(const uint8_t* payload, uint32_t n)`
  // gets each message for the application; acknowledgements go to `tx`.
  template <class Tx, class Deliver>
  void receive(const uint8_t* f, uint32_t n, Tx&& tx, Deliver&& deliver) {
    if (n < 2) {
      ++stats_.malformed;
      return;
    }
    uint32_t h = get16(f);
    if (h > n - 2) {
      ++stats_.malformed;
      return;
    }
    const uint8_t* hp = f + 2;
    const uint8_t* pay = hp + h;
    uint32_t plen = n - 2 - h;
    if (h < 3 || hp[0] != kTagBottom || get16(hp + 1) != static_cast<uint16_t>(plen)) {
      ++stats_.bottom_dropped;
      return;
    }
    if (h < 6 || hp[3] != kTagChecksum || get16(hp + 4) != checksum16(pay, plen)) {
      ++stats_.checksum_dropped;
      return;
    }
    if (h < 12 || hp[6] != kTagSeqno || hp[11] > 1) {
      ++stats_.seqno_dropped;
      return;
    }
    uint32_t seq = get32(hp + 7);
    if (hp[11]) {  // an acknowledgement
      if (in_flight_ && seq == send_seq_) {
        ++send_seq_;
        if (pending_n_ == 0) {
          in_flight_ = false;
        } else {
          cur_ = pending_[pending_head_];
          pending_head_ = (pending_head_ + 1) % kPending;
          --pending_n_;
          transmit_data(tx);
        }
      }
      return;
    }
    bool fresh = seq == recv_seq_;
    if (fresh) ++recv_seq_;
    uint8_t* a = ack_;
    a[0] = 0, a[1] = 12;
    put_ack_headers(a + 2, seq);
    tx(static_cast<const uint8_t*>(a), 14u);
    if (!fresh) return;
    if (h < 14 || hp[12] != kTagTop || hp[13] != kKindData) {
      ++stats_.top_dropped;
      return;
    }
    deliver(pay, plen);  // (a frame with more headers below Top would deliver them too; none is sent)
  }

  const Stats& stats() const { return stats_; }
  bool idle() const { return !in_flight_; }

  // The header stack after the envelope: a data frame's four headers (kDataHeaders - 2 bytes)
  // and an acknowledgement's three (12 bytes). Also written by the same protocol behind the
  // runtime's API (reliable_handwritten_msg.h).
  static void put_data_headers(uint8_t* p, uint32_t len, uint16_t sum, uint32_t seq) {
    p[0] = kTagBottom;
    put16(p + 1, static_cast<uint16_t>(len));
    p[3] = kTagChecksum;
    put16(p + 4, sum);
    p[6] = kTagSeqno;
    put32(p + 7, seq);
    p[11] = 0;
    p[12] = kTagTop, p[13] = kKindData;
  }
  static void put_ack_headers(uint8_t* a, uint32_t seq) {
    a[0] = kTagBottom, a[1] = 0, a[2] = 0;
    a[3] = kTagChecksum, a[4] = 0xFF, a[5] = 0xFF;
    a[6] = kTagSeqno;
    put32(a + 7, seq);
    a[11] = 1;
  }

 private:
  struct Pending {
    uint8_t* p;
    uint32_t n;
  };
  static uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
  static uint32_t get32(const uint8_t* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
  }
  static void put16(uint8_t* p, uint16_t v) { p[0] = static_cast<uint8_t>(v >> 8), p[1] = static_cast<uint8_t>(v); }
  static void put32(uint8_t* p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24), p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8), p[3] = static_cast<uint8_t>(v);
  }
  template <class Tx>
  void transmit_data(Tx& tx) {
    uint8_t* f = cur_.p - kDataHeaders;
    f[0] = 0, f[1] = 14;
    put_data_headers(f + 2, cur_.n, checksum16(cur_.p, cur_.n), send_seq_);
    tx(static_cast<const uint8_t*>(f), cur_.n + kDataHeaders);
  }

  bool in_flight_ = false;
  Pending cur_{nullptr, 0};
  Pending pending_[kPending] = {};
  uint32_t pending_head_ = 0, pending_n_ = 0;
  uint32_t send_seq_ = 0, recv_seq_ = 0;
  uint8_t ack_[16] = {};
  Stats stats_;
};

}  // namespace handwritten
