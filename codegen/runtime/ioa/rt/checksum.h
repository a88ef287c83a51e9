// The spec's builtin checksum16: RFC 1071 (Braden, Borman, Partridge,
// "Computing the Internet Checksum"). Standalone, so that hand-written code
// can use the same routine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ioa::rt {

// RFC 1071: the ones' complement of the ones' complement sum of the data as
// big-endian 16-bit words (an odd last byte is padded with zero). The sum is
// taken over native 32-bit words in four 64-bit accumulators and folded;
// byte order does not matter to a ones' complement sum except for a final
// swap (RFC 1071, 2(B)).
inline uint16_t checksum16(const uint8_t* p, size_t n) {
  if (n == 0) return 0xFFFF;  // the complement of an empty sum (an acknowledgement's payload)
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  while (n >= 16) {
    uint32_t w[4];
    std::memcpy(w, p, 16);
    s0 += w[0];
    s1 += w[1];
    s2 += w[2];
    s3 += w[3];
    p += 16;
    n -= 16;
  }
  if (n) {
    uint32_t w[4] = {0, 0, 0, 0};
    std::memcpy(w, p, n);
    s0 += w[0];
    s1 += w[1];
    s2 += w[2];
    s3 += w[3];
  }
  uint64_t sum = (s0 & 0xFFFFFFFFu) + (s0 >> 32) + (s1 & 0xFFFFFFFFu) + (s1 >> 32) + (s2 & 0xFFFFFFFFu) +
                 (s2 >> 32) + (s3 & 0xFFFFFFFFu) + (s3 >> 32);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  uint16_t r = static_cast<uint16_t>(~sum);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  r = static_cast<uint16_t>((r >> 8) | (r << 8));
#endif
  return r;
}

}  // namespace ioa::rt
