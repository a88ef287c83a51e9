// Engine: collapsing a generated stack into bypass code and proving each
// bypass equal to the layered path under its common-case predicate, for
// `ioawb optimize` and the workbench's optimizer view.
#pragma once

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "ioa/engine/Generate.h"

namespace ioa::engine {

struct OptimizeObligation {
  std::string id;           // "collapse.dn"
  std::string kind;         // "collapse"
  std::string path;         // "dn" / "up"
  std::string description;  // "down path Top > Seqno > Checksum > Bottom"
  std::string file;         // where the bypass is, in the generated sources
  int line = 0;
  std::string status;       // proved / refuted / unknown / error
  double timeMs = 0;
  std::string message;      // reason for unknown or error
  std::vector<std::pair<std::string, std::string>> inputs;  // refuted: state and message (path = value)
  std::vector<std::string> differences;                     // refuted: what differs afterwards
};

struct OptimizeResult {
  GenerateResult gen;                         // the layered sources
  std::string stack;                          // the stack collapsed
  std::string error;                          // the transform could not run
  std::vector<codegen::GeneratedFile> files;  // gen.files with the collapsed stack (and the proof report)
  std::vector<OptimizeObligation> obligations;
  std::string layeredStack, collapsedStack;   // the stack source before and after (for side-by-side views)
  std::vector<std::string> collapsedFiles;    // the paths (of `files`) the collapse rewrote: the stack's header and source
  std::vector<std::pair<std::string, std::string>> provedSources;  // collapsedFiles with textHash of each, as proved
  std::string checkedDir;                     // checkOptimizedFile: the folder whose collapsed stack was proved
  std::vector<std::string> notes;             // checkOptimizedFile: what the check did not cover
  double proofWallMs = 0;                     // all the proofs, from start to end (they run in parallel)
  unsigned proofJobs = 0;                     // how many at once
  bool ok() const { return gen.ok() && error.empty(); }
  int count(const std::string& status) const;  // the obligations with that status
  int proved() const { return count("proved"); }
  int refuted() const { return count("refuted"); }
  int unknown() const;  // not decided: unknown, error (an unsupported construct) or not run
  int errors() const { return count("error"); }  // of those, the errors
};

bool optimizerAvailable();  // false in builds without the Clang-based optimizer
// Generates `opts.stack`, collapses it and proves the bypasses (timeout per obligation; `jobs`
// obligations at once, 0: one per core).
// timeoutMs = 0: transform only, no proofs (the report lists the obligations as "not run").
OptimizeResult optimizeFile(const std::string& path, const codegen::GenOptions& opts, unsigned timeoutMs = 180000,
                            unsigned jobs = 0);
// `cancel` (may be null), once set by another thread, stops the proofs at once: those not
// decided are unknown, "cancelled" (the transform and the parse run to their end).
OptimizeResult optimizeText(const std::string& name, const std::string& text, const codegen::GenOptions& opts,
                            unsigned timeoutMs = 180000, unsigned jobs = 0, const std::atomic<bool>* cancel = nullptr);
// Proves the collapsed stack in `dir` (as `optimize --out dir` wrote it, and perhaps edited since)
// equal to the layered stack generated from the spec now: the same obligations as optimizeFile,
// on the stack's header and source read from `dir`. `files` then holds the new proof report only.
OptimizeResult checkOptimizedFile(const std::string& path, const std::string& dir, const codegen::GenOptions& opts,
                                  unsigned timeoutMs = 180000, unsigned jobs = 0);
// The proof report of a result as JSON ({"obligations":[...],"summary":{...}}) or text.
std::string optimizeReportJson(const OptimizeResult& r);
std::string optimizeReportText(const OptimizeResult& r);

}  // namespace ioa::engine
