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
  test::expectFirstErrors(kCases, [](const Case& c) { return c.text; });
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

namespace {
// Every error of `text`, as "line:col: message".
std::vector<std::string> allErrors(const std::string& text) {
  auto c = compileSource("t.ioa", text);
  std::vector<std::string> out;
  for (const Diagnostic& d : c->diags.all()) {
    if (d.severity != Severity::Error) continue;
    LineCol lc = c->sources.lineCol(d.range);
    out.push_back(std::to_string(lc.line) + ":" + std::to_string(lc.col) + ": " + d.message);
  }
  return out;
}
using Errors = std::vector<std::string>;
}  // namespace

// Statements after `pre` without `eff`: one error, at the first statement, and the rest of
// the file (the invariant after the automaton) still parses and checks.
TEST(ParseErrors, StatementsWithoutEffSayEffIsMissing) {
  const char* head = "automaton A\n  signature\n    internal tick(i: Int[0..1])\n  states\n"
                     "    x: Int := 0,\n    a: Array[Int[0..1], Int] := constant(0)\n  transitions\n"
                     "    internal tick(i)\n";
  const char* tail = "invariant Pos of A: x >= 0\n";
  EXPECT_EQ(allErrors(std::string(head) + "      pre x < 10\n      x := x + 1\n" + tail),
            (Errors{"10:7: expected 'eff' before the statements of transition 'tick', found identifier 'x'"}));
  EXPECT_EQ(allErrors(std::string(head) + "      pre x < 10\n      a[i] := x; x := 0\n" + tail),
            (Errors{"10:7: expected 'eff' before the statements of transition 'tick', found identifier 'a'"}));
  EXPECT_EQ(allErrors(std::string(head) + "      pre x < 10\n      if x > 0 then x := 0 fi\n" + tail),
            (Errors{"10:7: expected 'eff' before the statements of transition 'tick', found 'if'"}));
  EXPECT_EQ(allErrors(std::string(head) + "      for j: Int[0..1] do a[j] := 0 od\n" + tail),
            (Errors{"9:7: expected 'eff' before the statements of transition 'tick', found 'for'"}));
}

// An identifier close to the keyword expected there gets a suggestion, and the parser
// goes on as if the keyword were spelt right: one error per typo, no cascade.
TEST(ParseErrors, MisspeltKeywordsSuggestTheKeyword) {
  EXPECT_EQ(allErrors("automaton A\n  signature\n    internal tick\n  states\n    x: Int := 0\n"
                      "  transitons\n    internal tick\n      eff x := x + 1\ninvariant Pos of A: x >= 0\n"),
            (Errors{"6:3: expected a section (signature, states, transitions, tasks, ...) or a declaration, found "
                    "identifier 'transitons'; did you mean 'transitions'?"}));
  EXPECT_EQ(allErrors("automaton A\n  signature\n    ouput tick\n  states\n    x: Int := 0\n  transitions\n"
                      "    output tick\n      pr x < 10\n      ef if x > 0 thn x := 0 fi\n"
                      "invarant Pos of A: x >= 0\n"),
            (Errors{"3:5: expected 'input', 'output' or 'internal' in the signature, found identifier 'ouput'; "
                    "did you mean 'output'?",
                    "8:7: expected a transition clause ('where', 'pre', 'eff' or 'ensuring'), found identifier 'pr'; "
                    "did you mean 'pre'?",
                    "9:7: expected a transition clause ('where', 'pre', 'eff' or 'ensuring'), found identifier 'ef'; "
                    "did you mean 'eff'?",
                    "9:19: expected 'then' after the condition, found identifier 'thn'; did you mean 'then'?",
                    "10:1: expected a declaration (type, sort, const, function, axiom, automaton, layer, stack, "
                    "invariant, forward simulation or refinement), found identifier 'invarant'; did you mean "
                    "'invariant'?"}));
  EXPECT_EQ(allErrors("automation A\n  signature\n    internal tick\n"),
            (Errors{"1:1: expected a declaration (type, sort, const, function, axiom, automaton, layer, stack, "
                    "invariant, forward simulation or refinement), found identifier 'automation'; did you mean "
                    "'automaton'?"}));
  // nothing close: no suggestion
  test::FirstError fe = test::firstError("automaton A\n  signature\n    internal tick\n  banana\n");
  EXPECT_EQ(fe.message, "expected a declaration (type, sort, const, function, axiom, automaton, layer, stack, "
                        "invariant, forward simulation or refinement), found identifier 'banana'");
}

