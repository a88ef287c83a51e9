// The interpreter of checked terms and effects (ioa/spec/Eval.h).
#include <gtest/gtest.h>

#include "CodegenTestUtil.h"
#include "ioa/spec/Eval.h"

namespace ioa {
namespace {

// A spec with one automaton `T` whose state variables and constants the tests evaluate terms over.
struct Fixture {
  std::unique_ptr<Compilation> c;
  const FlatAutomaton* a = nullptr;
  explicit Fixture(const std::string& text, const std::string& name = "T") {
    c = compileSource("t.ioa", text);
    EXPECT_TRUE(c->ok()) << c->diags.renderAllText();
    if (c->ok()) a = c->model->findAutomaton(name);
  }
  const FlatTransition& transition(const std::string& action) const {
    for (const FlatTransition& t : a->transitions)
      if (a->actions[t.action].name == action) return t;
    ADD_FAILURE() << "no transition " << action;
    return a->transitions.front();
  }
};

// Evaluates the precondition of `output probe` (which is the term under test) in the start state.
struct Probe {
  Fixture f;
  Evaluator ev;
  Evaluator::State s;
  explicit Probe(const std::string& decls, const std::string& states, const std::string& term)
      : f(decls + "\nautomaton T\n  signature\n    output probe\n  states\n" + states +
          "\n  transitions\n    output probe\n      pre " + term + "\n"),
        ev(*f.c->model) {
    if (f.a) {
      EXPECT_TRUE(ev.startState(*f.a, s)) << ev.error().message;
    }
  }
  // true/false, or "error: ..."
  std::string result() {
    if (!f.a) return "no automaton";
    bool out = false;
    if (!ev.enabled(*f.a, f.transition("probe"), s, {}, out)) return "error: " + ev.error().message;
    return out ? "true" : "false";
  }
};

// An uninterpreted function has a value only through the caller's table (a counterexample's);
// a partial operation outside its domain is an error marked `undefined`, a missing value is not.
TEST(Eval, UninterpretedFunctionsTakeTheCallersTableAndUndefinedErrorsAreMarked) {
  Probe p("function rank(n: Nat): Nat", "x: Nat := 3", "rank(x) = 7");
  std::string r = p.result();
  EXPECT_EQ(r.rfind("error: function rank is uninterpreted", 0), 0u) << r;
  EXPECT_FALSE(p.ev.error().undefined);
  p.ev.setUninterpreted([](const FunctionDecl* f, const std::vector<Value>& args) -> std::optional<Value> {
    if (f->name != "rank" || args.size() != 1) return std::nullopt;
    return Value::integer(args[0].asInt() == 3 ? 7 : 0);
  });
  EXPECT_EQ(p.result(), "true");
  Probe q("", "s: Seq[Nat] := {}", "head(s) = 0");
  EXPECT_EQ(q.result().rfind("error: head of the empty sequence", 0), 0u) << q.result();
  EXPECT_TRUE(q.ev.error().undefined);
  Probe d("", "x: Nat := 0", "5 div x = 0");
  EXPECT_EQ(d.result(), "error: division by zero");
  EXPECT_TRUE(d.ev.error().undefined);
}

TEST(Eval, IntegerArithmeticIsMathematicalWithEuclideanDivision) {
  EXPECT_EQ(Probe("", "x: Int := -7", "x div 2 = -4 /\\ x mod 2 = 1").result(), "true");
  EXPECT_EQ(Probe("", "x: Int := 7", "x div -2 = -3 /\\ x mod -2 = 1").result(), "true");
  EXPECT_EQ(Probe("", "x: Int := -7", "x div -2 = 4 /\\ x mod -2 = 1").result(), "true");
  EXPECT_EQ(Probe("", "x: Int := 9223372036854775807", "x + 1 > x").result().rfind("error: integer overflow", 0), 0u);
}

TEST(Eval, FixedWidthArithmeticWraps) {
  EXPECT_EQ(Probe("", "x: UInt8 := 250", "x + 10 = 4 /\\ x * 2 = 244 /\\ 0 - x = 6").result(), "true");
  EXPECT_EQ(Probe("", "x: UInt16 := 1", "(x shl 16) = 0 /\\ (x shl 15) = 32768 /\\ (x shr 17) = 0").result(),
            "true");
  EXPECT_EQ(Probe("", "x: UInt32 := 4294967295", "x + 1 = 0 /\\ UInt8(x) = 255 /\\ Int(x) = 4294967295").result(),
            "true");
  EXPECT_EQ(Probe("", "x: Int := -1", "UInt16(x) = 65535").result(), "true");
}

TEST(Eval, PartialOperationsAreErrorsNotValues) {
  auto err = [](const std::string& states, const std::string& term) {
    std::string r = Probe("type U = union of a: Nat, b: Bool", states, term).result();
    EXPECT_EQ(r.rfind("error: ", 0), 0u) << term << " gave " << r;
    return r;
  };
  EXPECT_NE(err("q: Seq[Nat] := {}", "head(q) = 0").find("head of the empty sequence"), std::string::npos);
  EXPECT_NE(err("q: Seq[Nat] := {}", "tail(q) = {}").find("tail of the empty sequence"), std::string::npos);
  EXPECT_NE(err("q: Seq[Nat] := [1, 2]", "q[2] = 0").find("out of range"), std::string::npos);
  EXPECT_NE(err("q: Seq[Nat] := [1, 2]", "sub(q, 1, 2) = q").find("out of range"), std::string::npos);
  EXPECT_NE(err("x: Nat := 3", "x div 0 = 0").find("division by zero"), std::string::npos);
  EXPECT_NE(err("x: UInt8 := 3", "x mod 0 = 0").find("mod by zero"), std::string::npos);
  EXPECT_NE(err("u: U := U.a(3)", "u.b").find("variant 'b'"), std::string::npos);
  // guarded partial operations are fine
  EXPECT_EQ(Probe("", "q: Seq[Nat] := {}", "q ~= {} /\\ head(q) = 0").result(), "false");
  EXPECT_EQ(Probe("", "q: Seq[Nat] := {}", "q = {} \\/ head(q) = 0").result(), "true");
  EXPECT_EQ(Probe("", "q: Seq[Nat] := {}", "if q = {} then true else head(q) = 0").result(), "true");
}

TEST(Eval, UndefinedMapKeysAreErrors) {
  Fixture f(
      "automaton T\n  signature\n    output probe\n  states\n    m: Map[Nat, Nat] := constant(1)\n"
      "  transitions\n    output probe\n      pre m[2] = 1\n");
  Evaluator ev(*f.c->model);
  Evaluator::State s;
  ASSERT_TRUE(ev.startState(*f.a, s));
  bool out = false;
  ASSERT_TRUE(ev.enabled(*f.a, f.transition("probe"), s, {}, out)) << ev.error().message;
  EXPECT_TRUE(out);
  // a map with no default: only listed keys are defined
  s[0] = Value::map({{Value::integer(1), Value::integer(5)}}, nullptr, false);
  EXPECT_FALSE(ev.enabled(*f.a, f.transition("probe"), s, {}, out));
  EXPECT_NE(ev.error().message.find("map key 2 is not defined"), std::string::npos) << ev.error().message;
}

TEST(Eval, NarrowingIntoNatAndRangesIsChecked) {
  Fixture f(
      "automaton T\n  signature\n    internal dec\n  states\n    x: Nat := 0, r: Int[1..3] := 1\n"
      "  transitions\n    internal dec\n      eff x := x - 1\n");
  Evaluator ev(*f.c->model);
  Evaluator::State s, post;
  ASSERT_TRUE(ev.startState(*f.a, s));
  EXPECT_FALSE(ev.apply(*f.a, f.transition("dec"), s, {}, post));
  EXPECT_NE(ev.error().message.find("does not fit sort Nat"), std::string::npos) << ev.error().message;
  Value v = Value::integer(4);
  EXPECT_FALSE(ev.coerce(v, f.a->state[1]->sort, {}));
}

TEST(Eval, QuantifiersOverInfiniteSortsUseTheirBounds) {
  EXPECT_EQ(Probe("", "q: Seq[Nat] := [1, 2, 3]", "\\A i: Nat (i < len(q) => q[i] > 0)").result(), "true");
  EXPECT_EQ(Probe("", "q: Seq[Nat] := [1, 2, 3]", "\\E i: Nat (i < len(q) /\\ q[i] = 3)").result(), "true");
  EXPECT_EQ(Probe("", "q: Seq[Nat] := [3, 2, 1]",
                  "\\A i: Nat, j: Nat (i < j /\\ j < len(q) => q[i] > q[j])")
                .result(),
            "true");
  EXPECT_EQ(Probe("", "q: Seq[Nat] := [1, 2]", "\\A i: Nat, j: Nat (i < j /\\ j < len(q) => q[i] > q[j])").result(),
            "false");
  EXPECT_EQ(Probe("type P = Int[0..2]", "x: Nat := 0", "\\A p: P (p <= 2) /\\ ~(\\E b: Bool (b /\\ ~b))").result(),
            "true");
  std::string r = Probe("", "x: Nat := 0", "\\A i: Nat (i >= 0)").result();
  EXPECT_NE(r.find("cannot enumerate"), std::string::npos) << r;
}

TEST(Eval, ChooseSearchesOrTakesTheOraclesValue) {
  Fixture f(
      "automaton T\n  signature\n    internal pick\n  states\n    x: Nat := 0, q: Seq[Nat] := [4, 7, 9]\n"
      "  transitions\n    internal pick\n      eff x := choose y: Nat where y \\in q /\\ y > 5\n");
  Evaluator ev(*f.c->model);
  Evaluator::State s, post;
  ASSERT_TRUE(ev.startState(*f.a, s));
  ASSERT_TRUE(ev.apply(*f.a, f.transition("pick"), s, {}, post)) << ev.error().message;
  EXPECT_EQ(post[0], Value::integer(7));
  struct Last : ChoiceOracle {
    std::vector<Value> seen;
    std::optional<Value> choose(const Expr*, const std::vector<Value>* c) override {
      seen = *c;
      return c->back();
    }
  } last;
  ev.setOracle(&last);
  ASSERT_TRUE(ev.apply(*f.a, f.transition("pick"), s, {}, post));
  EXPECT_EQ(post[0], Value::integer(9));
  EXPECT_EQ(last.seen.size(), 2u);
  struct Bad : ChoiceOracle {
    std::optional<Value> choose(const Expr*, const std::vector<Value>*) override { return Value::integer(4); }
  } bad;
  ev.setOracle(&bad);
  EXPECT_FALSE(ev.apply(*f.a, f.transition("pick"), s, {}, post));
  EXPECT_NE(ev.error().message.find("does not satisfy"), std::string::npos);
}

TEST(Eval, MessagesCarryTypedHeaders) {
  Fixture f(R"(
layer L
  header tuple of seq: UInt32
  signature
    input  dn(m: Msg), up(m: Msg)
    output dn_out(m: Msg), up_out(m: Msg)
  states
    q: Seq[Msg] := {}
  transitions
    input dn(m)
      eff q := q |- push(m, Header(seq: 7))
    output dn_out(m)
      pre q ~= {} /\ m = head(q)
      eff q := tail(q)
    input up(m)
      eff if hashdr(m) /\ hdr(m).seq = 7 then q := q |- pop(m) fi
    output up_out(m)
      pre q ~= {} /\ m = head(q)
      eff q := tail(q)
)",
            "L");
  Evaluator ev(*f.c->model);
  Evaluator::State s, post;
  ASSERT_TRUE(ev.startState(*f.a, s));
  Value m = Value::msg({1, 2, 3}, {});
  ASSERT_TRUE(ev.apply(*f.a, f.transition("dn"), s, {m}, post)) << ev.error().message;
  ASSERT_EQ(post[0].elems().size(), 1u);
  const Value& pushed = post[0].elems()[0];
  ASSERT_EQ(pushed.headers().size(), 1u);
  EXPECT_EQ(pushed.headers()[0].first, f.a->headerSort);
  EXPECT_EQ(pushed.payload(), (std::vector<uint8_t>{1, 2, 3}));
  // up with the header pops it; without a header the guard is false, never an error
  Evaluator::State s2;
  ASSERT_TRUE(ev.startState(*f.a, s2));
  ASSERT_TRUE(ev.apply(*f.a, f.transition("up"), s2, {pushed}, post)) << ev.error().message;
  EXPECT_EQ(post[0].elems()[0], m);
  ASSERT_TRUE(ev.apply(*f.a, f.transition("up"), s2, {m}, post)) << ev.error().message;
  EXPECT_TRUE(post[0].elems().empty());
}

TEST(Eval, Checksum16IsRfc1071) {
  // RFC 1071 section 3: the sum of 0001 f203 f4f5 f6f7 is ddf2, so the checksum is 220d.
  const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum16(data, sizeof data), 0x220d);
  EXPECT_EQ(checksum16(nullptr, 0), 0xFFFF);
  const uint8_t odd[] = {0x12, 0x34, 0x56};
  EXPECT_EQ(checksum16(odd, 3), static_cast<uint16_t>(~(0x1234 + 0x5600)));
}

