// Composition compatibility checks and expansion.
#include <gtest/gtest.h>

#include "TestUtil.h"
#include "ioa/spec/Printer.h"

using namespace ioa;

static const char* kParts = R"(
automaton P
  signature
    output out(n: Nat)
    internal tick
  transitions
    output out(n)
      pre n = 1
    internal tick
automaton Q
  signature
    input out(n: Nat)
    output done
  states
    seen: Nat := 0
  transitions
    input out(n)
      eff seen := n
    output done
      pre seen > 0
automaton R
  signature
    input out(b: Bool)
automaton T
  signature
    output tick
  transitions
    output tick
)";

// Line of a component declared right after the "components" line that follows kParts.
static unsigned lineOf(const std::string& component) {
  std::string text = std::string(kParts) + "automaton Sys\n  components\n";
  unsigned lines = 1;
  for (char ch : text) lines += ch == '\n';
  return component.find("A:") != std::string::npos ? lines : lines + 1;
}

static std::unique_ptr<Compilation> compose(const std::string& comps) {
  return compileSource("c.ioa", std::string(kParts) + "automaton Sys\n  components\n" + comps);
}

TEST(Composition, OutputOfTwoComponents) {
  auto c = compose("    A: P;\n    B: P\n");
  test::FirstError fe = test::firstError(std::string(kParts) + "automaton Sys\n  components\n    A: P;\n    B: P\n");
  EXPECT_EQ(fe.message, "action 'out' is an output of both A and B; an action has at most one owner");
  EXPECT_EQ(fe.line, lineOf("    B: P"));
  ASSERT_TRUE(c->diags.hasErrors());
  EXPECT_EQ(c->diags.all()[0].notes.size(), 2u);
}

TEST(Composition, SortMismatchBetweenMatchedActions) {
  test::FirstError fe = test::firstError(std::string(kParts) + "automaton Sys\n  components\n    A: P;\n    C: R\n");
  EXPECT_EQ(fe.message,
            "action 'out' has parameters (Bool) in C but (Nat) in A; matched actions must agree (rename one of them)");
  EXPECT_EQ(fe.line, lineOf("    C: R"));
  EXPECT_EQ(fe.col, 5u);
}

TEST(Composition, InternalActionClash) {
  test::FirstError fe = test::firstError(std::string(kParts) + "automaton Sys\n  components\n    A: P;\n    D: T\n");
  EXPECT_EQ(fe.message, "internal action 'tick' of A is also an action of D; internal actions may not be shared");
}

TEST(Composition, RenamingResolvesClashes) {
  auto c = compose("    A: P;\n    B: P renaming out to out2\n");
  EXPECT_FALSE(c->diags.hasErrors()) << c->diags.renderAllText();
}

TEST(Composition, HidingInputIsAnError) {
  test::FirstError fe = test::firstError(std::string(kParts) + "automaton Sys\n  components\n    B: Q\n  hidden out\n");
  EXPECT_EQ(fe.message, "cannot hide input action 'out': only outputs can be hidden");
}

TEST(Composition, UnknownComponentAndDuplicateNames) {
  EXPECT_EQ(test::firstError(std::string(kParts) + "automaton Sys\n  components\n    A: Nope\n").message,
            "unknown automaton 'Nope'");
  EXPECT_EQ(test::firstError(std::string(kParts) + "automaton Sys\n  components\n    A: PP\n").message,
            "unknown automaton 'PP'; did you mean 'P'?");
  EXPECT_EQ(test::firstError(std::string(kParts) + "automaton Sys\n  components\n    A: P;\n    A: Q\n").message,
            "duplicate component name 'A'");
  EXPECT_EQ(test::firstError(std::string(kParts) + "automaton Sys\n  components\n    A: Sys\n").message,
            "automaton 'Sys' contains itself as a component");
}

TEST(Composition, OutputMatchedWithInputBecomesOneTransition) {
  auto c = compose("    A: P;\n    B: Q\n  hidden out\n");
  ASSERT_FALSE(c->diags.hasErrors()) << c->diags.renderAllText();
  const FlatAutomaton* s = c->model->findAutomaton("Sys");
  ASSERT_NE(s, nullptr);
  int out = s->findAction("out");
  ASSERT_GE(out, 0);
  EXPECT_EQ(s->actions[out].kind, ActionKind::Internal);
  const FlatTransition* t = nullptr;
  for (const auto& x : s->transitions)
    if (x.action == out) t = &x;
  ASSERT_NE(t, nullptr);
  ASSERT_NE(t->pre, nullptr);
  EXPECT_EQ(exprToString(t->pre), "n = 1");
  ASSERT_EQ(t->eff.size(), 1u);
  EXPECT_EQ(stmtToString(t->eff[0]), "B.seen := n\n");
  EXPECT_GE(s->findAction("A.tick"), 0);
}

