#include <gtest/gtest.h>

#include "TestUtil.h"
#include "ioa/spec/Printer.h"

using namespace ioa;

TEST(Samples, EverySampleChecksClean) {
  auto files = test::sampleFiles();
  ASSERT_GE(files.size(), 6u);
  for (const auto& f : files) {
    std::string err;
    auto c = compileFile(f, &err);
    ASSERT_TRUE(c) << err;
    EXPECT_FALSE(c->diags.hasErrors()) << f << "\n" << c->diags.renderAllText();
    ASSERT_TRUE(c->model);
  }
}

TEST(Samples, BugSamplesCheckClean) {
  for (const auto& f : test::bugSampleFiles()) {
    auto c = compileFile(f);
    ASSERT_TRUE(c);
    EXPECT_FALSE(c->diags.hasErrors()) << f << "\n" << c->diags.renderAllText();
  }
}

TEST(Samples, FlagshipStackHasFourLayersWithHeadersAndFastpaths) {
  auto c = compileFile(std::string(IOAWB_SAMPLES_DIR) + "/stacks/reliable.ioa");
  ASSERT_TRUE(c && c->ok()) << c->diags.renderAllText();
  const Stack* s = c->model->findStack("Reliable");
  ASSERT_NE(s, nullptr);
  ASSERT_GE(s->layers.size(), 4u);
  for (const StackLayer& l : s->layers) {
    EXPECT_NE(l.layer->headerSort, nullptr) << l.name;
    EXPECT_NE(l.layer->fastpathDn, nullptr) << l.name;
    EXPECT_NE(l.layer->fastpathUp, nullptr) << l.name;
  }
  // the stack is itself an automaton with the layer interface, links hidden
  const FlatAutomaton* a = s->automaton;
  for (const char* ext : {"dn", "up", "dn_out", "up_out"}) {
    int ai = a->findAction(ext);
    ASSERT_GE(ai, 0) << ext;
    EXPECT_NE(a->actions[ai].kind, ActionKind::Internal) << ext;
  }
  int link = a->findAction("Seqno.dn");
  ASSERT_GE(link, 0);
  EXPECT_EQ(a->actions[link].kind, ActionKind::Internal);
  EXPECT_GE(c->model->simulations.size(), 1u);
}

TEST(Samples, AbpComposesIntoOneAutomaton) {
  auto c = compileFile(std::string(IOAWB_SAMPLES_DIR) + "/abp.ioa");
  ASSERT_TRUE(c && c->ok());
  const FlatAutomaton* abp = c->model->findAutomaton("ABP");
  ASSERT_NE(abp, nullptr);
  EXPECT_GE(abp->findState("S.queue"), 0);
  EXPECT_GE(abp->findState("C1.q"), 0);
  int tx = abp->findAction("frame_tx");
  ASSERT_GE(tx, 0);
  EXPECT_EQ(abp->actions[tx].kind, ActionKind::Internal);  // hidden
  // the sender's output and the channel's input became one transition
  int n = 0;
  for (const FlatTransition& t : abp->transitions)
    if (t.action == tx) {
      ++n;
      EXPECT_EQ(t.components, (std::vector<std::string>{"S", "C1"}));
    }
  EXPECT_EQ(n, 1);
  // internal actions of the two channels do not clash: they are qualified
  EXPECT_GE(abp->findAction("C1.lose"), 0);
  EXPECT_GE(abp->findAction("C2.lose"), 0);
}

TEST(Samples, ComponentArraysLiftStateToArrays) {
  auto c = compileFile(std::string(IOAWB_SAMPLES_DIR) + "/lamport_mutex.ioa");
  ASSERT_TRUE(c && c->ok()) << c->diags.renderAllText();
  const FlatAutomaton* m = c->model->findAutomaton("LamportMutex");
  ASSERT_NE(m, nullptr);
  int st = m->findState("P.status");
  ASSERT_GE(st, 0);
  EXPECT_EQ(m->state[st]->sort->kind, SortKind::Array);
  // request is owned by P[i] and reaches the network: its effect loops over receivers
  int req = m->findAction("request");
  ASSERT_GE(req, 0);
  EXPECT_EQ(m->actions[req].kind, ActionKind::Output);
  // the mutual exclusion invariant and the strengthening invariants its proof needs
  bool mutex = false;
  for (const auto& inv : c->model->invariants) mutex = mutex || inv.name == "MutualExclusion";
  EXPECT_TRUE(mutex);
}
