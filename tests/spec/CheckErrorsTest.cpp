// Sort and name errors: the checker's first error, exactly.
#include <gtest/gtest.h>

#include "TestUtil.h"

using namespace ioa;

namespace {
struct Case {
  const char* name;
  std::string text;
  unsigned line, col;
  const char* message;
};

const char* kChannel = R"(
automaton Ch
  signature
    input  send(m: Nat)
    output receive(m: Nat)
  states
    buffer: Seq[Nat] := {},
    flag: Bool := false
  transitions
    input send(m)
      eff buffer := buffer |- m
    output receive(m)
      pre buffer ~= {} /\ m = head(buffer)
      eff buffer := tail(buffer)
)";
}  // namespace

static std::string withChannel(const std::string& extra) { return std::string(kChannel) + extra; }

// A component's variable named without its component gets the qualified names; a union refused
// for its built-in name ('Msg') is one error, not one more per use of its variants.
TEST(CheckErrors, CompositionNamesAndARefusedUnionNeedNoMoreErrors) {
  const std::string parts = "automaton P\n  signature\n    output go(n: Nat)\n  states\n    x: Nat := 0\n"
                            "  transitions\n    output go(n)\n      pre n = x\n      eff x := x + 1\n"
                            "automaton Q\n  signature\n    input go(n: Nat)\n  states\n    x: Nat := 0\n"
                            "  transitions\n    input go(n)\n      eff x := n + 1\n"
                            "automaton S\n  components\n    A: P; B: Q\n";
  test::FirstError fe = test::firstError(parts + "invariant Same of S: x >= 0\n");
  EXPECT_EQ(fe.message, "unknown name 'x'; a component's variable is named with its component: A.x or B.x");
  EXPECT_EQ(test::firstError(parts + "invariant Same of S: A.x >= B.x - 1\n").errors, 0u);
  test::FirstError msg = test::firstError(
      "type Msg = union of prep: Nat, done: Bool\n"
      "automaton T\n  signature\n    internal t(n: Nat)\n  states\n    msgs: Set[Nat] := {}\n"
      "  transitions\n    internal t(n)\n      pre Msg.prep(n) \\in msgs\n      eff msgs := insert(n, msgs)\n");
  EXPECT_EQ(msg.errors, 1u) << msg.message;
  EXPECT_EQ(msg.message, "'Msg' is a built-in sort and cannot be redeclared");
  // a tuple refused so: its constructor calls and fields add none either (trial 5 of 2026-12-05:
  // five errors, two of them "unknown function 'Msg'; did you mean 'msg'?")
  test::FirstError tuple = test::firstError(
      "type Msg = tuple of src: Nat, v: Nat\n"
      "automaton A\n  signature\n    internal put(x: Nat)\n  states\n    last: Msg := Msg(src: 0, v: 0)\n"
      "  transitions\n    internal put(x)\n      eff last := Msg(src: x, v: last.v + 1)\n"
      "invariant I of A: last.v >= 0\n");
  EXPECT_EQ(tuple.errors, 1u) << tuple.message;
  EXPECT_EQ(tuple.message, "'Msg' is a built-in sort and cannot be redeclared");
}

// A misspelt action in a proof block (an entry, a fire) gets the closest action's name.
TEST(CheckErrors, MisspeltActionsInAProofBlockSuggestTheClosest) {
  const std::string spec = "automaton S\n  signature\n    output tally\n  states\n    n: Nat := 0\n"
                           "  transitions\n    output tally\n      eff n := n + 1\n"
                           "automaton I\n  signature\n    output tally\n  states\n    m: Nat := 0\n"
                           "  transitions\n    output tally\n      eff m := m + 1\n"
                           "forward simulation from I to S:\n  S.n = m\nproof\n";
  EXPECT_EQ(test::firstError(spec + "  for output taly do fire output tally od\n").message,
            "I has no action 'taly'; did you mean 'tally'?");
  EXPECT_EQ(test::firstError(spec + "  for output tally do fire output talyy od\n").message,
            "abstract automaton S has no action 'talyy'; did you mean 'tally'?");
}

