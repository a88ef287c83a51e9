// The flagship stack (samples/stacks/reliable.ioa) as generated: over a
// network that loses, duplicates and reorders it delivers every message
// exactly once and in order, for many seeds; both endpoints' traces conform to
// the stack automaton; it speaks the same bytes as the hand-written
// implementation; and an implementation of a wrong spec is caught.
#include <gtest/gtest.h>

#include "CodegenTestUtil.h"
#include "ioa/codegen/Conformance.h"

namespace ioa {
namespace {

using test::TempDir;

// A small program over the generated stack:
//   delivery FIRST LAST      run_sim for every seed in [FIRST, LAST] under several networks
//   trace DIR SEED           one run with traces of both endpoints (build with IOA_TRACE=1)
//   interop                  hand-written endpoint <-> generated endpoint, both directions
const char* kDriver = R"(
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "ioa/rt/driver.h"
#include "reliable_Reliable.h"
#include "reliable_handwritten.h"

namespace rt = ioa::rt;
using Stack = ioa_gen::reliable::Reliable;

static int delivery(uint64_t first, uint64_t last) {
  const rt::SimNetConfig nets[] = {{10, 10, 20, 8}, {35, 30, 60, 12}, {0, 50, 0, 1}, {50, 0, 90, 20}};
  int failures = 0;
  uint64_t runs = 0, frames = 0, lost = 0, dup = 0;
  for (uint64_t seed = first; seed <= last; ++seed) {
    for (const rt::SimNetConfig& net : nets) {
      rt::SimOptions o;
      o.messages = 40;
      o.max_payload = seed % 3 == 0 ? 1500 : 64;
      o.net = net;
      rt::faults().clear();
      rt::SimResult r = rt::run_sim<Stack>(seed, o);
      ++runs;
      frames += r.frames, lost += r.lost, dup += r.duplicated;
      if (!r.ok || rt::faults().total) {
        std::printf("seed %llu net {%u,%u,%u}: %s (faults %llu)\n", (unsigned long long)seed, net.loss_pct,
                    net.dup_pct, net.reorder_pct, r.error.c_str(), (unsigned long long)rt::faults().total);
        ++failures;
      }
    }
  }
  std::printf("%llu runs, %llu frames, %llu lost, %llu duplicated, %d failures\n", (unsigned long long)runs,
              (unsigned long long)frames, (unsigned long long)lost, (unsigned long long)dup, failures);
  return failures ? 1 : 0;
}

static int trace(const char* dir, uint64_t seed) {
  std::string a = std::string(dir) + "/A.trace", b = std::string(dir) + "/B.trace";
  std::FILE* fa = std::fopen(a.c_str(), "w");
  std::FILE* fb = std::fopen(b.c_str(), "w");
  rt::TraceOut ta(fa), tb(fb);
  rt::SimOptions o;
  o.messages = 25;
  o.max_rounds = 20000;
  o.net = {25, 25, 40, 8};
  rt::SimResult r = rt::run_sim<Stack>(seed, o, &ta, &tb);
  std::fclose(fa);
  std::fclose(fb);
  std::printf("%s %s\n", r.ok ? "delivered" : "FAILED", r.error.c_str());
  return r.ok ? 0 : 1;
}

// Generated endpoint G and hand-written endpoint H exchange `n` messages; the
// first frame each way is dropped to exercise retransmission.
static int interop(bool handSends) {
  auto G = std::make_unique<rt::Endpoint<Stack>>();
  auto H = std::make_unique<handwritten::ReliableEndpoint>();
  const uint32_t n = 50;
  std::vector<std::vector<uint8_t>> bufs(n, std::vector<uint8_t>(64 + 200));
  uint32_t sent = 0, got = 0, dropped = 0;
  std::vector<std::vector<uint8_t>> toH, toG;  // frames in flight
  auto txH = [&](const uint8_t* f, uint32_t len) {
    if (dropped++ == 0) return;
    toG.emplace_back(f, f + len);
  };
  auto check = [&](const uint8_t* p, uint32_t len) {
    if (len != 4 + got % 100 || rt::get_u32(p) != got) {
      std::printf("bad delivery %u\n", got);
      std::exit(1);
    }
    ++got;
  };
  for (int round = 0; round < 20000 && got < n; ++round) {
    if (sent < n) {
      uint32_t len = 4 + sent % 100;
      uint8_t* pay = bufs[sent].data() + 64;
      for (uint32_t k = 0; k < len; ++k) pay[k] = static_cast<uint8_t>(k * 3);
      rt::put_u32(pay, sent);
      if (handSends ? H->send(pay, len, txH) : G->send(rt::Msg::copy(pay, len))) ++sent;
    }
    G->frames_out([&](const rt::Msg& f) {
      std::vector<uint8_t> b(f.size());
      f.copy_to(b.data());
      if (dropped++ == 0) return;
      toH.push_back(b);
    });
    for (auto& f : toH) H->receive(f.data(), static_cast<uint32_t>(f.size()), txH, check);
    toH.clear();
    for (auto& f : toG) G->frame_in(rt::Msg::copy(f.data(), static_cast<uint32_t>(f.size()), 0));
    toG.clear();
    G->deliveries([&](const rt::Msg& m) { check(m.payload_data(), m.payload_len()); });
    if (round % 10 == 9) {
      G->stack.tick();
      H->tick(txH);
    }
  }
  std::printf("%s sends: %u of %u delivered\n", handSends ? "hand-written" : "generated", got, n);
  return got == n ? 0 : 1;
}

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "delivery" && argc == 4) return delivery(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10));
  if (mode == "trace" && argc == 4) return trace(argv[2], std::strtoull(argv[3], nullptr, 10));
  if (mode == "interop") return interop(true) | interop(false);
  std::fprintf(stderr, "usage: %s delivery FIRST LAST | trace DIR SEED | interop\n", argv[0]);
  return 2;
}
)";

