// The collapse transform on the generated flagship stack: both bypasses are
// proved equal to the layered paths under their CCPs, and mutated bypasses or
// a weakened CCP are refuted with a concrete state and message.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

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

// `files` with `from` replaced by `to` in the stack source (the mutation must be found).
std::vector<opt::CppFile> mutate(std::vector<opt::CppFile> files, const std::string& from, const std::string& to) {
  if (from.empty()) return files;
  bool done = false;
  for (opt::CppFile& c : files)
    if (size_t at = c.text.find(from); c.path == flagship().req.stackSource && at != std::string::npos) {
      c.text.replace(at, from.size(), to);
      done = true;
    }
  EXPECT_TRUE(done) << "mutation site not found: " << from;
  return files;
}

// A path's obligation on the collapsed sources after replacing `from` by `to` in the stack source.
opt::EquivalenceResult pathProof(const std::string& name, const std::string& from, const std::string& to,
                                 unsigned timeoutMs) {
  const Flagship& f = flagship();
  opt::CollapseRequest req = f.req;
  req.timeoutMs = timeoutMs;
  std::vector<opt::CppFile> files = mutate(f.out.files, from, to);
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
  return pathProof("dn", from, to, 30000);
}

// Runs a refuted mutant's counterexample through the compiled C++: a stack in
// the state the counterexample names (its public scalar fields and queue
// lengths; everything else as constructed) gets the counterexample's message
// once through the layered path and once through the collapsed dispatch `dn`.
// Returns the harness's report, which starts with "differs" or "same".
std::string replayDown(const std::vector<opt::CppFile>& files, const std::vector<opt::CxValue>& inputs) {
  test::TempDir dir("replay");
  std::string units;
  for (const opt::CppFile& f : files) {
    test::writeFile(dir / f.path, f.text);
    if (f.path.size() > 4 && f.path.substr(f.path.size() - 4) == ".cpp") units += " " + (dir / f.path);
  }
  std::string setup, payload;
  uint64_t plen = 0;
  auto literal = [](const std::string& v) {
    if (v == "true" || v == "false") return v;
    return v + (v[0] == '-' ? "ll" : "ull");
  };
  for (const opt::CxValue& in : inputs) {
    const std::string& p = in.path;
    if (p == "m.plen") {
      plen = std::stoull(in.value);
    } else if (p.rfind("m.pay[", 0) == 0) {
      const std::string k = p.substr(6, p.find(']') - 6);
      payload += "  if (" + k + "ull < PLEN) m.payload_data()[" + k + "] = static_cast<uint8_t>(" + literal(in.value) + ");\n";
    } else if (p.rfind("self.", 0) == 0 && p.find('[') == std::string::npos && p.find("head_") == std::string::npos) {
      std::string f = p.substr(5);
      bool pub = f.rfind("l", 0) == 0 || f.rfind("to_net", 0) == 0 || f.rfind("to_app", 0) == 0;
      if (!pub) continue;
      if (f.size() > 6 && f.substr(f.size() - 6) == ".size_")
        setup += "  for (uint64_t i = 0; i < " + literal(in.value) + "; ++i) a." + f.substr(0, f.size() - 6) +
                 ".push_back(ioa::rt::Msg{});\n";
      else
        setup += "  a." + f + " = static_cast<std::remove_reference_t<decltype(a." + f + ")>>(" + literal(in.value) + ");\n";
    }
  }
  test::writeFile(dir / "replay.cpp",
      "#include <cstdio>\n#include <cstring>\n#include <string>\n#include <type_traits>\n"
      "#include \"reliable_Reliable.h\"\n"
      "using ioa_gen::reliable::Reliable;\n"
      "static std::string dump(const Reliable& r) {\n"
      "  std::string s; ioa::rt::TraceOut o(&s); r.trace_state(o); return s;\n}\n"
      "int main() {\n  const uint32_t PLEN = " + std::to_string(plen) + ";\n  Reliable a;\n" +
      setup + "  Reliable b = a;\n"
      "  ioa::rt::Msg m = ioa::rt::Msg::alloc(PLEN);\n  if (PLEN) std::memset(m.payload_data(), 0, PLEN);\n" +
      payload + "  a.dn_layered(m);\n  b.dn(m);\n"
      "  bool same = dump(a) == dump(b) && a.to_net == b.to_net && a.to_app == b.to_app;\n"
      "  std::printf(\"%s\\nlayered:   %s\\ncollapsed: %s\\n\", same ? \"same\" : \"differs\", dump(a).c_str(), dump(b).c_str());\n"
      "  return 0;\n}\n");
  const std::string exe = dir / "replay";
  return test::run(std::string(IOAWB_TEST_CXX) + " -std=c++20 -O0 -w -I" + dir.path() + " -I" IOAWB_RUNTIME_DIR + units +
                   " " + (dir / "replay.cpp") + " -o " + exe + " && " + exe)
      .output;
}

