// The wire format of a message, and byte-order helpers for header fields.
//
//   frame    := envelope header-stack payload
//   envelope := u16 H            big-endian: the length in bytes of header-stack
//   header-stack := header*      the top (last pushed, outermost) header first
//   header   := u8 tag, fields   tag identifies the header's sort; fields are
//                                marshaled one after another, big-endian:
//                                Bool 1 byte (0/1), UIntN N/8 bytes, Int/Nat 8
//                                bytes two's complement, Int[lo..hi] the value
//                                minus lo in the fewest bytes, enumerations
//                                1 or 2 bytes, tuples field by field, unions a
//                                tag byte then the variant padded to the largest
//   payload  := the rest of the frame
//
// A header is present (`hashdr`) exactly when enough bytes remain in the
// header stack, the tag matches and every field decodes to a value of its
// sort; `hdr` and `pop` are then defined. Nothing is read outside the frame.
#pragma once

#include <cstdint>

#include "ioa/rt/buffer.h"

namespace ioa::rt {

inline void put_u8(uint8_t* p, uint8_t v) { p[0] = v; }
inline void put_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void put_u32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
inline void put_u64(uint8_t* p, uint64_t v) {
  put_u32(p, static_cast<uint32_t>(v >> 32));
  put_u32(p + 4, static_cast<uint32_t>(v));
}
inline void put_uN(uint8_t* p, uint64_t v, unsigned bytes) {
  for (unsigned k = 0; k < bytes; ++k) p[k] = static_cast<uint8_t>(v >> (8 * (bytes - 1 - k)));
}
inline uint8_t get_u8(const uint8_t* p) { return p[0]; }
inline uint16_t get_u16(const uint8_t* p) { return static_cast<uint16_t>((uint32_t(p[0]) << 8) | p[1]); }
inline uint32_t get_u32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
inline uint64_t get_u64(const uint8_t* p) { return (uint64_t(get_u32(p)) << 32) | get_u32(p + 4); }
inline uint64_t get_uN(const uint8_t* p, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned k = 0; k < bytes; ++k) v = (v << 8) | p[k];
  return v;
}

inline constexpr uint32_t kEnvelope = 2;

// The frame for a message: the envelope is pushed in front of the header
// stack like a header. The frame is a Msg whose bytes, header part then
// payload part, are the bytes on the wire.
inline Msg wire_encode(const Msg& m) {
  uint32_t h = m.header_len();
  uint8_t* p = nullptr;
  Msg f = Msg::pushed(m, kEnvelope, p);
  put_u16(p, static_cast<uint16_t>(h > 0xFFFF ? 0xFFFF : h));
  return f;
}

// wire_encode in place, for a message its holder gives up: the envelope goes in
// front of its header stack without another reference to its buffers.
inline void wire_encode_in_place(Msg& m) {
  uint32_t h = m.header_len();
  put_u16(m.push_front(kEnvelope), static_cast<uint16_t>(h > 0xFFFF ? 0xFFFF : h));
}

// The message carried by a frame; false for a frame too short for its
// envelope or whose header stack would run past its end. Reads nothing
// outside the frame; shares the frame's buffers.
inline bool wire_decode(const Msg& frame, Msg& out) {
  uint32_t n = frame.size();
  if (n < kEnvelope) return false;
  // The envelope's two bytes may straddle the header part and the payload
  // part. Composed in a register: bytes stored to a stack array and read back
  // as one u16 stall store-to-load forwarding on every frame.
  uint32_t hl = frame.header_len();
  uint32_t h;
  if (hl >= kEnvelope) {
    h = get_u16(frame.header_data());
  } else if (hl == 0) {
    h = get_u16(frame.payload_data());
  } else {
    h = (uint32_t(frame.header_data()[0]) << 8) | frame.payload_data()[0];
  }
  if (h > n - kEnvelope) return false;
  return Msg::carve(frame, kEnvelope, h, out);
}

// wire_decode in place: `frame` becomes the message it carries (false, and
// `frame` unchanged, for a malformed frame). When the header stack lies in the
// frame's header part, as in a frame just encoded, only the envelope is dropped:
// that test is inlined into the driver's loop, the rest is out of line.
IOA_RT_NOINLINE inline bool wire_decode_carved(Msg& frame) {
  Msg m;
  if (!wire_decode(frame, m)) return false;
  frame = std::move(m);
  return true;
}
IOA_RT_ALWAYS_INLINE bool wire_decode_in_place(Msg& frame) {
  uint32_t hl = frame.header_len();
  if (hl >= kEnvelope && get_u16(frame.header_data()) == hl - kEnvelope) {
    frame.pop_front(kEnvelope);
    return true;
  }
  return wire_decode_carved(frame);  // out of line: a frame cut elsewhere
}

}  // namespace ioa::rt
