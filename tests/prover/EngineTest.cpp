// The engine over whole files: the result cache, parallel workers, timeouts,
// the bundled samples (proved) and their seeded-bug twins (refuted, and
// bounded model checking gives a run from a start state).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "TestUtil.h"
#include "ioa/engine/Check.h"
#include "ioa/engine/Prove.h"

namespace ioa {
namespace {

namespace fs = std::filesystem;
using engine::ObligationResult;
using engine::ProveOptions;
using engine::ProveRun;

std::string sample(const std::string& rel) { return std::string(IOAWB_SAMPLES_DIR) + "/" + rel; }

fs::path tempDir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("ioawb-prover-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string readFile(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Options of a run that solves everything (no result cache), with two workers.
ProveOptions uncached(unsigned timeoutMs) {
  ProveOptions o;
  o.useCache = false;
  o.jobs = 2;
  o.timeoutMs = timeoutMs;
  return o;
}

std::string statuses(const ProveRun& run) {
  std::string s;
  for (const ObligationResult& r : run.results) s += r.info.id + "=" + r.status + "\n";
  return s;
}

TEST(Engine, CacheSolvesNothingTheSecondTimeAndOnlyChangedObligationsAfterAnEdit) {
  fs::path d = tempDir("cache");
  fs::path spec = d / "abp.ioa";
  std::string text = readFile(sample("abp.ioa"));
  std::ofstream(spec) << text;
  ProveOptions o;
  o.cacheDir = (d / "cache").string();
  o.jobs = 2;
  ProveRun first = engine::proveFile(spec.string(), o);
  ASSERT_TRUE(first.error.empty()) << first.error;
  EXPECT_EQ(first.summary.proved, first.summary.total);
  EXPECT_GT(first.summary.solved, 0u);
  EXPECT_GT(first.summary.solverFree, 0u);  // (a step that changes none of an invariant's variables)
  EXPECT_EQ(first.summary.solved + first.summary.cacheHits + first.summary.solverFree, first.summary.total);
  // (a first run may already hit the cache: obligations with identical queries)
  ProveRun second = engine::proveFile(spec.string(), o);
  EXPECT_EQ(second.summary.solved, 0u);
  EXPECT_EQ(second.summary.cacheHits, first.summary.solved + first.summary.cacheHits);
  EXPECT_EQ(second.summary.solverFree, first.summary.solverFree);
  EXPECT_EQ(statuses(second), statuses(first));
  // edit one transition (the sender's send: a no-op conjunct in its effect)
  std::string edited = text;
  size_t at = edited.find("    input send(m)\n      eff queue := queue |- m");
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, std::string("    input send(m)\n      eff queue := queue |- m").size(),
                 "    input send(m)\n      eff queue := queue |- m;\n          sbit := sbit");
  std::ofstream(spec, std::ios::trunc) << edited;
  ProveRun third = engine::proveFile(spec.string(), o);
  EXPECT_EQ(third.summary.proved, third.summary.total);
  EXPECT_GT(third.summary.solved, 0u);
  EXPECT_GT(third.summary.cacheHits, 0u);
  for (const ObligationResult& r : third.results) {
    if (r.cached || !r.reason.empty()) continue;  // from the cache, or holds syntactically
    EXPECT_EQ(r.info.transition, "send") << r.info.id << " was solved again although send is the only change";
  }
  // a comment added: every result is found by its query hash (those proved together with the
  // other invariants of their transition by their hash as members of that group)
  std::ofstream(spec, std::ios::trunc) << edited << "\n% a comment\n";
  ProveRun fourth = engine::proveFile(spec.string(), o);
  EXPECT_EQ(fourth.summary.solved, 0u);
  EXPECT_EQ(statuses(fourth), statuses(third));
  fs::remove_all(d);
}

// The same with a member of a group refuted: the group's solver leaves it, it is refuted alone,
// and after an edit elsewhere it is found in the cache with its counterexample, nothing solved.
TEST(Engine, AGroupsRefutedMemberIsCachedWithItsCounterexample) {
  fs::path d = tempDir("cache-group");
  fs::path spec = d / "stack.ioa";
  const std::string text = R"(automaton Stack
  signature
    input push(v: Nat)
  states
    s: Seq[Nat] := {},
    n: Nat := 0
  transitions
    input push(v)
      eff s := s |- v; n := n + 1

invariant Count of Stack: n = len(s)
invariant Bounded of Stack: len(s) <= 3
invariant Small of Stack: \A i: Nat (i < len(s) => s[i] >= 0)
)";
  std::ofstream(spec) << text;
  ProveOptions o;
  o.cacheDir = (d / "cache").string();
  o.jobs = 2;
  o.searchDepth = 0;  // (the solver's counterexample to induction, not a run)
  ProveRun first = engine::proveFile(spec.string(), o);
  ASSERT_TRUE(first.error.empty()) << first.error;
  auto bounded = [](const ProveRun& run) -> const ObligationResult* {
    for (const ObligationResult& r : run.results)
      if (r.info.id == "invariant-step:Stack:Bounded:push") return &r;
    return nullptr;
  };
  ASSERT_TRUE(bounded(first));
  EXPECT_EQ(bounded(first)->status, "refuted");
  EXPECT_EQ(first.summary.refuted, 1u);
  std::ofstream(spec, std::ios::trunc) << text << "% a comment\n";
  ProveRun second = engine::proveFile(spec.string(), o);
  EXPECT_EQ(second.summary.solved, 0u);
  EXPECT_EQ(statuses(second), statuses(first));
  ASSERT_TRUE(bounded(second) && bounded(second)->counterexample);
  EXPECT_TRUE(bounded(second)->cached);
  fs::remove_all(d);
}

// The cache stays within its bound: beyond it the least recently used files go (results a
// run has just read or written stay), files that are not the cache's are left alone, a
// temporary file a killed run left behind is removed once it is an hour old, and the
// directory is scanned at most once an hour.
TEST(Engine, CacheIsKeptWithinItsBoundByRemovingTheLeastRecentlyUsedFiles) {
  fs::path d = tempDir("prune");
  fs::path cache = d / "cache";
  const auto now = fs::file_time_type::clock::now();
  auto put = [&](const std::string& name, size_t bytes, std::chrono::hours age) {
    fs::path p = cache / name.substr(0, 2) / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << std::string(bytes, 'x');
    fs::last_write_time(p, now - age);
    return p;
  };
  auto hashName = [](int k) {
    char b[65];
    std::snprintf(b, sizeof b, "%064x", k);
    return std::string(b);
  };
  // 30 old results of 100 KiB, older the higher k: 3 MB in all against a bound of 1 MiB
  std::vector<fs::path> old;
  for (int k = 0; k < 30; ++k) old.push_back(put(hashName(k) + ".res", 100 << 10, std::chrono::hours(24 + k)));
  fs::path foreign = put("ab-notes.txt", 200 << 10, std::chrono::hours(24 * 30));
  fs::path staleTmp = put(hashName(99) + ".res.tmp.1234", 10, std::chrono::hours(2));
  fs::path freshTmp = put(hashName(98) + ".res.tmp.5678", 10, std::chrono::hours(0));
  ProveOptions o;
  o.cacheDir = cache.string();
  o.cacheMaxBytes = 1 << 20;
  o.jobs = 2;
  ProveRun first = engine::proveFile(sample("abp.ioa"), o);
  ASSERT_TRUE(first.error.empty()) << first.error;
  ASSERT_GT(first.summary.solved, 0u);
  uint64_t own = 0;
  size_t kept = 0;
  for (const auto& e : fs::recursive_directory_iterator(cache)) {
    std::string n = e.path().filename().string();
    if (e.is_regular_file() && (n.ends_with(".res") || n.ends_with(".keys"))) own += e.file_size();
  }
  EXPECT_LE(own, uint64_t(1) << 20);
  for (size_t k = 0; k < old.size(); ++k) kept += fs::exists(old[k]);
  EXPECT_LT(kept, old.size());
  EXPECT_GT(kept, 0u) << "pruning goes down to three quarters of the bound, not to nothing";
  for (size_t k = 1; k < old.size(); ++k) {  // the oldest went first
    if (fs::exists(old[k])) {
      EXPECT_TRUE(fs::exists(old[k - 1])) << k;
    }
  }
  EXPECT_TRUE(fs::exists(foreign));
  EXPECT_FALSE(fs::exists(staleTmp));
  EXPECT_TRUE(fs::exists(freshTmp));
  // this run's results were kept: a rerun solves nothing
  ProveRun second = engine::proveFile(sample("abp.ioa"), o);
  EXPECT_EQ(second.summary.solved, 0u);
  EXPECT_EQ(statuses(second), statuses(first));
  // within the hour the directory is not scanned again, however full
  fs::path late = put(hashName(200) + ".res", 2 << 20, std::chrono::hours(24 * 365));
  ProveRun third = engine::proveFile(sample("abp.ioa"), o);
  EXPECT_EQ(third.summary.solved, 0u);
  EXPECT_TRUE(fs::exists(late));
  // an hour later it is, and the oldest file goes first
  fs::last_write_time(cache / "last-prune", now - std::chrono::hours(2));
  ProveRun fourth = engine::proveFile(sample("abp.ioa"), o);
  EXPECT_FALSE(fs::exists(late));
  EXPECT_EQ(fourth.summary.solved, 0u);
  // no bound: nothing is removed
  fs::path unbounded = put(hashName(201) + ".res", 2 << 20, std::chrono::hours(24 * 365));
  fs::last_write_time(cache / "last-prune", now - std::chrono::hours(2));
  o.cacheMaxBytes = 0;
  engine::proveFile(sample("abp.ioa"), o);
  EXPECT_TRUE(fs::exists(unbounded));
  fs::remove_all(d);
}

std::map<std::string, const ObligationResult*> byId(const ProveRun& run) {
  std::map<std::string, const ObligationResult*> m;
  for (const ObligationResult& r : run.results) m[r.info.id] = &r;
  return m;
}

// A rerun of the same spec finds its results by the spec's key before encoding any
// query: the same verdicts and query hashes, a refutation still with its
// counterexample (read back through its query), and another option that shapes
// the obligations (the bound of bounded model checking) is not mistaken for it.
TEST(Engine, RerunsFindResultsBeforeEncodingButNotForAnEditOrAnotherBound) {
  fs::path d = tempDir("speckey");
  ProveOptions o;
  o.cacheDir = (d / "cache").string();
  o.jobs = 2;
  o.bmcDepth = 1;
  o.timeoutMs = 3000;  // (the simulation's frame_rx step is then refuted by a search of runs, in 2 s)
  const std::string twin = sample("bugs/abp_ignores_bit.ioa");
  ProveRun first = engine::proveFile(twin, o);
  ASSERT_TRUE(first.error.empty()) << first.error;
  ProveRun second = engine::proveFile(twin, o);
  EXPECT_EQ(statuses(second), statuses(first));
  auto before = byId(first);
  size_t refuted = 0;
  for (const ObligationResult& r : second.results) {
    const ObligationResult& f = *before.at(r.info.id);
    if (!f.reason.empty() && f.hash.empty()) continue;  // holds syntactically, never encoded
    if (!f.info.bounded && f.counterexample && f.counterexample->kind == "trace") continue;  // a search's run: not kept
    EXPECT_TRUE(r.cached) << r.info.id;
    EXPECT_EQ(r.hash, f.hash) << r.info.id;
    if (r.status != "refuted") continue;
    ++refuted;
    ASSERT_TRUE(r.counterexample && f.counterexample) << r.info.id;
    ASSERT_EQ(r.counterexample->failed.size(), f.counterexample->failed.size()) << r.info.id;
    for (size_t k = 0; k < r.counterexample->failed.size(); ++k)
      EXPECT_EQ(r.counterexample->failed[k].text, f.counterexample->failed[k].text) << r.info.id;
    EXPECT_EQ(r.counterexample->steps.size(), f.counterexample->steps.size()) << r.info.id;
  }
  EXPECT_GT(refuted, 0u);
  // an edit that keeps every obligation's name and place but changes its query is solved again
  const char* kCounter = R"(automaton Counter
  signature
    input inc
  states
    x: Int := 0
  transitions
    input inc
      eff x := x + 1

invariant NonNegative of Counter: x >= 0
)";
  fs::path spec = d / "counter.ioa";
  std::ofstream(spec) << kCounter;
  ProveRun up = engine::proveFile(spec.string(), o);
  EXPECT_EQ(byId(up).at("invariant-step:Counter:NonNegative:inc")->status, "proved") << statuses(up);
  std::string down = kCounter;
  down.replace(down.find("x + 1"), 5, "x - 1");
  std::ofstream(spec, std::ios::trunc) << down;
  ProveRun edited = engine::proveFile(spec.string(), o);
  EXPECT_EQ(byId(edited).at("invariant-step:Counter:NonNegative:inc")->status, "refuted") << statuses(edited);
  // one step from a start state shows nothing wrong; nine show the ignored bit
  const ObligationResult* shallow = nullptr;
  for (const ObligationResult& r : second.results)
    if (r.info.bounded && r.info.id.rfind("bmc-simulation", 0) == 0) shallow = &r;
  ASSERT_NE(shallow, nullptr) << statuses(second);
  EXPECT_EQ(shallow->status, "proved") << shallow->info.id;
  o.bmcDepth = 9;
  o.timeoutMs = 20000;  // (a budget: under the sanitizers the 9-step search takes about 3 s, the 3 s above ran out)
  ProveRun deep = engine::proveFile(twin, o);
  EXPECT_EQ(byId(deep).at(shallow->info.id)->status, "refuted") << statuses(deep);
  fs::remove_all(d);
}

