// `ioawb optimize` as a user runs it: exit codes, the JSON report in the same
// shape as `ioawb prove`, the files it writes, and errors for bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "TestUtil.h"

namespace {

namespace fs = std::filesystem;

using ioa::test::CommandResult;
using ioa::test::TempDir;

// stdout and stderr: errors are checked too
CommandResult ioawb(const std::string& args) { return ioa::test::run(std::string(IOAWB_BIN) + " " + args); }

const std::string kFlagship = std::string(IOAWB_SAMPLES_DIR) + "/stacks/reliable.ioa";

// `ioawb optimize SPEC --out DIR` on a two-layer stack, which must prove its four obligations;
// `written` gets the collapsed stack's source `file` as optimize wrote it.
void optimizeProvesAllFour(const std::string& spec, const std::string& dir, const std::string& file, std::string& written) {
  CommandResult r = ioawb("optimize " + spec + " --out " + dir);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("4 equivalence obligations: 4 proved, 0 refuted, 0 unknown"), std::string::npos) << r.output;
  written = ioa::test::readFile(file);
}

// An optimized stack in `dir` edited by hand, then checked: the collapsed stack's source `file`
// becomes `written` (its text as `optimize` wrote it) with the first `from` in up_fast replaced by `to`.
CommandResult checkUpFastEdited(const std::string& spec, const std::string& dir, const std::string& file,
                                const std::string& written, const std::string& from, const std::string& to) {
  std::string s = written;
  const size_t upFast = s.find("::up_fast(const rt::Msg& m) {");
  const size_t at = upFast == std::string::npos ? upFast : s.find(from, upFast);
  if (at == std::string::npos) return CommandResult{-1, "not in up_fast: " + from};
  s.replace(at, from.size(), to);
  ioa::test::writeFile(file, s);
  return ioawb("optimize " + spec + " --check " + dir);
}

// The down path and the compact frames' round trips are proved in about a second;
// the up paths need more than 10 s, so they end unknown (exit 3) unless the prover
// gets much faster (exit 0).
TEST(OptimizeCli, JsonReportAndFiles) {
  TempDir d("cli-json");
  std::string cmd = "optimize " + kFlagship + " --stack Reliable --format json --timeout 10000 --out " + d.path();
  CommandResult r = ioawb(cmd);
  ASSERT_TRUE(r.status == 0 || r.status == 3) << r.output;
  // stderr is mixed in: the JSON document is the last line
  std::string json = r.output.substr(r.output.rfind("{\"obligations\""));
  nlohmann::json j = nlohmann::json::parse(json);
  // the down path; the up path by cases (the message reaches the top, Seqno keeps it) and that
  // the cases cover its guard; the up paths of the two compact frames; their round trips
  ASSERT_EQ(j["obligations"].size(), 8u);
  for (const auto& o : j["obligations"])
    for (const char* k : {"id", "kind", "automaton", "transition", "line", "col", "status", "time_ms", "cached",
                          "counterexample"})
      EXPECT_TRUE(o.contains(k)) << k;
  const char* ids[] = {"collapse.dn",      "collapse.up",      "collapse.up.cases", "collapse.up.stops.Seqno",
                       "collapse.up.cx1", "collapse.up.cx2", "compress.compact1", "compress.compact2"};
  bool allProved = true;
  for (size_t i = 0; i < 8; ++i) {
    const auto& o = j["obligations"][i];
    EXPECT_EQ(o["id"], ids[i]);
    const std::string st = o["status"];
    // the down path, the guard's cases and the round trips take a second or two; the up paths may need more than 10 s
    if (i == 0 || i == 2 || i >= 6) EXPECT_EQ(st, "proved") << ids[i] << ": " << o.dump();
    else EXPECT_TRUE(st == "proved" || st == "unknown") << ids[i] << ": " << st;
    allProved = allProved && st == "proved";
  }
  EXPECT_EQ(j["obligations"][6]["kind"], "compress");
  EXPECT_EQ(r.status, allProved ? 0 : 3);
  EXPECT_EQ(j["summary"]["proved"].get<int>() + j["summary"]["unknown"].get<int>(), 8);
  EXPECT_EQ(j["summary"]["refuted"], 0);
  std::string stack = ioa::test::readFile(d / "reliable_Reliable.cpp");
  EXPECT_NE(stack.find("void Reliable::dn_fast("), std::string::npos);
  EXPECT_NE(stack.find("bool Reliable::ccp_up("), std::string::npos);
  EXPECT_TRUE(fs::exists(d / "OPTIMIZATION.json"));
}

