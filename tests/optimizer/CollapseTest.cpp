// The collapse transform on the generated flagship stack: both bypasses are
// proved equal to the layered paths under their CCPs, and mutated bypasses or
// a weakened CCP are refuted with a concrete state and message.
#include <gtest/gtest.h>

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

// A path's obligation on the collapsed sources after replacing `from` by `to` in the stack source.
opt::EquivalenceResult pathProof(const std::string& name, const std::string& from, const std::string& to,
                                 unsigned timeoutMs) {
  const Flagship& f = flagship();
  opt::CollapseRequest req = f.req;
  req.timeoutMs = timeoutMs;
  std::vector<opt::CppFile> files = f.out.files;
  if (!from.empty()) {
    bool done = false;
    for (opt::CppFile& c : files)
      if (size_t at = c.text.find(from); c.path == f.req.stackSource && at != std::string::npos) {
        c.text.replace(at, from.size(), to);
        done = true;
      }
    EXPECT_TRUE(done) << "mutation site not found: " << from;
  }
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

TEST(Collapse, OffByOneSequenceNumberIsRefuted) {
  opt::EquivalenceResult r = downPath("Seqno_Header{l1.s.send_seq, false});\n  // Checksum.dn",
                                      "Seqno_Header{l1.s.send_seq + 1u, false});\n  // Checksum.dn");
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_TRUE(mentions(r, "self.to_net")) << "the frame on the wire differs: " << (r.differences.empty() ? "" : r.differences[0]);
  EXPECT_FALSE(r.inputs.empty());
}

TEST(Collapse, WrongHeaderFieldIsRefuted) {
  const Flagship& f = flagship();
  std::string src = f.out.files[1].text;
  opt::EquivalenceResult r = downPath("Seqno_Header{l1.s.send_seq, false});\n  // Checksum.dn",
                                      "Seqno_Header{l1.s.send_seq, true});\n  // Checksum.dn");
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_TRUE(mentions(r, "self.to_net"));
}

TEST(Collapse, DroppedStateUpdateIsRefuted) {
  opt::EquivalenceResult r = downPath("l1.s.unacked.push_back(std::move(v_elem_1));", ";");
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  EXPECT_TRUE(mentions(r, "self.l1.s.unacked"));
}

TEST(Collapse, TooWeakCcpIsRefuted) {
  // without "room at the network end" the layered stack holds the frame back (blocked)
  // while the bypass would push it into a full queue
  opt::EquivalenceResult r = downPath("!to_app.full() && !to_net.full() &&\n         l0.s.dnq.empty() && l0.s.upq.empty() &&\n"
                                      "         l1.s.dnq.empty() && l1.s.upq.empty() &&\n         l2.s.dnq.empty() && l2.s.upq.empty() &&\n"
                                      "         l3.s.dnq.empty() && l3.s.upq.empty()))\n    return false;\n  // the layers' fastpath dn",
                                      "!to_app.full() &&\n         l0.s.dnq.empty() && l0.s.upq.empty() &&\n"
                                      "         l1.s.dnq.empty() && l1.s.upq.empty() &&\n         l2.s.dnq.empty() && l2.s.upq.empty() &&\n"
                                      "         l3.s.dnq.empty() && l3.s.upq.empty()))\n    return false;\n  // the layers' fastpath dn");
  ASSERT_EQ(r.status, opt::EquivalenceResult::Refuted) << r.message;
  bool full = false;
  for (const opt::CxValue& v : r.inputs) full = full || (v.path == "self.to_net.size_" && v.value == "64");
  EXPECT_TRUE(full) << "the counterexample starts with a full queue to the network";
}

TEST(Collapse, UnsupportedStacksGetAnError) {
  opt::CollapseRequest r = flagship().req;
  r.stackClass = "ioa_gen::reliable::NoSuchStack";
  opt::CollapseResult out = opt::collapseStack(r);
  EXPECT_NE(out.error.find("stack class 'ioa_gen::reliable::NoSuchStack' not found"), std::string::npos) << out.error;
}
