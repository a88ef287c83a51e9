// The generic layer interface of a layered (Ensemble-style) stack. A stack
// passes events between its layers through this interface only: a call and a
// dispatch per layer, no layer knows its neighbours.
//
//   handle(ev)        input: ev.dir == Dn is `dn(m)` from above, Up is `up(m)` from below
//   room(ev)          can the layer take this input now without overflowing a bounded queue?
//   peek(dir, ev)     the next output towards `dir` (dn_out or up_out) if one is enabled
//   fire(ev)          performs the output `peek` returned
//   tick()            scheduler hook: performs one enabled internal action (timers, retransmission);
//                     returns its index, or -1 when none is enabled
#pragma once

#include <concepts>
#include <cstdint>

#include "ioa/rt/buffer.h"

namespace ioa::rt {

enum class Dir : uint8_t { Dn, Up };

struct Event {
  Dir dir = Dir::Dn;
  uint8_t which = 0;  // which transition of the output produced it (set by peek, read by fire)
  Msg msg;
};

template <class L>
concept Layer = requires(L l, const L cl, const Event& ev, Event& out) {
  { l.handle(ev) };
  { cl.room(ev) } -> std::same_as<bool>;
  { cl.peek(Dir::Dn, out) } -> std::same_as<bool>;
  { l.fire(ev) };
  { l.tick() } -> std::same_as<int>;
};

}  // namespace ioa::rt
