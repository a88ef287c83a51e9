// Layer collapsing on generated C++ (Clang LibTooling): the handlers of a
// generated stack's layers are inlined along the down path and the up path
// into one bypass function each, guarded by the stack's common-case predicate
// (CCP) composed from the layers' `fastpath` clauses; when the CCP does not
// hold, the original layered code runs. The bypasses send compact frames (one
// tagged header for a chain of layer headers, constants left out) and the
// receiver has a bypass per compact format that reads it in place. Each bypass
// is then proved equal to the layered path under its CCP, and each compact
// format to expand to the full frame it stands for (translation validation,
// Equivalence.h). No Clang or Z3 types here.
#pragma once

#include <string>
#include <vector>

#include "ioa/optimizer/Equivalence.h"

namespace ioa::opt {

struct CollapseRequest {
  std::vector<CppFile> files;            // the generated sources (headers and .cpp files)
  std::vector<std::string> includeDirs;  // real directories (the runtime headers)
  std::string stackClass;                // qualified, e.g. "ioa_gen::reliable::Reliable"
  std::string stackHeader;               // the file of `files` declaring the stack class
  std::string stackSource;               // the file defining its member functions
  std::vector<std::string> units;        // the .cpp files of the layers and the stack
  unsigned timeoutMs = 20000;            // per obligation
  unsigned jobs = 0;                     // obligations proved at once (0: one per core)
  const std::atomic<bool>* cancel = nullptr;  // set: the proofs stop (EquivalenceQuery::cancel)
};

// One path through the stack: the bypass, its guard and the layered function it replaces.
struct CollapsedPath {
  std::string name;       // "dn", "up"
  std::string layered;    // qualified function names
  std::string bypass;
  std::string guard;
  std::vector<std::string> layers;  // the layers the path runs through, in order
  std::string line;       // where the bypass is defined: "file:line"
  std::string kind = "collapse";  // "collapse" (a path), "compress" (a compact frame's round trip)
  std::string description;        // for a compact frame: what is claimed
  // A compact frame's up bypass is compared with the up bypass on the frame's full form
  // (`layered`) when its guard implies the up path's guard there (guardSource = guardTarget
  // under `guard`); otherwise with the layered path on the full form (`directLayered`).
  std::string guardSource, guardTarget, directLayered;
};

struct CollapseResult {
  std::string error;               // non-empty: the transform did not run (file:line:col: what)
  std::vector<CppFile> files;      // the rewritten stack header and source (same paths as given)
  std::vector<CollapsedPath> paths;
};

struct PathProof {
  CollapsedPath path;
  EquivalenceResult result;
};

// The transform alone.
CollapseResult collapseStack(const CollapseRequest& r);
// The equivalence obligations of collapsed sources (`collapsed` replaces files of r.files with
// the same path): for each path, the guard implies that the bypass and the layered function
// leave the same state (all layers, the queues to the application and the network) and that
// the bypass has no undefined behaviour where the layered code has none.
std::vector<PathProof> proveCollapsed(const CollapseRequest& r, const std::vector<CppFile>& collapsed,
                                      const std::vector<CollapsedPath>& paths, std::string& error);

}  // namespace ioa::opt
