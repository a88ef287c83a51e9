// Malformed inputs: each must give its first error at the right place with
// the right message, never crash, and never hang.
#include <gtest/gtest.h>

#include "TestUtil.h"

using namespace ioa;

namespace {
struct Case {
  const char* text;
  unsigned line, col;
  const char* message;
};
const Case kCases[] = {
#include "malformed_cases.inc"
};
}  // namespace

TEST(ParseErrors, FirstErrorLocationAndMessage) {
  ASSERT_GE(std::size(kCases), 40u);
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    test::FirstError fe = test::firstError(c.text);
    ASSERT_GE(fe.errors, 1u);
    EXPECT_EQ(fe.line, c.line);
    EXPECT_EQ(fe.col, c.col);
    EXPECT_EQ(fe.message, c.message);
  }
}

TEST(ParseErrors, RendersFileLineColCaretAndExpectedFound) {
  auto c = compileSource("bad.ioa", "automaton A\n  signature\n    input send(m Nat)\n");
  std::string text = c->diags.renderAllText();
  EXPECT_NE(text.find("bad.ioa:3:16: error: expected ':' and a sort for parameter 'm', found identifier 'Nat'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    input send(m Nat)\n  "), std::string::npos) << text;
  EXPECT_NE(text.find("^"), std::string::npos);
}

TEST(ParseErrors, RecoveryReportsIndependentErrorsInOneFile) {
  const char* text = R"(type T = enumeration of a, b

automaton A
  signature
    output x, y, z
  states
    n: Nat := 0
  transitions
    output x
      eff n := + 1
    output y
      pre n > > 0
    output z
      eff n := n + 1

const C: Int = (1 + 2

automaton B
  signature
    input go
  transitions
    input go
      pre true
)";
  auto c = compileSource("multi.ioa", text);
  std::vector<unsigned> lines;
  for (const Diagnostic& d : c->diags.all())
    if (d.severity == Severity::Error) lines.push_back(c->sources.lineCol(d.range).line);
  // transition x, transition y, the constant, the input with a precondition
  EXPECT_EQ(lines, (std::vector<unsigned>{10, 12, 18, 23})) << c->diags.renderAllText();
}

TEST(ParseErrors, ErrorCapStopsReporting) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "const C" + std::to_string(i) + ": Int = )\n";
  auto c = compileSource("many.ioa", text);
  EXPECT_GE(c->diags.errorCount(), 50u);
  EXPECT_LE(c->diags.all().size(), 50u);
  EXPECT_NE(c->diags.renderAllText().find("too many errors"), std::string::npos);
}

TEST(ParseErrors, GarbageAndBinaryInputNeverCrash) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 131 + 7) % 256);
  auto c = compileSource("garbage.ioa", garbage);
  EXPECT_TRUE(c->diags.hasErrors());
  auto e = compileSource("empty.ioa", "");
  EXPECT_FALSE(e->diags.hasErrors());
  std::string deep(100000, '[');
  auto d = compileSource("deep.ioa", "const X: Seq[Int] = " + deep);
  EXPECT_TRUE(d->diags.hasErrors());
  std::string deepSort = "const X: ";
  for (int i = 0; i < 5000; ++i) deepSort += "Seq[";
  auto s = compileSource("deepsort.ioa", deepSort);
  EXPECT_TRUE(s->diags.hasErrors());
}