// A reserved word where a name is declared: said once, and its later uses read as that
// name instead of giving an error each.
TEST(ParseErrors, ReservedWordAsNameIsReportedOnce) {
  const char* ring = R"(const N: Nat = 4
type Node = Int[0..3]
automaton Ring
  signature
    internal pass(i: Node)
    output crit(i: Node)
  states
    tok: Array[Node, Bool] := constant(false),
    uses: Nat := 0
  transitions
    internal pass(i)
      pre tok[i]
      eff tok[i] := false
    output crit(i)
      pre tok[i]
      eff uses := uses + 1
invariant Count of Ring: uses >= 0
)";
  EXPECT_EQ(allErrors(ring),
            (Errors{"9:5: expected a state variable name, found 'uses': 'uses' is a reserved word; it cannot be used "
                    "as a name"}));
  EXPECT_EQ(allErrors("const to: Nat = 3\ntype T = enumeration of a, if, c\n"
                      "automaton A\n  signature\n    internal go(in: Nat)\n"),
            (Errors{"1:7: expected a constant name after 'const', found 'to': 'to' is a reserved word; it cannot be "
                    "used as a name",
                    "2:28: expected an enumeration constant, found 'if': 'if' is a reserved word; it cannot be used as "
                    "a name",
                    "5:17: expected a parameter name, found 'in': 'in' is a reserved word; it cannot be used as a "
                    "name"}));
  // a keyword where a name is missing is not taken for a name
  EXPECT_EQ(test::firstError("automaton\n  signature\n    internal tick\n").message,
            "expected an automaton name, found 'signature'");
}

// The same for a tuple's field: its constructor's named arguments (`Ballot(from: 0)`) and its
// selections (`last.from`, `s.uses + 1`) read it as the field (trial 5 of 2026-12-05: one field
// named `uses` gave 31 errors in a user's spec, the state variables after the constructor call
// among them, "unknown name 'busy'").
TEST(ParseErrors, ReservedWordAsFieldNameIsReportedOnce) {
  EXPECT_EQ(allErrors(R"(type Ballot = tuple of from: Nat, v: Bool
automaton A
  signature
    internal put(i: Nat)
  states
    last: Ballot := Ballot(from: 0, v: false),
    busy: Bool := false
  transitions
    internal put(i)
      pre last.from < i
      eff last := Ballot(from: i, v: true);
          busy := true
invariant I of A: last.from >= 0 /\ (busy \/ ~busy)
)"),
            (Errors{"1:24: expected a field name, found 'from': 'from' is a reserved word; it cannot be used as a "
                    "name"}));
  EXPECT_EQ(allErrors(R"(type Slot = tuple of owner: Nat, uses: Nat
automaton A
  signature
    internal grab
  states
    s: Slot := Slot(owner: 0, uses: 0),
    busy: Bool := false
  transitions
    internal grab
      eff s := Slot(owner: s.owner, uses: s.uses + 1);
          busy := true
)"),
            (Errors{"1:34: expected a field name, found 'uses': 'uses' is a reserved word; it cannot be used as a "
                    "name"}));
  // a reserved word first met as an argument name or after '.' is reported there, once
  EXPECT_EQ(allErrors("type T = tuple of a: Nat\nautomaton A\n  signature\n    internal go\n  states\n"
                      "    t: T := T(a: 0)\n  transitions\n    internal go\n      pre t.to = 0 /\\ t.to = 1\n"),
            (Errors{"9:13: expected a field name after '.', found 'to': 'to' is a reserved word; it cannot be used as "
                    "a name",
                    "9:11: tuple T has no field 'to'", "9:23: tuple T has no field 'to'"}));
}