TEST(OptimizeCli, ExitCodesAndErrors) {
  TempDir d("cli-errors");
  // no --stack: the spec's only stack
  CommandResult noProve = ioawb("optimize " + kFlagship + " --no-prove --out " + d.path());
  EXPECT_EQ(noProve.status, 0) << noProve.output;
  EXPECT_NE(noProve.output.find("8 not run"), std::string::npos) << noProve.output;

  CommandResult noStack = ioawb("optimize " + kFlagship + " --stack Nope");
  EXPECT_EQ(noStack.status, 2);
  EXPECT_NE(noStack.output.find("no stack named 'Nope'"), std::string::npos) << noStack.output;

  EXPECT_EQ(ioawb("optimize /nonexistent/spec.ioa --stack Reliable").status, 2);

  // several stacks and no --stack: the choice is the user's, for optimize and export alike
  {
    std::ifstream in(kFlagship);
    std::ofstream(d / "two.ioa") << in.rdbuf() << "\nstack Short = Top ; Bottom\n";
  }
  CommandResult two = ioawb("optimize " + (d / "two.ioa") + " --no-prove");
  EXPECT_EQ(two.status, 2);
  EXPECT_NE(two.output.find("the spec declares 2 stacks (Reliable, Short): choose one with --stack"), std::string::npos)
      << two.output;
  CommandResult twoExport = ioawb("export " + (d / "two.ioa") + " --out " + (d / "ex"));
  EXPECT_NE(twoExport.status, 0);
  EXPECT_NE(twoExport.output.find("choose one with --stack"), std::string::npos) << twoExport.output;
  EXPECT_FALSE(fs::exists(d / "ex/CMakeLists.txt"));
  CommandResult none = ioawb("optimize " + std::string(IOAWB_SAMPLES_DIR) + "/abp.ioa --no-prove");
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.output.find("the spec declares no stack"), std::string::npos) << none.output;

  std::ofstream(d / "broken.ioa") << "automaton A\n  states x: Nat := true\n";
  CommandResult broken = ioawb("optimize " + (d / "broken.ioa") + " --stack S");
  EXPECT_EQ(broken.status, 2);
  EXPECT_NE(broken.output.find("broken.ioa:2:"), std::string::npos) << broken.output;
}

// A layer without `fastpath` clauses makes the stack's common case false on both paths: the bypasses
// are never taken, and their obligations hold vacuously: proved, saying why, exit 0 (until 2026-12-05
// unknown, exit 3, the files marked #error). A common case false by mistake (a clause that contradicts
// itself) stays unknown: the check does not take a vacuous claim for a proof there.
TEST(OptimizeCli, ALayerWithoutFastpathClausesLeavesItsPathLayeredAndProved) {
  TempDir d("cli-no-fastpath");
  auto write = [&](const std::string& name, const std::string& clauses) {
    std::ifstream in(kFlagship);
    std::ofstream(d / name) << in.rdbuf() << R"(
layer Count
  header tuple of n: UInt32
  signature
    input  dn(m: Msg), up(m: Msg)
    output dn_out(m: Msg), up_out(m: Msg)
  states
    dnq: Seq[Msg] := {},
    upq: Seq[Msg] := {},
    sent: UInt32 := 0
  transitions
    input dn(m)
      eff dnq := dnq |- push(m, Header(n: sent));
          sent := sent + 1
    output dn_out(m)
      pre dnq ~= {} /\ m = head(dnq)
      eff dnq := tail(dnq)
    input up(m)
      eff if hashdr(m) then upq := upq |- pop(m) fi
    output up_out(m)
      pre upq ~= {} /\ m = head(upq)
      eff upq := tail(upq)
)" << clauses << "\nstack S = Top ; Count ; Bottom\n";
    return d / name;
  };
  CommandResult none = ioawb("optimize " + write("none.ioa", "") + " --stack S --out " + (d / "none"));
  EXPECT_EQ(none.status, 0) << none.output;
  EXPECT_NE(none.output.find("warning: layer 'Count' has no 'fastpath dn' and no 'fastpath up' clause"), std::string::npos)
      << none.output;
  EXPECT_NE(none.output.find("down path Top > Count > Bottom"), std::string::npos) << none.output;
  EXPECT_NE(none.output.find("holds vacuously: layer Count has no 'fastpath dn' clause, so the stack's common case on "
                             "the down path never holds; the bypass is never taken and the layered path always runs"),
            std::string::npos)
      << none.output;
  EXPECT_NE(none.output.find("holds vacuously: layer Count has no 'fastpath up' clause"), std::string::npos) << none.output;
  EXPECT_EQ(none.output.find("unknown  "), std::string::npos) << none.output;
  EXPECT_EQ(ioa::test::readFile(d / "none/none_S.cpp").find("#error"), std::string::npos);

  CommandResult wrong = ioawb("optimize " + write("wrong.ioa", "  fastpath dn: dnq = {} /\\ dnq ~= {}\n  fastpath up: upq = {} /\\ hashdr(m)\n") +
                              " --stack S --out " + (d / "wrong"));
  EXPECT_EQ(wrong.status, 3) << wrong.output;
  EXPECT_NE(wrong.output.find("the precondition 'ioa_gen::wrong::S::ccp_dn_full' never holds (the claim would be vacuous)"),
            std::string::npos)
      << wrong.output;
  EXPECT_EQ(wrong.output.find("holds vacuously"), std::string::npos) << wrong.output;
  // a clause that says `false` is as good as none
  CommandResult no = ioawb("optimize " + write("no.ioa", "  fastpath dn: false\n  fastpath up: upq = {} /\\ hashdr(m)\n") +
                           " --stack S --out " + (d / "no"));
  EXPECT_NE(no.output.find("holds vacuously: layer Count's 'fastpath dn' clause is false, so the stack's common case on "
                           "the down path never holds"),
            std::string::npos)
      << no.output;
}

