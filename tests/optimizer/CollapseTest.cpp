// The collapse transform on the generated flagship stack: both bypasses are
// proved equal to the layered paths under their CCPs, and mutated bypasses or
// a weakened CCP are refuted with a concrete state and message.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "TestUtil.h"
#include "ioa/engine/Generate.h"
#include "ioa/optimizer/Collapse.h"

using namespace ioa;

namespace {

struct Flagship {
  opt::CollapseRequest req;
  opt::CollapseResult out;
};

const Flagship& flagship() {
  static Flagship* f = [] {
    auto* fs = new Flagship;
    codegen::GenOptions g;
    g.stack = "Reliable";
    g.withHarness = false;
    engine::GenerateResult r = engine::generateFile(std::string(IOAWB_SAMPLES_DIR) + "/stacks/reliable.ioa", g);
    EXPECT_TRUE(r.ok());
    for (const codegen::GeneratedFile& f : r.files) fs->req.files.push_back({f.path, f.text});
    fs->req.includeDirs = {"/ioawb-virtual/runtime"};
    fs->req.stackClass = "ioa_gen::reliable::Reliable";
    fs->req.stackHeader = "reliable_Reliable.h";
    fs->req.stackSource = "reliable_Reliable.cpp";
    fs->req.units = {"reliable_Top.cpp", "reliable_Seqno.cpp", "reliable_Checksum.cpp", "reliable_Bottom.cpp",
                     "reliable_Reliable.cpp"};
    fs->req.timeoutMs = 30000;
    fs->out = opt::collapseStack(fs->req);
    return fs;
  }();
  return *f;
}

// `files` with `from` replaced by `to` in the stack source (the mutation must be found), the
// first time it occurs or (`all`) every time.
std::vector<opt::CppFile> mutate(std::vector<opt::CppFile> files, const std::string& from, const std::string& to,
                                 bool all = false) {
  if (from.empty()) return files;
  bool done = false;
  for (opt::CppFile& c : files)
    for (size_t at = c.text.find(from); c.path == flagship().req.stackSource && at != std::string::npos;
         at = all ? c.text.find(from, at + to.size()) : std::string::npos) {
      c.text.replace(at, from.size(), to);
      done = true;
    }
  EXPECT_TRUE(done) << "mutation site not found: " << from;
  return files;
}

// A path's obligation on the collapsed sources after replacing `from` by `to` in the stack source.
opt::EquivalenceResult pathProof(const std::string& name, const std::string& from, const std::string& to,
                                 unsigned timeoutMs, bool all = false) {
  const Flagship& f = flagship();
  opt::CollapseRequest req = f.req;
  req.timeoutMs = timeoutMs;
  std::vector<opt::CppFile> files = mutate(f.out.files, from, to, all);
  std::vector<opt::CollapsedPath> paths;
  for (const opt::CollapsedPath& p : f.out.paths)
    if (p.name == name) paths.push_back(p);
  std::string err;
  std::vector<opt::PathProof> proofs = opt::proveCollapsed(req, files, paths, err);
  EXPECT_EQ(err, "");
  EXPECT_EQ(proofs.size(), 1u);
  return proofs.empty() ? opt::EquivalenceResult{} : proofs[0].result;
}

opt::EquivalenceResult downPath(const std::string& from = "", const std::string& to = "") {
  return pathProof("dn", from, to, 300000);  // a budget, generous for a loaded machine
}

// A C++ literal for a counterexample's value.
std::string literal(const std::string& v) {
  if (v == "true" || v == "false") return v;
  return v + (v[0] == '-' ? "ll" : "ull");
}

// Statements that build the message argument `name` of a counterexample (its
// header bytes, its payload and their lengths; bytes it does not name are zero),
// or that print "unreplayable" and stop when the runtime cannot allocate it.
std::string messageSetup(const std::string& name, const std::vector<opt::CxValue>& inputs) {
  uint64_t plen = 0, hlen = 0;
  std::string bytes;
  for (const opt::CxValue& in : inputs) {
    const std::string& p = in.path;
    if (p == name + ".plen") plen = std::stoull(in.value);
    if (p == name + ".hlen") hlen = std::stoull(in.value);
    for (const char* part : {"pay", "hdr"})
      if (p.rfind(name + "." + part + "[", 0) == 0) {
        const std::string k = p.substr(name.size() + 5, p.find(']') - name.size() - 5);
        const std::string at = part, lim = at == "pay" ? "PLEN" : "HLEN";  // the harness's locals
        bytes += "  if (" + k + "ull < " + lim + ") " + at + "[" + k + "] = static_cast<uint8_t>(" + literal(in.value) + ");\n";
      }
  }
  return "  const uint32_t PLEN = " + std::to_string(plen) + ", HLEN = " + std::to_string(hlen) + ";\n"
         "  ioa::rt::Msg " + name + " = ioa::rt::Msg::alloc(PLEN, HLEN + 16);\n"
         "  if (PLEN && !" + name + ".payload_data()) { std::printf(\"unreplayable: no buffer for %u payload bytes\\n\", PLEN); return 0; }\n"
         "  uint8_t* pay = " + name + ".payload_data();\n"
         "  uint8_t* hdr = HLEN ? " + name + ".push_front(HLEN) : nullptr;\n"
         "  if (PLEN) std::memset(pay, 0, PLEN);\n  if (HLEN) std::memset(hdr, 0, HLEN);\n" + bytes;
}

// Statements that put the stack `a` in the state a counterexample names: its
// public scalar fields and its queues' lengths (the queued messages empty);
// everything else as constructed.
std::string stateSetup(const std::vector<opt::CxValue>& inputs) {
  std::string setup;
  for (const opt::CxValue& in : inputs) {
    const std::string& p = in.path;
    if (p.rfind("self.", 0) != 0 || p.find('[') != std::string::npos || p.find("head_") != std::string::npos) continue;
    std::string f = p.substr(5);
    bool pub = f.rfind("l", 0) == 0 || f.rfind("to_net", 0) == 0 || f.rfind("to_app", 0) == 0;
    if (!pub) continue;
    if (f.size() > 6 && f.substr(f.size() - 6) == ".size_")
      setup += "  for (uint64_t i = 0; i < " + literal(in.value) + "; ++i) a." + f.substr(0, f.size() - 6) +
               ".push_back(ioa::rt::Msg{});\n";
    else
      setup += "  a." + f + " = static_cast<std::remove_reference_t<decltype(a." + f + ")>>(" + literal(in.value) + ");\n";
  }
  return setup;
}

// Compiles `files` with a main() of `body` and runs it; returns what it printed.
std::string compileAndRun(const std::vector<opt::CppFile>& files, const std::string& body) {
  test::TempDir dir("replay");
  std::string units;
  for (const opt::CppFile& f : files) {
    test::writeFile(dir / f.path, f.text);
    if (f.path.size() > 4 && f.path.substr(f.path.size() - 4) == ".cpp") units += " " + (dir / f.path);
  }
  test::writeFile(dir / "replay.cpp",
      "#include <cstdio>\n#include <cstring>\n#include <string>\n#include <type_traits>\n"
      "#include \"reliable_Reliable.h\"\n"
      "using ioa_gen::reliable::Reliable;\n"
      "static std::string dump(const Reliable& r) {\n"
      "  std::string s; ioa::rt::TraceOut o(&s); r.trace_state(o); return s;\n}\n"
      "int main() {\n" + body + "  return 0;\n}\n");
  const std::string exe = dir / "replay";
  return test::run(std::string(IOAWB_TEST_CXX) + " -std=c++20 -O0 -w -I" + dir.path() + " -I" IOAWB_RUNTIME_DIR + units +
                   " " + (dir / "replay.cpp") + " -o " + exe + " && " + exe)
      .output;
}

// Runs a refuted mutant's counterexample through the compiled C++: a stack in
// the state the counterexample names (stateSetup) gets the counterexample's
// message (`arg`) once through the layered path and once through the collapsed
// stack's own dispatch (`dn` or `up`, which picks the bypass when its guard
// holds). A compact frame given to the layered path is expanded first, as the
// layered stack's peer would have sent it in full. Returns the harness's report,
// which starts with "differs" or "same" and says which path the dispatch took.
std::string replayPath(const std::vector<opt::CppFile>& files, const std::string& dir, const std::string& arg,
                       const std::vector<opt::CxValue>& inputs) {
  const bool up = dir == "up";
  std::string guards = up ? "b.ccp_up_cx1(" + arg + ") || b.ccp_up_cx2(" + arg + ") || b.ccp_up(Reliable::cx_expand(" + arg + "))"
                          : "b.ccp_dn(" + arg + ")";
  return compileAndRun(files,
      messageSetup(arg, inputs) + "  Reliable a;\n" + stateSetup(inputs) + "  Reliable b = a;\n"
      "  const bool bypass = " + guards + ";\n" +
      (up ? "  a.up_layered(Reliable::cx_expand(" + arg + "));\n  b.up(" + arg + ");\n"
          : "  a.dn_layered(" + arg + ");\n  b.dn(" + arg + ");\n") +
      "  // the collapsed stack may send compact frames: compare full forms\n"
      "  bool sameNet = a.to_net.size() == b.to_net.size();\n"
      "  for (uint32_t i = 0; sameNet && i < a.to_net.size(); ++i)\n"
      "    sameNet = Reliable::cx_expand(a.to_net.at(i)) == Reliable::cx_expand(b.to_net.at(i));\n"
      "  bool same = dump(a) == dump(b) && sameNet && a.to_app == b.to_app;\n"
      "  std::printf(\"%s (the collapsed stack took %s)\\nlayered:   %s\\ncollapsed: %s\\n\", same ? \"same\" : \"differs\",\n"
      "              bypass ? \"the bypass\" : \"the layered path\", dump(a).c_str(), dump(b).c_str());\n");
}

// A counterexample's inputs, one per line (for failure messages).
std::string inputsText(const std::vector<opt::CxValue>& inputs) {
  std::string s = "counterexample:\n";
  for (const opt::CxValue& in : inputs) s += "  " + in.path + " = " + in.value + "\n";
  return s;
}

std::string replayDown(const std::vector<opt::CppFile>& files, const std::vector<opt::CxValue>& inputs) {
  return replayPath(files, "dn", "m", inputs);
}

// The flagship's sources, collapsed, after replacing `from` by `to` in the stack source.
std::vector<opt::CppFile> mutated(const std::string& from, const std::string& to, bool all = false) {
  const Flagship& f = flagship();
  std::vector<opt::CppFile> files = f.req.files;
  for (const opt::CppFile& c : f.out.files)
    for (opt::CppFile& o : files)
      if (o.path == c.path) o.text = c.text;
  return mutate(std::move(files), from, to, all);
}

bool mentions(const opt::EquivalenceResult& r, const std::string& what) {
  for (const std::string& d : r.differences)
    if (d.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(Collapse, FindsTheLayersAndWritesBothPaths) {
  const Flagship& f = flagship();
  ASSERT_EQ(f.out.error, "");
  // the two paths, the up bypasses of the two compact frames (data, acknowledgement) and
  // the round trip of each compact frame
  std::vector<std::string> names;
  for (const opt::CollapsedPath& p : f.out.paths) names.push_back(p.kind + "." + p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"collapse.dn", "collapse.up", "collapse.up.cases", "collapse.up.stops.Seqno",
                                             "collapse.up.cx1", "collapse.up.cx2", "compress.compact1",
                                             "compress.compact2"}));
  ASSERT_GE(f.out.paths.size(), 2u);
  EXPECT_EQ(f.out.paths[0].layers, (std::vector<std::string>{"Top", "Seqno", "Checksum", "Bottom"}));
  EXPECT_EQ(f.out.paths[1].layers, (std::vector<std::string>{"Bottom", "Checksum", "Seqno", "Top"}));
  ASSERT_EQ(f.out.files.size(), 2u);
  const std::string& src = f.out.files[1].text;
  EXPECT_NE(src.find("void Reliable::dn_layered(const rt::Msg& m)"), std::string::npos);
  EXPECT_NE(src.find("bool Reliable::ccp_dn(const rt::Msg& m) const"), std::string::npos);
  // the layers' dn clauses inlined, less the queue tests the quiet test made
  EXPECT_NE(src.find("  if (!(rt::coll_size(l1.s.unacked) == 0 && rt::coll_size(l1.s.pending) == 0)) return false;  // Seqno"),
            std::string::npos);
  EXPECT_EQ(src.find("l1.fastpath_dn(m)"), std::string::npos);
  EXPECT_NE(src.find("const rt::Msg u1 = pop_Checksum_Header(u2);"), std::string::npos);
  // the bypass reaches the network without the layers' queues
  size_t fast = src.find("void Reliable::dn_fast(");
  ASSERT_NE(fast, std::string::npos);
  std::string body = src.substr(fast, src.find("void Reliable::up_fast(") - fast);
  // one compact header for Seqno, Checksum and Bottom instead of three pushes
  EXPECT_NE(body.find("to_net.push_back(compact_frames ? cx1_push(cxb"), std::string::npos) << body;
  EXPECT_EQ(body.find("push_Checksum_Header"), std::string::npos) << body;
  EXPECT_EQ(body.find("s.dnq.push_back"), std::string::npos);
  EXPECT_EQ(body.find("IOA_TRACE"), std::string::npos);
}

// The collapse reads handler bodies out of the parsed sources long after the parse: the texts
// Clang reads must live as long as the unit. With glibc's M_PERTURB every freed block is
// overwritten at once, so text read after its release shows up as '#' runs in the output.
// (This was a use after free: a second collapse in the GUI's process wrote garbled code.)
TEST(Collapse, SourceTextLivesAsLongAsTheParsedUnit) {
  const Flagship& f = flagship();
  ASSERT_EQ(f.out.error, "");
#if defined(__GLIBC__)
  mallopt(M_PERTURB, '#');
  opt::CollapseResult again = opt::collapseStack(f.req);
  mallopt(M_PERTURB, 0);
  ASSERT_EQ(again.error, "");
  ASSERT_EQ(again.files.size(), f.out.files.size());
  for (size_t i = 0; i < again.files.size(); ++i) {
    EXPECT_EQ(again.files[i].text.find("####"), std::string::npos) << again.files[i].path;
    EXPECT_EQ(again.files[i].text, f.out.files[i].text) << again.files[i].path;
  }
#else
  GTEST_SKIP() << "needs glibc's malloc (M_PERTURB)";
#endif
}

// The up bypass does not test again what ccp_up tested of the received frame:
// the frame length (Bottom), the payload checksum (Checksum) and the kind byte
// (Top) are folded to `true`; Seqno's tests of the sequence number stay.
TEST(Collapse, UpBypassDoesNotRecheckWhatTheCcpChecked) {
  const Flagship& f = flagship();
  ASSERT_EQ(f.out.files.size(), 2u);
  const std::string& src = f.out.files[1].text;
  size_t fast = src.find("void Reliable::up_fast(");
  ASSERT_NE(fast, std::string::npos);
  std::string body = src.substr(fast, src.find("// ---- Header compression") - fast);
  size_t folds = 0;
  for (size_t at = 0; (at = body.find("true /* established by ccp_up */", at)) != std::string::npos; ++at) ++folds;
  EXPECT_EQ(folds, 3u) << body;
  EXPECT_EQ(body.find("checksum16((m1)"), std::string::npos) << "the received payload is summed again";
  EXPECT_NE(body.find("(hdr_Seqno_Header(m2)).seq == l1.s.recv_seq"), std::string::npos);
}

// Without the Checksum clause in the up guard (ccp_up and the case the proof takes it
// by) the folded test is no longer implied: a frame with a wrong checksum takes the
// bypass and is delivered, where the layered path drops it.
TEST(Collapse, UpFoldWithoutItsCcpClauseIsRefuted) {
  const std::string from = "if (!l2.fastpath_up(u2)) return false;";
  opt::EquivalenceResult r = pathProof("up", from, "", 600000, true);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_FALSE(r.differences.empty());
  // the frame, received by the compiled stacks: the collapsed one takes its bypass and they differ
  std::string run = replayPath(mutated(from, "", true), "up", "m", r.inputs);
  EXPECT_EQ(run.rfind("differs (the collapsed stack took the bypass)", 0), 0u) << run << inputsText(r.inputs);
}

// The up path is proved case by case (the message reaches the top, or Seqno keeps
// it); the cases must cover ccp_up. A ccp_up that admits more than its cases is refuted.
TEST(Collapse, UpGuardCasesCoverTheGuard) {
  opt::EquivalenceResult r = pathProof("up.cases", "", "", 60000);
  EXPECT_EQ(r.status, opt::EquivalenceResult::Proved) << r.message;
  // a ccp_up (the first guard with Bottom's clause) that lets a frame without a valid Bottom header through
  const std::string bottom = "  if (!l3.fastpath_up(m)) return false;";
  opt::EquivalenceResult weak = pathProof("up.cases", bottom, "  if (!l3.fastpath_up(m)) return true;", 300000);
  ASSERT_EQ(weak.status, opt::EquivalenceResult::Refuted) << weak.message;
  EXPECT_TRUE(mentions(weak, "result: source false, target true")) << (weak.differences.empty() ? "" : weak.differences[0]);
}

// An acknowledgement (kept by Seqno) takes the bypass too: it needs no Top header.
TEST(Collapse, UpPathOfAMessageSeqnoKeepsIsProved) {
  opt::EquivalenceResult r = pathProof("up.stops.Seqno", "", "", 600000);
  EXPECT_EQ(r.status, opt::EquivalenceResult::Proved) << r.message;
}

TEST(Collapse, DownPathIsProvedUnderTheCcp) {
  opt::EquivalenceResult r = downPath();
  EXPECT_EQ(r.status, opt::EquivalenceResult::Proved) << r.message;
}

// The up path (a data frame checked, delivered and acknowledged down the stack in
// one call) is far harder: about a minute of symbolic execution and solving on
// 2 cores. The budget is generous so a loaded machine does not make it unknown.
TEST(Collapse, UpPathIsProvedUnderTheCcp) {
  opt::EquivalenceResult r = pathProof("up", "", "", 600000);
  EXPECT_EQ(r.status, opt::EquivalenceResult::Proved) << r.message;
}

// Every mutant below is refuted by the prover, and its counterexample, run through
// the compiled layered and collapsed C++, shows the two really differ.
void expectDifferenceWhenRun(const std::string& from, const std::string& to, const opt::EquivalenceResult& r) {
  std::string run = replayDown(mutated(from, to), r.inputs);
  EXPECT_EQ(run.rfind("differs", 0), 0u) << run;
  if (std::getenv("IOAWB_TEST_VERBOSE")) std::printf("%s", run.c_str());
}

const std::string kSeqField = "const uint32_t cxv2_0 = l1.s.send_seq;";  // the data frame's sequence number
// the down path keeps the frame for retransmission (its first site is in dn_fast)
const std::string kUnackedUpdate = "l1.s.unacked.push_back(std::move(v_elem_1));";

TEST(Collapse, OffByOneSequenceNumberIsRefuted) {
  const std::string from = kSeqField;
  const std::string to = "const uint32_t cxv2_0 = l1.s.send_seq + 1u;";
  opt::EquivalenceResult r = downPath(from, to);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_TRUE(mentions(r, "self.to_net")) << "the frame on the wire differs: " << (r.differences.empty() ? "" : r.differences[0]);
  EXPECT_FALSE(r.inputs.empty());
  expectDifferenceWhenRun(from, to, r);
}

// The ack flag of a data frame is a constant of its compact format, put back by cx1_full.
TEST(Collapse, WrongHeaderFieldIsRefuted) {
  const std::string from = "push_Seqno_Header(m, Seqno_Header{v0, false})";
  const std::string to = "push_Seqno_Header(m, Seqno_Header{v0, true})";
  opt::EquivalenceResult r = downPath(from, to);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_TRUE(mentions(r, "self.to_net"));
  expectDifferenceWhenRun(from, to, r);
}

TEST(Collapse, DroppedStateUpdateIsRefuted) {
  const std::string from = kUnackedUpdate, to = ";";
  opt::EquivalenceResult r = downPath(from, to);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_TRUE(mentions(r, "self.l1.s.unacked"));
  expectDifferenceWhenRun(from, to, r);
}

TEST(Collapse, TooWeakCcpIsRefuted) {
  // without "room at the network end" the layered stack holds the frame back (blocked)
  // while the bypass would push it into a full queue
  const std::string queues =
      "         (blocked_ | l0.s.dnq.size() | l0.s.upq.size() | l1.s.dnq.size() | l1.s.upq.size() | l2.s.dnq.size() | "
      "l2.s.upq.size() | l3.s.dnq.size() | l3.s.upq.size()) == 0))\n    return false;\n  // the layers' fastpath dn";
  const std::string from = "!to_app.full() && !to_net.full() &&\n" + queues;
  const std::string to = "!to_app.full() &&\n" + queues;
  opt::EquivalenceResult r = downPath(from, to);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  bool full = false;
  for (const opt::CxValue& v : r.inputs) full = full || (v.path == "self.to_net.size_" && v.value == "64");
  EXPECT_TRUE(full) << "the counterexample starts with a full queue to the network";
  expectDifferenceWhenRun(from, to, r);
}

// The control for the replays above: the same counterexample on the unmutated
// collapsed stack runs the same through both paths.
TEST(Collapse, ReplayOfTheProvedStackShowsNoDifference) {
  const std::string from = kSeqField;
  opt::EquivalenceResult r = downPath(from, "const uint32_t cxv2_0 = l1.s.send_seq + 1u;");
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  std::string run = replayDown(mutated(from, from), r.inputs);
  EXPECT_EQ(run.rfind("same", 0), 0u) << run;
  EXPECT_NE(run.find("layered:"), std::string::npos) << run;
}

// Obligations proved by several workers (each on its own parse) come back in the paths' order
// with the verdicts one worker gives; a compile error is reported once, with no proofs.
TEST(Collapse, ParallelWorkersGiveTheSameVerdictsInOrder) {
  const Flagship& f = flagship();
  // the down path without its state update (refuted in seconds), the round trips (proved)
  std::vector<opt::CppFile> files = mutate(f.out.files, kUnackedUpdate, ";");
  std::vector<opt::CollapsedPath> paths;
  for (const opt::CollapsedPath& p : f.out.paths)
    if (p.name == "dn" || p.kind == "compress") paths.push_back(p);
  ASSERT_GE(paths.size(), 3u);
  std::vector<std::vector<opt::EquivalenceResult::Status>> verdicts;
  for (unsigned jobs : {1u, 3u}) {
    opt::CollapseRequest req = f.req;
    req.timeoutMs = 300000;
    req.jobs = jobs;
    std::string err;
    std::vector<opt::PathProof> proofs = opt::proveCollapsed(req, files, paths, err);
    EXPECT_EQ(err, "");
    ASSERT_EQ(proofs.size(), paths.size());
    verdicts.emplace_back();
    for (size_t i = 0; i < proofs.size(); ++i) {
      EXPECT_EQ(proofs[i].path.name, paths[i].name) << "jobs " << jobs;
      verdicts.back().push_back(proofs[i].result.status);
    }
    EXPECT_EQ(proofs[0].result.status, opt::EquivalenceResult::Refuted) << "jobs " << jobs;
    for (size_t i = 1; i < proofs.size(); ++i)
      EXPECT_EQ(proofs[i].result.status, opt::EquivalenceResult::Proved) << paths[i].name << ", jobs " << jobs;
  }
  EXPECT_EQ(verdicts[0], verdicts[1]);
  opt::CollapseRequest req = f.req;
  req.jobs = 2;
  std::string err;
  std::vector<opt::PathProof> none =
      opt::proveCollapsed(req, mutate(f.out.files, kSeqField, "const uint32_t cxv2_0 = l1.s.send_seq +;"), paths, err);
  EXPECT_TRUE(none.empty());
  EXPECT_NE(err.find("reliable_Reliable.cpp:"), std::string::npos) << err;
}

TEST(Collapse, UnsupportedStacksGetAnError) {
  opt::CollapseRequest r = flagship().req;
  r.stackClass = "ioa_gen::reliable::NoSuchStack";
  opt::CollapseResult out = opt::collapseStack(r);
  EXPECT_NE(out.error.find("stack class 'ioa_gen::reliable::NoSuchStack' not found"), std::string::npos) << out.error;
}

// ---- header compression

// The receiver runs a bypass on a compact frame without expanding it, and for an
// acknowledgement (which Seqno keeps) its guard does not ask for Top's clause.
TEST(Compress, CompactFramesHaveTheirOwnUpBypass) {
  const Flagship& f = flagship();
  ASSERT_EQ(f.out.files.size(), 2u);
  const std::string& src = f.out.files[1].text;
  for (const char* fn : {"bool Reliable::ccp_up_cx1(const rt::Msg& frame) const", "void Reliable::up_fast_cx1(",
                         "bool Reliable::ccp_up_cx2(const rt::Msg& frame) const", "void Reliable::up_fast_cx2("})
    EXPECT_NE(src.find(fn), std::string::npos) << fn;
  size_t at = src.find("void Reliable::up_fast_cx2(");
  std::string body = src.substr(at, src.find("\nvoid Reliable::", at + 1) - at);
  EXPECT_EQ(body.find("pop_Bottom_Header"), std::string::npos) << "the compact frame is not expanded: " << body;
  EXPECT_EQ(body.find("cx2_expand"), std::string::npos) << body;
  at = src.find("bool Reliable::ccp_up_cx2(");
  std::string guard = src.substr(at, src.find("\n}\n", at) - at);
  EXPECT_NE(guard.find("  if (!(!((cxh2).ack) && ((cxh2).seq == l1.s.recv_seq))) return true;  // Seqno does not pass it up"),
            std::string::npos)
      << "the guard needs Top's clause only for a frame Seqno passes up: " << guard;
  at = src.find("bool Reliable::ccp_up(");
  guard = src.substr(at, src.find("\n}\n", at) - at);
  EXPECT_NE(guard.find("return true;  // Seqno does not pass it up"), std::string::npos) << guard;
}

// A compact-format obligation on the collapsed sources after replacing `from` by `to`.
opt::EquivalenceResult compactProof(int format, const std::string& from = "", const std::string& to = "") {
  return pathProof("compact" + std::to_string(format), from, to, 60000);
}

TEST(Compress, EveryCompactFrameExpandsToItsFullForm) {
  for (int k : {1, 2}) {
    opt::EquivalenceResult r = compactProof(k);
    EXPECT_EQ(r.status, opt::EquivalenceResult::Proved) << "compact frame " << k << ": " << r.message;
  }
}

// Runs a round-trip counterexample through the compiled C++: cx<k>_roundtrip and
// cx<k>_full on the counterexample's message and field values.
std::string replayRoundTrip(const std::vector<opt::CppFile>& files, int k, const std::vector<opt::CxValue>& inputs) {
  std::string v[3] = {"0", "0", "0"};
  for (const opt::CxValue& in : inputs)
    for (int i = 0; i < 3; ++i)
      if (in.path == "v" + std::to_string(i)) v[i] = literal(in.value);
  std::string id = std::to_string(k), args = "(m, " + v[0] + ", " + v[1] + ", " + v[2] + ")";
  return compileAndRun(files, messageSetup("m", inputs) +
      "  const ioa::rt::Msg full = Reliable::cx" + id + "_full" + args + ";\n"
      "  const ioa::rt::Msg back = Reliable::cx" + id + "_roundtrip" + args + ";\n"
      "  std::printf(\"%s\\n\", full == back ? \"same\" : \"differs\");\n");
}

// The receiver reads the length where the checksum is: refuted, and the
// counterexample's frame really comes back different; the unmutated code gives
// the same frame back on the same input.
TEST(Compress, WrongFieldOffsetIsRefutedAndReplayed) {
  const std::string from = "return cx1_full(m, rt::get_u32(p + 1), rt::get_u16(p + 5), rt::get_u16(p + 7));";
  const std::string to = "return cx1_full(m, rt::get_u32(p + 1), rt::get_u16(p + 5), rt::get_u16(p + 5));";
  opt::EquivalenceResult r = compactProof(1, from, to);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_FALSE(r.inputs.empty());
  std::string run = replayRoundTrip(mutated(from, to), 1, r.inputs);
  EXPECT_EQ(run.rfind("differs", 0), 0u) << run;
  std::string control = replayRoundTrip(mutated(from, from), 1, r.inputs);
  EXPECT_EQ(control.rfind("same", 0), 0u) << control;
}

// A tag test that also takes the acknowledgement's tag: an acknowledgement would
// be expanded as a data frame (ack = false). Refuted on the acknowledgement's format.
TEST(Compress, TagThatAcceptsAnotherFormatIsRefuted) {
  const std::string from = "return p[0] == 0xC1;", to = "return p[0] == 0xC1 || p[0] == 0xC2;";
  opt::EquivalenceResult r = compactProof(2, from, to);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  std::string run = replayRoundTrip(mutated(from, to), 2, r.inputs);
  EXPECT_EQ(run.rfind("differs", 0), 0u) << run;
}

// The paths are proved with compact_frames off; that covers the compact sends
// only if the flag chooses nothing but a frame's form. A bypass that reads it
// anywhere else makes the compression obligations an error naming the place.
TEST(Compress, FlagReadOutsideACompactSendIsAnError) {
  const std::string from = "if (rt::coll_size(l1.s.unacked) == 0) {";
  const std::string to = "if (compact_frames && rt::coll_size(l1.s.unacked) == 0) {";
  opt::EquivalenceResult r = compactProof(1, from, to);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Error) << r.message;
  EXPECT_NE(r.message.find("reliable_Reliable.cpp:"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("compact_frames is read outside a compact send"), std::string::npos) << r.message;
}

// The receiver's bypass of a compact frame, which reads the compact header in place,
// is equal to the layered path on the frame's full form (cx_expand) under its guard.
TEST(Compress, CompactDataFrameBypassIsProved) {
  opt::EquivalenceResult r = pathProof("up.cx1", "", "", 600000);
  EXPECT_EQ(r.status, opt::EquivalenceResult::Proved) << r.message;
}

TEST(Compress, CompactAcknowledgementBypassIsProved) {
  opt::EquivalenceResult r = pathProof("up.cx2", "", "", 600000);
  EXPECT_EQ(r.status, opt::EquivalenceResult::Proved) << r.message;
}

// A compact receiver that reads the sequence number one byte off: refuted (the
// acknowledgement frees the window for the wrong number).
TEST(Compress, CompactReceiverReadingTheWrongBytesIsRefuted) {
  const std::string from = "void Reliable::up_fast_cx2(const rt::Msg& frame) {\n  const uint8_t* p = frame.header_data();\n"
                           "  [[maybe_unused]] const Bottom_Header cxh0{rt::get_u16(p + 7)};\n"
                           "  [[maybe_unused]] const Checksum_Header cxh1{rt::get_u16(p + 5)};\n"
                           "  [[maybe_unused]] const Seqno_Header cxh2{rt::get_u32(p + 1), true};";
  std::string to = from;
  to.replace(to.rfind("p + 1"), 5, "p + 2");
  opt::EquivalenceResult r = pathProof("up.cx2", from, to, 600000);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_TRUE(mentions(r, "self.l1.s")) << (r.differences.empty() ? "" : r.differences[0]);
  // the compact frame, received by the compiled stacks: the mutant takes its bypass and
  // differs from the layered stack given the frame's full form; the unmutated one does not
  std::string run = replayPath(mutated(from, to), "up", "frame", r.inputs);
  EXPECT_EQ(run.rfind("differs (the collapsed stack took the bypass)", 0), 0u) << run << inputsText(r.inputs);
  std::string control = replayPath(mutated(from, from), "up", "frame", r.inputs);
  EXPECT_EQ(control.rfind("same (the collapsed stack took the bypass)", 0), 0u) << control;
}
