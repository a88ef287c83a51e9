// `ioawb optimize` as a user runs it: exit codes, the JSON report in the same
// shape as `ioawb prove`, the files it writes, and errors for bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "CliTestUtil.h"

namespace {

namespace fs = std::filesystem;

using ioa::clitest::CliRun;
using ioa::clitest::tempDir;
CliRun ioawb(const std::string& args) { return ioa::clitest::ioawb(args, true); }

const std::string kFlagship = std::string(IOAWB_SAMPLES_DIR) + "/stacks/reliable.ioa";


std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The down path is proved in about a second; the up path needs far more than
// 10 s, so it ends unknown (exit 3) unless the prover gets much faster (exit 0).
TEST(OptimizeCli, JsonReportAndFiles) {
  fs::path d = tempDir("json");
  std::string cmd = "optimize " + kFlagship + " --stack Reliable --format json --timeout 10000 --out " + d.string();
  CliRun r = ioawb(cmd);
  ASSERT_TRUE(r.code == 0 || r.code == 3) << r.out;
  // stderr is mixed in: the JSON document is the last line
  std::string json = r.out.substr(r.out.rfind("{\"obligations\""));
  nlohmann::json j = nlohmann::json::parse(json);
  ASSERT_EQ(j["obligations"].size(), 2u);
  for (const auto& o : j["obligations"])
    for (const char* k : {"id", "kind", "automaton", "transition", "line", "col", "status", "time_ms", "cached",
                          "counterexample"})
      EXPECT_TRUE(o.contains(k)) << k;
  EXPECT_EQ(j["obligations"][0]["id"], "collapse.dn");
  EXPECT_EQ(j["obligations"][0]["status"], "proved");
  const std::string up = j["obligations"][1]["status"];
  EXPECT_TRUE(up == "proved" || up == "unknown") << up;
  EXPECT_EQ(r.code, up == "proved" ? 0 : 3);
  EXPECT_EQ(j["summary"]["proved"].get<int>() + j["summary"]["unknown"].get<int>(), 2);
  EXPECT_EQ(j["summary"]["refuted"], 0);
  std::string stack = slurp(d / "reliable_Reliable.cpp");
  EXPECT_NE(stack.find("void Reliable::dn_fast("), std::string::npos);
  EXPECT_NE(stack.find("bool Reliable::ccp_up("), std::string::npos);
  EXPECT_TRUE(fs::exists(d / "OPTIMIZATION.json"));
  fs::remove_all(d);
}

TEST(OptimizeCli, ExitCodesAndErrors) {
  fs::path d = tempDir("errors");
  CliRun noProve = ioawb("optimize " + kFlagship + " --stack Reliable --no-prove --out " + d.string());
  EXPECT_EQ(noProve.code, 0) << noProve.out;
  EXPECT_NE(noProve.out.find("2 not run"), std::string::npos) << noProve.out;

  CliRun noStack = ioawb("optimize " + kFlagship + " --stack Nope");
  EXPECT_EQ(noStack.code, 2);
  EXPECT_NE(noStack.out.find("no stack named 'Nope'"), std::string::npos) << noStack.out;

  EXPECT_EQ(ioawb("optimize /nonexistent/spec.ioa --stack Reliable").code, 2);
  EXPECT_NE(ioawb("optimize " + kFlagship).code, 0);  // --stack is required

  std::ofstream(d / "broken.ioa") << "automaton A\n  states x: Nat := true\n";
  CliRun broken = ioawb("optimize " + (d / "broken.ioa").string() + " --stack S");
  EXPECT_EQ(broken.code, 2);
  EXPECT_NE(broken.out.find("broken.ioa:2:"), std::string::npos) << broken.out;
  fs::remove_all(d);
}

}  // namespace
