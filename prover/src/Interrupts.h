// The cancel flag of one discharge, and the Z3 contexts it stops (private to the prover).
#pragma once

#include <atomic>
#include <optional>

#include "ioa/z3util/Alarm.h"

namespace ioa::prover::detail {

// cancel() stops every context registered here: they are interrupted at once and again
// every 20 ms until they are released (z3util::Alarm; Z3 interrupts only a check in
// progress). A cancelled proof session went on for the whole timeout of each obligation it
// had started, and a window closed with proofs running hung while it joined them (until
// 2026-12-04). The solver also tests cancelled() before each check.
class Interrupts {
 public:
  Interrupts() = default;
  Interrupts(const Interrupts&) = delete;
  Interrupts& operator=(const Interrupts&) = delete;

  void cancel() noexcept {
    flag_ = true;
    z3util::Alarm::poke();
  }
  bool cancelled() const { return flag_; }
  const std::atomic<bool>* flag() const { return &flag_; }

  // A context registered for its lifetime (`in` may be null: nothing to cancel).
  class Scope {
   public:
    Scope(Interrupts* in, z3::context& c) {
      if (in) alarm_.emplace(c, 0, &in->flag_);
    }

   private:
    std::optional<z3util::Alarm> alarm_;
  };

 private:
  std::atomic<bool> flag_{false};
};

}  // namespace ioa::prover::detail