// A map written as counterexamples print it (`{0 -> 1}`) says maps have no literal form and
// shows `update`; the errors come in line order although the lexer reports its own first
// (trial 5 of 2026-12-05: "expected a term, found '>'", and line 16 before line 9).
TEST(ParseErrors, AMapLiteralShowsUpdateAndErrorsComeInLineOrder) {
  auto c = compileSource("t.ioa", "type Pid = Int[0..2]\nautomaton D\n  signature\n    internal add(x: Nat)\n"
                                  "  states\n    s: Set[Nat] := {},\n    m: Map[Pid, Nat] := {0 -> 1},\n"
                                  "    n: Nat := 0\n  transitions\n    internal add(x)\n      pre x \\notin s\n"
                                  "      eff s := insert(x, s); n := n + 1\n");
  std::string text = c->diags.renderAllText();
  size_t map = text.find("t.ioa:7:28: error: '->' is not an operator of the IOA dialect: a map has no literal "
                         "form; write update(update({}, 0, 1), 2, 5)");
  size_t notin = text.find("t.ioa:11:13: error: '\\notin' is not an operator");
  EXPECT_NE(map, std::string::npos) << text;
  EXPECT_NE(notin, std::string::npos) << text;
  EXPECT_LT(map, notin) << text;
  EXPECT_EQ(c->diags.errorCount(), 2u) << text;  // (`n`, declared after the map, is known)
}

// An error in an action's parameters is one error: the action is declared with the parameters
// read before it, and the signature goes on after its ')' (the robustness trial of 2026-12-05: a
// layer's `dn(m: Msg=>)` gave twelve errors, "action 'output' outside a section", transitions
// "for undeclared action", the layer "must declare input dn", the stack "cannot hide 'L_2.dn'").
TEST(ParseErrors, AnErrorInAnActionsParametersLosesNeitherItNorTheRestOfTheSignature) {
  EXPECT_EQ(allErrors("layer L\n  header tuple of b: Bool\n  signature\n    input  dn(m: Msg=>), up(m: Msg)\n"
                      "    output dn_out(m: Msg), up_out(m: Msg)\n  states\n    q: Seq[Msg] := {}\n"
                      "  transitions\n    input dn(m)\n      eff q := q |- m\n    output dn_out(m)\n"
                      "      pre q ~= {} /\\ m = head(q)\n      eff q := tail(q)\n    input up(m)\n      eff q := q\n"
                      "    output up_out(m)\n      pre false\n\nstack S = L ; L\n"),
            (Errors{"4:21: expected ',' or ')' in the parameter list, found '=>'"}));
  // a `where` in error, and a ')' missing at the end of a line
  EXPECT_EQ(allErrors("automaton A\n  signature\n    input dn(m: Nat\n    output out(m: Nat)\n"
                      "    internal step(i: Nat) where i > , go\n  states\n    x: Nat := 0\n  transitions\n"
                      "    input dn(m)\n      eff x := m\n    output out(m)\n      pre m = x\n"
                      "    internal step(i)\n      eff x := x + i\n    internal go\n"),
            (Errors{"4:5: expected ',' or ')' in the parameter list, found 'output'", "5:37: expected a term, found ','"}));
}

// A character outside the dialect is named as the character it is, with the dialect's spelling of a
// mathematical sign, and columns count characters, not bytes (the robustness trial of 2026-12-05:
// "unexpected character byte 0xc3", and the caret one column further right after each `é`).
TEST(ParseErrors, AForeignCharacterIsNamedAndColumnsCountCharacters) {
  auto c = compileSource("t.ioa", "automaton A\n  signature\n    input x\n  states\n    n: Int := 0\n"
                                  "  transitions\n    input x\n      eff n := \xC3\xA9 + n + \xE2\x88\x80\n");
  std::string text = c->diags.renderAllText();
  EXPECT_NE(text.find("t.ioa:8:16: error: unexpected character '\xC3\xA9' (U+00E9)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("t.ioa:8:24: error: unexpected character '\xE2\x88\x80' (U+2200): the IOA dialect writes it \\A\n"
                      "        eff n := \xC3\xA9 + n + \xE2\x88\x80\n"
                      "                         ^\n"),
            std::string::npos)
      << text;
}