TEST(Engine, OneAndTwoJobsGiveTheSameResults) {
  for (const char* f : {"abp.ioa", "bugs/lamport_clocks_ignores_timestamp.ioa"}) {
    ProveOptions o;
    o.useCache = false;
    o.jobs = 1;
    ProveRun one = engine::proveFile(sample(f), o);
    o.jobs = 2;
    ProveRun two = engine::proveFile(sample(f), o);
    EXPECT_EQ(statuses(one), statuses(two)) << f;
    EXPECT_EQ(one.summary.total, two.summary.total);
  }
}

TEST(Engine, TinyTimeoutGivesUnknownNeverProved) {
  ProveOptions o;
  o.useCache = false;
  o.timeoutMs = 1;
  o.jobs = 2;
  ProveRun run = engine::proveFile(sample("gobackn.ioa"), o);
  ASSERT_TRUE(run.error.empty());
  // What a 1 ms budget still proves (queries the simplifier decides) must be proved
  // with a normal one too: a timeout never turns into a proof.
  o.timeoutMs = 20000;
  ProveRun ref = engine::proveFile(sample("gobackn.ioa"), o);
  std::map<std::string, std::string> refStatus;
  for (const ObligationResult& r : ref.results) refStatus[r.info.id] = r.status;
  size_t timeouts = 0;
  for (const ObligationResult& r : run.results) {
    EXPECT_NE(r.status, "refuted") << r.info.id;
    if (r.status == "unknown") {
      ++timeouts;
      EXPECT_NE(r.reason.find("timeout"), std::string::npos) << r.info.id << ": " << r.reason;
    }
    if (r.status == "proved") {
      EXPECT_EQ(refStatus[r.info.id], "proved") << r.info.id;
    }
  }
  EXPECT_GT(timeouts, 0u);
  EXPECT_EQ(engine::proveExitCode(run.summary), 3);
}