struct BuiltStack {
  std::unique_ptr<Compilation> compilation;
  std::string exe;
  bool ok = false;
};

BuiltStack build(const TempDir& dir, const std::string& specText, bool traced) {
  BuiltStack b;
  b.compilation = compileSource("reliable.ioa", specText);
  EXPECT_TRUE(b.compilation->ok()) << b.compilation->diags.renderAllText();
  if (!b.compilation->ok()) return b;
  codegen::GenOptions o;
  o.stack = "Reliable";
  o.withHarness = false;
  codegen::GenResult g = codegen::generate(*b.compilation, o);
  EXPECT_TRUE(g.ok());
  std::vector<std::string> sources = {dir / "driver.cpp"};
  for (const codegen::GeneratedFile& f : g.files) {
    test::writeFile(dir / f.path, f.text);
    if (f.path.find('/') == std::string::npos && f.path.size() > 4 && f.path.substr(f.path.size() - 4) == ".cpp")
      sources.push_back(dir / f.path);
  }
  test::writeFile(dir / "driver.cpp", kDriver);
  b.exe = dir / "driver";
  auto r = test::compile(CODEGEN_TEST_GXX, std::string("-O2") + (traced ? " -DIOA_TRACE=1" : ""), sources,
                         {dir.path(), dir / "runtime", test::sourceDir() + "/bench/handwritten"}, b.exe);
  EXPECT_EQ(r.status, 0) << r.output;
  b.ok = r.status == 0;
  return b;
}

std::string reliableText() { return test::readFile(test::samplesDir() + "/stacks/reliable.ioa"); }

TEST(ReliableStack, DeliversExactlyOnceInOrderOverALossyDuplicatingReorderingNetwork) {
  TempDir dir("stack");
  BuiltStack b = build(dir, reliableText(), false);
  ASSERT_TRUE(b.ok);
  auto r = test::run(b.exe + " delivery 1 250");  // 250 seeds x 4 networks
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("1000 runs"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(", 0 failures"), std::string::npos) << r.output;
}

TEST(ReliableStack, BothEndpointsConformToTheStackAutomaton) {
  TempDir dir("stacktrace");
  BuiltStack b = build(dir, reliableText(), true);
  ASSERT_TRUE(b.ok);
  const FlatAutomaton* stack = b.compilation->model->findStack("Reliable")->automaton;
  for (uint64_t seed : {1, 2, 3, 4, 5, 6}) {
    auto r = test::run(b.exe + " trace " + dir.path() + " " + std::to_string(seed));
    ASSERT_EQ(r.status, 0) << r.output;
    for (const char* side : {"A", "B"}) {
      codegen::ConformanceReport rep =
          codegen::checkTrace(*b.compilation->model, *stack, test::readFile(dir / (std::string(side) + ".trace")));
      EXPECT_TRUE(rep.ok) << "seed " << seed << " endpoint " << side << ": " << rep.error;
      EXPECT_GT(rep.steps, 50u);
    }
  }
}

TEST(ReliableStack, SpeaksTheSameWireFormatAsTheHandWrittenStack) {
  TempDir dir("interop");
  BuiltStack b = build(dir, reliableText(), false);
  ASSERT_TRUE(b.ok);
  auto r = test::run(b.exe + " interop");
  EXPECT_EQ(r.status, 0) << r.output;
}

// Code generated from a wrong spec (the receiver skips a sequence number) does
// not deliver, and the checker pins the first step the real spec forbids.
TEST(ReliableStack, AnImplementationOfAWrongSpecIsCaught) {
  std::string bad = reliableText();
  size_t at = bad.find("recv_seq := recv_seq + 1");
  ASSERT_NE(at, std::string::npos);
  bad.replace(at, std::string("recv_seq := recv_seq + 1").size(), "recv_seq := recv_seq + 2");
  TempDir dir("mutant");
  BuiltStack b = build(dir, bad, true);
  ASSERT_TRUE(b.ok);
  auto r = test::run(b.exe + " trace " + dir.path() + " 1");
  EXPECT_NE(r.status, 0) << "the mutant delivered everything?\n" << r.output;
  auto good = compileSource("reliable.ioa", reliableText());
  ASSERT_TRUE(good->ok());
  codegen::ConformanceReport rep = codegen::checkTrace(*good->model, *good->model->findStack("Reliable")->automaton,
                                                       test::readFile(dir / "B.trace"));
  EXPECT_FALSE(rep.ok);
  EXPECT_NE(rep.error.find("Seqno.recv_seq: the spec gives 1, the code has 2"), std::string::npos) << rep.error;
}

}  // namespace
}  // namespace ioa