// A '%' where the remainder operator would stand began a comment that hid the rest of its line:
// the error it causes further on gets a note at the '%' (a new user's ring, 2026-12-05:
// "expected ']' to close the index, found 'invariant'" a line further down, and nothing else).
// A comment in prose after a term gets no such note.
TEST(ParseErrors, APercentWhereModWouldStandIsNotedAsAComment) {
  const std::string head = "automaton A\n  signature\n    internal go(i: Int[0..3])\n  states\n"
                           "    x: Array[Int[0..3], Bool]\n  transitions\n    internal go(i)\n";
  auto c = compileSource("t.ioa", head + "      eff x[(i + 1) % 4] := true\ninvariant I of A: true\n");
  std::string text = c->diags.renderAllText();
  EXPECT_NE(text.find("t.ioa:9:1: error: expected ']' to close the index, found 'invariant'"), std::string::npos) << text;
  EXPECT_NE(text.find("t.ioa:8:21: note: '%' starts a comment, which runs to the end of the line; the remainder is "
                      "written 'mod'\n"
                      "        eff x[(i + 1) % 4] := true\n"
                      "                      ^\n"),
            std::string::npos)
      << text;
  c = compileSource("t.ioa", head + "      eff x[(i + 1   % close it later\ninvariant I of A: true\n");
  text = c->diags.renderAllText();
  EXPECT_NE(text.find("error: expected ')'"), std::string::npos) << text;
  EXPECT_EQ(text.find("'%' starts a comment"), std::string::npos) << text;
  EXPECT_EQ(allErrors(head + "      eff x[i] := true  % 4 ways\n"), Errors{});
}

// `simulation A -> B:` (as the prover names a simulation in its output) at the top level says how
// a simulation is declared.
TEST(ParseErrors, ASimulationWithoutForwardSaysHowOneIsDeclared) {
  EXPECT_EQ(test::firstError("automaton A\n  signature\n    output a\n  transitions\n    output a\n"
                             "simulation A -> A:\n  true\n").message,
            "expected a declaration (type, sort, const, function, axiom, automaton, layer, stack, invariant, forward "
            "simulation or refinement), found 'simulation': a simulation is declared 'forward simulation from A to "
            "B:', then its relation");
}

// C's operators: one error each, at the operator, naming the dialect's spelling; the term
// is read with the dialect's operator, so nothing else is reported.
TEST(ParseErrors, CStyleOperatorsNameTheDialectsOperator) {
  const char* head = "automaton A\n  signature\n    output a\n  states\n    x: Int := 0,\n    b: Bool := false\n"
                     "  transitions\n    output a\n";
  const char* tail = "      eff x := x + 1\ninvariant Pos of A: x >= 0\n";
  EXPECT_EQ(allErrors(std::string(head) + "      pre x != 1 && ~b\n" + tail),
            (Errors{"9:13: '!=' is not an operator of the IOA dialect; write '~=' for inequality",
                    "9:18: '&&' is not an operator of the IOA dialect; write '/\\' for 'and'"}));
  EXPECT_EQ(allErrors(std::string(head) + "      pre x == 1 /\\ !b\n" + tail),
            (Errors{"9:13: '==' is not an operator of the IOA dialect; write '=' for equality",
                    "9:21: '!' is not an operator of the IOA dialect; write '~' for 'not'"}));
  // `||` concatenates sequences: between Boolean terms it is reported at the operator
  EXPECT_EQ(allErrors(std::string(head) + "      pre b || x > 0\n" + tail),
            (Errors{"9:13: '||' is not an operator on Bool in the IOA dialect (it concatenates sequences); write "
                    "'\\/' for 'or'"}));
  EXPECT_EQ(allErrors(std::string(head) + "      pre x = 1 || x = 2\n" + tail),
            (Errors{"9:17: '||' is not an operator on Bool in the IOA dialect (it concatenates sequences); write "
                    "'\\/' for 'or'"}));
  // `= =` (two tokens) is still a missing term, and `||` on sequences is concatenation
  EXPECT_EQ(test::firstError("const X: Bool = 1 = = 1\n").message, "expected a term, found '='");
  EXPECT_EQ(allErrors("const S: Seq[Int] = [1] || [2]\n"), Errors{});
}