// Every bundled sample proves, unbounded; the flagship stack (below) has a test of its own.
TEST(Samples, EveryBundledSampleProves) {
  for (const char* f : {"abp.ioa", "channel.ioa", "gobackn.ioa", "lamport_clocks.ioa", "lamport_mutex.ioa"}) {
    ProveRun run = engine::proveFile(sample(f), uncached(30000));
    ASSERT_TRUE(run.error.empty()) << f << ": " << run.error;
    for (const ObligationResult& r : run.results) EXPECT_EQ(r.status, "proved") << f << ": " << r.info.id << " " << r.reason;
    EXPECT_EQ(engine::proveExitCode(run.summary), 0) << f;
  }
}

// The flagship stack over its lossy, duplicating network refines the reliable
// channel: every invariant (with its ordering invariants of the frames in
// flight), well-definedness and the forward simulation, more than 1,600
// obligations (about 10 s with two jobs).
TEST(Samples, FlagshipStackProves) {
  ProveRun run = engine::proveFile(sample("stacks/reliable.ioa"), uncached(30000));
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_GT(run.summary.total, 1600u);
  size_t simulationSteps = 0;
  for (const ObligationResult& r : run.results) {
    EXPECT_EQ(r.status, "proved") << r.info.id << " " << r.reason;
    if (r.info.kind == "simulation-step") ++simulationSteps;
  }
  EXPECT_GT(simulationSteps, 20u);
  EXPECT_EQ(engine::proveExitCode(run.summary), 0);
}

