// print(parse(x)) parses back to the same tree, for every sample and for
// constructs the samples do not use.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "TestUtil.h"
#include "ioa/spec/Printer.h"

using namespace ioa;

static std::string readFile(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

static void expectRoundTrip(const std::string& name, const std::string& text) {
  auto a = parseSource(name, text);
  ASSERT_FALSE(a->diags.hasErrors()) << a->diags.renderAllText();
  std::string printed = printModule(a->module);
  auto b = parseSource(name + " (printed)", printed);
  ASSERT_FALSE(b->diags.hasErrors()) << b->diags.renderAllText() << "\n--- printed:\n" << printed;
  EXPECT_EQ(dumpModule(a->module), dumpModule(b->module)) << "--- printed:\n" << printed;
  // printing is a fixed point after one round
  EXPECT_EQ(printed, printModule(b->module));
  // and the printed text still checks clean when the original did
  auto ca = compileSource(name, text);
  auto cb = compileSource(name, printed);
  EXPECT_EQ(ca->diags.hasErrors(), cb->diags.hasErrors()) << cb->diags.renderAllText();
  // checking annotates the tree in place; printing a checked tree still gives the source form
  EXPECT_EQ(printModule(ca->module), printed);
}

TEST(RoundTrip, EverySample) {
  for (const auto& f : test::sampleFiles()) {
    SCOPED_TRACE(f);
    expectRoundTrip(f, readFile(f));
  }
  for (const auto& f : test::bugSampleFiles()) {
    SCOPED_TRACE(f);
    expectRoundTrip(f, readFile(f));
  }
}

TEST(RoundTrip, PrecedenceAndAssociativity) {
  expectRoundTrip("prec.ioa", R"(
const A: Int = 1 - (2 - 3) - 4 * (5 + 6) div 7 mod 2
const B: Bool = (true => false) => true
const C: Bool = true => (false => true)
const D: Bool = ~(true /\ false) \/ (true <=> ~false)
const E: Seq[Int] = 1 -| 2 -| [3] |- 4 || [5]
const F: Int = -(-3) - -2
const G: Bool = if true then false else true
const H: Int = (if true then 1 else 2) + 3
function f(x: UInt8): UInt8 = (x band 15) shl 2 bor (x shr 1) bxor 3
function g(s: Set[Int]): Bool = 1 \in s \union {2} \intersect {3} /\ s \subseteq {1, 2}
function h(t: Nat): Bool = \A i: Nat (i < t => \E j: Nat (j > i)) /\ t >= 0
)");
}

TEST(RoundTrip, RareConstructs) {
  expectRoundTrip("rare.ioa", R"(
uses Sequence(Int)
type Color = enumeration of red, green, blue
type P = tuple of a: Int, b: Bool
type U = union of num: Int, flag: Bool
type Small = Int[0..3]
sort Node
const K: Nat
function name(n: Node): Int
axiom NamesPositive: \A n: Node (name(n) >= 0)
automaton X(T: type, k: Nat)
  signature
    input put(x: T, const k: Nat) where k > 0
    output get(x: T)
    internal spin
  states
    s: Seq[T] := {},
    m: Map[Int, Color] := constant(red),
    u: U := U.num(3),
    p: P := P(a: 1, b: true),
    c: Color := choose c: Color where c ~= blue
  initially len(s) = 0
  transitions
    input put(x, const k)
      eff s := s |- x;
          for i: Small do m := update(m, i, green) od;
          for j: Int in {1, 2} do if j = 1 then p.a := j elseif j = 2 then p.b := false else c := red fi od
    output get(x)
      where true
      pre s ~= {} /\ x = head(s) /\ u is num /\ u.num > 0
      eff s := tail(s); c := choose d: Color where d = green
      ensuring len(s') < len(s) + 1
    internal spin
  tasks
    {get}; {spin for i: Nat where i > 0}
)");
}

TEST(RoundTrip, CompositionsSimulationsStacks) {
  expectRoundTrip("comp.ioa", R"(
automaton A
  signature
    input go(n: Nat)
    output done(n: Nat)
  states
    x: Nat := 0
  transitions
    input go(n)
      eff x := n
    output done(n)
      pre n = x
automaton B(i: Int[0..1])
  signature
    input done(n: Nat)
  states
    y: Nat := 0
  transitions
    input done(n)
      eff y := n
automaton Sys
  components
    a: A renaming go to start;
    b[i: Int[0..1]]: B(i)
  hidden done
invariant Pos of Sys: a.x >= 0 /\ \A i: Int[0..1] (b[i].y >= 0)
forward simulation from Sys to A:
  A.x = a.x
proof
  initially
    x := 0
  for input start(n) do
    fire input go(n)
  od
  for internal done(n) ignore
refinement from Sys to A:
  A.x = a.x
)");
}

// The dialect page writes a refinement mapping `refinement from A to B: f` with its
// `B.x = term` equations below: the name is read (and printed back), not taken for a term.
TEST(RoundTrip, RefinementMappingMayBeNamed) {
  const std::string spec = R"(automaton A
  signature
    internal tick
  states
    x: Int := 0
  transitions
    internal tick
      eff x := x + 1
automaton B
  signature
    internal tick
  states
    y: Int := 0
  transitions
    internal tick
      eff y := y + 1
refinement from B to A: f
  A.x = B.y
)";
  expectRoundTrip("named.ioa", spec);
  auto c = compileSource("named.ioa", spec);
  ASSERT_FALSE(c->diags.hasErrors()) << c->diags.renderAllText();
  EXPECT_NE(printModule(c->module).find("refinement from B to A: f\n  A.x = B.y"), std::string::npos);
  // a name on a line of its own after the colon is the start of the term
  std::string own = spec;
  own.replace(own.find(": f\n"), 4, ":\n  f\n");
  auto d = compileSource("own.ioa", own);
  EXPECT_TRUE(d->diags.hasErrors());
  EXPECT_NE(d->diags.renderAllText().find("unknown name 'f'"), std::string::npos) << d->diags.renderAllText();
}

// The source range of a term covers all of it, its parentheses included: the prover
// prints a failed conjunct as its source text (`~(x = 1)`, not `~(x = 1`).
TEST(RoundTrip, TermRangesCoverTheirParentheses) {
  std::vector<std::string> preds = test::parenthesisedTerms();
  preds.push_back("((s))[0] = (x)");
  std::string text = "automaton A\n  signature\n    internal tick\n  states\n    x: Int := 0,\n    s: Seq[Int] := {}\n"
                     "  transitions\n    internal tick\n      eff x := x + 1\n";
  for (size_t i = 0; i < preds.size(); ++i) text += "invariant I" + std::to_string(i) + " of A: " + preds[i] + "\n";
  auto c = parseSource("ranges.ioa", text);
  ASSERT_FALSE(c->diags.hasErrors()) << c->diags.renderAllText();
  size_t k = 0;
  for (const Decl* d : c->module.decls) {
    if (d->kind != DeclKind::Invariant) continue;
    const auto* inv = static_cast<const InvariantDecl*>(d);
    ASSERT_LT(k, preds.size());
    EXPECT_EQ(std::string(c->sources.textOf(inv->body->range)), preds[k]);
    ++k;
  }
  EXPECT_EQ(k, preds.size());
}
