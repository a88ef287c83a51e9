// Solving one obligation in a worker's context (private to the prover).
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "Cache.h"
#include "Encoder.h"
#include "ioa/prover/Discharger.h"

namespace ioa::prover::detail {

// `afterGroup`: its group's solver ran out of its budget on it (see solveTogether); the focused
// attempt on the core invariants then goes first.
Result solveObligation(ContextCache& cc, const Obligation& ob, const DischargeOptions& o, const ObligationCache* cache,
                       const std::atomic<bool>* cancelled = nullptr, bool afterGroup = false);

// The obligations of one group (Obligation::group) in one solver: the shared steps of their
// queries encoded once without the canonical-form facts of sequences and maps (a weaker
// assumption), their assumptions asserted once, each member's goal checked on its own
// (push, check, pop) with a small resource budget. A member proved that way (or found in the
// cache under its hash as a member) gets its result; the others get nothing and are solved
// alone, which is also what every member gets when the queries do not share their steps.
// Never refutes. `spent` (if set): per member, whether its check ran out of its budget (it is
// then solved alone with afterGroup). `onProved` (if set) gets each member proved (by its index
// in `obs`) as soon as it is.
std::vector<std::optional<Result>> solveTogether(ContextCache& cc, const std::vector<const Obligation*>& obs,
                                                 const DischargeOptions& o, const ObligationCache* cache,
                                                 const std::atomic<bool>* cancelled = nullptr,
                                                 std::vector<bool>* spent = nullptr,
                                                 const std::function<void(size_t, const Result&)>& onProved = {});

// The interpreter's search alone on a bounded obligation of invariants (see
// Discharger::searchRun): a run it finds is re-derived by the solver on the query
// cut at the run's depth and confirmed; anything else is Unknown.
Result searchRun(ContextCache& cc, const Obligation& ob, const DischargeOptions& o, unsigned budgetMs,
                 const std::atomic<bool>* cancelled = nullptr);

// A witness obligation's result read back: a refutation of "the assumptions imply
// false" proves the claim (the model is the witness), a proof of it refutes the claim.
void readAsWitness(const Obligation& ob, Result& r);

// The result a cache record gives without the query (no counterexample to decode):
// a proof, or either verdict of a witness obligation. False otherwise.
bool decidedWithoutQuery(const Obligation& ob, const CacheRecord& rec, const std::string& hash, Result& r);

// The SMT-LIB script that is hashed (and, with solver options, emitted).
std::string obligationScript(ContextCache& cc, const Obligation& ob);

// Re-checks a refutation in a fresh context with every free symbol fixed to
// its decoded value (see recheckCounterexample). `read`: the values of the
// counterexample's plan as read there (every free symbol fixed, so every state
// term evaluates), or left empty.
// `timeoutMs`: per solver check; `interrupts`: where its context is registered (may be null).
bool confirmCounterexample(const Model& model, const SortCatalog& cat, const Obligation& ob, const Counterexample& cex,
                           std::string* why, std::vector<Value>* read = nullptr, unsigned timeoutMs = 5000,
                           Interrupts* interrupts = nullptr);

}  // namespace ioa::prover::detail
