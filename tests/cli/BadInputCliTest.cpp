// Bad input to `ioawb`, as the robustness trial of 2026-12-05 gave it: a clear error with exit 2,
// never a crash or a silent success.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "TestUtil.h"

namespace {

namespace fs = std::filesystem;

using ioa::test::CommandResult;
using ioa::test::TempDir;

CommandResult ioawb(const std::string& args) { return ioa::test::run(std::string(IOAWB_BIN) + " " + args); }

std::string sample(const std::string& rel) { return std::string(IOAWB_SAMPLES_DIR) + "/" + rel; }

// An effect `n := 1 + 1 + ... + 1` of `terms` terms.
std::string chain(size_t terms) {
  std::string s = "automaton A\n  signature\n    input x\n  states\n    n: Int := 0\n  transitions\n    input x\n"
                  "      eff n := 1";
  for (size_t k = 1; k < terms; ++k) s += " + 1";
  return s + "\n";
}

// A chain of binary operators nests as deep as it is long: 11,000 terms crashed `check` with a
// stack overflow (1,000 crashed `gen` under the sanitizers). Up to the limit it is fine.
TEST(BadInputCli, ALongOperatorChainIsAnErrorNotACrash) {
  TempDir d("cli-chain");
  std::ofstream(d / "long.ioa") << chain(20000);
  for (const char* cmd : {"check ", "gen --out " }) {
    std::string args = std::string(cmd) + (std::string(cmd) == "check " ? "" : (d / "out") + " ");
    CommandResult r = ioawb(args + (d / "long.ioa"));
    EXPECT_EQ(r.status, 2) << cmd << r.output.substr(0, 400);
    EXPECT_NE(r.output.find("long.ioa:8:16: error: term too deep: its operators nest more than 400 levels"),
              std::string::npos)
        << r.output.substr(0, 400);
  }
  std::ofstream(d / "fits.ioa") << chain(399);
  EXPECT_EQ(ioawb("check " + (d / "fits.ioa")).status, 0);
  CommandResult g = ioawb("gen --out " + (d / "fits") + " " + (d / "fits.ioa"));
  EXPECT_EQ(g.status, 0) << g.output.substr(0, 400);
}

// A directory is no spec ("ok (0 automata ...)" until 2026-12-05); a missing file says why.
TEST(BadInputCli, ADirectoryOrAMissingFileIsNoSpec) {
  TempDir d("cli-dir");
  fs::create_directories(d / "spec.ioa");
  CommandResult r = ioawb("check " + (d / "spec.ioa"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("cannot read '" + (d / "spec.ioa") + "': it is a directory"), std::string::npos)
      << r.output;
  r = ioawb("check " + (d / "none.ioa"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("none.ioa': No such file or directory"), std::string::npos) << r.output;
}

// Classic Mac line ends (a lone CR) end lines, and a UTF-8 byte order mark is not part of the
// spec: the file was one line (a leading comment all of it), and the mark an error.
TEST(BadInputCli, LoneCarriageReturnsEndLinesAndAByteOrderMarkIsSkipped) {
  TempDir d("cli-lineends");
  const std::string spec = "% a counter\nautomaton A\n  signature\n    input x\n  states\n    n: Nat := 0\n"
                           "  transitions\n    input x\n      eff n := n + k\n";
  std::string cr = spec;
  for (char& c : cr)
    if (c == '\n') c = '\r';
  std::ofstream(d / "cr.ioa", std::ios::binary) << cr;
  CommandResult r = ioawb("check " + (d / "cr.ioa"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("cr.ioa:9:20: error: unknown name 'k'"), std::string::npos) << r.output;
  std::string fixed = spec;
  fixed.replace(fixed.find("n + k"), 5, "n + 1");
  std::ofstream(d / "bom.ioa", std::ios::binary) << "\xEF\xBB\xBF" << fixed;
  r = ioawb("check " + (d / "bom.ioa"));
  EXPECT_EQ(r.status, 0) << r.output;
}

// Option values are checked before any work, in the words of the spec errors.
TEST(BadInputCli, OptionValuesAreCheckedBeforeAnyWork) {
  TempDir d("cli-options");
  std::ofstream(d / "afile") << "x";
  const std::string sub = d / "afile/sub";
  CommandResult r = ioawb("prove --no-cache --emit-smt2 " + sub + " " + sample("channel.ioa"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--emit-smt2: cannot write into " + sub + ": " + (d / "afile") + " is a file, not a directory"),
            std::string::npos)
      << r.output;
  r = ioawb("prove --timeout abc " + sample("channel.ioa"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--timeout: expected a whole number from 1 to 86400000, found 'abc'"), std::string::npos)
      << r.output;
  r = ioawb("gen --out \"\" " + sample("abp.ioa"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--out: expected a folder, found an empty name"), std::string::npos) << r.output;
  // a binding to no sort is one error (the type parameter was then also "unbound")
  r = ioawb("gen --bind M=NoSuchSort --out " + (d / "g") + " " + sample("channel.ioa"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("binding M=NoSuchSort: unknown sort 'NoSuchSort'"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("has no binding"), std::string::npos) << r.output;
  // an error about the spec as a whole has its place, as every other error
  r = ioawb("export --out " + (d / "e") + " " + sample("abp.ioa"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find(sample("abp.ioa") + ":1:1: error: the spec declares no stack"), std::string::npos)
      << r.output;
}

}  // namespace