// Every seeded bug is refuted, and bounded model checking turns it into a run
// from a start state that ends in the violation.
// The interpreter's search for a run is several times slower when it is built
// with sanitizers (Z3 itself is not instrumented); its budget grows to match
// (IOAWB_TEST_SANITIZED, TestUtil.h).
// Under the sanitizers the interpreter's search for the Go-Back-N twin's depth-9
// run takes about 8 s alone; its budget is wall-clock time, so each twin's
// obligations run one at a time there (no sibling solver thread competing) with
// the prover's largest search budget (30 s).
#ifdef IOAWB_TEST_SANITIZED
constexpr unsigned kSearchBudgetMs = 30000;
constexpr unsigned kTwinJobs = 1;
#else
constexpr unsigned kSearchBudgetMs = 5000;
constexpr unsigned kTwinJobs = 2;
#endif

TEST(Samples, EveryBugTwinIsRefutedWithATrace) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(sample("bugs"))) {
    if (e.path().extension() != ".ioa") continue;
    ++n;
    ProveOptions o;
    o.useCache = false;
    o.jobs = kTwinJobs;
    o.timeoutMs = kSearchBudgetMs;  // also the budget of the interpreter's search for a run
    o.bmcDepth = 9;
    ProveRun run = engine::proveFile(e.path().string(), o);
    std::string f = e.path().filename().string();
    ASSERT_TRUE(run.error.empty()) << f << ": " << run.error;
    EXPECT_EQ(engine::proveExitCode(run.summary), 1) << f;
    bool ordinary = false, trace = false;
    for (const ObligationResult& r : run.results) {
      if (r.status != "refuted") continue;
      ASSERT_TRUE(r.counterexample) << r.info.id;
      const engine::CounterexampleView& c = *r.counterexample;
      EXPECT_FALSE(c.failed.empty()) << r.info.id;
      if (!r.info.bounded) {
        ordinary = true;
        continue;
      }
      trace = true;
      EXPECT_EQ(c.kind, "trace");
      EXPECT_GT(c.depth, 0);
      ASSERT_FALSE(c.steps.empty());
      EXPECT_EQ(c.steps.front().label, "start state");
      int actions = 0;
      for (const engine::CexStepView& s : c.steps) actions += s.kind == "action";
      EXPECT_EQ(actions, c.depth) << r.info.id;
    }
    EXPECT_TRUE(ordinary) << f << ": no ordinary obligation refuted";
    EXPECT_TRUE(trace) << f << ": bounded model checking found no run";
  }
  EXPECT_GE(n, 5u);
}


