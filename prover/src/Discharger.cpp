// The discharge engine: encode, hash, look up, solve, decode; in parallel.
#include "ioa/prover/Discharger.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <sys/stat.h>

#include "Cache.h"
#include "Interrupts.h"
#include "Sha256.h"
#include "Solve.h"

namespace ioa::prover {

using namespace detail;

std::string defaultCacheDir() {
  if (const char* d = std::getenv("IOAWB_CACHE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return (std::filesystem::path(x) / "ioawb").string();
  if (const char* h = std::getenv("HOME"); h && *h) return (std::filesystem::path(h) / ".cache" / "ioawb").string();
  return (std::filesystem::temp_directory_path() / "ioawb-cache").string();
}

uint64_t defaultCacheMaxBytes() {
  if (const char* m = std::getenv("IOAWB_CACHE_MAX_MB"); m && *m) {
    char* end = nullptr;
    unsigned long long mb = std::strtoull(m, &end, 10);
    if (end && *end == '\0' && mb < (1ull << 40)) return mb << 20;
  }
  return 256ull << 20;
}

namespace {

// This program's executable as a file (device, inode, size, modification
// time), or empty where that cannot be known. The file the process runs from,
// even after a rebuild replaced it on disk: a new build gets new keys, so a
// changed encoder never reads back what an old one recorded.
const std::string& buildIdentity() {
  static const std::string id = [] {
    struct stat st {};
    if (stat("/proc/self/exe", &st) != 0) return std::string();
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
  }();
  return id;
}

constexpr const char* kKeySalt = "ioawb-obligation-key 1\n";

}  // namespace

struct Discharger::Impl {
  Impl(const Model& m, DischargeOptions o) : model(m), opts(std::move(o)), catalog(m) {
    if (opts.useCache) cache = std::make_unique<ObligationCache>(opts.cacheDir.empty() ? defaultCacheDir() : opts.cacheDir);
    // --emit-smt2 needs every query encoded
    if (cache && !opts.specKey.empty() && opts.smt2Dir.empty() && !buildIdentity().empty())
      specDigest = sha256Hex(std::string(kKeySalt) + buildIdentity() + "\n" + opts.specKey);
  }
  std::string specDigest;  // empty: obligations are looked up by their query only

  // The key under which obligation `i` records its query hash; empty without a spec key.
  std::string obligationKey(size_t i, const Obligation& ob) const {
    if (specDigest.empty()) return "";
    return sha256Hex(specDigest + "\n" + std::to_string(i) + "\n" + ob.id + "\n" + ob.kind + "\n" + ob.description);
  }

  // The query hashes this spec's obligations had on earlier runs by this build, and those of this run.
  ObligationCache::QueryHashes knownHashes, newHashes;
  std::mutex hashesMutex;

  // An obligation decided on an earlier run of the same spec by this build, found without its query.
  bool lookUpByKey(const std::string& key, const Obligation& ob, Result& r) const {
    if (key.empty()) return false;
    auto it = knownHashes.find(key);
    CacheRecord rec;
    if (it == knownHashes.end() || !cache->load(it->second, rec)) return false;
    return decidedWithoutQuery(ob, rec, it->second, r);
  }

  void recordKey(const std::string& key, const Result& r) {
    if (key.empty() || r.hash.empty() || (r.status != Status::Proved && r.status != Status::Refuted)) return;
    std::lock_guard<std::mutex> g(hashesMutex);
    newHashes[key] = r.hash;
  }

  // After a run: this spec's file of query hashes, when the run learnt one.
  void storeKeys() {
    if (specDigest.empty() || newHashes.empty()) return;
    ObligationCache::QueryHashes all = knownHashes;
    for (const auto& [k, h] : newHashes) all[k] = h;
    if (all != knownHashes) cache->storeQueryHashes(specDigest, all);
  }

  const Model& model;
  DischargeOptions opts;
  SortCatalog catalog;
  std::unique_ptr<ObligationCache> cache;
  Interrupts interrupts;
  mutable std::mutex statsMutex;
  DischargeStats stats;

  // Runs `solve` in a fresh Z3 context that cancel() can interrupt; `after` sees its result
  // once the context is gone.
  template <class F, class After>
  auto inLiveContext(F&& solve, After&& after) {
    z3::context ctx;
    std::optional<decltype(solve(std::declval<ContextCache&>()))> r;
    {
      Interrupts::Scope live(&interrupts, ctx);
      ContextCache cc(ctx, model, catalog, &interrupts);
      r.emplace(solve(cc));
    }
    after(*r);
    return std::move(*r);
  }

  // (an interrupted step of Z3 outside a check throws: an error only for want of time)
  void markCancelled(Result& r) const {
    if (interrupts.cancelled() && (r.status == Status::Unknown || r.status == Status::Error)) {
      r.status = Status::Unknown;
      r.reason = "cancelled";
      r.counterexample.reset();
    }
  }
};

Discharger::Discharger(const Model& model, DischargeOptions opts) : impl_(std::make_unique<Impl>(model, std::move(opts))) {}
Discharger::~Discharger() = default;

void Discharger::cancel() { impl_->interrupts.cancel(); }

bool Discharger::cancelled() const { return impl_->interrupts.cancelled(); }

DischargeStats Discharger::stats() const {
  std::lock_guard<std::mutex> g(impl_->statsMutex);
  return impl_->stats;
}

void Discharger::run(const std::vector<Obligation>& obligations, const Callback& onResult) {
  std::vector<size_t> all(obligations.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  run(obligations, all, onResult);
}

void Discharger::run(const std::vector<Obligation>& obligations, const std::vector<size_t>& which,
                     const Callback& onResult) {
  run(obligations, which, onResult, nullptr, false);
}

void Discharger::run(const std::vector<Obligation>& obligations, const std::vector<size_t>& which,
                     const Callback& onResult, const TimeoutFor& timeoutFor, bool retry) {
  Impl& im = *impl_;
  unsigned n = im.opts.jobs ? im.opts.jobs : std::max(1u, std::thread::hardware_concurrency());
  if (n > which.size()) n = static_cast<unsigned>(std::max<size_t>(1, which.size()));
  std::atomic<size_t> next{0};
  std::mutex cbMutex;
  if (!im.specDigest.empty()) {
    im.knownHashes = im.cache->loadQueryHashes(im.specDigest);
    im.newHashes.clear();
  }
  // The units of work: an obligation alone, or the obligations of one group (Obligation::group),
  // which one worker takes together, in the order of their first member.
  std::vector<std::vector<size_t>> units;
  const bool groups = std::getenv("IOAWB_PROVER_ALONE") == nullptr;  // (for comparing, see docs/prover.md)
  {
    std::map<std::string, size_t> unitOf;
    for (size_t i : which) {
      const std::string& g = obligations[i].group;
      if (g.empty() || !groups || retry) {  // (a retry: its group has had its try)
        units.push_back({i});
        continue;
      }
      auto [it, fresh] = unitOf.emplace(g, units.size());
      if (fresh) units.emplace_back();
      units[it->second].push_back(i);
    }
  }
  if (n > units.size()) n = static_cast<unsigned>(std::max<size_t>(1, units.size()));
  auto report = [&](size_t i, const Result& r) {
    {
      std::lock_guard<std::mutex> g(im.statsMutex);
      if (retry && im.stats.unknown > 0) --im.stats.unknown;  // (counted by its first result)
      if (r.cached) ++im.stats.cacheHits;
      else if (!retry && r.reason != "cancelled" && r.status != Status::Error && obligations[i].holdsBecause.empty())
        ++im.stats.solved;
      switch (r.status) {
        case Status::Proved: ++im.stats.proved; break;
        case Status::Refuted: ++im.stats.refuted; break;
        case Status::Unknown: ++im.stats.unknown; break;
        case Status::Error: ++im.stats.error; break;
      }
    }
    std::lock_guard<std::mutex> g(cbMutex);
    if (onResult) onResult(i, r);
  };
  // Each worker owns its Z3 contexts; a context serves one obligation (or one group), so that
  // its search does not depend on what the worker solved before (Z3's heuristics are
  // sensitive to the history of a context).
  auto worker = [&]() {
    for (;;) {
      size_t w = next++;
      if (w >= units.size()) break;
      const std::vector<size_t>& unit = units[w];
      // what needs no solver first: cancelled, holding by a syntactic argument, found by its key
      std::vector<std::string> keys(unit.size());
      std::vector<size_t> open;  // (positions in the unit)
      for (size_t u = 0; u < unit.size(); ++u) {
        size_t i = unit[u];
        Result r;
        if (im.interrupts.cancelled()) {
          r.status = Status::Unknown;
          r.reason = "cancelled";
        } else if (!obligations[i].holdsBecause.empty()) {
          r.status = Status::Proved;
          r.reason = obligations[i].holdsBecause;
        } else {
          auto t0 = std::chrono::steady_clock::now();
          keys[u] = im.obligationKey(i, obligations[i]);
          if (!im.lookUpByKey(keys[u], obligations[i], r)) {
            open.push_back(u);
            continue;
          }
          r.timeMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        }
        report(i, r);
      }
      std::vector<std::optional<Result>> together(unit.size());
      std::vector<bool> spent;  // (by position in `open`: the group's check ran out of its budget)
      if (open.size() > 1) {
        std::vector<const Obligation*> members;
        DischargeOptions o = im.opts;
        for (size_t u : open) {
          members.push_back(&obligations[unit[u]]);
          if (timeoutFor) o.timeoutMs = std::min(o.timeoutMs, timeoutFor(unit[u]));
        }
        // (each member proved is reported at once: a group of the flagship takes a second or two)
        auto proved = [&](size_t m, const Result& r) {
          im.recordKey(keys[open[m]], r);
          report(unit[open[m]], r);
        };
        std::vector<std::optional<Result>> got = im.inLiveContext(
            [&](ContextCache& cc) {
              return solveTogether(cc, members, o, im.cache.get(), im.interrupts.flag(), &spent, proved);
            },
            [](std::vector<std::optional<Result>>&) {});
        for (size_t m = 0; m < open.size(); ++m) together[open[m]] = std::move(got[m]);
      }
      for (size_t m = 0; m < open.size(); ++m) {
        const size_t u = open[m];
        if (together[u]) continue;  // (reported)
        const size_t i = unit[u];
        const bool afterGroup = m < spent.size() && spent[m];
        DischargeOptions o = im.opts;
        if (timeoutFor) o.timeoutMs = timeoutFor(i);
        Result r = im.inLiveContext(
            [&](ContextCache& cc) { return solveObligation(cc, obligations[i], o, im.cache.get(), im.interrupts.flag(), afterGroup); },
            [&](Result& res) { im.markCancelled(res); });
        im.recordKey(keys[u], r);
        report(i, r);
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned k = 1; k < n; ++k) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  im.storeKeys();
  // (a cancelled run stops at once: the next run prunes)
  if (im.cache && !im.interrupts.cancelled()) im.cache->prune(im.opts.cacheMaxBytes < 0 ? defaultCacheMaxBytes() : static_cast<uint64_t>(im.opts.cacheMaxBytes));
}

Result Discharger::searchRun(const Obligation& ob, unsigned budgetMs) {
  Impl& im = *impl_;
  if (im.interrupts.cancelled()) {
    Result r;
    r.reason = "cancelled";
    return r;
  }
  return im.inLiveContext([&](ContextCache& cc) { return detail::searchRun(cc, ob, im.opts, budgetMs, im.interrupts.flag()); },
                          [&](Result& r) { im.markCancelled(r); });
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
  return obligationScript(cc, ob);
}

bool recheckCounterexample(const Model& model, const Obligation& ob, const Counterexample& cex, std::string* why) {
  SortCatalog cat(model);
  return confirmCounterexample(model, cat, ob, cex, why);
}

}  // namespace ioa::prover
