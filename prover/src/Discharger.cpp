// The discharge engine: encode, hash, look up, solve, decode; in parallel.
#include "ioa/prover/Discharger.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "Cache.h"
#include "Decode.h"
#include "QueryEncoder.h"
#include "Sha256.h"

namespace ioa::prover {

using namespace detail;

namespace {

// Bump when the encoding changes meaning, so old cache entries are not reused.
constexpr const char* kHashSalt = "ioawb-prover 1\n";

std::string fileNameFor(const std::string& id) {
  std::string s;
  for (char c : id) s += (isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  if (s.size() > 180) s = s.substr(0, 120) + "_" + sha256Hex(id).substr(0, 16);
  return s + ".smt2";
}

void writeSmt2(const std::string& dir, const Obligation& ob, const std::string& smt) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::ofstream out(std::filesystem::path(dir) / fileNameFor(ob.id), std::ios::trunc);
  if (!out) return;
  out << "; ioawb obligation " << ob.id << "\n";
  out << "; " << ob.description << "\n";
  out << "; every (check-sat) answering unsat means proved; sat means refuted\n";
  out << smt;
}

// The negated goal of a segment; with several goals, indicator constants
// say which ones the model violates.
z3::expr negatedGoal(z3::context& c, const Segment& s, int segIndex, std::vector<z3::expr>& indicators) {
  if (!s.existentials.empty() || s.goals.size() == 1) return !segmentGoal(c, s);
  std::vector<z3::expr> any, each;
  for (size_t j = 0; j < s.goals.size(); ++j) {
    z3::expr f = c.bool_const(("fail!" + std::to_string(segIndex) + "." + std::to_string(j)).c_str());
    indicators.push_back(f);
    any.push_back(f);
    each.push_back(z3::implies(f, !s.goals[j].cond));
  }
  each.push_back(mkOr(c, any));
  return mkAnd(c, each);
}

// Z3 4.8.12 prints datatype declarations in an order that may use a sort
// before declaring it; `z3 -smt2` then rejects the file. Put uninterpreted
// sorts first and datatypes in dependency order (stable otherwise).
std::string orderDeclarations(const std::string& text) {
  struct Form {
    std::string text, head, name;
    std::vector<std::string> tokens;
  };
  std::vector<Form> forms;
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= n) break;
    if (text[i] == ';') {
      size_t e = text.find('\n', i);
      forms.push_back({text.substr(i, (e == std::string::npos ? n : e) - i), ";", "", {}});
      i = e == std::string::npos ? n : e;
      continue;
    }
    size_t start = i;
    int depth = 0;
    Form f;
    std::string tok;
    auto flush = [&]() {
      if (!tok.empty()) f.tokens.push_back(tok);
      tok.clear();
    };
    do {
      char ch = text[i];
      if (ch == '|') {
        size_t e = text.find('|', i + 1);
        size_t stop = e == std::string::npos ? n : e + 1;
        tok += text.substr(i, stop - i);
        i = stop;
        continue;
      }
      if (ch == '(') {
        flush();
        ++depth;
      } else if (ch == ')') {
        flush();
        --depth;
      } else if (isspace(static_cast<unsigned char>(ch))) {
        flush();
      } else {
        tok += ch;
      }
      ++i;
    } while (i < n && depth > 0);
    flush();
    f.text = text.substr(start, i - start);
    if (!f.tokens.empty()) f.head = f.tokens[0];
    if (f.head == "declare-datatypes" && f.tokens.size() > 1) f.name = f.tokens[1];
    if (f.head == "declare-sort" && f.tokens.size() > 1) f.name = f.tokens[1];
    forms.push_back(std::move(f));
  }
  std::vector<const Form*> sorts, dts, rest;
  for (const Form& f : forms) {
    if (f.head == "declare-sort") sorts.push_back(&f);
    else if (f.head == "declare-datatypes") dts.push_back(&f);
    else rest.push_back(&f);
  }
  std::vector<const Form*> ordered;
  std::vector<bool> placed(dts.size(), false);
  for (size_t round = 0; round < dts.size(); ++round) {
    for (size_t a = 0; a < dts.size(); ++a) {
      if (placed[a]) continue;
      bool ready = true;
      for (size_t b = 0; b < dts.size() && ready; ++b) {
        if (a == b || placed[b]) continue;
        for (size_t t = 2; t < dts[a]->tokens.size(); ++t)
          if (dts[a]->tokens[t] == dts[b]->name) {
            ready = false;
            break;
          }
      }
      if (ready) {
        placed[a] = true;
        ordered.push_back(dts[a]);
        break;
      }
    }
  }
  for (size_t a = 0; a < dts.size(); ++a)
    if (!placed[a]) ordered.push_back(dts[a]);
  std::string out;
  auto emit = [&](const Form* f) { out += f->text + "\n"; };
  size_t k = 0;
  // leading comments and set-info stay first
  while (k < rest.size() && (rest[k]->head == ";" || rest[k]->head == "set-info")) emit(rest[k++]);
  for (const Form* f : sorts) emit(f);
  for (const Form* f : ordered) emit(f);
  for (; k < rest.size(); ++k) emit(rest[k]);
  return out;
}