// A header type the user calls Hdr (a union) is not the prover's own sort of header-stack
// elements: the obligations are decided (they were Z3 sort errors), and reading a variant the
// header may not hold is refuted.
TEST(Engine, AUnionHeaderNamedHdrIsItsOwnSort) {
  const std::string spec = R"(type Hdr = union of data: UInt32, ack: UInt32
layer U
  header Hdr
  signature
    input  dn(m: Msg), up(m: Msg)
    output dn_out(m: Msg), up_out(m: Msg)
  states
    dnq: Seq[Msg] := {},
    upq: Seq[Msg] := {},
    n: UInt32 := 0
  transitions
    input dn(m)
      eff dnq := dnq |- push(m, Hdr.data(n));
          n := n + 1
    output dn_out(m)
      pre dnq ~= {} /\ m = head(dnq)
      eff dnq := tail(dnq)
    input up(m)
      eff if hashdr(m) /\ hdr(m) is data then upq := upq |- pop(m) fi
    output up_out(m)
      pre upq ~= {} /\ m = head(upq)
      eff upq := tail(upq)
  fastpath dn: dnq = {}
  fastpath up: upq = {} /\ hashdr(m) /\ hdr(m) is data

stack S = U
)";
  fs::path d = tempDir("union-hdr");
  std::ofstream(d / "ok.ioa") << spec;
  std::string bad = spec;
  bad.replace(bad.find("hashdr(m) /\\ hdr(m) is data\n\nstack"), std::string("hashdr(m) /\\ hdr(m) is data").size(),
              "hdr(m).data = 0");
  std::ofstream(d / "bad.ioa") << bad;
  ProveOptions o;
  o.useCache = false;
  ProveRun ok = engine::proveFile((d / "ok.ioa").string(), o);
  ASSERT_TRUE(ok.error.empty()) << ok.error;
  ASSERT_FALSE(ok.results.empty());
  for (const ObligationResult& r : ok.results) EXPECT_EQ(r.status, "proved") << r.info.id << ": " << r.reason;
  ProveRun no = engine::proveFile((d / "bad.ioa").string(), o);
  ASSERT_TRUE(no.error.empty()) << no.error;
  std::map<std::string, std::string> st;
  for (const ObligationResult& r : no.results) st[r.info.id] = r.status + " " + r.reason;
  EXPECT_EQ(st["well-defined:U:fastpath up"].substr(0, 7), "refuted") << st["well-defined:U:fastpath up"];
  EXPECT_EQ(st["well-defined:U:fastpath dn"].substr(0, 6), "proved") << st["well-defined:U:fastpath dn"];
  fs::remove_all(d);
}

