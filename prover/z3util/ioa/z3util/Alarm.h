// Time limits and cancellation for Z3 checks, for the prover and the optimizer
// (the only modules that include z3++.h; this header is private to them).
#pragma once

#include <z3++.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

namespace ioa::z3util {

// While it lives, `c` is interrupted once `ms` have passed (0: no time limit) or once
// `*cancel` is set (may be null), and again every kRepeatMs after that, until it is
// destroyed. Put one around each check instead of Z3's "timeout" parameter:
//  - Z3 4.8.12's own timer deadlocks: a timer that expires goes back to its pool still
//    locked, and the next check that takes it from the pool waits for ever (Z3 pull
//    request 5371; seen here as a proof session hung under AddressSanitizer in 5 runs of
//    11, until 2026-12-04). An interrupt from here goes through no such timer.
//  - Z3 interrupts only a check in progress: an interrupt that falls just before a check
//    starts is lost, hence the repetition.
// One thread serves every alarm of the process; an interrupted check answers unknown
// with the reason "interrupted" (or "canceled").
//  - An interrupt that falls outside a check leaves the context cancelled until its next
//    check starts: simplification and model evaluation throw "canceled" meanwhile. Z3's
//    timer left no such state, so an alarm that rang for its deadline clears it when it
//    ends (with an empty check), unless it rang for a cancel. Within the deadline of a
//    live alarm, anything may throw (the optimizer's whole-obligation alarm: a timeout).
class Alarm {
 public:
  static constexpr int kRepeatMs = 20;

  Alarm(z3::context& c, unsigned ms, const std::atomic<bool>* cancel = nullptr) : c_(&c), cancel_(cancel) {
    Service& s = service();
    std::lock_guard<std::mutex> g(s.mutex);
    id_ = s.next++;
    Entry e{&c, cancel, ms ? Clock::now() + std::chrono::milliseconds(ms) : Clock::time_point::max(), &rang_};
    s.entries.emplace(id_, e);
    s.cv.notify_all();
  }
  ~Alarm() {
    {
      Service& s = service();
      std::lock_guard<std::mutex> g(s.mutex);
      s.entries.erase(id_);
    }
    if (rang_ && !(cancel_ && cancel_->load())) {
      try {
        z3::solver clear(*c_);
        clear.check();
      } catch (const z3::exception&) {  // (another alarm of the context is ringing)
      }
    }
  }
  // The deadline passed while it lived (and the context was interrupted for it).
  bool rang() const { return rang_; }
  Alarm(const Alarm&) = delete;
  Alarm& operator=(const Alarm&) = delete;

  // A cancel flag was just set: serve its alarms now, not at the next poll.
  static void poke() noexcept {
    try {
      Service& s = service();
      std::lock_guard<std::mutex> g(s.mutex);
      s.cv.notify_all();
    } catch (...) {  // (a hint only: the service polls every cancel flag every kRepeatMs)
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    z3::context* c;
    const std::atomic<bool>* cancel;
    Clock::time_point deadline;
    bool* rang;  // set when interrupted for the deadline (under the service's mutex)
  };
  struct Service {
    std::mutex mutex;
    std::condition_variable cv;
    std::map<uint64_t, Entry> entries;
    uint64_t next = 0;
    Service() { std::thread([this] { run(); }).detach(); }
    // (interrupting under the mutex: an alarm's context outlives its entry)
    [[noreturn]] void run() {
      std::unique_lock<std::mutex> g(mutex);
      for (;;) {
        const Clock::time_point now = Clock::now();
        Clock::time_point wake = Clock::time_point::max();
        const Clock::time_point again = now + std::chrono::milliseconds(kRepeatMs);
        for (auto& [id, e] : entries) {
          if (e.deadline <= now || (e.cancel && e.cancel->load())) {
            if (e.deadline <= now) *e.rang = true;
            e.c->interrupt();
            wake = std::min(wake, again);
          } else {
            wake = std::min(wake, e.cancel ? again : e.deadline);  // (a cancel flag is polled)
          }
        }
        if (wake == Clock::time_point::max()) cv.wait(g);
        else cv.wait_until(g, wake);
      }
    }
  };
  // The service and its thread live as long as the process (never destroyed: an alarm may
  // end during static destruction, and a detached thread must not outlive its object).
  static Service& service() {
    static Service* s = new Service;
    return *s;
  }
  z3::context* c_;
  const std::atomic<bool>* cancel_;
  bool rang_ = false;  // (written by the service under its mutex, read after the entry is gone)
  uint64_t id_ = 0;
};

// `s.check()` (on `assumptions`, when given) under an alarm of `ms` (0: no time limit) and `cancel`.
inline z3::check_result checkWithin(z3::solver& s, unsigned ms, const std::atomic<bool>* cancel = nullptr,
                                    const z3::expr_vector* assumptions = nullptr) {
  Alarm alarm(s.ctx(), ms, cancel);
  return assumptions ? s.check(*assumptions) : s.check();
}

}  // namespace ioa::z3util
