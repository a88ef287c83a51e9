// Transports for frames (see wire.h): an in-memory loopback, a simulated
// network that loses, duplicates and reorders under a seed, and UDP.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

#include "ioa/rt/buffer.h"
#include "ioa/rt/containers.h"
#include "ioa/rt/core.h"

namespace ioa::rt {

// Two FIFO queues of frames, one per direction (0: A to B, 1: B to A). Frames
// are passed by reference (no copy); a full queue drops and counts.
template <uint32_t N = 256>
class Loopback {
 public:
  bool send(int dir, const Msg& frame) {
    if (q_[dir].full()) {
      ++dropped;
      return false;
    }
    q_[dir].push_back(frame);
    return true;
  }
  bool recv(int dir, Msg& frame) {
    if (q_[dir].empty()) return false;
    frame = q_[dir].front();
    q_[dir].pop_front();
    return true;
  }
  bool idle() const { return q_[0].empty() && q_[1].empty(); }
  uint64_t dropped = 0;

 private:
  Seq<Msg, N> q_[2];
};

struct SimNetConfig {
  uint32_t loss_pct = 10;     // each frame is lost with this probability
  uint32_t dup_pct = 10;      // ... and duplicated with this one
  uint32_t reorder_pct = 20;  // ... and delayed by a random amount with this one
  uint32_t max_delay = 8;     // longest delay, in ticks
};

// A simulated network with a clock. Frames sent now are delivered at a later
// tick; delays make them overtake each other. Deterministic for a seed.
class SimNet {
 public:
  SimNet(uint64_t seed, SimNetConfig cfg) : rng_(seed), cfg_(cfg) {}
  void send(int dir, const Msg& frame) {
    ++sent;
    if (rng_.percent(cfg_.loss_pct)) {
      ++lost;
      return;
    }
    enqueue(dir, frame);
    if (rng_.percent(cfg_.dup_pct)) {
      ++duplicated;
      enqueue(dir, frame);
    }
  }
  void advance() { ++now_; }
  // The next frame due in direction `dir` (earliest due time, then send order).
  bool recv(int dir, Msg& frame) {
    std::vector<Pending>& q = q_[dir];
    size_t best = q.size();
    for (size_t i = 0; i < q.size(); ++i)
      if (q[i].due <= now_ && (best == q.size() || q[i].due < q[best].due ||
                               (q[i].due == q[best].due && q[i].order < q[best].order)))
        best = i;
    if (best == q.size()) return false;
    frame = q[best].frame;
    q.erase(q.begin() + static_cast<std::ptrdiff_t>(best));
    ++delivered;
    return true;
  }
  bool idle() const { return q_[0].empty() && q_[1].empty(); }
  uint64_t now() const { return now_; }
  uint64_t sent = 0, lost = 0, duplicated = 0, delivered = 0;

 private:
  struct Pending {
    uint64_t due;
    uint64_t order;
    Msg frame;
  };
  void enqueue(int dir, const Msg& frame) {
    uint64_t delay = rng_.percent(cfg_.reorder_pct) ? 1 + rng_.below(cfg_.max_delay ? cfg_.max_delay : 1) : 1;
    q_[dir].push_back({now_ + delay, order_++, frame});
  }
  Rng rng_;
  SimNetConfig cfg_;
  uint64_t now_ = 0, order_ = 0;
  std::vector<Pending> q_[2];
};

// A UDP socket for frames between processes. Each datagram is one frame.
class UdpSocket {
 public:
  UdpSocket() = default;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;
  ~UdpSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  // Binds to `port` on `addr` (port 0: any free port).
  bool open(uint16_t port = 0, const char* addr = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd_ < 0) return false;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (::inet_pton(AF_INET, addr, &sa.sin_addr) != 1) return false;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return false;
    socklen_t len = sizeof sa;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len) != 0) return false;
    port_ = ntohs(sa.sin_port);
    return true;
  }
  uint16_t port() const { return port_; }
  bool send_to(const char* host, uint16_t port, const Msg& frame) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (::inet_pton(AF_INET, host, &sa.sin_addr) != 1) return false;
    iovec iov[2] = {{const_cast<uint8_t*>(frame.header_data()), frame.header_len()},
                    {const_cast<uint8_t*>(frame.payload_data()), frame.payload_len()}};
    msghdr mh{};
    mh.msg_name = &sa;
    mh.msg_namelen = sizeof sa;
    mh.msg_iov = iov;
    mh.msg_iovlen = 2;
    ssize_t n = ::sendmsg(fd_, &mh, 0);
    return n == static_cast<ssize_t>(frame.size());
  }
  // Waits up to `timeout_ms` for a datagram; its bytes become the payload of `frame`
  // (a frame with an empty header part).
  bool recv(Msg& frame, int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    Msg m = Msg::alloc(kMaxDatagram, 0);
    if (m.null()) return false;
    ssize_t n = ::recv(fd_, m.payload_data(), kMaxDatagram, 0);
    if (n < 0) return false;
    m.trim(static_cast<uint32_t>(n));
    frame = std::move(m);
    return true;
  }
  static constexpr uint32_t kMaxDatagram = 65507;

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace ioa::rt
