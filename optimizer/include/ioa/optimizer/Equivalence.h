// Translation validation of C++ functions: is `target` equal to `source`
// wherever `precondition` holds? Both functions are read from the Clang AST
// and executed symbolically with bit-vector semantics; C++ undefined behaviour
// is an explicit condition, and the target may be more defined than the
// source, never less (Alive2's refinement). No Z3 or Clang types here.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace ioa::opt {

struct CppFile {
  std::string path;  // virtual path, e.g. "gen/stack.hpp"
  std::string text;
};

struct EquivalenceQuery {
  std::vector<CppFile> files;   // the sources; `mainFile` includes the rest
  std::string mainFile;
  std::vector<std::string> includeDirs;  // real directories (e.g. the runtime headers)
  std::string source;           // qualified function names
  std::string target;
  std::string precondition;     // bool function over the same parameters; empty = true
  std::vector<std::string> ignore;  // state paths that may differ (prefix match), e.g. "st.stats"
  unsigned timeoutMs = 20000;
  unsigned loopBound = 64;
  std::string name;             // obligation name for reports
  // Set (by another thread): the check stops at once, Unknown with the message "cancelled"
  // (a refutation already found stands). May be null.
  const std::atomic<bool>* cancel = nullptr;
};

struct CxValue {
  std::string path;   // "st.seqno.send_seq", "buf.data[3]"
  std::string value;  // decimal, or true/false
};

struct EquivalenceResult {
  enum Status { Proved, Refuted, Unknown, Error } status = Error;
  std::string message;               // the error (file:line:col: what) or the reason for unknown
  std::vector<CxValue> inputs;       // a concrete input on which the two differ (refuted)
  std::vector<std::string> differences;  // "st.seqno.send_seq: source 5, target 6", "undefined in target"
  std::string smt2;                  // the query, for `z3 -smt2`
  double timeMs = 0;
  const char* statusName() const;
};

// Parses the sources once for several queries (the flagship's obligations share one unit).
class CppUnit {
 public:
  static std::unique_ptr<CppUnit> parse(const std::vector<CppFile>& files, const std::string& mainFile,
                                        const std::vector<std::string>& includeDirs, std::string& errors);
  ~CppUnit();
  EquivalenceResult check(const EquivalenceQuery& q);  // q.files, q.mainFile and q.includeDirs are not used

  struct Impl;  // defined inside the optimizer
  Impl& internals() { return *impl_; }

 private:
  CppUnit();
  std::unique_ptr<Impl> impl_;
};

// Parses q's sources and checks the one query.
EquivalenceResult checkEquivalence(const EquivalenceQuery& q);

// The clang resource directory (builtin headers); from `clang-14 -print-resource-dir` at build time.
std::string clangResourceDir();

}  // namespace ioa::opt