// One SMT-LIB benchmark per checkpoint with goals: everything asserted so far
// (earlier checkpoints' goals included) and the negated goal.
std::vector<std::string> segmentScripts(z3::context& c, const EncodedQuery& q) {
  std::vector<std::string> out;
  std::vector<z3::expr> facts = q.global;
  for (size_t i = 0; i < q.segments.size(); ++i) {
    const Segment& s = q.segments[i];
    for (const z3::expr& h : s.hyps) facts.push_back(h);
    if (s.goals.empty()) continue;
    std::vector<z3::expr> ind;
    z3::expr neg = negatedGoal(c, s, static_cast<int>(i), ind);
    std::vector<Z3_ast> arr;
    for (const z3::expr& f : facts) arr.push_back(f);
    std::string text = Z3_benchmark_to_smtlib_string(c, "", "", "unknown", "", static_cast<unsigned>(arr.size()),
                                                     arr.data(), neg);
    c.check_error();
    out.push_back(orderDeclarations(text));
    facts.push_back(segmentGoal(c, s));
  }
  return out;
}

// The script as hashed: benchmarks separated by (reset). `phases` (when given)
// says which solver configuration decided each benchmark, so that `z3 -smt2`
// on the emitted file takes the same road: '1' = e-matching only.
struct Attempt {
  bool simple;      // Z3's SMT core without preprocessing tactics
  bool mbqi;
  unsigned seed;
  unsigned rlimit;  // 0 = no limit (the timeout still applies)
};
const std::vector<Attempt> kAttempts = {{true, false, 0, 1000000},  {false, false, 0, 2000000},
                                        {true, false, 1, 2000000},  {false, false, 1, 4000000},
                                        {false, false, 2, 8000000}, {false, true, 0, 0}};

std::string joinScripts(const std::vector<std::string>& parts, const std::string& phases = {}) {
  if (parts.empty()) return "; no goals: the query holds\n(assert false)\n(check-sat)\n";
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += "(reset)\n";
    if (i < phases.size() && phases[i] >= '0' && phases[i] < static_cast<char>('0' + kAttempts.size())) {
      const Attempt& at = kAttempts[static_cast<size_t>(phases[i] - '0')];
      if (!at.mbqi) out += "(set-option :smt.mbqi false)\n";
      if (at.seed) out += "(set-option :smt.random_seed " + std::to_string(at.seed) + ")\n";
    }
    out += parts[i];
  }
  return out;
}

Value decodeOrInt(Decoder& d, const Model& m, Sort s, const z3::expr& t) { return d.decode(s ? s : m.sorts.integer(), t); }

