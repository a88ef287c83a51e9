// libFuzzer on the generated stack's up path, under AddressSanitizer and
// UndefinedBehaviorSanitizer, for a bounded time: arbitrary bytes arrive as
// frames (and as header stacks cut anywhere), interleaved with real traffic
// and timer ticks. Nothing may crash, read out of bounds or hit undefined
// behaviour, and the generated code may not meet an undefined partial
// operation of the spec (a fault) either.
#include <gtest/gtest.h>

#include "CodegenTestUtil.h"

namespace ioa {
namespace {

using test::TempDir;

const char* kTarget = R"(
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "ioa/rt/driver.h"
#include "reliable_Reliable.h"

namespace rt = ioa::rt;
using Stack = ioa_gen::reliable::Reliable;

// Input: records [op][len lo][len hi][len bytes]...
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rt::faults().clear();
  auto A = std::make_unique<rt::Endpoint<Stack>>();
  auto B = std::make_unique<rt::Endpoint<Stack>>();
  uint64_t delivered = 0;
  auto pump = [&]() {
    for (int k = 0; k < 8; ++k) {
      A->frames_out([&](const rt::Msg& f) { B->frame_in(f); });
      B->frames_out([&](const rt::Msg& f) { A->frame_in(f); });
      B->deliveries([&](const rt::Msg& m) { delivered += 1 + (m.payload_len() & 0); });
      A->deliveries([&](const rt::Msg&) { ++delivered; });
    }
  };
  size_t i = 0;
  while (i + 3 <= size) {
    uint8_t op = data[i];
    size_t len = data[i + 1] | (size_t(data[i + 2]) << 8);
    i += 3;
    if (len > size - i) len = size - i;
    const uint8_t* p = data + i;
    i += len;
    rt::Msg bytes = rt::Msg::copy(p, static_cast<uint32_t>(len), 0);
    switch (op % 6) {
      case 0:  // a frame from the network
        B->frame_in(bytes);
        break;
      case 1: {  // a message straight to the stack's up input, its header stack cut anywhere
        rt::Msg m;
        uint32_t h = len ? p[0] % (len + 1) : 0;
        if (rt::Msg::carve(bytes, len ? 1 : 0, len ? (h > len - 1 ? static_cast<uint32_t>(len - 1) : h) : 0, m))
          B->stack.up(m);
        break;
      }
      case 2:  // real traffic
        A->send(rt::Msg::copy(p, static_cast<uint32_t>(len)));
        break;
      case 3:  // a real frame, corrupted in one byte
        A->send(rt::Msg::copy(p, static_cast<uint32_t>(len)));
        A->frames_out([&](const rt::Msg& f) {
          std::vector<uint8_t> b(f.size());
          f.copy_to(b.data());
          if (!b.empty() && len) b[p[0] % b.size()] ^= static_cast<uint8_t>(1 + (len > 1 ? p[1] : 0));
          B->frame_in(rt::Msg::copy(b.data(), static_cast<uint32_t>(b.size()), 0));
        });
        break;
      case 4:
        A->stack.tick();
        B->stack.tick();
        break;
      default:  // a frame to the sender
        A->frame_in(bytes);
        break;
    }
    pump();
    if (rt::faults().total != 0) std::abort();  // an undefined partial operation was reached
  }
  return 0;
}
)";

TEST(GeneratedUpPath, SurvivesLibFuzzerUnderSanitizers) {
  if (!test::haveCompiler(CODEGEN_TEST_CLANGXX)) GTEST_SKIP() << "no clang++";
  TempDir dir("fuzz");
  auto c = compileFile(test::samplesDir() + "/stacks/reliable.ioa");
  ASSERT_TRUE(c->ok());
  codegen::GenOptions o;
  o.stack = "Reliable";
  o.withHarness = false;
  codegen::GenResult g = codegen::generate(*c, o);
  ASSERT_TRUE(g.ok());
  std::vector<std::string> sources = {dir / "target.cpp"};
  for (const codegen::GeneratedFile& f : g.files) {
    test::writeFile(dir / f.path, f.text);
    if (f.path.find('/') == std::string::npos && f.path.size() > 4 && f.path.substr(f.path.size() - 4) == ".cpp")
      sources.push_back(dir / f.path);
  }
  test::writeFile(dir / "target.cpp", kTarget);
  std::string exe = dir / "fuzz";
  auto cr = test::compile(CODEGEN_TEST_CLANGXX,
                          "-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined", sources,
                          {dir.path(), dir / "runtime"}, exe);
  if (cr.status != 0 && cr.output.find("fuzzer") != std::string::npos &&
      cr.output.find("cannot find") != std::string::npos)
    GTEST_SKIP() << "libFuzzer runtime not installed:\n" << cr.output;
  ASSERT_EQ(cr.status, 0) << cr.output;
  // seed corpus: real traffic, a frame, a tick
  std::filesystem::create_directories(dir / "corpus");
  auto bytes = [](std::initializer_list<int> b) {
    std::string s;
    for (int x : b) s += static_cast<char>(x);
    return s;
  };
  test::writeFile(dir / "corpus/traffic", bytes({2, 5, 0, 'h', 'e', 'l', 'l', 'o', 4, 0, 0, 2, 3, 0, 'a', 'b', 'c'}));
  test::writeFile(dir / "corpus/frame", bytes({0, 14, 0, 0, 12, 4, 0, 0, 3, 0xff, 0xff, 2, 0, 0, 0, 0, 1}));
  auto r = test::run(exe + " -max_total_time=" + std::to_string(CODEGEN_FUZZ_SECONDS) +
                     " -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 " + (dir / "corpus"));
  EXPECT_EQ(r.status, 0) << r.output.substr(r.output.size() > 6000 ? r.output.size() - 6000 : 0);
  EXPECT_EQ(r.output.find("ERROR:"), std::string::npos);
  EXPECT_NE(r.output.find("stat::number_of_executed_units"), std::string::npos);
}

}  // namespace
}  // namespace ioa