// A refinement mapping written with ':=', with its sides swapped, or naming a variable an automaton
// or a component does not have: one error each, saying what is wrong (before: two or three, the
// first "'Spec' is an automaton, not a term" or "unknown name 'S'").
TEST(CheckErrors, RefinementMappingsAndPathsIntoAutomataSayWhatIsWrong) {
  const std::string two = "automaton C\n  signature\n    input inc\n  states\n    n: Nat := 0\n"
                          "  transitions\n    input inc\n      eff n := n + 1\n"
                          "automaton Spec(K: Nat)\n  signature\n    input inc\n  states\n    total: Nat := 0\n"
                          "  transitions\n    input inc\n      eff total := total + 1\n"
                          "refinement from C to Spec(2):\n";
  EXPECT_EQ(test::firstError(two + "  Spec.total = C.n\n").errors, 0u);
  struct {
    const char* mapping;
    unsigned col;
    const char* message;
  } cases[] = {
      {"  Spec.total := C.n\n", 14,
       "expected '=' in the refinement mapping, found ':=': it relates the two automata's states (an equation, not "
       "an assignment)"},
      {"  C.n = Spec.total\n", 3,
       "the abstract variable goes on the left of a refinement mapping's equation: write 'Spec.total = C.n'"},
      {"  Spec.totl = C.n\n", 3, "automaton Spec has no state variable 'totl'; did you mean 'total'?"},
  };
  for (const auto& c : cases) {
    test::FirstError fe = test::firstError(two + c.mapping);
    EXPECT_EQ(fe.errors, 1u) << c.mapping << fe.message;
    EXPECT_EQ(fe.line, 18u) << c.mapping;
    EXPECT_EQ(fe.col, c.col) << c.mapping;
    EXPECT_EQ(fe.message, c.message);
  }
  test::FirstError param = test::firstError(two + "  Spec.total = C.n\ninvariant Pos of Spec: Spec.total <= Spec.K\n");
  EXPECT_EQ(param.message, "'K' is a parameter of Spec: name it without 'Spec.'");
  EXPECT_EQ(param.col, 38u);
  // a component's misspelt variable (or inner component), compared with `{}`: one error
  const std::string parts = "automaton P\n  signature\n    output go(n: Nat)\n  states\n    q: Seq[Nat] := {}\n"
                            "  transitions\n    output go(n)\n      eff q := q |- n\n"
                            "automaton R\n  signature\n    input go(n: Nat)\n  states\n    q: Seq[Nat] := {}\n"
                            "  transitions\n    input go(n)\n      eff q := q |- n\n"
                            "automaton Q\n  components\n    In: P\n"
                            "automaton S\n  components\n    A: Q; B: R\n";
  test::FirstError fe = test::firstError(parts + "invariant I of S: A.In.qq ~= {} => B.q = {}\n");
  EXPECT_EQ(fe.errors, 1u) << fe.message;
  EXPECT_EQ(fe.message, "component A.In has no state variable 'qq'; did you mean 'q'?");
  EXPECT_EQ(fe.col, 19u);
  fe = test::firstError(parts + "invariant I of S: len(A.Inn.q) >= 0\n");
  EXPECT_EQ(fe.errors, 1u) << fe.message;
  EXPECT_EQ(fe.message, "component A has no state variable or component 'Inn'; did you mean 'In'?");
}

// Other languages' names of built-in operations get the dialect's spelling; a misspelling of a
// built-in gets the closest name.
TEST(CheckErrors, UnknownFunctionsSuggestTheDialectsSpelling) {
  const std::string head = "automaton A\n  signature\n    internal t(v: Nat)\n  states\n    q: Seq[Nat] := {}\n"
                           "  transitions\n    internal t(v)\n";
  EXPECT_EQ(test::firstError(head + "      pre length(q) < 3\n").message,
            "unknown function 'length'; the dialect writes len(s)");
  EXPECT_EQ(test::firstError(head + "      eff q := append(q, v)\n").message,
            "unknown function 'append'; the dialect writes s |- x");
  EXPECT_EQ(test::firstError(head + "      pre lenn(q) < 3\n").message, "unknown function 'lenn'; did you mean 'len'?");
}