// `,` between statements: one error per comma, at the comma, and the statements after it
// still parse (the proof block's entries and the next transition are checked).
TEST(ParseErrors, CommaBetweenStatementsSaysSemicolon) {
  const char* autA = "automaton A\n  signature\n    output go, stop\n  states\n    x: Int := 0,\n    y: Int := 0\n"
                     "  transitions\n    output go\n      eff x := 1, y := 2\n    output stop\n"
                     "      eff if x > 0 then x := 0, y := 0 fi\n";
  EXPECT_EQ(allErrors(autA), (Errors{"9:17: statements are separated by ';', not ','",
                                     "11:31: statements are separated by ';', not ','"}));
  const char* autB = "automaton B\n  signature\n    output go, stop\n  states\n    free: Bool := true,\n"
                     "    holder: Int := 0\n  transitions\n    output go\n      eff free := false\n"
                     "    output stop\n      eff free := true\n";
  const char* sim = "forward simulation from A to B: B.free <=> A.x = 0\nproof\n"
                    "  initially free := true, holder := 0\n  for output go do fire output go od\n"
                    "  for output stop do fire output stop od\n";
  EXPECT_EQ(allErrors(std::string(autA) + autB + sim),
            (Errors{"9:17: statements are separated by ';', not ','", "11:31: statements are separated by ';', not ','",
                    "25:25: statements are separated by ';', not ','"}));
}

// A missing closer (`)`, `]`, `}`, `fi`, `od`): the error has a note at what it would close.
TEST(ParseErrors, MissingCloserNotesTheOpener) {
  struct Case {
    const char* text;
    const char* error;  // "line:col: message"
    const char* note;   // "line:col: message"
  };
  const Case cases[] = {
      {"const X: Bool = \\A i: Int[0..1] (i = 0 /\\ (i = 1\n\ninvariant I of A: true\n",
       "3:1: expected ')' to close the parenthesis, found 'invariant'", "1:43: to match this '('"},
      {"const X: Bool = \\A i: Int[0..1] (i = 0\n\ninvariant I of A: true\n",
       "3:1: expected ')' to close the quantifier body, found 'invariant'", "1:33: to match this '('"},
      {"const X: Int = f(1,\n  2\n", "3:1: expected ',' or ')' in the argument list, found end of file",
       "1:17: to match this '('"},
      {"const X: Seq[Int] = [1, 2\n", "2:1: expected ',' or ']' in the sequence literal, found end of file",
       "1:21: to match this '['"},
      {"automaton A\n  signature\n    output a, b\n  states\n    x: Int := 0\n  transitions\n    output a\n"
       "      eff if x > 0 then x := 0;\n          x := 1\n    output b\n",
       "10:5: expected 'fi' to close the 'if' statement, found 'output'", "8:11: to match this 'if'"},
      {"automaton A\n  signature\n    output a\n  states\n    x: Int := 0\n  transitions\n    output a\n"
       "      eff for i: Int[0..1] do x := i\n",
       "9:1: expected 'od' to close the 'for' statement, found end of file", "8:11: to match this 'for'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto comp = compileSource("t.ioa", c.text);
    ASSERT_FALSE(comp->diags.all().empty());
    const Diagnostic& d = comp->diags.all()[0];
    auto at = [&](SourceRange r, const std::string& msg) {
      LineCol lc = comp->sources.lineCol(r);
      return std::to_string(lc.line) + ":" + std::to_string(lc.col) + ": " + msg;
    };
    EXPECT_EQ(at(d.range, d.message), c.error);
    ASSERT_EQ(d.notes.size(), 1u);
    EXPECT_EQ(at(d.notes[0].range, d.notes[0].message), c.note);
  }
  // rendered after the error, as the renderer shows notes
  auto comp = compileSource("m.ioa", "const X: Int = (1 + 2\n");
  EXPECT_NE(comp->diags.renderAllText().find("m.ioa:2:1: error: expected ')' to close the parenthesis, found end "
                                             "of file\n  \n  ^\nm.ioa:1:16: note: to match this '('\n"),
            std::string::npos)
      << comp->diags.renderAllText();
}

// A function whose body does not parse keeps its signature: its uses are checked against it
// and not reported again as unknown functions (five more errors until 2026-12-04), and the
// body's error is reported once (the checker added an empty second error for it).
TEST(ParseErrors, AFunctionWithABrokenBodyKeepsItsSignature) {
  const char* text = R"(function uid(i: Nat): Nat = if i = 0 then 5 else
automaton A
  signature
    output go(v: Nat)
  states
    x: Nat := uid(0)
  transitions
    output go(v)
      pre v = uid(true)
      eff x := uid(v)
invariant I of A: x >= uid(0)
)";
  EXPECT_EQ(allErrors(text), (Errors{"2:1: expected a term, found 'automaton'",
                                     "9:19: argument 1 of 'uid' must have sort Nat, found Bool"}));
}