Result solveOne(ContextCache& cc, const Obligation& ob, const DischargeOptions& o, const ObligationCache* cache) {
  auto t0 = std::chrono::steady_clock::now();
  Result r;
  auto finish = [&]() {
    r.timeMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r;
  };
  z3::context& c = cc.ctx();
  try {
    Encoder en(cc);
    EncodedQuery q = encodeQuery(en, ob.query);
    auto tEnc = std::chrono::steady_clock::now();
    std::vector<std::string> parts = segmentScripts(c, q);
    r.hash = sha256Hex(std::string(kHashSalt) + joinScripts(parts));
    auto tHash = std::chrono::steady_clock::now();
    static const bool profile = std::getenv("IOAWB_PROVER_PROFILE") != nullptr;
    struct Report {
      bool on;
      const Obligation& ob;
      std::chrono::steady_clock::time_point t0, tEnc, tHash;
      ~Report() {
        if (!on) return;
        auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
        auto now = std::chrono::steady_clock::now();
        std::fprintf(stderr, "[prover] %-70s encode %6.1f  smt2+hash %6.1f  solve %7.1f ms\n", ob.id.c_str(),
                     ms(t0, tEnc), ms(tEnc, tHash), ms(tHash, now));
      }
    } report{profile, ob, t0, tEnc, tHash};
    std::string phases;  // per benchmark: '1' decided by e-matching alone, '2' with model-based instantiation
    struct Emit {
      const DischargeOptions& o;
      const Obligation& ob;
      const std::vector<std::string>& parts;
      std::string& phases;
      ~Emit() {
        if (!o.smt2Dir.empty()) writeSmt2(o.smt2Dir, ob, joinScripts(parts, phases));
      }
    } emit{o, ob, parts, phases};
    CacheRecord rec;
    if (cache && cache->load(r.hash, rec)) {
      bool ok = true;
      if (rec.status == Status::Refuted) {
        size_t k = 0;
        ValueSource src = [&](Sort s, const z3::expr&) {
          Value v;
          if (k >= rec.values.size() || !decodeValue(s, rec.values[k++], v, cc.catalog())) ok = false;
          return v;
        };
        std::vector<Value> vals = readPlan(q, rec.segment, src);
        if (ok && k == rec.values.size()) r.counterexample = buildCounterexample(q, rec.segment, vals, rec.failed);
        else ok = false;
      }
      if (ok) {
        r.status = rec.status;
        r.cached = true;
        phases = rec.phases;
        return finish();
      }
    }
    // A small portfolio per check, each attempt on a fresh solver. E-matching
    // alone (no model-based instantiation) proves most obligations quickly,
    // first on Z3's plain SMT core, then with its preprocessing tactics; its
    // search is sensitive to the random seed, so the attempts vary seeds with
    // growing, deterministic resource budgets. Model-based instantiation
    // (needed to build counterexamples) gets the rest of the time.
    unsigned total = o.timeoutMs == 0 ? 1u : o.timeoutMs;
    std::string lastReason;
    std::optional<z3::solver> decided;
    auto check = [&](const std::vector<z3::expr>& facts, const z3::expr& neg) {
      auto start = std::chrono::steady_clock::now();
      for (size_t k = 0; k < kAttempts.size(); ++k) {
        const Attempt& at = kAttempts[k];
        auto used = static_cast<unsigned>(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        if (used >= total) break;
        z3::solver s = at.simple ? z3::solver(c, z3::solver::simple()) : z3::solver(c);
        z3::params p(c);
        p.set("smt.mbqi", at.mbqi);
        p.set("random_seed", at.seed);
        p.set("rlimit", at.rlimit);
        p.set("timeout", total - used);
        s.set(p);
        for (const z3::expr& f : facts) s.add(f);
        s.add(neg);
        z3::check_result cr = s.check();
        if (cr != z3::unknown) {
          phases += static_cast<char>('0' + k);
          decided.emplace(s);
          return cr;
        }
        lastReason = s.reason_unknown();
        if (lastReason.find("resource") != std::string::npos) continue;  // budget used up: next attempt
        if (lastReason.find("incomplete") != std::string::npos && !at.mbqi) {
          while (k + 1 < kAttempts.size() && !kAttempts[k + 1].mbqi) ++k;  // a candidate model: check it with MBQI
          continue;
        }
        if (at.mbqi) break;
      }
      phases += '-';
      if (lastReason.find("resource") != std::string::npos) lastReason = "timeout";
      return z3::unknown;
    };
    std::vector<z3::expr> facts = q.global;
    for (size_t i = 0; i < q.segments.size(); ++i) {
      const Segment& sg = q.segments[i];
      for (const z3::expr& h : sg.hyps) facts.push_back(h);
      if (sg.goals.empty()) continue;
      std::vector<z3::expr> ind;
      z3::expr neg = negatedGoal(c, sg, static_cast<int>(i), ind);
      z3::check_result cr = check(facts, neg);
      if (cr == z3::unsat) {
        facts.push_back(segmentGoal(c, sg));
        continue;
      }
      if (cr == z3::unknown) {
        r.status = Status::Unknown;
        r.reason = lastReason.empty() ? "unknown" : lastReason;
        return finish();
      }
      z3::solver& s = *decided;
      z3::model m = s.get_model();
      Decoder d(en, m);
      ValueSource src = [&](Sort st, const z3::expr& t) { return decodeOrInt(d, cc.model(), st, t); };
      std::vector<Value> vals = readPlan(q, static_cast<int>(i), src);
      std::vector<int> failed;
      if (ind.empty()) {
        for (size_t j = 0; j < sg.goals.size(); ++j) failed.push_back(static_cast<int>(j));
      } else {
        for (size_t j = 0; j < ind.size(); ++j)
          if (m.eval(ind[j], true).is_true()) failed.push_back(static_cast<int>(j));
      }
      r.status = Status::Refuted;
      r.counterexample = buildCounterexample(q, static_cast<int>(i), vals, failed);
      for (const Input& in : en.inputs()) r.counterexample->inputs.push_back({in.name, d.decode(in.sort, in.sym)});
      if (cache) {
        CacheRecord out;
        out.status = Status::Refuted;
        out.segment = static_cast<int>(i);
        out.failed = failed;
        out.phases = phases;
        for (const Value& v : vals) out.values.push_back(encodeValue(v, cc.catalog()));
        cache->store(r.hash, out);
      }
      return finish();
    }
    r.status = Status::Proved;
    if (cache) {
      CacheRecord out;
      out.status = Status::Proved;
      out.phases = phases;
      cache->store(r.hash, out);
    }
  } catch (const Unsupported& e) {
    r.status = Status::Error;
    r.reason = e.what();
  } catch (const z3::exception& e) {
    r.status = Status::Error;
    r.reason = std::string("Z3: ") + e.msg();
  }
  return finish();
}

}  // namespace

