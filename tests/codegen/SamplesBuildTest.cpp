// Every sample's generated code compiles warning-free (-Wall -Wextra -Werror)
// with g++ and clang++, runs seeded random executions of every automaton and
// stack without a fault, and its traces conform to the spec. So does
// specs/features.ioa, which uses the constructs the samples do not.
#include <gtest/gtest.h>

#include "CodegenTestUtil.h"
#include "ioa/codegen/Conformance.h"

namespace ioa {
namespace {

using test::TempDir;

std::vector<std::string> samples() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(test::samplesDir())) {
    if (e.path().extension() != ".ioa") continue;
    if (e.path().string().find("/bugs/") != std::string::npos) continue;  // deliberately broken specs for the prover
    out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  out.push_back(test::sourceDir() + "/tests/codegen/specs/features.ioa");
  return out;
}

std::string nameOf(const ::testing::TestParamInfo<std::string>& p) {
  std::string n = std::filesystem::path(p.param).stem().string();
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

class SampleBuild : public ::testing::TestWithParam<std::string> {};

// The flat automaton a trace file belongs to: "<Class>.<seed>[.A|.B].trace".
const FlatAutomaton* automatonForTrace(const test::GeneratedSample& g, const std::string& file) {
  std::string cls = file.substr(0, file.find('.'));
  for (const codegen::GeneratedUnit& u : g.gen.units) {
    if (u.cppClass != cls) continue;
    if (u.kind == codegen::GeneratedUnit::Kind::Stack) {
      const Stack* st = g.compilation->model->findStack(u.automaton);
      return st ? st->automaton : nullptr;
    }
    for (const FlatAutomaton* a : g.compilation->model->automata())
      if (a->name == u.automaton && !a->stackDecl) return a;
  }
  return nullptr;
}

TEST_P(SampleBuild, GccBuildsRunsAndConforms) {
  if (!test::haveCompiler(CODEGEN_TEST_GXX)) GTEST_SKIP() << "no g++";
  TempDir dir("gcc");
  test::GeneratedSample g = test::generateInto(GetParam(), dir.path());
  ASSERT_TRUE(g.gen.ok());
  std::vector<std::string> inc = {dir.path(), dir / "runtime"};
  // each source on its own (headers must be self-contained) ...
  for (const codegen::GeneratedFile& f : g.gen.files) {
    if (f.path.find('/') != std::string::npos || f.path.size() < 4 || f.path.substr(f.path.size() - 4) != ".cpp") continue;
    auto r = test::compile(CODEGEN_TEST_GXX, "-fsyntax-only", {dir / f.path}, inc, "/dev/null");
    ASSERT_EQ(r.status, 0) << f.path << ":\n" << r.output;
  }
  // ... and the whole, with tracing, run on three seeds
  std::string exe = dir / "run";
  auto cr = test::compile(CODEGEN_TEST_GXX, "-O1 -DIOA_TRACE=1", {g.unity}, inc, exe);
  ASSERT_EQ(cr.status, 0) << cr.output;
  std::filesystem::create_directories(dir / "traces");
  auto rr = test::run(exe + " --runs 3 --steps 1500 --trace " + (dir / "traces"));
  ASSERT_EQ(rr.status, 0) << rr.output;
  size_t traces = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "traces")) {
    std::string file = e.path().filename().string();
    const FlatAutomaton* a = automatonForTrace(g, file);
    ASSERT_TRUE(a) << "no automaton for " << file;
    codegen::ConformanceOptions o;
    o.bindings = test::sampleBindings(GetParam());
    codegen::ConformanceReport rep = codegen::checkTrace(*g.compilation->model, *a, test::readFile(e.path()), o);
    EXPECT_TRUE(rep.ok) << file << " against " << a->name << ": " << rep.error;
    if (a->name != "Quiet") {
      EXPECT_GT(rep.steps, 0u) << file;
    }
    ++traces;
  }
  EXPECT_GE(traces, 3 * g.gen.units.size()) << rr.output;
}

TEST_P(SampleBuild, ClangBuildsAndRuns) {
  if (!test::haveCompiler(CODEGEN_TEST_CLANGXX)) GTEST_SKIP() << "no clang++";
  TempDir dir("clang");
  test::GeneratedSample g = test::generateInto(GetParam(), dir.path());
  ASSERT_TRUE(g.gen.ok());
  std::string exe = dir / "run";
  auto cr = test::compile(CODEGEN_TEST_CLANGXX, "-O1", {g.unity}, {dir.path(), dir / "runtime"}, exe);
  ASSERT_EQ(cr.status, 0) << cr.output;
  auto rr = test::run(exe + " --runs 2 --steps 2000 --seed 17");
  EXPECT_EQ(rr.status, 0) << rr.output;
}

INSTANTIATE_TEST_SUITE_P(Samples, SampleBuild, ::testing::ValuesIn(samples()), nameOf);

}  // namespace
}  // namespace ioa