TEST(Eval, MapsCompareAsFunctions) {
  Fixture f(
      "type P = Int[0..2]\nautomaton T\n  signature\n    internal set\n  states\n"
      "    a: Array[P, Bool] := constant(false)\n  transitions\n    internal set\n      eff a[1] := true; a[1] := false\n");
  Evaluator ev(*f.c->model);
  Evaluator::State s, post;
  ASSERT_TRUE(ev.startState(*f.a, s));
  ASSERT_TRUE(ev.apply(*f.a, f.transition("set"), s, {}, post));
  EXPECT_NE(post[0], s[0]);  // different representations ...
  EXPECT_TRUE(valuesEqual(post[0], s[0], f.a->state[0]->sort));  // ... of the same function
}

// A map defined everywhere but at some keys: those keys are undefined for lookup, an update
// defines them, they are shown and they take part in comparisons.
TEST(Eval, AMapCanBeUndefinedAtKeysUnderADefinedDefault) {
  Value m = Value::map({{Value::integer(1), Value::integer(5)}}, std::make_unique<Value>(Value::integer(7)), true,
                       {Value::integer(3), Value::integer(1), Value::integer(0), Value::integer(3)});
  EXPECT_EQ(m.undefinedKeys().size(), 2u);  // 1 has an entry; 3 once
  EXPECT_EQ(m.lookup(Value::integer(3)), nullptr);
  ASSERT_NE(m.lookup(Value::integer(2)), nullptr);
  EXPECT_EQ(m.lookup(Value::integer(2))->asInt(), 7);
  EXPECT_EQ(m.lookup(Value::integer(1))->asInt(), 5);
  EXPECT_EQ(m.toString(), "{0 -> undefined, 1 -> 5, 3 -> undefined, else -> 7}");
  Value d = m.withEntry(Value::integer(3), Value::integer(9));
  ASSERT_NE(d.lookup(Value::integer(3)), nullptr);
  EXPECT_EQ(d.lookup(Value::integer(3))->asInt(), 9);
  EXPECT_EQ(d.toString(), "{0 -> undefined, 1 -> 5, 3 -> 9, else -> 7}");
  Value total = Value::map({{Value::integer(1), Value::integer(5)}}, std::make_unique<Value>(Value::integer(7)), true);
  EXPECT_NE(m, total);
  EXPECT_EQ(m, Value(m));
}