TEST(CheckErrors, SortErrors) {
  const Case cases[] = {
      {"assign bool to nat", "automaton A\n  signature\n    output a\n  states\n    x: Nat := 0\n  transitions\n    output a\n      eff x := true\n",
       8, 16, "cannot assign a value of sort Bool to 'x' of sort Nat"},
      {"compare seq with int", "const S: Seq[Int] = [1]\nconst B: Bool = S = 3\n", 2, 17, "cannot compare Seq[Int] with Int"},
      {"append wrong element", "const S: Seq[Int] = [1] |- true\n", 1, 28, "expected an element of sort Int, found Bool"},
      {"and of ints", "const B: Bool = 1 /\\ true\n", 1, 17, "expected a Bool term, found sort Int"},
      {"uint mixed with int", "const X: UInt8 = 3\nconst Y: Int = X + (2 - 5)\n", 2, 16,
       "operands of '+' have different sorts UInt8 and Int; convert one with Int(x) or UInt8(x)"},
      {"literal too big for uint8", "const X: UInt8 = 300\n", 1, 18, "literal 300 does not fit in UInt8"},
      {"unknown name", "const X: Int = y + 1\n", 1, 16, "unknown name 'y'"},
      {"unknown sort", "const X: Foo = 1\n", 1, 10, "unknown sort 'Foo'"},
      {"unknown function", "const X: Int = foo(1)\n", 1, 16, "unknown function 'foo'"},
      {"wrong arity builtin", "const X: Int = len([1], 2)\n", 1, 16, "'len' takes 1 argument(s), found 2"},
      {"tuple field", "type P = tuple of a: Int\nconst X: P = P(a: 1)\nconst Y: Int = X.b\n", 3, 16, "tuple P has no field 'b'"},
      {"union variant", "type U = union of a: Int, b: Bool\nconst X: U = U.c(1)\n", 2, 14, "union U has no variant 'c'"},
      {"is on non-union", "const X: Bool = 3 is a\n", 1, 17, "'is' tests the variant of a union, but this term has sort Int"},
      {"empty set without sort", "const B: Bool = {} = {}\n", 1, 17,
       "cannot infer the sort of '{}' here; compare it with a term of known sort or use it where a sort is expected"},
      {"bitwise on int", "const X: Int = 3 band 1\n", 1, 16, "bitwise operator 'band' needs UInt8/16/32/64 operands, found Int"},
      {"for over infinite sort", "automaton A\n  signature\n    output a\n  transitions\n    output a\n      eff for i: Int do od\n", 6, 15,
       "'for i: Int' ranges over an infinite sort; use 'in' with a set or a finite sort"},
      {"prime outside ensuring", "automaton A\n  signature\n    output a\n  states\n    x: Nat := 0\n  transitions\n    output a\n      pre x' = 1\n", 8, 11,
       "primed variables are only allowed in 'ensuring' clauses"},
      {"assign to parameter", "automaton A\n  signature\n    input a(n: Nat)\n  transitions\n    input a(n)\n      eff n := 1\n", 6, 11,
       "cannot assign to 'n': only state variables can be assigned"},
      {"empty range", "type R = Int[3..1]\n", 1, 10, "empty integer range: 3 > 1"},
      {"non-constant range", "const K: Int\ntype R = Int[0..K]\n", 2, 17,
       "the bounds of an integer range must be constant: K is declared without a value (write 'const K: Int = ...')"},
      {"recursive type", "type T = tuple of next: T\n", 1, 6, "type 'T' is defined in terms of itself"},
      {"recursive function", "function f(n: Int): Int = f(n)\n", 1, 27, "recursive function 'f' is not supported (definitions are unfolded)"},
      {"ambiguous enum constant", "type A = enumeration of x, y\ntype B = enumeration of x, z\nconst C: Bool = x = x\n", 3, 17,
       "enumeration constant 'x' is ambiguous (declared in A, B); qualify it as Type.x"},
      {"redeclared builtin sort", "type Int = Nat\n", 1, 6, "'Int' is a built-in sort and cannot be redeclared"},
      {"unsupported sort", "const X: Real = 1\n", 1, 10, "sort 'Real' is not supported (use Int, UIntN, Bytes or an uninterpreted sort)"},
  };
  test::expectFirstErrors(cases, [](const Case& c) { return c.name; });
}