// `elseif` in a term-level `if` reads as `else if` (as in effect programs).
// Other languages' enumerations (`enum {A, B}`, `enumeration {A, B}`): one error that shows
// the dialect's form, and the constants are declared, so their uses are not reported again (a
// new user's `enum {P1, P2, P3}` gave five errors: unknown sort, unknown names, a map's sort).
// Mistakes from other languages, found by new users: word operators, a term-level 'if' closed
// with 'fi', a constant without its sort. Each is one error at the right place that shows the
// dialect's form, and the rest of the spec parses (no cascade).
TEST(ParseErrors, OtherLanguagesFormsAreOneErrorEach) {
  const std::string head = "automaton A\n  signature\n    internal t(v: Nat)\n  states\n    x: Nat := 0,\n"
                           "    done: Bool := false,\n    s: Set[Nat] := {}\n  transitions\n    internal t(v)\n";
  struct Case {
    std::string body;
    unsigned col;
    std::string message;
  } cases[] = {
      {"      pre v in s\n", 13, "'in' is not an operator of the IOA dialect; write '\\in' for membership"},
      {"      pre v > 0 and v < 3\n", 17, "'and' is not an operator of the IOA dialect; write '/\\' for 'and'"},
      {"      pre v > 0 or done\n", 17, "'or' is not an operator of the IOA dialect; write '\\/' for 'or'"},
      {"      pre not done\n", 11, "'not' is not an operator of the IOA dialect; write '~' for 'not'"},
      {"      eff x := if v < 5 then v + 1 else 0 fi\n", 43,
       "a conditional term ends without 'fi' ('fi' closes an 'if' statement: write 'x := if c then a else b', or "
       "'if c then x := a else x := b fi')"},
  };
  for (const Case& c : cases) {
    test::FirstError fe = test::firstError(head + c.body + "invariant I of A: x >= 0\n");
    EXPECT_EQ(fe.errors, 1u) << c.body;
    EXPECT_EQ(fe.line, 10u) << c.body;
    EXPECT_EQ(fe.col, c.col) << c.body;
    EXPECT_EQ(fe.message, c.message) << c.body;
  }
  // the statement form's 'fi' after a conditional term inside an 'if' statement is the statement's
  test::FirstError nested = test::firstError(head + "      eff if v > 1 then x := if v > 2 then 1 else 2 fi\n");
  EXPECT_EQ(nested.errors, 0u) << nested.message;
  test::FirstError k = test::firstError("const N = 3\nconst M: Nat = N + 1\ninvariant I of A: true\n"
                                        "automaton A\n  signature\n    internal t\n");
  EXPECT_EQ(k.errors, 1u) << k.message;
  EXPECT_EQ(k.message, "expected ':' and a sort after the constant name, found '='; write 'const N: Nat = 3'");
}

TEST(ParseErrors, AnEnumWithBracesIsOneErrorAndKeepsItsConstants) {
  for (const char* decl : {"type Proc = enum {P1, P2, P3}\n", "type Proc = enumeration {P1, P2, P3}\n",
                           "type Proc = enumeration of {P1, P2, P3}\n"}) {
    auto c = compileSource("enum.ioa", std::string(decl) +
                                           "automaton A\n  signature\n    input go(p: Proc)\n  states\n"
                                           "    owner: Map[Nat, Proc] := constant(P1)\n  transitions\n"
                                           "    input go(p)\n      eff owner := update(owner, 0, P2)\n");
    ASSERT_EQ(c->diags.errorCount(), 1u) << c->diags.renderAllText();
    const Diagnostic& d = c->diags.all().front();
    EXPECT_EQ(d.message.rfind("an enumeration is written 'enumeration of P1, P2, P3' (no braces", 0), 0u) << d.message;
    EXPECT_EQ(c->sources.lineCol(d.range).line, 1u);
  }
  EXPECT_EQ(test::firstError("type Proc = enumeration P1, P2\n").message,
            "expected 'of' after 'enumeration', found identifier 'P1'");
}