// A step of a composition (the channel's receive synchronised with the receiver's frame_rx) is
// reported with both components' transitions; when the failed condition reads what only one of
// them changed, the result points at that one, not at the first (the generic channel's).
TEST(Engine, RefutedStepOfACompositionPointsAtTheComponentThatBrokeIt) {
  const std::string text = readFile(sample("bugs/abp_ignores_bit.ioa"));
  auto lineOf = [&](const std::string& what) {
    size_t at = text.find(what);
    return at == std::string::npos ? 0u : 1u + static_cast<unsigned>(std::count(text.begin(), text.begin() + at, '\n'));
  };
  const unsigned channelLine = lineOf("    output receive(x)"), receiverLine = lineOf("    input frame_rx(f)");
  ASSERT_GT(channelLine, 0u);
  ASSERT_GT(receiverLine, channelLine);
  ProveOptions o;
  o.useCache = false;
  // (a bound, not a target: FramesAfterAccept's step is refuted in 0.7 s here, but took more than
  // 3 s in the sanitizer build beside other tests, and stayed unknown; CI of 2026-12-05. Only the
  // two invariants' obligations: without a search of runs the simulation's frame_rx step stays
  // undecided and would take the whole bound.)
  o.timeoutMs = 30000;
  o.searchDepth = 0;
  std::map<std::string, const ObligationResult*> by;
  o.only = "FramesAfterAccept";
  ProveRun framesRun = engine::proveFile(sample("bugs/abp_ignores_bit.ioa"), o);
  ASSERT_TRUE(framesRun.error.empty()) << framesRun.error;
  o.only = "Waiting";
  ProveRun run = engine::proveFile(sample("bugs/abp_ignores_bit.ioa"), o);
  ASSERT_TRUE(run.error.empty()) << run.error;
  for (const ProveRun* pr : {&framesRun, &run})
    for (const ObligationResult& r : pr->results) by[r.info.id] = &r;
  const ObligationResult* waiting = by["invariant-step:ABP:Waiting:frame_rx"];
  ASSERT_TRUE(waiting);
  ASSERT_EQ(waiting->status, "refuted") << waiting->reason;
  ASSERT_EQ(waiting->info.participants.size(), 2u);
  EXPECT_EQ(waiting->info.participants[0].component, "C1");
  EXPECT_EQ(waiting->info.participants[0].line, channelLine);
  EXPECT_EQ(waiting->info.participants[1].component, "R");
  EXPECT_EQ(waiting->info.participants[1].line, receiverLine);
  EXPECT_EQ(waiting->info.line, receiverLine);  // R's frame_rx changed rbit, which Waiting reads
  ASSERT_TRUE(waiting->counterexample);
  EXPECT_NE(waiting->counterexample->note.find("the failed condition reads R.rbit, which R's transition changed"),
            std::string::npos)
      << waiting->counterexample->note;
  // both changed what FramesAfterAccept reads: the first component's line, and both named
  const ObligationResult* frames = by["invariant-step:ABP:FramesAfterAccept:frame_rx"];
  ASSERT_TRUE(frames);
  ASSERT_EQ(frames->status, "refuted") << frames->reason;
  EXPECT_EQ(frames->info.line, channelLine);
  ASSERT_TRUE(frames->counterexample);
  EXPECT_NE(frames->counterexample->note.find("reads what C1 and R changed"), std::string::npos)
      << frames->counterexample->note;
  // a start condition, and a step of one component, have no participants
  ASSERT_TRUE(by["invariant-init:ABP:Waiting"]);
  EXPECT_TRUE(by["invariant-init:ABP:Waiting"]->info.participants.empty());
  const std::string json = engine::proveResultsToJson(run.results, run.summary);
  EXPECT_NE(json.find("\"participants\":[{\"component\":\"C1\",\"line\":" + std::to_string(channelLine)),
            std::string::npos);
}