// The flagship's sources, collapsed, after replacing `from` by `to` in the stack source.
std::vector<opt::CppFile> mutated(const std::string& from, const std::string& to) {
  const Flagship& f = flagship();
  std::vector<opt::CppFile> all = f.req.files;
  for (const opt::CppFile& c : f.out.files)
    for (opt::CppFile& o : all)
      if (o.path == c.path) o.text = c.text;
  return mutate(std::move(all), from, to);
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
  ASSERT_EQ(f.out.paths.size(), 2u);
  EXPECT_EQ(f.out.paths[0].layers, (std::vector<std::string>{"Top", "Seqno", "Checksum", "Bottom"}));
  EXPECT_EQ(f.out.paths[1].layers, (std::vector<std::string>{"Bottom", "Checksum", "Seqno", "Top"}));
  ASSERT_EQ(f.out.files.size(), 2u);
  const std::string& src = f.out.files[1].text;
  EXPECT_NE(src.find("void Reliable::dn_layered(const rt::Msg& m)"), std::string::npos);
  EXPECT_NE(src.find("bool Reliable::ccp_dn(const rt::Msg& m) const"), std::string::npos);
  EXPECT_NE(src.find("l1.fastpath_dn(m)"), std::string::npos);
  EXPECT_NE(src.find("const rt::Msg u1 = pop_Checksum_Header(u2);"), std::string::npos);
  // the bypass reaches the network without the layers' queues
  size_t fast = src.find("void Reliable::dn_fast(");
  ASSERT_NE(fast, std::string::npos);
  std::string body = src.substr(fast, src.find("void Reliable::up_fast(") - fast);
  EXPECT_NE(body.find("to_net.push_back(m4);"), std::string::npos);
  EXPECT_EQ(body.find("s.dnq.push_back"), std::string::npos);
  EXPECT_EQ(body.find("IOA_TRACE"), std::string::npos);
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
  std::string body = src.substr(fast, src.find("void Reliable::dn(") - fast);
  size_t folds = 0;
  for (size_t at = 0; (at = body.find("true /* established by ccp_up */", at)) != std::string::npos; ++at) ++folds;
  EXPECT_EQ(folds, 3u) << body;
  EXPECT_EQ(body.find("checksum16((m1)"), std::string::npos) << "the received payload is summed again";
  EXPECT_NE(body.find("(hdr_Seqno_Header(m2)).seq == l1.s.recv_seq"), std::string::npos);
}

// Without the Checksum clause in ccp_up the folded test is no longer implied:
// a frame with a wrong checksum takes the bypass and is delivered, where the
// layered path drops it.
TEST(Collapse, UpFoldWithoutItsCcpClauseIsRefuted) {
  opt::EquivalenceResult r = pathProof("up", "if (!l2.fastpath_up(u2)) return false;", "", 600000);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_FALSE(r.differences.empty());
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

TEST(Collapse, OffByOneSequenceNumberIsRefuted) {
  const std::string from = "Seqno_Header{l1.s.send_seq, false});\n  // Checksum.dn";
  const std::string to = "Seqno_Header{l1.s.send_seq + 1u, false});\n  // Checksum.dn";
  opt::EquivalenceResult r = downPath(from, to);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_TRUE(mentions(r, "self.to_net")) << "the frame on the wire differs: " << (r.differences.empty() ? "" : r.differences[0]);
  EXPECT_FALSE(r.inputs.empty());
  expectDifferenceWhenRun(from, to, r);
}

TEST(Collapse, WrongHeaderFieldIsRefuted) {
  const std::string from = "Seqno_Header{l1.s.send_seq, false});\n  // Checksum.dn";
  const std::string to = "Seqno_Header{l1.s.send_seq, true});\n  // Checksum.dn";
  opt::EquivalenceResult r = downPath(from, to);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_TRUE(mentions(r, "self.to_net"));
  expectDifferenceWhenRun(from, to, r);
}

TEST(Collapse, DroppedStateUpdateIsRefuted) {
  const std::string from = "l1.s.unacked.push_back(std::move(v_elem_1));", to = ";";
  opt::EquivalenceResult r = downPath(from, to);
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_TRUE(mentions(r, "self.l1.s.unacked"));
  expectDifferenceWhenRun(from, to, r);
}

TEST(Collapse, TooWeakCcpIsRefuted) {
  // without "room at the network end" the layered stack holds the frame back (blocked)
  // while the bypass would push it into a full queue
  const std::string from =
      "!to_app.full() && !to_net.full() &&\n         l0.s.dnq.empty() && l0.s.upq.empty() &&\n"
      "         l1.s.dnq.empty() && l1.s.upq.empty() &&\n         l2.s.dnq.empty() && l2.s.upq.empty() &&\n"
      "         l3.s.dnq.empty() && l3.s.upq.empty()))\n    return false;\n  // the layers' fastpath dn";
  const std::string to =
      "!to_app.full() &&\n         l0.s.dnq.empty() && l0.s.upq.empty() &&\n"
      "         l1.s.dnq.empty() && l1.s.upq.empty() &&\n         l2.s.dnq.empty() && l2.s.upq.empty() &&\n"
      "         l3.s.dnq.empty() && l3.s.upq.empty()))\n    return false;\n  // the layers' fastpath dn";
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
  const std::string from = "Seqno_Header{l1.s.send_seq, false});\n  // Checksum.dn";
  opt::EquivalenceResult r = downPath(from, "Seqno_Header{l1.s.send_seq + 1u, false});\n  // Checksum.dn");
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  std::string run = replayDown(mutated(from, from), r.inputs);
  EXPECT_EQ(run.rfind("same", 0), 0u) << run;
  EXPECT_NE(run.find("layered:"), std::string::npos) << run;
}

TEST(Collapse, UnsupportedStacksGetAnError) {
  opt::CollapseRequest r = flagship().req;
  r.stackClass = "ioa_gen::reliable::NoSuchStack";
  opt::CollapseResult out = opt::collapseStack(r);
  EXPECT_NE(out.error.find("stack class 'ioa_gen::reliable::NoSuchStack' not found"), std::string::npos) << out.error;
}
