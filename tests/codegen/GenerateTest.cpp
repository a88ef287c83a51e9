// What the generator produces and refuses, without compiling the output
// (SamplesBuildTest.cpp compiles and runs it).
#include <gtest/gtest.h>

#include <regex>

#include "CodegenTestUtil.h"
#include "ioa/codegen/Export.h"
#include "ioa/codegen/Generator.h"
#include "ioa/codegen/WireFormat.h"

namespace ioa {
namespace {

codegen::GenResult gen(const std::string& text, codegen::GenOptions o = {}) {
  auto c = compileSource("spec.ioa", text);
  EXPECT_TRUE(c->ok()) << c->diags.renderAllText();
  if (!c->ok()) return {};
  return codegen::generate(*c, o);
}

std::string errors(const codegen::GenResult& r) {
  std::string s;
  for (const std::string& e : r.errors) s += e + "\n";
  return s;
}

const std::string* fileText(const codegen::GenResult& r, const std::string& path) {
  for (const codegen::GeneratedFile& f : r.files)
    if (f.path == path) return &f.text;
  return nullptr;
}

TEST(Generate, UnboundedNondeterminismIsAnErrorWithItsLocation) {
  auto r = gen(
      "automaton T\n"
      "  signature\n"
      "    output out(x: Nat)\n"
      "  states\n"
      "    n: Nat := 0\n"
      "  transitions\n"
      "    output out(x)\n"
      "      pre x > n\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(errors(r).find("spec.ioa:7:5: error: unbounded nondeterminism with no policy: parameter 'x' of output out"),
            std::string::npos)
      << errors(r);
}

TEST(Generate, BoundedAndDeterminedParametersAreFine) {
  auto r = gen(
      "type P = Int[0..3]\n"
      "automaton T\n"
      "  signature\n"
      "    output out(i: Nat, p: P, b: Bool, m: Nat)\n"
      "  states\n"
      "    q: Seq[Nat] := {}\n"
      "  transitions\n"
      "    output out(i, p, b, m)\n"
      "      pre i < len(q) /\\ m = q[i] + 1 /\\ (b => p > 1)\n");
  EXPECT_TRUE(r.ok()) << errors(r);
  const std::string* src = fileText(r, "spec_T.cpp");
  ASSERT_TRUE(src);
  // i enumerated up to len(q), p and b over their finite sorts, m computed
  EXPECT_NE(src->find("v_i_"), std::string::npos);
  EXPECT_NE(src->find("rt::seq_len(s.q)"), std::string::npos);
}

TEST(Generate, UninterpretedSortsNeedABinding) {
  std::string spec =
      "sort Node\n"
      "automaton T\n"
      "  signature\n"
      "    input hello(n: Node)\n"
      "  states\n"
      "    last: Node\n"
      "  transitions\n"
      "    input hello(n)\n"
      "      eff last := n\n";
  auto r = gen(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(errors(r).find("uninterpreted sort 'Node' has no binding"), std::string::npos) << errors(r);
  EXPECT_NE(errors(r).find("spec.ioa:"), std::string::npos) << errors(r);
  codegen::GenOptions o;
  o.bindings["Node"] = "Int[0..7]";
  EXPECT_TRUE(gen(spec, o).ok());
}

TEST(Generate, TypeParametersOfUninstantiatedAutomataNeedABinding) {
  auto c = compileFile(test::samplesDir() + "/channel.ioa");
  ASSERT_TRUE(c->ok());
  auto r = codegen::generate(*c, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(errors(r).find("type parameter 'M' has no binding"), std::string::npos) << errors(r);
  EXPECT_NE(errors(r).find("channel.ioa:"), std::string::npos);
  codegen::GenOptions o;
  o.bindings["M"] = "Bytes";
  EXPECT_TRUE(codegen::generate(*c, o).ok());
}

TEST(Generate, GenericAutomataAreSkippedForTheirInstantiations) {
  auto c = compileFile(test::samplesDir() + "/abp.ioa");
  ASSERT_TRUE(c->ok());
  auto r = codegen::generate(*c, {});
  ASSERT_TRUE(r.ok()) << errors(r);
  std::vector<std::string> names;
  for (const auto& u : r.units) names.push_back(u.automaton);
  EXPECT_NE(std::find(names.begin(), names.end(), "LossyChannel(Frame)"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "LossyChannel(Bool)"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "LossyChannel"), names.end());
  ASSERT_FALSE(r.notes.empty());
}

TEST(Generate, UninterpretedFunctionsCannotBeGenerated) {
  auto r = gen(
      "function f(x: Nat): Nat\n"
      "automaton T\n"
      "  signature\n"
      "    internal go\n"
      "  states\n"
      "    n: Nat := 0\n"
      "  transitions\n"
      "    internal go\n"
      "      eff n := f(n)\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(errors(r).find("spec.ioa:9:16: error: function 'f' is uninterpreted"), std::string::npos) << errors(r);
}

TEST(Generate, HeadersNeedAFixedSizeWireEncoding) {
  auto r = gen(
      "layer L\n"
      "  header tuple of tag: UInt8, rest: Bytes\n"
      "  signature\n"
      "    input  dn(m: Msg), up(m: Msg)\n"
      "    output dn_out(m: Msg), up_out(m: Msg)\n"
      "  states\n"
      "    q: Seq[Msg] := {}\n"
      "  transitions\n"
      "    input dn(m)\n"
      "      eff q := q |- push(m, Header(tag: 1, rest: {}))\n"
      "    output dn_out(m)\n"
      "      pre q ~= {} /\\ m = head(q)\n"
      "      eff q := tail(q)\n"
      "    output up_out(m)\n"
      "      pre false\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(errors(r).find("the header of layer L cannot be marshaled: field 'rest': sort Bytes has no fixed-size"),
            std::string::npos)
      << errors(r);
}

TEST(Generate, UnknownStacksAreReported) {
  auto c = compileFile(test::samplesDir() + "/stacks/reliable.ioa");
  codegen::GenOptions o;
  o.stack = "Nope";
  auto r = codegen::generate(*c, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(errors(r).find("no stack named 'Nope' (stacks: Reliable)"), std::string::npos) << errors(r);
}

TEST(Generate, TheReliableStackIsLayeredThroughTheGenericInterface) {
  auto c = compileFile(test::samplesDir() + "/stacks/reliable.ioa");
  ASSERT_TRUE(c->ok());
  codegen::GenOptions o;
  o.stack = "Reliable";
  auto r = codegen::generate(*c, o);
  ASSERT_TRUE(r.ok()) << errors(r);
  ASSERT_EQ(r.units.size(), 5u);
  EXPECT_EQ(r.units.back().kind, codegen::GeneratedUnit::Kind::Stack);
  EXPECT_EQ(r.units.back().layers, (std::vector<std::string>{"Top", "Seqno", "Checksum", "Bottom"}));
  const std::string* stackH = fileText(r, "reliable_Reliable.h");
  const std::string* stackC = fileText(r, "reliable_Reliable.cpp");
  ASSERT_TRUE(stackH && stackC);
  EXPECT_NE(stackH->find("Top l0;"), std::string::npos);
  EXPECT_NE(stackH->find("Bottom l3;"), std::string::npos);
  // a dispatch per layer, no layer calling another
  EXPECT_NE(stackC->find("case 2: l2.handle(ev); break;"), std::string::npos);
  for (const char* layer : {"Top", "Seqno", "Checksum", "Bottom"}) {
    const std::string* h = fileText(r, std::string("reliable_") + layer + ".h");
    const std::string* cpp = fileText(r, std::string("reliable_") + layer + ".cpp");
    ASSERT_TRUE(h && cpp) << layer;
    EXPECT_NE(h->find("bool fastpath_dn(const rt::Msg& m) const;"), std::string::npos) << layer;
    EXPECT_NE(h->find("bool fastpath_up(const rt::Msg& m) const;"), std::string::npos) << layer;
    for (const char* other : {"Top", "Seqno", "Checksum", "Bottom"})
      if (std::string(other) != layer) {
        EXPECT_EQ(cpp->find(std::string(other) + "::"), std::string::npos) << layer;
      }
  }
  // the plain subset a translator follows
  for (const codegen::GeneratedFile& f : r.files) {
    if (f.path.rfind("runtime/", 0) == 0) continue;
    EXPECT_EQ(f.text.find("virtual"), std::string::npos) << f.path;
    EXPECT_EQ(f.text.find("throw"), std::string::npos) << f.path;
    EXPECT_EQ(f.text.find("new "), std::string::npos) << f.path;
    EXPECT_EQ(f.text.find("template"), std::string::npos) << f.path;
  }
  // header marshaling into headroom, parsing checks every byte it reads
  const std::string* types = fileText(r, "reliable_types.h");
  ASSERT_TRUE(types);
  EXPECT_NE(types->find("rt::Msg::pushed(m, kSize_Seqno_Header, p)"), std::string::npos);
  EXPECT_NE(types->find("if (m.header_len() < kSize_Seqno_Header) return false;"), std::string::npos);
  EXPECT_NE(types->find("if (p[5] > 1) return false;"), std::string::npos);  // a Bool byte must be 0 or 1
}

TEST(Generate, WireTagsFollowTheLayerDeclarations) {
  auto c = compileFile(test::samplesDir() + "/stacks/reliable.ioa");
  ASSERT_TRUE(c->ok());
  codegen::WireFormat w(*c->model);
  ASSERT_EQ(w.headers().size(), 4u);
  std::vector<std::pair<std::string, uint32_t>> got;
  for (const auto& h : w.headers()) got.push_back({h.owner, h.size});
  EXPECT_EQ(got, (std::vector<std::pair<std::string, uint32_t>>{{"Top", 2}, {"Seqno", 6}, {"Checksum", 3}, {"Bottom", 3}}));
  EXPECT_EQ(w.headers()[0].tag, 1);
  EXPECT_EQ(w.headers()[3].tag, 4);
}

TEST(Generate, ASpecWithoutAutomataGivesOnlyTypes) {
  auto r = gen("type Color = enumeration of red, green\nconst N: Nat = 3\n");
  ASSERT_TRUE(r.ok()) << errors(r);
  EXPECT_TRUE(r.units.empty());
  EXPECT_TRUE(fileText(r, "spec_types.h"));
  EXPECT_FALSE(fileText(r, "run_spec.cpp"));
}

TEST(Generate, OutputIsDeterministic) {
  auto c = compileFile(test::samplesDir() + "/gobackn.ioa");
  ASSERT_TRUE(c->ok());
  auto a = codegen::generate(*c, {});
  auto b = codegen::generate(*c, {});
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a.files.size(), b.files.size());
  for (size_t k = 0; k < a.files.size(); ++k) {
    EXPECT_EQ(a.files[k].path, b.files[k].path);
    EXPECT_EQ(a.files[k].text, b.files[k].text) << a.files[k].path;
  }
}

TEST(Generate, ExportNeedsAStackAndLaysOutAProject) {
  auto none = compileFile(test::samplesDir() + "/abp.ioa");
  ASSERT_TRUE(none->ok());
  codegen::ExportResult noStack = codegen::exportProject(*none, {});
  EXPECT_FALSE(noStack.ok());
  ASSERT_FALSE(noStack.errors.empty());
  EXPECT_NE(noStack.errors[0].find("declares no stack"), std::string::npos) << noStack.errors[0];
  auto c = compileFile(test::samplesDir() + "/stacks/reliable.ioa");
  ASSERT_TRUE(c->ok());
  // no stack named: the spec's only one
  codegen::ExportResult only = codegen::exportProject(*c, {});
  EXPECT_TRUE(only.ok());
  EXPECT_EQ(only.stackClass, "Reliable");
  codegen::GenOptions o;
  o.stack = "Reliable";
  auto e = codegen::exportProject(*c, o);
  ASSERT_TRUE(e.ok());
  std::vector<std::string> paths;
  for (const auto& f : e.files) paths.push_back(f.path);
  for (const char* want : {"CMakeLists.txt", "demo/main.cpp", "tests/stack_test.cpp", "README.md",
                           "gen/reliable_Reliable.cpp", "gen/runtime/ioa/rt/wire.h", "gen/runtime/ioa/rt/checksum.h"})
    EXPECT_NE(std::find(paths.begin(), paths.end(), want), paths.end()) << want;
}

}  // namespace
}  // namespace ioa
