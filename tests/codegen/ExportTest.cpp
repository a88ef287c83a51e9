// `ioawb gen` and `ioawb export` as a user runs them: exit codes, errors with
// locations, and an exported project that configures, builds and passes its
// own tests.
#include <gtest/gtest.h>

#include "CodegenTestUtil.h"

namespace ioa {
namespace {

using test::TempDir;

std::string ioawb() { return IOAWB_BIN; }

TEST(Cli, GenWritesSourcesAndReportsWhatItMade) {
  TempDir dir("cli");
  auto r = test::run(ioawb() + " gen " + test::samplesDir() + "/abp.ioa --out " + dir.path());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("automaton ABP -> ioa_gen::abp::ABP (abp_ABP.h)"), std::string::npos) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "abp_ABP.cpp"));
  EXPECT_TRUE(std::filesystem::exists(dir / "run_abp.cpp"));
  EXPECT_TRUE(std::filesystem::exists(dir / "runtime/ioa/rt/runtime.h"));
}

TEST(Cli, GenFailsWithLocatedErrors) {
  TempDir dir("clierr");
  auto r = test::run(ioawb() + " gen " + test::samplesDir() + "/channel.ioa --out " + dir.path());
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("channel.ioa:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("type parameter 'M' has no binding"), std::string::npos) << r.output;
  auto ok = test::run(ioawb() + " gen " + test::samplesDir() + "/channel.ioa --bind M=Bytes --out " + dir.path());
  EXPECT_EQ(ok.status, 0) << ok.output;
  auto bad = test::run(ioawb() + " gen " + test::samplesDir() + "/channel.ioa --bind M --out " + dir.path());
  EXPECT_EQ(bad.status, 2) << bad.output;
  auto nostack = test::run(ioawb() + " export " + test::samplesDir() + "/stacks/reliable.ioa --stack Nope --out " +
                           dir.path());
  EXPECT_EQ(nostack.status, 1);
  EXPECT_NE(nostack.output.find("no stack named 'Nope'"), std::string::npos) << nostack.output;
}

TEST(Export, TheReliableStackBuildsAndPassesItsOwnTests) {
  if (test::run("cmake --version").status != 0) GTEST_SKIP() << "no cmake";
  TempDir dir("export");
  std::string proj = dir / "reliable";
  auto e = test::run(ioawb() + " export " + test::samplesDir() + "/stacks/reliable.ioa --stack Reliable --out " + proj);
  ASSERT_EQ(e.status, 0) << e.output;
  bool ninja = test::run("ninja --version").status == 0;
  auto conf = test::run("cmake -S " + proj + " -B " + proj + "/build -DIOA_FETCH_GTEST=OFF -DIOA_WERROR=ON" +
                        (ninja ? " -G Ninja" : ""));
  ASSERT_EQ(conf.status, 0) << conf.output;
  auto build = test::run("cmake --build " + proj + "/build -j2");
  ASSERT_EQ(build.status, 0) << build.output;
  auto ct = test::run("cd " + proj + "/build && ctest --output-on-failure");
  EXPECT_EQ(ct.status, 0) << ct.output;
  EXPECT_NE(ct.output.find("100% tests passed"), std::string::npos) << ct.output;
  EXPECT_NE(ct.output.find("DeliversExactlyOnceInOrderOverALossyNetwork"), std::string::npos) << ct.output;
  auto demo = test::run(proj + "/build/Reliable_demo --sim --messages 300 --loss 30 --seed 4");
  EXPECT_EQ(demo.status, 0) << demo.output;
  EXPECT_NE(demo.output.find("300 of 300 messages delivered exactly once and in order: yes"), std::string::npos)
      << demo.output;
}

}  // namespace
}  // namespace ioa