// An invariant or simulation step the solver leaves undecided (here by a 1 ms timeout) is
// followed by a search of runs from a start state: the step that the shortest
// violating run ends with is refuted with that run (kind "trace"); the other
// undecided steps stay unknown and say what the search found. Without the
// search (depth 0), no refutation is a run.
TEST(Engine, UndecidedStepIsRefutedByASearchOfRuns) {
  ProveOptions o = uncached(1);
  ProveRun run = engine::proveFile(sample("bugs/abp_ignores_bit.ioa"), o);
  ASSERT_TRUE(run.error.empty()) << run.error;
  const ObligationResult* hit = nullptr;
  size_t told = 0;
  for (const ObligationResult& r : run.results) {
    if (r.info.id == "invariant-step:ABP:AcksStale:frame_rx") hit = &r;
    if (r.status == "unknown" && r.info.kind == "invariant-step")
      told += r.reason.find("the search of runs from a start state found a run of 6 steps whose last step, frame_rx, "
                            "breaks AcksStale") != std::string::npos;
  }
  ASSERT_TRUE(hit);
  ASSERT_EQ(hit->status, "refuted") << hit->reason;
  ASSERT_TRUE(hit->counterexample);
  EXPECT_EQ(hit->counterexample->kind, "trace");
  EXPECT_EQ(hit->counterexample->depth, 6);
  EXPECT_NE(hit->counterexample->note.find("found by a search of runs"), std::string::npos);
  ASSERT_FALSE(hit->counterexample->failed.empty());
  // (the conjunct as written, as for the solver's own counterexample: the step is AcksStale's)
  for (const engine::FailedView& f : hit->counterexample->failed)
    EXPECT_EQ(f.text, "S.sbit = R.rbit => \\A i: Nat (i < len(C2.q) => C2.q[i] = ~S.sbit)");
  EXPECT_GT(told, 0u);
  EXPECT_EQ(engine::proveExitCode(run.summary), 1);
  // the simulation's step: the abstract channel runs beside the protocol, and a duplicated frame
  // taken twice breaks the relation after five steps
  bool simulation = false;
  for (const ObligationResult& r : run.results) {
    if (r.info.id != "simulation-step:simulation ABP -> Channel:frame_rx") continue;
    ASSERT_EQ(r.status, "refuted") << r.reason;
    ASSERT_TRUE(r.counterexample);
    EXPECT_EQ(r.counterexample->kind, "trace");
    EXPECT_EQ(r.counterexample->depth, 5);
    EXPECT_NE(r.counterexample->note.find("breaks the relation"), std::string::npos) << r.counterexample->note;
    simulation = true;
  }
  EXPECT_TRUE(simulation);

  o.searchDepth = 0;
  ProveRun none = engine::proveFile(sample("bugs/abp_ignores_bit.ioa"), o);
  for (const ObligationResult& r : none.results) {
    if (r.counterexample) {
      EXPECT_NE(r.counterexample->kind, "trace") << r.info.id;
    }
    if (r.status == "unknown") {
      EXPECT_EQ(r.reason.find("search of runs"), std::string::npos) << r.reason;
    }
  }
}