// A layer that passes messages up as they came (no header popped) and whose pass-up condition
// ends in a macro (INT64_C(0)): the guard hands the message itself to the layer above, and the
// collapsed code compiles, also with --no-prove (which checks that it does).
TEST(OptimizeCli, PassThroughLayerAndAMacroInAPassUpCondition) {
  TempDir d("cli-passthrough");
  const std::string spec = std::string(IOAWB_CLI_DATA) + "/passthrough_layer.ioa";
  CommandResult r = ioawb("optimize " + spec + " --timeout 60000 --out " + d.path());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("4 equivalence obligations: 4 proved"), std::string::npos) << r.output;
  std::ifstream in(d / "passthrough_layer_Two.cpp");
  std::stringstream text;
  text << in.rdbuf();
  const std::string src = text.str();
  size_t at = src.find("bool Two::ccp_up(const rt::Msg& m) const {");
  ASSERT_NE(at, std::string::npos);
  const std::string guard = src.substr(at, src.find("\n}\n", at) - at);
  EXPECT_NE(guard.find("const rt::Msg u0 = m;"), std::string::npos) << guard;
  EXPECT_EQ(guard.find("pop_Filter_Header"), std::string::npos) << guard;
  EXPECT_NE(guard.find("> INT64_C(0)))) return true;"), std::string::npos) << guard;
  CommandResult noProve = ioawb("optimize " + spec + " --no-prove --out " + d.path());
  EXPECT_EQ(noProve.status, 0) << noProve.output;
}