// Real specs: the alternating bit protocol's start state and a few steps.
TEST(Eval, RunsTheAlternatingBitProtocol) {
  auto c = compileFile(test::samplesDir() + "/abp.ioa");
  ASSERT_TRUE(c && c->ok());
  const FlatAutomaton* abp = c->model->findAutomaton("ABP");
  ASSERT_TRUE(abp);
  Evaluator ev(*c->model);
  Evaluator::State s, post;
  ASSERT_TRUE(ev.startState(*abp, s)) << ev.error().message;
  bool start = false;
  ASSERT_TRUE(ev.isStart(*abp, s, start));
  EXPECT_TRUE(start);
  auto step = [&](const std::string& action, std::vector<Value> args) {
    int ai = abp->findAction(action);
    EXPECT_GE(ai, 0) << action;
    for (const FlatTransition& t : abp->transitions) {
      if (t.action != ai) continue;
      bool en = false;
      EXPECT_TRUE(ev.enabled(*abp, t, s, args, en)) << ev.error().message;
      if (!en) continue;
      EXPECT_TRUE(ev.apply(*abp, t, s, args, post)) << ev.error().message;
      s = post;
      return true;
    }
    return false;
  };
  Value msg = bytesValue({9, 9});
  EXPECT_TRUE(step("send", {msg}));
  Sort frame = abp->actions[abp->findAction("frame_tx")].params[0];
  Value f = Value::tuple(frame, {Value::boolean(true), msg});
  EXPECT_FALSE(step("frame_tx", {Value::tuple(frame, {Value::boolean(false), msg})}));  // wrong bit: not enabled
  EXPECT_TRUE(step("frame_tx", {f}));
  EXPECT_TRUE(step("frame_rx", {f}));
  EXPECT_TRUE(step("receive", {msg}));
  EXPECT_FALSE(step("receive", {msg}));
  for (const Invariant& inv : c->model->invariants) {
    Env env;
    ev.bindState(*abp, s, env);
    bool holds = false;
    ASSERT_TRUE(ev.evalBool(inv.pred, env, holds)) << inv.name << ": " << ev.error().message;
    EXPECT_TRUE(holds) << inv.name;
  }
}