std::string defaultCacheDir() {
  if (const char* d = std::getenv("IOAWB_CACHE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return (std::filesystem::path(x) / "ioawb").string();
  if (const char* h = std::getenv("HOME"); h && *h) return (std::filesystem::path(h) / ".cache" / "ioawb").string();
  return (std::filesystem::temp_directory_path() / "ioawb-cache").string();
}

struct Discharger::Impl {
  Impl(const Model& m, DischargeOptions o) : model(m), opts(std::move(o)), catalog(m) {
    if (opts.useCache) cache = std::make_unique<ObligationCache>(opts.cacheDir.empty() ? defaultCacheDir() : opts.cacheDir);
  }
  const Model& model;
  DischargeOptions opts;
  SortCatalog catalog;
  std::unique_ptr<ObligationCache> cache;
  std::atomic<bool> cancelled{false};
  std::mutex liveMutex;
  std::vector<z3::context*> live;
  mutable std::mutex statsMutex;
  DischargeStats stats;
};

Discharger::Discharger(const Model& model, DischargeOptions opts) : impl_(std::make_unique<Impl>(model, std::move(opts))) {}
Discharger::~Discharger() = default;

void Discharger::cancel() {
  impl_->cancelled = true;
  std::lock_guard<std::mutex> g(impl_->liveMutex);
  for (z3::context* c : impl_->live) c->interrupt();
}

bool Discharger::cancelled() const { return impl_->cancelled; }

DischargeStats Discharger::stats() const {
  std::lock_guard<std::mutex> g(impl_->statsMutex);
  return impl_->stats;
}

void Discharger::run(const std::vector<Obligation>& obligations, const Callback& onResult) {
  Impl& im = *impl_;
  unsigned n = im.opts.jobs ? im.opts.jobs : std::max(1u, std::thread::hardware_concurrency());
  if (n > obligations.size()) n = static_cast<unsigned>(std::max<size_t>(1, obligations.size()));
  std::atomic<size_t> next{0};
  std::mutex cbMutex;
  // Each worker owns its Z3 contexts; a context serves one obligation, so that
  // an obligation's search does not depend on what the worker solved before
  // (Z3's heuristics are sensitive to the history of a context).
  auto worker = [&]() {
    for (;;) {
      size_t i = next++;
      if (i >= obligations.size()) break;
      Result r;
      if (im.cancelled) {
        r.status = Status::Unknown;
        r.reason = "cancelled";
      } else {
        z3::context ctx;
        {
          std::lock_guard<std::mutex> g(im.liveMutex);
          im.live.push_back(&ctx);
          if (im.cancelled) ctx.interrupt();
        }
        {
          ContextCache cc(ctx, im.model, im.catalog);
          r = solveOne(cc, obligations[i], im.opts, im.cache.get());
        }
        {
          std::lock_guard<std::mutex> g(im.liveMutex);
          im.live.erase(std::find(im.live.begin(), im.live.end(), &ctx));
        }
        if (im.cancelled && r.status == Status::Unknown) r.reason = "cancelled";
      }
      {
        std::lock_guard<std::mutex> g(im.statsMutex);
        if (r.cached) ++im.stats.cacheHits;
        else if (r.reason != "cancelled" && r.status != Status::Error) ++im.stats.solved;
        switch (r.status) {
          case Status::Proved: ++im.stats.proved; break;
          case Status::Refuted: ++im.stats.refuted; break;
          case Status::Unknown: ++im.stats.unknown; break;
          case Status::Error: ++im.stats.error; break;
        }
      }
      std::lock_guard<std::mutex> g(cbMutex);
      if (onResult) onResult(i, r);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned k = 1; k < n; ++k) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
}

Result dischargeOne(const Model& model, const Obligation& ob, const DischargeOptions& opts) {
  Result out;
  DischargeOptions o = opts;
  o.jobs = 1;
  Discharger d(model, o);
  d.run({ob}, [&](size_t, const Result& r) { out = r; });
  return out;
}

std::string queryToSmt2(const Model& model, const Obligation& ob) {
  z3::context ctx;
  SortCatalog cat(model);
  ContextCache cc(ctx, model, cat);
  Encoder en(cc);
  EncodedQuery q = encodeQuery(en, ob.query);
  return joinScripts(segmentScripts(ctx, q));
}

bool recheckCounterexample(const Model& model, const Obligation& ob, const Counterexample& cex, std::string* why) {
  auto fail = [&](const std::string& m) {
    if (why) *why = m;
    return false;
  };
  if (cex.inputs.empty()) return fail("the counterexample carries no input values (cached result?)");
  try {
    z3::context ctx;
    SortCatalog cat(model);
    ContextCache cc(ctx, model, cat);
    Encoder en(cc);
    std::map<std::string, Value> pinned;
    for (const NamedValue& nv : cex.inputs) pinned.emplace(nv.name, nv.value);
    en.pinned = &pinned;
    EncodedQuery q = encodeQuery(en, ob.query);
    // which checkpoint failed: the one at the counterexample's depth with matching goals
    int seg = -1;
    for (size_t i = 0; i < q.segments.size(); ++i) {
      if (q.segments[i].goals.empty()) continue;
      if (cex.depth < 0 || q.segments[i].depth == cex.depth) {
        seg = static_cast<int>(i);
        if (cex.depth >= 0) break;
      }
    }
    if (seg < 0) return fail("no checkpoint matches the counterexample");
    for (const Input& in : en.inputs())
      if (!pinned.count(in.name)) return fail("symbol " + in.name + " has no value in the counterexample");
    z3::solver s(ctx);
    for (const z3::expr& g : q.global) s.add(g);
    for (int i = 0; i <= seg; ++i) {
      for (const z3::expr& h : q.segments[static_cast<size_t>(i)].hyps) s.add(h);
      if (i < seg && !q.segments[static_cast<size_t>(i)].goals.empty()) s.add(segmentGoal(ctx, q.segments[static_cast<size_t>(i)]));
    }
    z3::check_result a = s.check();
    if (a != z3::sat)
      return fail(a == z3::unsat ? "the values do not satisfy the assumptions" : "the assumptions could not be decided");
    const Segment& sg = q.segments[static_cast<size_t>(seg)];
    Segment only = sg;
    only.goals.clear();
    for (const FailedGoal& f : cex.failed)
      for (const GoalItem& g : sg.goals)
        if (g.label == f.text) {
          only.goals.push_back(g);
          break;
        }
    if (only.goals.empty()) only.goals = sg.goals;
    s.add(segmentGoal(ctx, only));
    z3::check_result b = s.check();
    if (b == z3::unsat) return true;
    return fail(b == z3::sat ? "the failed goal holds for these values" : "the failed goal could not be decided");
  } catch (const Unsupported& e) {
    return fail(e.what());
  } catch (const z3::exception& e) {
    return fail(std::string("Z3: ") + e.msg());
  }
}

}  // namespace ioa::prover