// Collapsed code tuned by hand is the user's: `optimize --out` does not overwrite it (without
// --force), and `optimize --check` proves it as it is against the layered stack, writing only the
// report. A harmless edit of a bypass is proved, a wrong one refuted with the input that shows it,
// and an edit of what the proofs compare the bypasses with is an error.
TEST(OptimizeCli, AnEditedCollapsedStackIsKeptAndCheckedAsItIs) {
  TempDir d("cli-check");
  const std::string spec = std::string(IOAWB_CLI_DATA) + "/passthrough_layer.ioa";
  const std::string stack = d / "passthrough_layer_Two.cpp";
  ASSERT_EQ(ioawb("optimize " + spec + " --out " + d.path()).status, 0);
  auto report = [&] { return nlohmann::json::parse(ioa::test::readFile(d / "OPTIMIZATION.json")); };
  nlohmann::json first = report();
  ASSERT_EQ(first["sources"].size(), 2u) << first.dump();
  EXPECT_EQ(first["sources"][1]["file"], "passthrough_layer_Two.cpp");
  EXPECT_FALSE(first.contains("checked"));
  const std::string written = ioa::test::readFile(stack);

  // the down bypass tuned by hand, but equal: proved
  const std::string tag = "Tagger_Header{static_cast<uint8_t>(1u)}";
  ASSERT_NE(written.find(tag), std::string::npos);
  auto withTag = [&](const std::string& t) {
    std::string s = written;
    return s.replace(s.find(tag), tag.size(), t);
  };
  const std::string tuned = withTag("Tagger_Header{1} /* tuned by hand { */");
  ioa::test::writeFile(stack, tuned);
  CommandResult same = ioawb("optimize " + spec + " --check " + d.path());
  EXPECT_EQ(same.status, 0) << same.output;
  EXPECT_NE(same.output.find("4 equivalence obligations: 4 proved"), std::string::npos) << same.output;
  EXPECT_NE(same.output.find("checked the collapsed stack in " + d.path() +
                             " (passthrough_layer_Two.h, passthrough_layer_Two.cpp) against the layered stack"),
            std::string::npos)
      << same.output;
  EXPECT_EQ(ioa::test::readFile(stack), tuned);
  nlohmann::json checked = report();
  EXPECT_EQ(checked["checked"], d.path());
  EXPECT_NE(checked["sources"][1]["hash"], first["sources"][1]["hash"]);  // the hash of the text proved

  // outside the bypasses the collapsed stack is the proofs' reference (here the layered path the
  // bypass is compared with): an edit there is an error at its place, not a proof
  std::string reference = written;
  const std::string layered = "void Two::dn_layered(const rt::Msg& m) {\n";
  ASSERT_NE(reference.find(layered), std::string::npos);
  reference.insert(reference.find(layered) + layered.size(), "  (void)0;\n");
  ioa::test::writeFile(stack, reference);
  CommandResult outside = ioawb("optimize " + spec + " --check " + d.path());
  EXPECT_EQ(outside.status, 2) << outside.output;
  const size_t line = 1 + static_cast<size_t>(std::count(written.begin(), written.begin() + written.find(layered), '\n'));
  EXPECT_NE(outside.output.find(stack + ":" + std::to_string(line + 1) +
                                ":3: differs from the collapsed stack outside the bypasses: the check proves edits "
                                "inside the bypasses (dn_fast, up_fast) only"),
            std::string::npos)
      << outside.output;

  // inside a bypass, what could reach past it is not accepted either: a #define there would
  // change the guards and the dispatch after it (here it would make dn() skip its guard)
  std::string directive = written;
  const std::string fast = "void Two::dn_fast(const rt::Msg& m) {\n";
  directive.insert(directive.find(fast) + fast.size(), "#define ccp_dn(m) true\n");
  ioa::test::writeFile(stack, directive);
  CommandResult define = ioawb("optimize " + spec + " --check " + d.path());
  EXPECT_EQ(define.status, 2) << define.output;
  EXPECT_NE(define.output.find(":1: a preprocessor directive in a bypass edited by hand"), std::string::npos)
      << define.output;
  // nor an edit of the header, and a layer edited in the folder is noted (the proof is against the spec's)
  ioa::test::writeFile(stack, written);
  const std::string header = d / "passthrough_layer_Two.h", layer = d / "passthrough_layer_Filter.cpp";
  const std::string headerText = ioa::test::readFile(header), layerText = ioa::test::readFile(layer);
  ioa::test::writeFile(header, headerText + "// mine\n");
  EXPECT_EQ(ioawb("optimize " + spec + " --check " + d.path()).status, 2);
  ioa::test::writeFile(header, headerText);
  ioa::test::writeFile(layer, layerText + "// mine\n");
  CommandResult noted = ioawb("optimize " + spec + " --check " + d.path() + " --format json");
  EXPECT_EQ(noted.status, 0) << noted.output;
  nlohmann::json nj = nlohmann::json::parse(noted.output.substr(noted.output.rfind("{\"obligations\"")));
  ASSERT_EQ(nj["notes"].size(), 1u) << nj.dump();
  EXPECT_NE(nj["notes"][0].get<std::string>().find(layer + " differs from what the spec generates now"),
            std::string::npos);
  ioa::test::writeFile(layer, layerText);

  // the down path's header tag written wrong: refuted, with the input, and the edit stays
  const std::string wrong = withTag("Tagger_Header{static_cast<uint8_t>(2u)}");
  ioa::test::writeFile(stack, wrong);
  CommandResult bad = ioawb("optimize " + spec + " --check " + d.path() + " --format json");
  EXPECT_EQ(bad.status, 1) << bad.output;
  nlohmann::json j = nlohmann::json::parse(bad.output.substr(bad.output.rfind("{\"obligations\"")));
  EXPECT_EQ(j["obligations"][0]["id"], "collapse.dn");
  EXPECT_EQ(j["obligations"][0]["status"], "refuted");
  EXPECT_FALSE(j["obligations"][0]["counterexample"]["inputs"].empty());
  EXPECT_EQ(j["summary"]["refuted"], 1);
  EXPECT_EQ(report()["summary"]["refuted"], 1);  // the report in the folder says so too
  EXPECT_EQ(ioa::test::readFile(stack), wrong);

  // optimizing again into the folder keeps the edit and says how to check it
  CommandResult kept = ioawb("optimize " + spec + " --out " + d.path());
  EXPECT_EQ(kept.status, 2) << kept.output;
  EXPECT_NE(kept.output.find("1 file(s) changed since ioawb wrote them (passthrough_layer_Two.cpp)"),
            std::string::npos)
      << kept.output;
  EXPECT_NE(kept.output.find("--check " + d.path()), std::string::npos) << kept.output;
  EXPECT_EQ(ioa::test::readFile(stack), wrong);
  CommandResult forced = ioawb("optimize " + spec + " --out " + d.path() + " --force");
  EXPECT_EQ(forced.status, 0) << forced.output;
  EXPECT_EQ(ioa::test::readFile(stack), written);

  // bad uses: a folder without the collapsed stack, --check with --out
  std::filesystem::remove(d / "passthrough_layer_Two.h");
  CommandResult missing = ioawb("optimize " + spec + " --check " + d.path());
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find(d / "passthrough_layer_Two.h" + ": cannot read the collapsed stack there"),
            std::string::npos)
      << missing.output;
  CommandResult both = ioawb("optimize " + spec + " --check " + d.path() + " --out " + d.path());
  EXPECT_EQ(both.status, 2) << both.output;
  EXPECT_NE(both.output.find("--check proves the collapsed stack in its directory"), std::string::npos) << both.output;
}

