// The conformance checker on hand-made traces: it accepts spec transitions
// and rejects everything else (traces of real generated code are checked in
// SamplesBuildTest.cpp and StackTest.cpp).
#include <gtest/gtest.h>

#include "CodegenTestUtil.h"
#include "ioa/codegen/Conformance.h"
#include "ioa/codegen/WireFormat.h"

namespace ioa {
namespace {

const char* kSpec = R"(
automaton Q
  signature
    input  send(m: Nat)
    output receive(m: Nat)
    internal shuffle
  states
    buf: Seq[Nat] := {},
    count: Nat := 0
  transitions
    input send(m)
      eff buf := buf |- m; count := count + 1
    output receive(m)
      pre buf ~= {} /\ m = head(buf)
      eff buf := tail(buf)
    internal shuffle
      pre len(buf) >= 2
      eff buf := choose b: Seq[Nat] where len(b) = len(buf) /\ b[0] = buf[1] /\ b[1] = buf[0] /\ (\A i: Nat (i >= 2 /\ i < len(b) => b[i] = buf[i]))
)";

struct Checker {
  std::unique_ptr<Compilation> c = compileSource("q.ioa", kSpec);
  codegen::ConformanceReport check(const std::string& trace) {
    EXPECT_TRUE(c->ok()) << c->diags.renderAllText();
    return codegen::checkTrace(*c->model, *c->model->findAutomaton("Q"), trace);
  }
};

TEST(Conformance, AcceptsTransitionsOfTheSpec) {
  Checker k;
  auto r = k.check(
      "V buf count\n"
      "I [ ] 0\n"
      "S send 5 | [ 5 ] 1\n"
      "S send 6 | [ 5 6 ] 2\n"
      "S receive 5 | [ 6 ] 2\n");
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.steps, 3u);
}

TEST(Conformance, StateVariablesMayComeInAnyOrder) {
  Checker k;
  auto r = k.check("V count buf\nI 0 [ ]\nS send 5 | 1 [ 5 ]\n");
  EXPECT_TRUE(r.ok) << r.error;
}

TEST(Conformance, RejectsAStepThatIsNotEnabled) {
  Checker k;
  auto r = k.check("V buf count\nI [ ] 0\nS send 5 | [ 5 ] 1\nS send 6 | [ 5 6 ] 2\nS receive 6 | [ 5 ] 2\n");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.line, 5u);
  EXPECT_NE(r.error.find("receive(6) is not enabled"), std::string::npos) << r.error;
}

TEST(Conformance, RejectsAWrongPostState) {
  Checker k;
  auto r = k.check("V buf count\nI [ ] 0\nS send 5 | [ 5 ] 2\n");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("count: the spec gives 1, the code has 2"), std::string::npos) << r.error;
}

TEST(Conformance, RejectsAWrongStartState) {
  Checker k;
  auto r = k.check("V buf count\nI [ 1 ] 0\n");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("not a start state"), std::string::npos) << r.error;
}

TEST(Conformance, SearchesTheChoicesOfChoose) {
  Checker k;
  std::string sent = "V buf count\nI [ ] 0\nS send 1 | [ 1 ] 1\nS send 2 | [ 1 2 ] 2\nS send 3 | [ 1 2 3 ] 3\n";
  // `choose b: Seq[Nat]` has no finite domain: the checker offers the observed value, which must satisfy it
  auto ok = k.check(sent + "S shuffle | [ 2 1 3 ] 3\n");
  EXPECT_TRUE(ok.ok) << ok.error;
  auto bad = k.check(sent + "S shuffle | [ 3 1 2 ] 3\n");
  EXPECT_FALSE(bad.ok);
}

TEST(Conformance, ReportsUnreadableTraces) {
  Checker k;
  EXPECT_NE(k.check("I [ ] 0\n").error.find("V line"), std::string::npos);
  EXPECT_NE(k.check("V buf nope\n").error.find("'nope' is not a variable"), std::string::npos);
  EXPECT_NE(k.check("V buf count\nI [ ] x\n").error.find("'x' is not a value of sort Nat"), std::string::npos);
  EXPECT_NE(k.check("V buf count\nI [ ] 0\nS fly | [ ] 0\n").error.find("'fly' is not an action"), std::string::npos);
}

TEST(Conformance, MessagesAreDecodedWithTheWireFormat) {
  auto c = compileFile(test::samplesDir() + "/stacks/reliable.ioa");
  ASSERT_TRUE(c->ok());
  codegen::WireFormat w(*c->model);
  const codegen::HeaderLayout* seqno = nullptr;
  for (const auto& h : w.headers())
    if (h.owner == "Seqno") seqno = &h;
  ASSERT_TRUE(seqno);
  Value hv = Value::tuple(seqno->sort, {Value::uinteger(0x01020304, 32), Value::boolean(true)});
  Value m = Value::msg({7, 8}, {{seqno->sort, hv}});
  std::vector<uint8_t> hb;
  std::string err;
  ASSERT_TRUE(w.encodeMsg(m, hb, err)) << err;
  EXPECT_EQ(hb, (std::vector<uint8_t>{2, 1, 2, 3, 4, 1}));
  Value back;
  ASSERT_TRUE(w.decodeMsg(hb, {7, 8}, back, err)) << err;
  EXPECT_EQ(back, m);
  hb[5] = 2;  // not a Bool
  EXPECT_FALSE(w.decodeMsg(hb, {7, 8}, back, err));
  hb[0] = 99;
  EXPECT_FALSE(w.decodeMsg(hb, {7, 8}, back, err));
  EXPECT_NE(err.find("unknown header tag 99"), std::string::npos);
}

}  // namespace
}  // namespace ioa