TEST(CheckErrors, IoaRules) {
  const Case cases[] = {
      {"input with pre", "automaton A\n  signature\n    input a\n  transitions\n    input a\n      pre true\n", 6, 7,
       "input actions have no precondition ('pre'): inputs are always enabled"},
      {"undeclared action", "automaton A\n  signature\n    input a\n  transitions\n    output b\n", 5, 5, "transition for undeclared action 'b'"},
      {"kind mismatch", "automaton A\n  signature\n    input a\n  transitions\n    output a\n", 5, 5,
       "'a' is declared as an input action, not an output action"},
      {"duplicate action", "automaton A\n  signature\n    input a\n    output a\n", 4, 12, "action 'a' is declared twice"},
      {"duplicate state", "automaton A\n  signature\n    input a\n  states\n    x: Nat := 0,\n    x: Int := 1\n", 6, 5,
       "state variable 'x' is declared twice"},
      {"argument count", "automaton A\n  signature\n    input a(n: Nat)\n  transitions\n    input a(n, m)\n", 5, 5,
       "action 'a' has 1 parameter(s), found 2 argument(s)"},
      {"redefinition", "const X: Int = 1\nconst X: Int = 2\n", 2, 7, "redefinition of 'X'"},
      {"layer without interface",
       "layer L\n  header tuple of a: UInt8\n  signature\n    input dn(m: Msg)\n  fastpath dn: true\n  fastpath up: true\n", 1, 7,
       "layer 'L' must declare input up(m: Msg)"},
      {"header op outside layer", "const X: Bool = hashdr(msg([]))\n", 1, 17,
       "header operations outside a layer must name the layer, e.g. Seqno.hdr(m)"},
      {"stack of non-layer", withChannel("stack S = Ch ; Ch\n"), 15, 11, "'Ch' is not a layer (declare it with 'layer')"},
  };
  test::expectFirstErrors(cases, [](const Case& c) { return c.name; });
}

TEST(CheckErrors, RedefinitionHasNoteAtPreviousDeclaration) {
  auto c = compileSource("t.ioa", "const X: Int = 1\nconst X: Int = 2\n");
  ASSERT_EQ(c->diags.errorCount(), 1u);
  const Diagnostic& d = c->diags.all()[0];
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_EQ(d.notes[0].message, "previous declaration here");
  EXPECT_EQ(c->sources.lineCol(d.notes[0].range).line, 1u);
  EXPECT_NE(c->diags.renderAllText().find("t.ioa:1:7: note: previous declaration here"), std::string::npos);
}

TEST(CheckErrors, InvariantsAndSimulations) {
  const Case cases[] = {
      {"invariant of unknown", "invariant I of Nope: true\n", 1, 16, "unknown automaton 'Nope'"},
      {"invariant unknown var", withChannel("invariant I of Ch: len(buf) > 0\n"), 15, 24, "unknown name 'buf'"},
      {"invariant not bool", withChannel("invariant I of Ch: len(buffer)\n"), 15, 20, "expected a Bool term, found sort Nat"},
      {"ambiguous in simulation", withChannel("forward simulation from Ch to Ch: buffer = buffer\n"), 15, 35,
       "'buffer' is ambiguous: it could be Ch.buffer and Ch.buffer; qualify it"},
      {"proof entry unknown action",
       withChannel("forward simulation from Ch to Ch: true\nproof\n  for input nope(m) ignore\n"), 17, 3,
       "Ch has no action 'nope'"},
      {"fire wrong arity",
       withChannel("forward simulation from Ch to Ch: true\nproof\n  for input send(m) do fire input send(m, m) od\n"), 17,
       35, "action 'send' takes 1 argument(s), found 2"},
      // a proof entry that assigns the abstract state made a step the abstract automaton cannot take
      // look matched (the only kind of assignment allowed there names a new local)
      {"proof entry assigns abstract state",
       withChannel("automaton Ab\n  signature\n    input send(m: Nat)\n    output receive(m: Nat)\n  states\n"
                   "    z: Nat := 0\n  transitions\n    input send(m)\n      eff z := m\n    output receive(m)\n"
                   "      pre m = z\nforward simulation from Ch to Ab: true\nproof\n"
                   "  for input send(m) do z := m od\n"),
       28, 24,
       "a proof entry cannot assign the state variable 'z': the abstract state changes only through the actions the "
       "entry fires (name a value with a new local, 'x := choose x: T where ...')"},
      {"refinement not equations", withChannel("refinement from Ch to Ch: true\n"), 15, 27,
       "a refinement mapping is a conjunction of equations 'B.x = term' defining each abstract state variable"},
  };
  test::expectFirstErrors(cases, [](const Case& c) { return c.name; });
}

TEST(CheckErrors, SeveralSortErrorsAreAllReported) {
  auto c = compileSource("t.ioa", "const A: Int = true\nconst B: Bool = 3\nconst C: Seq[Int] = [true]\n");
  EXPECT_EQ(c->diags.errorCount(), 3u) << c->diags.renderAllText();
}