// A layer with a Map in its state is collapsed and proved (until 2026-12-04 the runtime's map, which
// hands out a scratch element after a fault and returns its value or its default by reference, was
// outside the translation); an edited map update is refuted: another key, another value, a key
// outside the map's domain (the bypass faults where the layers do not).
TEST(OptimizeCli, ALayerWithAMapIsCollapsedAndAWrongUpdateRefuted) {
  TempDir d("cli-map");
  const std::string spec = std::string(IOAWB_CLI_DATA) + "/map_state_layer.ioa";
  const std::string stack = d / "map_state_layer_RichStack.cpp";
  std::string written;
  ASSERT_NO_FATAL_FAILURE(optimizeProvesAllFour(spec, d.path(), stack, written));
  // the update in up_fast (the bypass comes first; up_fast_cx1 has its own copy further on)
  const std::string key = "(l0.s.per_prio).ref(static_cast<int64_t>((hdr_Rich_Header(m1)).prio))";
  const std::string one = "(hdr_Rich_Header(m1)).prio)), INT64_C(1)));";
  auto check = [&](const std::string& from, const std::string& to) {
    return checkUpFastEdited(spec, d.path(), stack, written, from, to);
  };
  CommandResult other = check(key, "(l0.s.per_prio).ref((static_cast<int64_t>((hdr_Rich_Header(m1)).prio) + 1) % 8)");
  EXPECT_EQ(other.status, 1) << other.output;
  EXPECT_NE(other.output.find("refuted  map_state_layer_RichStack.cpp:"), std::string::npos) << other.output;
  EXPECT_NE(other.output.find("differs: self.l0.s.per_prio.vals_["), std::string::npos) << other.output;
  CommandResult two = check(one, "(hdr_Rich_Header(m1)).prio)), INT64_C(2)));");
  EXPECT_EQ(two.status, 1) << two.output;
  EXPECT_NE(two.output.find("differs: self.l0.s.per_prio.vals_["), std::string::npos) << two.output;
  EXPECT_NE(two.output.find(" (part of Rich.per_prio in the spec)\n"), std::string::npos) << two.output;
  CommandResult outside = check(key, "(l0.s.per_prio).ref(static_cast<int64_t>((hdr_Rich_Header(m1)).prio) + 8)");
  EXPECT_EQ(outside.status, 1) << outside.output;
  EXPECT_NE(outside.output.find("differs: target has undefined behaviour where the source has none (at "
                                "runtime/ioa/rt/containers.h:"),
            std::string::npos)
      << outside.output;
  // only up_fast was edited: the compact frame's bypass is still proved
  EXPECT_NE(outside.output.find("1 refuted, 0 unknown"), std::string::npos) << outside.output;
}

// A layer that keeps what it delivers in a queue of its own state: the layered stack holds a message
// back while that queue is full, so the common-case predicate asks the layer's room too (until
// 2026-12-04 it did not, and the up path was refuted with a full queue); a bypass that forgets to
// keep the payload is refuted.
TEST(OptimizeCli, ALayerThatKeepsMessagesHasItsRoomInTheGuard) {
  TempDir d("cli-room");
  const std::string spec = std::string(IOAWB_CLI_DATA) + "/growing_state_layer.ioa";
  const std::string stack = d / "growing_state_layer_RichStack.cpp";
  std::string written;
  ASSERT_NO_FATAL_FAILURE(optimizeProvesAllFour(spec, d.path(), stack, written));
  // in the up guard and the compact frame's; nothing of the kind on the way down (Rich's dn keeps nothing)
  const std::string room = "if (!l0.room_up(u0)) return false;  // room for what Rich keeps";
  ASSERT_NE(written.find(room), std::string::npos) << written;
  size_t asked = 0;
  for (size_t at = written.find("// room for what "); at != std::string::npos; at = written.find("// room for what ", at + 1))
    ++asked;
  EXPECT_EQ(asked, 2u) << written;
  CommandResult c = checkUpFastEdited(spec, d.path(), stack, written, "l0.s.held.push_back((m1).payload());", "(void)0;");
  EXPECT_EQ(c.status, 1) << c.output;
  EXPECT_NE(c.output.find("differs: self.l0.s.held.size_: source "), std::string::npos) << c.output;
}

// A layer that builds a Bytes value (a byte appended, a byte replaced) is collapsed and proved (until
// 2026-12-04 the runtime staged the bytes on the stack or in a std::vector, outside the translation);
// an edited append or update is refuted.
TEST(OptimizeCli, ALayerThatBuildsBytesIsCollapsedAndAWrongByteRefuted) {
  TempDir d("cli-bytes");
  const std::string spec = std::string(IOAWB_CLI_DATA) + "/bytes_state_layer.ioa";
  const std::string stack = d / "bytes_state_layer_RichStack.cpp";
  std::string written;
  ASSERT_NO_FATAL_FAILURE(optimizeProvesAllFour(spec, d.path(), stack, written));
  auto check = [&](const std::string& from, const std::string& to) {
    return checkUpFastEdited(spec, d.path(), stack, written, from, to);
  };
  CommandResult appended = check("rt::seq_append((m1).payload(), static_cast<uint8_t>(0u))",
                                 "rt::seq_prepend(static_cast<uint8_t>(0u), (m1).payload())");
  EXPECT_EQ(appended.status, 1) << appended.output;
  EXPECT_NE(appended.output.find("differs: self.l0.s.last.data[]"), std::string::npos) << appended.output;
  CommandResult value = check("INT64_C(1), static_cast<uint8_t>(7u))", "INT64_C(1), static_cast<uint8_t>(8u))");
  EXPECT_EQ(value.status, 1) << value.output;
  EXPECT_NE(value.output.find("differs: self.l0.s.last.data[]"), std::string::npos) << value.output;
  // the test before the update weakened: on a one-byte value the update is past its end, a fault the
  // layers do not have (and the only difference)
  CommandResult past = check("rt::seq_len(l0.s.last) > INT64_C(1)", "rt::seq_len(l0.s.last) > INT64_C(0)");
  EXPECT_EQ(past.status, 1) << past.output;
  EXPECT_NE(past.output.find("differs: target has undefined behaviour where the source has none"), std::string::npos)
      << past.output;
}