TEST(Composition, ComponentArrayBroadcastInputLoopsOverIndices) {
  auto c = compileSource("arr.ioa", R"(
type Id = Int[0..2]
automaton Src
  signature
    output ping(v: Nat)
  transitions
    output ping(v)
      pre v = 7
automaton Node(i: Id)
  signature
    input ping(v: Nat)
    output pong(const i: Id)
  states
    got: Nat := 0
  transitions
    input ping(v)
      eff got := v
    output pong(const i)
      pre got > 0
automaton Sys
  components
    S: Src;
    N[i: Id]: Node(i)
invariant Got of Sys: \A i: Id (N[i].got = 0 \/ N[i].got = 7)
)");
  ASSERT_FALSE(c->diags.hasErrors()) << c->diags.renderAllText();
  const FlatAutomaton* s = c->model->findAutomaton("Sys");
  int ping = s->findAction("ping");
  const FlatTransition* t = nullptr;
  for (const auto& x : s->transitions)
    if (x.action == ping) t = &x;
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->eff.size(), 1u);
  EXPECT_EQ(t->eff[0]->kind, StmtKind::For);
  EXPECT_EQ(stmtToString(t->eff[0]), "for i: Int[0..2] do\n  if true then\n    N.got[i] := v\n  fi\nod\n");
  // pong is owned by N[i], which its const parameter selects
  int pong = s->findAction("pong");
  for (const auto& x : s->transitions) {
    if (x.action == pong) {
      EXPECT_EQ(exprToString(x.pre), "N.got[i] > 0");
    }
  }
}

TEST(Composition, ArrayOutputNeedsConstIndex) {
  test::FirstError fe = test::firstError(R"(
type Id = Int[0..1]
automaton Node(i: Id)
  signature
    output ping
  transitions
    output ping
automaton Sys
  components
    N[i: Id]: Node(i)
)");
  EXPECT_EQ(fe.message, "cannot tell which N[i] performs 'ping': give the action a 'const i' parameter");
}

TEST(Composition, StackLinksLayersAndHidesInnerActions) {
  auto c = compileSource("st.ioa", R"(
layer L1
  header tuple of a: UInt8
  signature
    input dn(m: Msg), up(m: Msg)
    output dn_out(m: Msg), up_out(m: Msg)
  states
    q: Seq[Msg] := {}
  transitions
    input dn(m)
      eff q := q |- push(m, Header(a: 1))
    output dn_out(m)
      pre q ~= {} /\ m = head(q)
      eff q := tail(q)
    input up(m)
    output up_out(m)
      pre false
  fastpath dn: q = {}
  fastpath up: hashdr(m) /\ hdr(m).a = 1
layer L2(k: Nat)
  header tuple of b: UInt16
  signature
    input dn(m: Msg), up(m: Msg)
    output dn_out(m: Msg), up_out(m: Msg)
  states
    n: Nat := k
  transitions
    input dn(m)
      eff n := n + 1
    output dn_out(m)
      pre false
    input up(m)
    output up_out(m)
      pre false
  fastpath dn: true
  fastpath up: true
stack S = L1 ; L2(k: 5)
invariant Count of S: L2.n >= 5
)");
  ASSERT_FALSE(c->diags.hasErrors()) << c->diags.renderAllText();
  const Stack* s = c->model->findStack("S");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->layers.size(), 2u);
  const FlatAutomaton* a = s->automaton;
  int link = a->findAction("L2.dn");
  ASSERT_GE(link, 0);
  EXPECT_EQ(a->actions[link].kind, ActionKind::Internal);
  EXPECT_EQ(a->actions[a->findAction("dn")].kind, ActionKind::Input);
  EXPECT_EQ(a->actions[a->findAction("dn_out")].kind, ActionKind::Output);
  // the layer parameter was instantiated
  int n = a->findState("L2.n");
  ASSERT_GE(n, 0);
  EXPECT_EQ(exprToString(a->init[n]), "5");
}
