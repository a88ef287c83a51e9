// The Reliable stack written by hand a second time, now against the runtime's
// own API: a class the runtime's `Endpoint` drives exactly as it drives a
// generated stack (reference-counted `rt::Msg` values, the `to_net` and
// `to_app` queues, frames encoded and decoded by the endpoint). It is the
// fastest stack we know how to write behind that API, so the benchmark can
// say how much of the distance between the collapsed stack and the raw
// hand-written one (reliable_handwritten.h: raw buffers, callbacks, nothing
// queued) is the bypass code's and how much the API's.
//
// Same protocol, same bytes on the wire and same checks as
// reliable_handwritten.h (see the frame layout there): one pass over the
// header stack, headers written in place into the headroom, one message kept
// for retransmission, up to 64 more waiting.
#pragma once

#include <cstdint>

#include "ioa/rt/checksum.h"
#include "ioa/rt/containers.h"
#include "ioa/rt/wire.h"
#include "reliable_handwritten.h"

namespace handwritten {

class ReliableMsgStack {
 public:
  using Raw = ReliableEndpoint;  // the raw stack: its tags and header layout
  static constexpr uint32_t kOutbox = 64;
  static constexpr uint32_t kHeaders = Raw::kDataHeaders - 2;  // the four headers of a data frame
  static constexpr uint8_t kTagTop = Raw::kTagTop, kTagSeqno = Raw::kTagSeqno, kTagChecksum = Raw::kTagChecksum,
                           kTagBottom = Raw::kTagBottom, kKindData = Raw::kKindData;

  ioa::rt::Seq<ioa::rt::Msg, kOutbox> to_app;  // deliveries to the application
  ioa::rt::Seq<ioa::rt::Msg, kOutbox> to_net;  // frames for the network (the endpoint adds the envelope)

  struct Stats {
    uint64_t bottom_dropped = 0, checksum_dropped = 0, seqno_dropped = 0, top_dropped = 0, no_room = 0;
  };

  bool room_dn(const ioa::rt::Msg&) const { return in_flight_ ? !pending_.full() : !to_net.full(); }
  void dn(const ioa::rt::Msg& m) {
    if (in_flight_) {
      pending_.push_back(m);
      return;
    }
    in_flight_ = true;
    cur_ = m;
    transmit();
  }
  // A message from the network, its envelope taken off by the endpoint.
  void up(const ioa::rt::Msg& m) {
    namespace rt = ioa::rt;
    const uint32_t h = m.header_len(), plen = m.payload_len();
    const uint8_t* hp = m.header_data();
    if (h < 3 || hp[0] != kTagBottom || rt::get_u16(hp + 1) != static_cast<uint16_t>(plen)) {
      ++stats_.bottom_dropped;
      return;
    }
    if (h < 6 || hp[3] != kTagChecksum || rt::get_u16(hp + 4) != rt::checksum16(m.payload_data(), plen)) {
      ++stats_.checksum_dropped;
      return;
    }
    if (h < 12 || hp[6] != kTagSeqno || hp[11] > 1) {
      ++stats_.seqno_dropped;
      return;
    }
    const uint32_t seq = rt::get_u32(hp + 7);
    if (hp[11]) {  // an acknowledgement
      if (in_flight_ && seq == send_seq_) {
        ++send_seq_;
        if (pending_.empty()) {
          in_flight_ = false;
          cur_ = rt::Msg();
        } else {
          cur_ = pending_.take_front();
          transmit();
        }
      }
      return;
    }
    // No room for the acknowledgement or the delivery: drop the frame unacknowledged
    // (the sender's timer sends it again).
    if (to_net.full() || to_app.full()) {
      ++stats_.no_room;
      return;
    }
    const bool fresh = seq == recv_seq_;
    if (fresh) ++recv_seq_;
    send_ack(seq);
    if (!fresh) return;
    if (h < kHeaders || hp[12] != kTagTop || hp[13] != kKindData) {
      ++stats_.top_dropped;
      return;
    }
    rt::Msg d(m);
    d.pop_front(kHeaders);
    to_app.push_back(std::move(d));
  }
  // The retransmission timer.
  bool tick() {
    if (!in_flight_ || to_net.full()) return false;
    transmit();
    return true;
  }
  void resettle() {}
  bool held() const { return false; }
  bool idle() const { return !in_flight_; }
  const Stats& stats() const { return stats_; }

 private:
  void send_ack(uint32_t seq) {
    namespace rt = ioa::rt;
    uint8_t* a = nullptr;
    rt::Msg ack = rt::Msg::pushed(rt::Msg(), 12, a);
    Raw::put_ack_headers(a, seq);
    to_net.push_back(std::move(ack));
  }
  void transmit() {
    namespace rt = ioa::rt;
    uint8_t* p = nullptr;
    rt::Msg f = rt::Msg::pushed(cur_, kHeaders, p);
    const uint32_t n = cur_.payload_len();
    Raw::put_data_headers(p, n, rt::checksum16(cur_.payload_data(), n), send_seq_);
    to_net.push_back(std::move(f));
  }

  bool in_flight_ = false;
  ioa::rt::Msg cur_;                                  // the message in flight, kept for retransmission
  ioa::rt::Seq<ioa::rt::Msg, kOutbox> pending_;       // waiting for the window
  uint32_t send_seq_ = 0, recv_seq_ = 0;
  Stats stats_;
};

}  // namespace handwritten