// C++ outside the translation's subset (here the ordering of Bytes values, behind a layer's set of
// them) is an error naming the construct: counted as an error in the summary, not as unknown (until
// 2026-12-04), and `export --optimized` does not suggest a longer timeout for it.
TEST(OptimizeCli, AConstructOutsideTheSubsetIsAnErrorNotAnUnknown) {
  TempDir d("cli-subset");
  const std::string spec = std::string(IOAWB_CLI_DATA) + "/set_of_bytes_layer.ioa";
  CommandResult r = ioawb("optimize " + spec + " --format json --out " + d.path());
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_NE(r.output.find("unsupported C++ construct"), std::string::npos) << r.output;
  nlohmann::json j = nlohmann::json::parse(r.output.substr(r.output.rfind("{\"obligations\"")));
  int errors = 0;
  for (const auto& o : j["obligations"]) errors += o["status"] == "error";
  EXPECT_GT(errors, 0) << j.dump();
  EXPECT_EQ(j["summary"]["error"], errors) << j.dump();
  EXPECT_EQ(j["summary"]["unknown"], 0) << j.dump();
  // as for `prove`: the automaton is the stack, the transition the path (they held the path and the
  // description until 2026-12-04)
  for (const auto& o : j["obligations"]) {
    EXPECT_EQ(o["automaton"], "RichStack") << o.dump();
    EXPECT_TRUE(o.contains("description")) << o.dump();
  }
  EXPECT_EQ(j["obligations"][0]["id"], "collapse.dn");
  EXPECT_EQ(j["obligations"][0]["transition"], "dn");
  CommandResult text = ioawb("optimize " + spec + " --out " + d.path());
  EXPECT_NE(text.output.find("0 unknown, " + std::to_string(errors) + " errors"), std::string::npos) << text.output;
  CommandResult ex = ioawb("export " + spec + " --optimized --out " + (d / "x"));
  EXPECT_EQ(ex.status, 3) << ex.output;
  EXPECT_NE(ex.output.find("the translation does not support"), std::string::npos) << ex.output;
  EXPECT_EQ(ex.output.find("--timeout"), std::string::npos) << ex.output;
}

// An error about a layer's generated handler points at the layer's transition in the spec first,
// then at the generated code (until 2026-12-04 only at the generated code).
TEST(OptimizeCli, AnErrorInAHandlerPointsAtTheSpec) {
  TempDir d("cli-at-spec");
  const std::string spec = std::string(IOAWB_CLI_DATA) + "/strip_layer.ioa";
  CommandResult r = ioawb("optimize " + spec + " --out " + d.path());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("ioawb: error: strip_layer.ioa:48:5: layer Strip passes up something other than the "
                          "message it received"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("(in input up; the generated code at strip_layer_Strip.cpp:"), std::string::npos)
      << r.output;
}