TEST(Eval, LamportMutualExclusionHoldsAlongARun) {
  auto c = compileFile(test::samplesDir() + "/lamport_mutex.ioa");
  ASSERT_TRUE(c && c->ok());
  const FlatAutomaton* a = c->model->findAutomaton("LamportMutex");
  ASSERT_TRUE(a);
  Evaluator ev(*c->model);
  Evaluator::State s, post;
  ASSERT_TRUE(ev.startState(*a, s)) << ev.error().message;
  // A fixed schedule: process 0 requests, the others acknowledge, 0 enters.
  auto fire = [&](const std::string& action, std::vector<Value> args) {
    int ai = a->findAction(action);
    for (const FlatTransition& t : a->transitions) {
      if (t.action != ai) continue;
      bool en = false;
      if (!ev.enabled(*a, t, s, args, en) || !en) continue;
      EXPECT_TRUE(ev.apply(*a, t, s, args, post)) << ev.error().message;
      s = post;
      return true;
    }
    return false;
  };
  auto I = [](int64_t x) { return Value::integer(x); };
  Sort msgSort = a->actions[a->findAction("deliver")].params[2];
  Sort kind = msgSort->def->fields[0].sort;
  auto M = [&](int k, int64_t ts) { return Value::tuple(msgSort, {Value::enumeration(kind, k), I(ts)}); };
  EXPECT_TRUE(fire("request", {I(0), I(1)}));
  EXPECT_FALSE(fire("enter", {I(0)}));  // not yet heard from 1 and 2
  EXPECT_TRUE(fire("deliver", {I(0), I(1), M(0, 1)}));
  EXPECT_TRUE(fire("deliver", {I(0), I(2), M(0, 1)}));
  EXPECT_TRUE(fire("ack", {I(1), I(0), I(3)}));
  EXPECT_TRUE(fire("ack", {I(2), I(0), I(3)}));
  EXPECT_TRUE(fire("deliver", {I(1), I(0), M(1, 3)}));
  EXPECT_TRUE(fire("deliver", {I(2), I(0), M(1, 3)}));
  EXPECT_TRUE(fire("enter", {I(0)}));
  Env env;
  ev.bindState(*a, s, env);
  bool holds = false;
  ASSERT_TRUE(ev.evalBool(c->model->invariants[0].pred, env, holds)) << ev.error().message;
  EXPECT_TRUE(holds);
}

}  // namespace
}  // namespace ioa
