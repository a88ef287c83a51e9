// Front-end throughput: parse + check (+ expansion) of a generated spec of
// more than 10,000 lines, reported as lines per second. Target: >= 100,000.
//
//   ./build/bin/bench_frontend
#include <benchmark/benchmark.h>

#include <string>

#include "ioa/spec/Frontend.h"
#include "ioa/spec/Parser.h"

namespace {

// One block of realistic spec text: types, a channel-like automaton with
// where/pre/eff, loops and conditionals, a composition and invariants.
std::string block(int k) {
  std::string n = std::to_string(k);
  return "type Frame" + n + " = tuple of seq: UInt32, bit: Bool, data: Bytes\n"
         "type State" + n + " = enumeration of idle" + n + ", busy" + n + ", done" + n + "\n"
         "const LIMIT" + n + ": Nat = " + std::to_string(k % 7 + 3) + "\n"
         "function next" + n + "(x: Nat): Nat = if x + 1 = LIMIT" + n + " then 0 else x + 1\n"
         "\n"
         "automaton Worker" + n + "(M: type)\n"
         "  signature\n"
         "    input  put(m: M), ack(b: Bool)\n"
         "    output get(m: M), tx(f: Frame" + n + ")\n"
         "    internal tick(i: Nat)\n"
         "  states\n"
         "    queue: Seq[M] := {},\n"
         "    frames: Seq[Frame" + n + "] := {},\n"
         "    counter: Nat := 0,\n"
         "    seq: UInt32 := 0,\n"
         "    status: State" + n + " := idle" + n + ",\n"
         "    seen: Set[Nat] := {},\n"
         "    table: Map[Nat, Bool] := constant(false)\n"
         "  initially len(queue) = 0 /\\ counter = 0\n"
         "  transitions\n"
         "    input put(m)\n"
         "      eff queue := queue |- m;\n"
         "          counter := next" + n + "(counter);\n"
         "          if status = idle" + n + " then status := busy" + n + " elseif status = done" + n +
         " then status := idle" + n + " fi\n"
         "    input ack(b)\n"
         "      eff if b /\\ queue ~= {} then\n"
         "            queue := tail(queue);\n"
         "            seq := seq + 1\n"
         "          else\n"
         "            table := update(table, counter, b)\n"
         "          fi\n"
         "    output get(m)\n"
         "      pre queue ~= {} /\\ m = head(queue) /\\ counter < LIMIT" + n + "\n"
         "      eff queue := tail(queue); seen := insert(counter, seen)\n"
         "    output tx(f)\n"
         "      pre f = Frame" + n + "(seq: seq, bit: counter mod 2 = 0, data: {}) /\\ len(frames) < 100\n"
         "      eff frames := frames |- f\n"
         "    internal tick(i)\n"
         "      pre i < len(frames) /\\ \\A j: Nat (j < i => frames[j].seq <= seq)\n"
         "      eff for x: Nat in seen do table[x] := true od;\n"
         "          frames := sub(frames, 0, i) || sub(frames, i + 1, len(frames) - i - 1)\n"
         "      ensuring len(frames') < len(frames)\n"
         "  tasks\n"
         "    {get}; {tx}; {tick}\n"
         "\n"
         "automaton Pair" + n + "\n"
         "  components\n"
         "    A: Worker" + n + "(Nat) renaming get to a_get;\n"
         "    B: Worker" + n + "(Nat) renaming put to a_get, ack to b_ack, tx to b_tx\n"
         "  hidden a_get\n"
         "\n"
         "invariant Bounded" + n + " of Pair" + n + ":\n"
         "  A.counter < LIMIT" + n + " /\\ B.counter < LIMIT" + n + " /\\ len(A.frames) >= 0\n"
         "\n";
}

std::string generate(size_t minLines, size_t* lines) {
  std::string text;
  *lines = 0;
  for (int k = 0; *lines < minLines; ++k) {
    std::string b = block(k);
    for (char ch : b) *lines += ch == '\n';
    text += b;
  }
  return text;
}

void BM_ParseAndCheck(benchmark::State& state) {
  size_t lines = 0;
  const std::string text = generate(static_cast<size_t>(state.range(0)), &lines);
  {
    auto c = ioa::compileSource("generated.ioa", text);
    if (c->diags.hasErrors()) {
      state.SkipWithError(("generated spec does not check: " + c->diags.renderAllText().substr(0, 500)).c_str());
      return;
    }
  }
  for (auto _ : state) {
    auto c = ioa::compileSource("generated.ioa", text);
    benchmark::DoNotOptimize(c->model.get());
  }
  state.counters["lines"] = static_cast<double>(lines);
  state.counters["lines_per_second"] =
      benchmark::Counter(static_cast<double>(lines) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseAndCheck)->Arg(10000)->Arg(50000)->Unit(benchmark::kMillisecond);

void BM_ParseOnly(benchmark::State& state) {
  size_t lines = 0;
  const std::string text = generate(static_cast<size_t>(state.range(0)), &lines);
  for (auto _ : state) {
    auto c = ioa::parseSource("generated.ioa", text);
    benchmark::DoNotOptimize(c->module.decls.data());
  }
  state.counters["lines_per_second"] =
      benchmark::Counter(static_cast<double>(lines) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseOnly)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
