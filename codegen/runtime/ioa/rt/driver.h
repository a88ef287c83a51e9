// Driving a generated stack: an endpoint joins a stack to a transport (frames
// out, frames in, deliveries to the application, timers), and `run_sim`
// runs two endpoints over the simulated network and checks the service a
// reliable stack promises: every message delivered once, in order.
#pragma once

#include <concepts>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ioa/rt/buffer.h"
#include "ioa/rt/net.h"
#include "ioa/rt/trace.h"
#include "ioa/rt/wire.h"

namespace ioa::rt {

// What a generated stack offers its driver.
template <class S>
concept Stack = requires(S s, const S cs, const Msg& m) {
  { cs.room_dn(m) } -> std::same_as<bool>;
  { s.dn(m) };
  { s.up(m) };
  { s.tick() } -> std::same_as<bool>;
  { s.resettle() };
  { cs.held() } -> std::same_as<bool>;
  { s.to_app.size() };
  { s.to_net.size() };
};

template <class S>
class Endpoint {
 public:
  S stack;
  uint64_t malformed = 0;  // frames the wire decoder rejected (dropped and counted)

  // Offers a message to the stack; false when it has no room (back-pressure).
  bool send(const Msg& m) {
    if (!stack.room_dn(m)) return false;
    stack.dn(m);
    return true;
  }
  // A frame from the transport; malformed frames are dropped and counted.
  bool frame_in(const Msg& frame) { return frame_in(Msg(frame)); }
  // The same for a frame the caller gives up: decoded in place.
  bool frame_in(Msg&& frame) {
    if (!wire_decode_in_place(frame)) {
      ++malformed;
      return false;
    }
    stack.up(frame);
    return true;
  }
  // Hands every frame the stack has produced to `sink(frame)`.
  template <class F>
  void frames_out(F&& sink) {
    bool any = false;
    while (!stack.to_net.empty()) {
      Msg f = stack.to_net.take_front();
      wire_encode_in_place(f);
      sink(std::move(f));
      any = true;
    }
    if (any && stack.held()) stack.resettle();  // an inline test: nothing is held back most of the time
  }
  // Hands every message delivered to the application to `f(msg)`.
  template <class F>
  void deliveries(F&& f) {
    bool any = false;
    while (!stack.to_app.empty()) {
      Msg m = stack.to_app.take_front();
      f(m);
      any = true;
    }
    if (any && stack.held()) stack.resettle();  // an inline test: nothing is held back most of the time
  }
};

struct SimResult {
  bool ok = false;
  std::string error;
  uint64_t sent = 0, delivered = 0, rounds = 0, ticks = 0;
  uint64_t frames = 0, lost = 0, duplicated = 0, malformed = 0;
};

// The network a stack is run over by default: a stack without a timer (no internal action)
// cannot recover a lost frame, so it gets a perfect network (no loss, duplication or
// reordering); the others get SimNetConfig's lossy defaults.
template <class S>
SimNetConfig default_net() {
  SimNetConfig n;
  if constexpr (S::kInternals == 0) n.loss_pct = n.dup_pct = n.reorder_pct = 0;
  return n;
}

struct SimOptions {
  uint32_t messages = 50;
  uint32_t max_payload = 64;
  uint64_t max_rounds = 200000;
  uint32_t idle_rounds_before_tick = 3;  // retransmission timer, in rounds without traffic
  uint32_t spurious_tick_pct = 2;        // ticks at random, to exercise duplicate retransmissions
  SimNetConfig net;
};

// Endpoint A sends `messages` payloads to endpoint B over a SimNet; checks
// that B delivers each exactly once and in order and that A delivers nothing.
template <class S>
SimResult run_sim(uint64_t seed, const SimOptions& opt, TraceOut* traceA = nullptr, TraceOut* traceB = nullptr) {
  SimResult r;
  Rng rng(seed * 0x2545F4914F6CDD1Dull + 17);
  SimNet net(seed, opt.net);
  auto A = std::make_unique<Endpoint<S>>();
  auto B = std::make_unique<Endpoint<S>>();
  if (traceA) A->stack.set_trace(traceA);
  if (traceB) B->stack.set_trace(traceB);
  std::vector<std::vector<uint8_t>> payloads;
  for (uint32_t i = 0; i < opt.messages; ++i) {
    uint32_t len = static_cast<uint32_t>(rng.below(opt.max_payload + 1));
    if (len < 4 && opt.max_payload >= 4) len = 4;
    std::vector<uint8_t> p(len);
    for (uint32_t k = 0; k < len; ++k) p[k] = static_cast<uint8_t>(rng.next());
    if (len >= 4) put_u32(p.data(), i);
    payloads.push_back(std::move(p));
  }
  uint32_t next = 0;
  uint64_t quiet = 0;
  auto counted = [&] {  // the network's and endpoints' figures, on success and on failure alike
    r.sent = next;
    r.frames = net.sent;
    r.lost = net.lost;
    r.duplicated = net.duplicated;
    r.malformed = A->malformed + B->malformed;
  };
  auto fail = [&](std::string why) {
    counted();
    r.ok = false;
    r.error = std::move(why);
    return r;
  };
  for (r.rounds = 0; r.rounds < opt.max_rounds; ++r.rounds) {
    if (next < payloads.size() && rng.percent(50)) {
      const auto& p = payloads[next];
      Msg m = Msg::copy(p.data(), static_cast<uint32_t>(p.size()));
      if (A->send(m)) ++next;
    }
    bool traffic = false;
    A->frames_out([&](const Msg& f) {
      net.send(0, f);
      traffic = true;
    });
    B->frames_out([&](const Msg& f) {
      net.send(1, f);
      traffic = true;
    });
    net.advance();
    Msg f;
    while (net.recv(0, f)) {
      B->frame_in(f);
      traffic = true;
    }
    while (net.recv(1, f)) {
      A->frame_in(f);
      traffic = true;
    }
    std::string err;
    B->deliveries([&](const Msg& m) {
      if (r.delivered >= payloads.size()) {
        err = "B delivered more messages than were sent";
        return;
      }
      const auto& want = payloads[r.delivered];
      if (m.payload_len() != want.size() ||
          (m.payload_len() && std::memcmp(m.payload_data(), want.data(), want.size()) != 0) || m.header_len() != 0) {
        err = "delivery " + std::to_string(r.delivered) + " is not the message sent as number " +
              std::to_string(r.delivered) + " (duplicate, lost or reordered)";
        return;
      }
      ++r.delivered;
    });
    if (!err.empty()) return fail(err);
    A->deliveries([&](const Msg&) { err = "A delivered a message, but B never sends"; });
    if (!err.empty()) return fail(err);
    if (r.delivered == payloads.size() && next == payloads.size()) {
      r.ok = true;
      break;
    }
    quiet = traffic || !net.idle() ? 0 : quiet + 1;
    if (quiet >= opt.idle_rounds_before_tick || rng.percent(opt.spurious_tick_pct)) {
      if (A->stack.tick()) ++r.ticks;
      if (B->stack.tick()) ++r.ticks;
      quiet = 0;
    }
  }
  counted();
  if (!r.ok) return fail("not all messages delivered after " + std::to_string(r.rounds) + " rounds (" +
                         std::to_string(r.delivered) + " of " + std::to_string(payloads.size()) + ")");
  return r;
}

}  // namespace ioa::rt