// Two steps no solver settles (Fermat's last theorem for cubes and fourth powers, both true):
// they run until their timeout unless cancelled.
constexpr const char* kPowers = R"(automaton Powers
  signature
    internal pick(a: Nat, b: Nat, c: Nat)
  states
    x: Nat := 1,
    y: Nat := 1,
    z: Nat := 1
  transitions
    internal pick(a, b, c)
      pre a > 0 /\ b > 0 /\ c > 0
      eff x := a;
          y := b;
          z := c

invariant Positive of Powers: x > 0 /\ y > 0 /\ z > 0
invariant NoCubes of Powers: x * x * x + y * y * y ~= z * z * z
invariant NoFourthPowers of Powers: x * x * x * x + y * y * y * y ~= z * z * z * z
)";

// A cancel stops the solver at once, whatever the session is doing: before its workers start,
// in a first pass, in the search of runs, or in the second pass. Z3 interrupts only a check in
// progress; a session cancelled between two checks went on to the end of the obligation's
// timeout, and a window closing with proofs running waited for it (until 2026-12-04).
TEST(Engine, CancelStopsTheSolverWhereverTheSessionIs) {
  constexpr unsigned kTimeoutMs = 300000;
  for (unsigned searchDepth : {0u, 12u})  // (without a search of runs, no short first pass)
  for (int delayMs : {0, 1, 20, 300, 1500, 2300, 3000}) {
    SCOPED_TRACE("search depth " + std::to_string(searchDepth) + ", cancelled after " + std::to_string(delayMs) + " ms");
    engine::CheckResult chk = engine::checkText("powers.ioa", kPowers);
    ASSERT_TRUE(chk.ok());
    std::string error;
    ProveOptions o = uncached(kTimeoutMs);
    o.searchDepth = searchDepth;
    std::unique_ptr<engine::ProveSession> session =
        engine::ProveSession::start(std::shared_ptr<Compilation>(chk.compilation.release()), o, {}, {}, &error);
    ASSERT_TRUE(session) << error;
    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
    auto t0 = std::chrono::steady_clock::now();
    session->cancel();
    session->wait();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // Z3 notices an interrupt within milliseconds (at most 11 ms here, from any of these
    // points); interrupts lost between checks let the attempts run on for 0.5-5 s per case
    // (their resource budgets), and up to the timeout where an attempt has none.
    EXPECT_LT(s, 1.5);
    EXPECT_TRUE(session->summary().cancelled);
    size_t cancelled = 0;
    for (const ObligationResult& r : session->results()) {
      EXPECT_NE(r.status, "refuted") << r.info.id;
      if (r.status != "proved") {
        EXPECT_EQ(r.reason, "cancelled") << r.info.id;
        ++cancelled;
      }
    }
    EXPECT_GE(cancelled, 2u);  // the two steps at least
  }
}

}  // namespace
}  // namespace ioa