// A misspelt name gets the closest name in scope (edit distance 1, 2 for names longer
// than four letters, or the same ignoring case) as a suggestion; a name far from all gets none.
TEST(CheckErrors, MisspeltNamesSuggestTheClosestName) {
  const Case cases[] = {
      {"state variable", withChannel("invariant I of Ch: len(bufer) >= 0\n"), 15, 24,
       "unknown name 'bufer'; did you mean 'buffer'?"},
      {"state variable in a transition",
       "automaton A\n  signature\n    output a\n  states\n    pc: Int := 0\n  transitions\n    output a\n"
       "      pre pcc = 0\n",
       8, 11, "unknown name 'pcc'; did you mean 'pc'?"},
      {"action parameter", withChannel("automaton B\n  signature\n    output go(count: Nat)\n  transitions\n"
                                       "    output go(count)\n      pre cuont > 0\n"),
       20, 11, "unknown name 'cuont'; did you mean 'count'?"},
      {"constant, case", "const Limit: Int = 3\nconst X: Int = limit + 1\n", 2, 16,
       "unknown name 'limit'; did you mean 'Limit'?"},
      {"automaton", withChannel("invariant I of Chh: true\n"), 15, 16, "unknown automaton 'Chh'; did you mean 'Ch'?"},
      {"automaton, case", withChannel("invariant I of CH: true\n"), 15, 16,
       "unknown automaton 'CH'; did you mean 'Ch'?"},
      {"sort", "type Pid = Int[0..1]\nconst X: Pidd = 0\n", 2, 10, "unknown sort 'Pidd'; did you mean 'Pid'?"},
      {"built-in sort", "const X: Seqq[Int] = {}\n", 1, 10, "unknown sort 'Seqq'; did you mean 'Seq'?"},
      {"nothing close", withChannel("invariant I of Ch: len(queue) >= 0\n"), 15, 24, "unknown name 'queue'"},
  };
  test::expectFirstErrors(cases, [](const Case& c) { return c.name; });
}

// A range bounded by a constant without a value says so, and the sorts built on it add no errors
// of their own (until 2026-12-04 four more: "cannot infer the sort of '{}'", ...).
TEST(CheckErrors, ARangeOverAConstantWithoutAValueIsOneError) {
  test::FirstError fe = test::firstError(
      "const N: Nat\ntype Idx = Int[0..N-1]\nautomaton A\n  signature\n    internal t(i: Idx)\n  states\n"
      "    m: Map[Idx, Nat] := constant(0),\n    s: Set[Idx] := {}\n  transitions\n    internal t(i)\n"
      "      eff m[i] := 1; s := insert(i, s)\n");
  EXPECT_EQ(fe.errors, 1u) << fe.message;
  EXPECT_EQ(fe.message,
            "the bounds of an integer range must be constant: N is declared without a value (write 'const N: Nat = "
            "...')");
}