// A dn fastpath clause of a layer below the top that reads the message cannot be composed; the
// error points at the clause in the spec (until 2026-12-05 only at the generated function's name,
// in a file `optimize` never wrote: a new user's report).
TEST(OptimizeCli, ALowerLayersDnClauseThatReadsTheMessageIsAnErrorAtTheClause) {
  TempDir d("cli-dn-clause");
  std::string spec = ioa::test::readFile(kFlagship);
  const std::string bottom = "  fastpath dn: dnq = {}\n  fastpath up: upq = {} /\\ hashdr(m) /\\ hdr(m).len";
  size_t at = spec.find(bottom);
  ASSERT_NE(at, std::string::npos);
  spec.insert(at + std::string("  fastpath dn: dnq = {}").size(), " /\\ len(payload(m)) <= 65535");
  const int line = static_cast<int>(std::count(spec.begin(), spec.begin() + static_cast<long>(at), '\n')) + 1;
  ioa::test::writeFile(d / "lenclause.ioa", spec);
  CommandResult r = ioawb("optimize " + (d / "lenclause.ioa") + " --stack Reliable --out " + (d / "out"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("ioawb: error: lenclause.ioa:" + std::to_string(line) +
                          ":16: the dn fastpath of Bottom reads the message; below the top layer only state "
                          "conditions can be composed"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("(in fastpath dn; the generated code at lenclause_Bottom.cpp:"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(d / "out")) << r.output;
  // `check` says so too, as a warning (the spec is fine; only its collapse is not)
  r = ioawb("check " + (d / "lenclause.ioa"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("lenclause.ioa:" + std::to_string(line) +
                          ":16: warning: the dn fastpath of layer 'Bottom' reads the message; below the top of "
                          "stack 'Reliable' ioawb optimize composes only state conditions"),
            std::string::npos)
      << r.output;
}

// A refuted path's text report lists the first 40 inputs, then every length of a message (without
// them the message cannot be replayed), and says how many it left out and where they all are
// (until 2026-12-05 it stopped at 40, silently, and a new user's 54 inputs lost m.hlen and m.plen).
TEST(OptimizeCli, ALongCounterexampleKeepsItsLengthsAndSaysWhatItLeftOut) {
  TempDir d("cli-long-cex");
  const std::string spec = std::string(IOAWB_CLI_DATA) + "/tagged_stack.ioa";
  const std::string stack = d / "tagged_stack_Tagged.cpp";
  std::string written;
  {
    CommandResult r = ioawb("optimize " + spec + " --out " + d.path());
    ASSERT_EQ(r.status, 0) << r.output;
    written = ioa::test::readFile(stack);
  }
  CommandResult r = checkUpFastEdited(spec, d.path(), stack, written, "l1.s.seen = true;", "");  // a dropped update
  EXPECT_EQ(r.status, 1) << r.output;
  const size_t up = r.output.find("refuted  tagged_stack_Tagged.cpp");
  ASSERT_NE(up, std::string::npos) << r.output;
  size_t end = r.output.find('\n', up);  // the obligation's line and the indented ones under it
  while (end != std::string::npos && r.output.compare(end + 1, 6, "      ") == 0) end = r.output.find('\n', end + 1);
  const std::string block = r.output.substr(up, end - up + 1);
  // (the generated code's path, and the spec's variable: l1 is the stack's second layer, Dedup)
  EXPECT_NE(block.find("differs: self.l1.s.seen: source true, target false (Dedup.seen in the spec)\n"), std::string::npos)
      << block;
  EXPECT_NE(block.find("input m.hlen = "), std::string::npos) << block;
  EXPECT_NE(block.find("input m.plen = "), std::string::npos) << block;
  const size_t inputs = static_cast<size_t>(std::count(block.begin(), block.end(), '\n')) - 1;
  const size_t more = block.find("(and ");
  ASSERT_NE(more, std::string::npos) << block;
  EXPECT_NE(block.find(" more inputs; --format json lists every one)", more), std::string::npos) << block;
  nlohmann::json json = nlohmann::json::parse(ioa::test::readFile(d / "OPTIMIZATION.json"));
  size_t all = 0;
  for (const auto& ob : json["obligations"])
    if (ob["status"] == "refuted" && ob["description"].get<std::string>().rfind("up path Frame", 0) == 0)
      all = ob["counterexample"]["inputs"].size();
  // every input is either shown or counted
  EXPECT_EQ(inputs - 2 + std::stoul(block.substr(more + 5)), all) << block;  // (less the differs and (and ...) lines)
}

// An output folder that is a file (or under one) is an error before any proof: until 2026-12-05
// `export --optimized` proved every path first and then said "cannot create afile/gen".
TEST(OptimizeCli, AnOutputFolderThatIsAFileIsAnErrorBeforeTheProofs) {
  TempDir d("cli-out-file");
  ioa::test::writeFile(d / "afile", "not a folder\n");
  const std::string spec = std::string(IOAWB_CLI_DATA) + "/tagged_stack.ioa";
  for (const std::string& cmd : {"optimize " + spec + " --out " + (d / "afile"),
                                 "export " + spec + " --optimized --out " + (d / "afile"),
                                 "export " + spec + " --optimized --out " + (d / "afile/sub"),
                                 "gen " + spec + " --out " + (d / "afile")}) {
    CommandResult r = ioawb(cmd);
    EXPECT_EQ(r.status, 2) << cmd << "\n" << r.output;
    EXPECT_NE(r.output.find(d / "afile" + " is a file, not a directory"), std::string::npos) << cmd << "\n" << r.output;
    EXPECT_EQ(r.output.find("proved"), std::string::npos) << cmd << "\n" << r.output;
  }
  EXPECT_EQ(ioa::test::readFile(d / "afile"), "not a folder\n");
}

// With --format json, a run that cannot start prints its problems as JSON (until 2026-12-05
// nothing): a spec error at its place, a stack that does not exist.
TEST(OptimizeCli, ASpecErrorIsInTheJsonReport) {
  TempDir d("cli-opt-error-json");
  std::string spec = ioa::test::readFile(std::string(IOAWB_CLI_DATA) + "/tagged_stack.ioa");
  const std::string stack = "stack Tagged = Tag ; Dedup ; Frame";
  ASSERT_NE(spec.find(stack), std::string::npos);
  const unsigned line = static_cast<unsigned>(std::count(spec.begin(), spec.begin() + static_cast<long>(spec.find(stack)), '\n')) + 1;
  spec.replace(spec.find(stack), stack.size(), "stack Tagged = Tag ; Dedupe ; Frame");
  ioa::test::writeFile(d / "bad.ioa", spec);
  auto json = [&](const std::string& args) {
    CommandResult r = ioa::test::run(std::string(IOAWB_BIN) + " optimize --format json " + args, ioa::test::Stderr::Drop);
    EXPECT_EQ(r.status, 2) << r.output;
    return nlohmann::json::parse(r.output);
  };
  nlohmann::json j = json(d / "bad.ioa");
  ASSERT_EQ(j["diagnostics"].size(), 1u) << j;
  EXPECT_EQ(j["diagnostics"][0]["line"], line) << j;
  EXPECT_EQ(j["diagnostics"][0]["col"], 22) << j;
  EXPECT_EQ(j["diagnostics"][0]["message"], "unknown layer 'Dedupe'; did you mean 'Dedup'?") << j;
  EXPECT_TRUE(j["obligations"].empty()) << j;
  j = json(std::string(IOAWB_CLI_DATA) + "/tagged_stack.ioa --stack Nope");
  ASSERT_EQ(j["diagnostics"].size(), 1u) << j;
  EXPECT_EQ(j["diagnostics"][0]["message"], "no stack named 'Nope' (stacks: Tagged)") << j;
}

// A fastpath clause that reads a header without asking whether the message has one: the guard
// built from it raises Fault::Header on a message without that header, before either path runs.
// `ioawb prove` calls the clause ill-defined; `optimize` refutes the guard, names where it faults
// and shows such a message (exit 1), even though the paths agree wherever the guard is defined.
TEST(OptimizeCli, AGuardThatFaultsIsRefutedWithWhereAndAMessage) {
  TempDir d("cli-guard-faults");
  std::string spec = ioa::test::readFile(kFlagship);
  const std::string from = "fastpath up: upq = {} /\\ hashdr(m) /\\ hdr(m).len = UInt16(len(payload(m)))";
  const std::string to = "fastpath up: upq = {} /\\ hdr(m).len = UInt16(len(payload(m)))";
  size_t at = spec.find(from);
  ASSERT_NE(at, std::string::npos);
  spec.replace(at, from.size(), to);
  {
    std::ofstream out(d / "guard_faults.ioa");
    out << spec;
  }
  CommandResult r = ioawb("optimize " + (d / "guard_faults.ioa") + " --format json --timeout 120000 --out " +
                          (d / "out"));
  ASSERT_EQ(r.status, 1) << r.output;
  nlohmann::json j = nlohmann::json::parse(r.output.substr(r.output.rfind("{\"obligations\"")));
  bool cases = false;
  for (const auto& o : j["obligations"]) {
    if (o["id"] != "collapse.up.cases") continue;
    cases = true;
    EXPECT_EQ(o["status"], "refuted") << o.dump();
    const std::string text = o.dump();
    EXPECT_NE(text.find("has undefined behaviour or raises a runtime fault"), std::string::npos) << text;
    EXPECT_NE(text.find("(at guard_faults_types.h:"), std::string::npos) << text;
    // the message has no Bottom header: too short, or another tag in its first byte
    EXPECT_NE(text.find("m.hlen"), std::string::npos) << text;
  }
  EXPECT_TRUE(cases);
  EXPECT_EQ(j["obligations"][0]["status"], "proved") << "the down path's guard does not read a header";
  // the refuted collapsed stack is written for reading, and stops a compiler that is given it
  const std::string written = ioa::test::readFile(d / "out/guard_faults_Reliable.cpp");
  EXPECT_EQ(written.rfind("#error \"ioawb optimize: ", 0), 0u) << written.substr(0, 300);
  EXPECT_NE(written.substr(0, written.find('\n')).find("refuted"), std::string::npos) << written.substr(0, 300);
  EXPECT_EQ(ioa::test::readFile(d / "out/guard_faults_Seqno.cpp").find("#error"), std::string::npos)
      << "a layer's own code is not collapsed";
}

}  // namespace

// --namespace is a C++ namespace name, checked before any work (until 2026-12-05 '1bad name' went
// into the generated code, and the errors were Clang's, in files that exist nowhere).
TEST(OptimizeCli, ABadNamespaceIsAUsageError) {
  CommandResult r = ioawb("optimize " + std::string(IOAWB_SAMPLES_DIR) +
                          "/stacks/reliable.ioa --stack Reliable --namespace '1bad name'");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--namespace: '1bad name' is not a C++ namespace name"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("ioawb-virtual"), std::string::npos) << r.output;
}

// A layer's output that removes no message from its queue is an error at that output's
// transition in the spec (until 2026-12-05: at the generated method's first line, in a .cpp file
// optimize never writes, and at fire_dn_out when up_out was the culprit).
TEST(OptimizeCli, AnOutputThatRemovesNoQueuedMessageIsAnErrorAtItsTransition) {
  TempDir d("cli-opt-noqueue");
  std::ofstream(d / "noqueue.ioa") << R"(layer L
  header tuple of t: UInt8
  signature
    input  dn(m: Msg), up(m: Msg)
    output dn_out(m: Msg), up_out(m: Msg)
  states
    dnq: Seq[Msg] := {},
    upq: Seq[Msg] := {}
  transitions
    input dn(m)
      eff dnq := dnq |- m
    output dn_out(m)
      pre dnq ~= {} /\ m = head(dnq)
      eff dnq := tail(dnq)
    input up(m)
      eff upq := upq |- m
    output up_out(m)
      pre upq ~= {} /\ m = head(upq)
  fastpath dn: dnq = {}
  fastpath up: upq = {}
stack S = L ; L
)";
  CommandResult r = ioawb("optimize " + (d / "noqueue.ioa") + " --stack S --out " + (d / "out"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("noqueue.ioa:17:5: cannot tell which queue layer L's up_out takes its messages from"),
            std::string::npos)
      << r.output;
}
