// Helpers shared by the spec tests.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "../TestUtil.h"  // the helpers of every test binary
#include "ioa/spec/Frontend.h"

namespace ioa::test {

inline std::vector<std::string> sampleFiles() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(IOAWB_SAMPLES_DIR)) {
    if (e.path().extension() != ".ioa") continue;
    if (e.path().string().find("/bugs/") != std::string::npos) continue;  // checked too, but they are meant to fail proofs
    out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::vector<std::string> bugSampleFiles() {
  std::vector<std::string> out;
  std::filesystem::path bugs = std::filesystem::path(IOAWB_SAMPLES_DIR) / "bugs";
  if (!std::filesystem::exists(bugs)) return out;
  for (const auto& e : std::filesystem::directory_iterator(bugs))
    if (e.path().extension() == ".ioa") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct FirstError {
  unsigned line = 0, col = 0;
  std::string message;
  size_t errors = 0;
};

inline FirstError firstError(const std::string& text) {
  auto c = compileSource("t.ioa", text);
  FirstError fe;
  fe.errors = c->diags.errorCount();
  for (const Diagnostic& d : c->diags.all()) {
    if (d.severity != Severity::Error) continue;
    LineCol lc = c->sources.lineCol(d.range);
    fe.line = lc.line;
    fe.col = lc.col;
    fe.message = d.message;
    break;
  }
  return fe;
}

// Expects the first error of each case's `text` at its `line`:`col` with its exact `message`;
// `name(case)` says which case failed.
template <class Cases, class Name>
void expectFirstErrors(const Cases& cases, Name name) {
  for (const auto& c : cases) {
    SCOPED_TRACE(name(c));
    FirstError fe = firstError(c.text);
    ASSERT_GE(fe.errors, 1u);
    EXPECT_EQ(fe.line, c.line);
    EXPECT_EQ(fe.col, c.col);
    EXPECT_EQ(fe.message, c.message);
  }
}

}  // namespace ioa::test