// A new user's mistakes in a layer and a stack, each one error with the closest name: a misspelt
// `fastpath` (it ended the layer, and the error listed declarations without it), a misspelt layer
// in a stack, a misspelt header field (until 2026-12-04 the last two had no suggestion).
TEST(CheckErrors, LayerAndStackMistakesSuggestTheClosestName) {
  const std::string base =
      "layer Kind\n  header tuple of kind: UInt8\n  signature\n    input  dn(m: Msg), up(m: Msg)\n"
      "    output dn_out(m: Msg), up_out(m: Msg)\n  states\n    dnq: Seq[Msg] := {},\n    upq: Seq[Msg] := {}\n"
      "  transitions\n    input dn(m)\n      eff dnq := dnq |- push(m, Header(kind: 1))\n    output dn_out(m)\n"
      "      pre dnq ~= {} /\\ m = head(dnq)\n      eff dnq := tail(dnq)\n    input up(m)\n"
      "      eff if hashdr(m) then upq := upq |- pop(m) fi\n    output up_out(m)\n"
      "      pre upq ~= {} /\\ m = head(upq)\n      eff upq := tail(upq)\n  fastpath dn: dnq = {}\n"
      "  fastpath up: upq = {} /\\ hashdr(m)\nstack Single = Kind\n";
  ASSERT_EQ(test::firstError(base).errors, 0u) << test::firstError(base).message;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    s.replace(s.find(from), from.size(), to);
    return test::firstError(s);
  };
  test::FirstError fastpath = with("  fastpath dn:", "  fastpth dn:");
  EXPECT_EQ(fastpath.errors, 1u) << fastpath.message;
  EXPECT_EQ(fastpath.message,
            "expected a section (signature, states, transitions, header, fastpath, ...) or a declaration, found "
            "identifier 'fastpth'; did you mean 'fastpath'?");
  test::FirstError layer = with("stack Single = Kind", "stack Single = Knd");
  EXPECT_EQ(layer.errors, 1u) << layer.message;
  EXPECT_EQ(layer.message, "unknown layer 'Knd'; did you mean 'Kind'?");
  test::FirstError field = with("Header(kind: 1)", "Header(knd: 1)");
  EXPECT_EQ(field.errors, 1u) << field.message;
  EXPECT_EQ(field.message, "tuple Kind.Header has no field 'knd'; did you mean 'kind'?");

  // a layer without either clause is warned about both (only 'dn' was named)
  std::string neither = base;
  neither.erase(neither.find("  fastpath dn:"), neither.find("stack Single") - neither.find("  fastpath dn:"));
  auto c = compileSource("t.ioa", neither);
  ASSERT_EQ(c->diags.errorCount(), 0u);
  std::string warned;
  for (const Diagnostic& d : c->diags.all())
    if (d.severity == Severity::Warning && d.message.find("fastpath") != std::string::npos) warned += d.message;
  EXPECT_EQ(warned,
            "layer 'Kind' has no 'fastpath dn' and no 'fastpath up' clause; the optimizer treats its common case as "
            "false on both paths");
}

// The equations of a refinement mapping (the conjuncts of a relation) on lines of their own without
// '/\' between them: one error at the second, saying how they are joined; the later lines still count
// (a new user, 2026-12-05, got "expected a declaration ..., found identifier 'Lock'" and "does not
// define abstract variable 'who'").
TEST(CheckErrors, EquationsOnTheirOwnLinesNeedAnAndBetweenThem) {
  const std::string two = "automaton C\n  signature\n    input inc\n  states\n    n: Nat := 0\n"
                          "  transitions\n    input inc\n      eff n := n + 1\n"
                          "automaton Spec\n  signature\n    input inc\n  states\n    total: Nat := 0,\n    twice: Nat := 0\n"
                          "  transitions\n    input inc\n      eff total := total + 1; twice := twice + 2\n";
  EXPECT_EQ(test::firstError(two + "refinement from C to Spec:\n  Spec.total = C.n /\\\n  Spec.twice = 2 * C.n\n").errors, 0u);
  for (const char* head : {"refinement from C to Spec:\n", "forward simulation from C to Spec:\n"}) {
    test::FirstError fe = test::firstError(two + head + "  Spec.total = C.n\n  Spec.twice = 2 * C.n\n");
    EXPECT_EQ(fe.errors, 1u) << head << fe.message;
    EXPECT_EQ(fe.line, 20u) << head;
    EXPECT_EQ(fe.col, 3u) << head;
    EXPECT_NE(fe.message.find("expected '/\\' before this "), std::string::npos) << fe.message;
    EXPECT_NE(fe.message.find(" are joined by '/\\'"), std::string::npos) << fe.message;
  }
}

// On the left of an assignment in a proof's `initially` witness a bare name means the abstract
// automaton's variable (the witness assigns only those); on the right it stays ambiguous (trial 5
// of 2026-12-05: `initially voted := constant(false)` was "'voted' is ambiguous").
TEST(CheckErrors, AnInitiallyWitnessAssignsTheAbstractVariableOfAnAmbiguousName) {
  const std::string automata =
      "automaton Spec\n  signature\n    output done\n  states\n    voted: Bool := false\n"
      "  transitions\n    output done\n      pre voted\n"
      "automaton Impl\n  signature\n    output done\n  states\n    voted: Bool := false\n"
      "  transitions\n    output done\n      pre voted\n"
      "forward simulation from Impl to Spec:\n  Spec.voted = Impl.voted\nproof\n";
  EXPECT_EQ(test::firstError(automata + "  initially voted := Impl.voted\n").errors, 0u);
  test::FirstError rhs = test::firstError(automata + "  initially voted := voted\n");
  EXPECT_EQ(rhs.errors, 1u) << rhs.message;
  EXPECT_EQ(rhs.message, "'voted' is ambiguous: it could be Spec.voted and Impl.voted; qualify it");
}
