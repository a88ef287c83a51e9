// The Z3 contexts of one discharge, for cancel() to stop (private to the prover).
#pragma once

#include <z3++.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace ioa::prover::detail {

// Z3 (4.8) interrupts only a check or a simplification in progress: an
// interrupt that comes between two checks of a context is lost, and the next
// check runs to its own time limit (a cancelled proof session went on for the
// whole timeout of each obligation it had started, and a window closed with
// proofs running hung while it joined them; until 2026-12-04). So once
// cancelled, every context registered here is interrupted again every
// kRepeatMs until this object goes away; the solver also tests cancelled()
// before each check.
class Interrupts {
 public:
  static constexpr int kRepeatMs = 20;

  Interrupts() = default;
  Interrupts(const Interrupts&) = delete;
  Interrupts& operator=(const Interrupts&) = delete;
  ~Interrupts() {
    {
      std::lock_guard<std::mutex> g(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    if (repeater_.joinable()) repeater_.join();
  }

  void cancel() {
    flag_ = true;
    std::lock_guard<std::mutex> g(mutex_);
    for (z3::context* c : live_) c->interrupt();
    if (!repeater_.joinable() && !stop_) repeater_ = std::thread([this] { repeat(); });
  }

  bool cancelled() const { return flag_; }
  const std::atomic<bool>* flag() const { return &flag_; }

  // A context registered for its lifetime (`in` may be null: nothing to cancel).
  class Scope {
   public:
    Scope(Interrupts* in, z3::context& c) : in_(in), c_(&c) {
      if (!in_) return;
      std::lock_guard<std::mutex> g(in_->mutex_);
      in_->live_.push_back(c_);
      if (in_->flag_) c_->interrupt();
    }
    ~Scope() {
      if (!in_) return;
      std::lock_guard<std::mutex> g(in_->mutex_);
      in_->live_.erase(std::find(in_->live_.begin(), in_->live_.end(), c_));
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Interrupts* in_;
    z3::context* c_;
  };

 private:
  void repeat() {
    std::unique_lock<std::mutex> g(mutex_);
    while (!cv_.wait_for(g, std::chrono::milliseconds(kRepeatMs), [this] { return stop_; }))
      for (z3::context* c : live_) c->interrupt();
  }

  std::atomic<bool> flag_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::vector<z3::context*> live_;
  std::thread repeater_;
};

}  // namespace ioa::prover::detail
