// IOA programs from the literature, brought to this dialect with the few
// edits marked in each file, must check clean and expand as IOA defines.
#include <gtest/gtest.h>

#include "TestUtil.h"
#include "ioa/spec/Printer.h"

using namespace ioa;

static std::string literature(const char* f) { return std::string(IOAWB_LITERATURE_DIR) + "/" + f; }

TEST(Literature, LcrFromTheMitIoaPages) {
  auto c = compileFile(literature("lcr.ioa"));
  ASSERT_TRUE(c);
  ASSERT_FALSE(c->diags.hasErrors()) << c->diags.renderAllText();
  // `assumes` is reported, not silently dropped
  size_t warnings = 0;
  for (const Diagnostic& d : c->diags.all()) warnings += d.severity == Severity::Warning;
  EXPECT_EQ(warnings, 2u) << c->diags.renderAllText();

  const FlatAutomaton* lcr = c->model->findAutomaton("LCR");
  ASSERT_NE(lcr, nullptr);
  // send is an output of P[i] and an input of C[i]: one transition, the channel's index
  // bound through the const parameters, the ring constraint on the third parameter
  int send = lcr->findAction("send");
  ASSERT_GE(send, 0);
  EXPECT_EQ(lcr->actions[send].kind, ActionKind::Output);
  int n = 0;
  for (const FlatTransition& t : lcr->transitions) {
    if (t.action != send) continue;
    ++n;
    EXPECT_EQ(t.components, (std::vector<std::string>{"P", "C"}));
    std::string guard = exprToString(t.guard);
    EXPECT_NE(guard.find("right("), std::string::npos) << guard;
  }
  EXPECT_EQ(n, 1);
  // receive: three input transitions of P folded into the channel's output, as if/elseif
  int recv = lcr->findAction("receive");
  for (const FlatTransition& t : lcr->transitions) {
    if (t.action != recv) continue;
    std::string eff;
    for (const Stmt* s : t.eff) eff += stmtToString(s);
    EXPECT_NE(eff.find("elseif"), std::string::npos) << eff;
    EXPECT_NE(eff.find("P.pending["), std::string::npos) << eff;
  }
  ASSERT_EQ(c->model->invariants.size(), 1u);
}