TEST(ParseErrors, ElseifInAConditionalTermIsElseIf) {
  auto c = compileSource("elseif.ioa", "function f(i: Nat): Nat = if i = 0 then 5 elseif i = 1 then 9 else 2\n"
                                       "const A: Bool = f(1) = 9 /\\ f(0) = 5 /\\ f(7) = 2\n");
  ASSERT_FALSE(c->diags.hasErrors()) << c->diags.renderAllText();
  EXPECT_EQ(test::firstError("function f(i: Nat): Nat = if i = 0 then 5 elseif i = 1 then 9\n").message,
            "expected 'else' in the conditional term (a term-level 'if' needs both branches), found end of file");
}

// `ignore` is a statement of a proof entry's body (`do if c then ignore else fire ... fi od`);
// in an effect it is an error saying where it belongs; a broken entry is one error (until
// 2026-12-04 `do ignore od` was "expected 'od'" and then "expected 'initially' or 'for' entries").
TEST(ParseErrors, IgnoreIsAStatementOfProofEntriesOnly) {
  const std::string two = "automaton C\n  signature\n    input inc\n  states\n    n: Nat := 0\n"
                          "  transitions\n    input inc\n      eff n := n + 1\n"
                          "automaton S\n  signature\n    input inc\n  states\n    t: Nat := 0\n"
                          "  transitions\n    input inc\n      eff t := t + 1\n"
                          "forward simulation from C to S:\n  S.t = C.n\nproof\n";
  EXPECT_EQ(allErrors(two + "  for input inc do ignore od\n"), Errors{});
  EXPECT_EQ(allErrors(two + "  for input inc do if n > 3 then ignore else fire input inc fi od\n"), Errors{});
  EXPECT_EQ(allErrors(two + "  for input inc do fire inptu inc od\n"),
            (Errors{"20:25: expected 'input', 'output' or 'internal' after 'fire', found identifier 'inptu'; did you "
                    "mean 'input'?"}));
  std::string eff = two;
  eff.replace(eff.find("eff n := n + 1"), 14, "eff ignore");
  EXPECT_EQ(allErrors(eff + "  for input inc do fire input inc od\n"),
            (Errors{"8:11: 'ignore' (no abstract step) belongs in a proof block's entry"}));
}

// TLA+'s and LaTeX's operators (`\notin`, `\cup`, `\land`, `\leq`, ...) are one error each, with the
// dialect's spelling, and read as it: the term, the automaton and its checks go on (until
// 2026-12-04 `k \notin s` was three errors and the rest of the automaton was skipped).
TEST(ParseErrors, TlaOperatorsAreReportedOnceAndReadAsTheDialects) {
  const std::string spec = "automaton A\n  signature\n    internal t(k: Nat)\n  states\n    s: Set[Nat] := {}\n"
                           "  transitions\n    internal t(k)\n      pre k \\notin s \\land k \\leq 5\n"
                           "      eff s := s \\cup {k}\n"
                           "invariant I of A: \\A k: Nat (k \\in s => k <= y)\n";
  EXPECT_EQ(allErrors(spec),
            (Errors{"8:13: '\\notin' is not an operator of the IOA dialect; write ~(x \\in S)",
                    "8:22: '\\land' is not an operator of the IOA dialect; write /\\",
                    "8:30: '\\leq' is not an operator of the IOA dialect; write <=",
                    "9:18: '\\cup' is not an operator of the IOA dialect; write \\union",
                    "10:46: unknown name 'y'"}));  // (the checker ran: the rest was read)
}

// A renaming written as a clause of its own (`C1 renaming receive to mid`) is one error saying
// where it goes, and applies to C1: no clash of the two channels' outputs follows.
TEST(ParseErrors, AStandAloneRenamingSaysWhereItGoes) {
  const std::string chan = "automaton Chan\n  signature\n    input send(m: Nat)\n    output receive(m: Nat)\n"
                           "  states\n    q: Seq[Nat] := {}\n  transitions\n    input send(m)\n      eff q := q |- m\n"
                           "    output receive(m)\n      pre q ~= {} /\\ m = head(q)\n      eff q := tail(q)\n";
  EXPECT_EQ(allErrors(chan + "automaton Two\n  components\n    C1: Chan;\n    C2: Chan\n    C1 renaming receive to mid;\n"),
            (Errors{"17:5: a renaming goes after the component's automaton: 'C1: Chan renaming ...'"}));
  EXPECT_EQ(allErrors(chan + "automaton Two\n  components\n    C1: Chan renaming receive to mid;\n    C2: Chan\n"),
            Errors{});
}
