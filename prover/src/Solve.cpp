// Solving one obligation: encode, hash, cache, a portfolio of solver
// configurations, decoding and confirming counterexamples, SMT-LIB export.
#include "Solve.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "Decode.h"
#include "QueryEncoder.h"
#include "Sha256.h"

namespace ioa::prover::detail {

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

namespace {

// The portfolio. E-matching alone (no model-based instantiation) proves most
// obligations quickly, first on Z3's plain SMT core, then with its
// preprocessing tactics; its search is sensitive to the random seed, so the
// attempts vary seeds under growing, deterministic resource budgets.
struct Attempt {
  bool simple;      // Z3's SMT core without preprocessing tactics
  unsigned seed;
  unsigned rlimit;  // resource budget (deterministic, unlike time)
};
const std::vector<Attempt> kProofAttempts = {
    {true, 0, 300000}, {false, 0, 2000000}, {true, 1, 600000}, {false, 1, 4000000}, {false, 2, 8000000}};

// Per checkpoint, how it was decided: '0'.. an e-matching attempt, 'r' model
// search without canonical-form facts, 'm' model search on the full query,
// '-' undecided. The emitted SMT-LIB follows the same road.
std::string joinScripts(const std::vector<std::string>& full, const std::vector<std::string>& relaxed,
                        const std::string& phases) {
  if (full.empty()) return "; no goals: the query holds\n(assert false)\n(check-sat)\n";
  std::string out;
  for (size_t i = 0; i < full.size(); ++i) {
    if (i) out += "(reset)\n";
    char ph = i < phases.size() ? phases[i] : '-';
    if (ph >= '0' && ph < static_cast<char>('0' + kProofAttempts.size())) {
      out += "(set-option :smt.mbqi false)\n";
      unsigned seed = kProofAttempts[static_cast<size_t>(ph - '0')].seed;
      if (seed) out += "(set-option :smt.random_seed " + std::to_string(seed) + ")\n";
    }
    if (ph == 'r' && i < relaxed.size()) {
      out += "; model search without the canonical-form facts of sequences and maps; the model was\n"
             "; confirmed against the full query with its values fixed\n";
      out += relaxed[i];
      continue;
    }
    out += full[i];
  }
  return out;
}

double msSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

class ObligationSolver {
 public:
  ObligationSolver(ContextCache& cc, const Model& model, const SortCatalog& cat, const Obligation& ob,
                   const DischargeOptions& o, const ObligationCache* cache, const std::atomic<bool>* cancelled)
      : cc_(cc), c_(cc.ctx()), model_(model), cat_(cat), ob_(ob), o_(o), cache_(cache), cancelled_(cancelled) {}

  Result run() {
    t0_ = std::chrono::steady_clock::now();
    try {
      full_ = std::make_unique<Encoder>(cc_);
      q_ = encodeQuery(*full_, ob_.query);
      fullScripts_ = segmentScripts(c_, q_);
      r_.hash = sha256Hex(std::string(kHashSalt) + joinScripts(fullScripts_, {}, ""));
      if (!fromCache()) solve();
      if (!o_.smt2Dir.empty()) {
        std::vector<std::string> relaxedScripts;
        if (phases_.find('r') != std::string::npos && relaxedQ_) relaxedScripts = segmentScripts(c_, *relaxedQ_);
        writeSmt2(o_.smt2Dir, ob_, joinScripts(fullScripts_, relaxedScripts, phases_));
      }
    } catch (const Unsupported& e) {
      r_.status = Status::Error;
      r_.reason = e.what();
    } catch (const z3::exception& e) {
      r_.status = Status::Error;
      r_.reason = std::string("Z3: ") + e.msg();
    }
    r_.timeMs = msSince(t0_);
    if (std::getenv("IOAWB_PROVER_PROFILE"))
      std::fprintf(stderr, "[prover] %-70s %-8s %-6s %8.1f ms\n", ob_.id.c_str(), statusName(r_.status), phases_.c_str(),
                   r_.timeMs);
    return r_;
  }

 private:
  unsigned remaining() const {
    unsigned total = o_.timeoutMs == 0 ? 1u : o_.timeoutMs;
    auto used = static_cast<unsigned>(msSince(checkStart_));
    return used >= total ? 0u : total - used;
  }

  bool fromCache() {
    CacheRecord rec;
    if (!cache_ || !cache_->load(r_.hash, rec)) return false;
    if (rec.status == Status::Refuted) {
      size_t k = 0;
      bool ok = true;
      ValueSource src = [&](Sort s, const z3::expr&) {
        Value v;
        if (k >= rec.values.size() || !decodeValue(s, rec.values[k++], v, cat_)) ok = false;
        return v;
      };
      std::vector<Value> vals = readPlan(q_, rec.segment, src);
      if (!ok || k != rec.values.size()) return false;
      r_.counterexample = buildCounterexample(q_, rec.segment, vals, rec.failed);
    }
    r_.status = rec.status;
    r_.cached = true;
    phases_ = rec.phases;
    return true;
  }

  // One attempt on a fresh solver.
  z3::check_result attempt(const std::vector<z3::expr>& facts, const z3::expr& neg, bool simple, bool mbqi,
                           unsigned seed, unsigned rlimit, std::optional<z3::solver>& keep) {
    unsigned left = remaining();
    if (left == 0) {
      reason_ = "timeout";
      return z3::unknown;
    }
    z3::solver s = simple ? z3::solver(c_, z3::solver::simple()) : z3::solver(c_);
    z3::params p(c_);
    p.set("smt.mbqi", mbqi);
    p.set("random_seed", seed);
    p.set("rlimit", rlimit);
    p.set("timeout", left);
    s.set(p);
    for (const z3::expr& f : facts) s.add(f);
    s.add(neg);
    auto ta = std::chrono::steady_clock::now();
    z3::check_result cr = s.check();
    if (std::getenv("IOAWB_PROVER_PROFILE")) {
      double used = 0;
      z3::stats st = s.statistics();
      for (unsigned k = 0; k < st.size(); ++k)
        if (st.key(k) == "rlimit count") used = st.is_uint(k) ? st.uint_value(k) : st.double_value(k);
      std::fprintf(stderr, "[attempt] %-60s simple=%d mbqi=%d seed=%u rlimit=%u -> %s %.1f ms, %.0f rlimit\n",
                   ob_.id.c_str(), simple, mbqi, seed, rlimit,
                   cr == z3::unsat ? "unsat" : cr == z3::sat ? "sat" : s.reason_unknown().c_str(), msSince(ta), used);
    }
    if (cr == z3::unknown) {
      reason_ = s.reason_unknown();
      // Z3 says "canceled" both for an exhausted resource budget and for an interrupt
      bool stopped = reason_.find("cancel") != std::string::npos || reason_.find("resource") != std::string::npos ||
                     reason_.find("timeout") != std::string::npos;
      if (stopped) reason_ = (cancelled_ && *cancelled_) ? "cancelled" : remaining() == 0 ? "timeout" : "resource budget";
    }
    keep.emplace(s);
    return cr;
  }

  // The refutation found in `model` (of encoding `q`) for checkpoint `seg`.
  Counterexample counterexampleOf(Encoder& en, const EncodedQuery& q, const z3::model& model, int seg,
                                  const std::vector<z3::expr>& indicators, std::vector<Value>& vals,
                                  std::vector<int>& failed) {
    Decoder d(en, model);
    ValueSource src = [&](Sort st, const z3::expr& t) { return d.decode(st ? st : model_.sorts.integer(), t); };
    vals = readPlan(q, seg, src);
    const Segment& sg = q.segments[static_cast<size_t>(seg)];
    failed.clear();
    if (indicators.empty()) {
      for (size_t j = 0; j < sg.goals.size(); ++j) failed.push_back(static_cast<int>(j));
    } else {
      for (size_t j = 0; j < indicators.size(); ++j)
        if (model.eval(indicators[j], true).is_true()) failed.push_back(static_cast<int>(j));
    }
    Counterexample cx = buildCounterexample(q, seg, vals, failed);
    for (const Input& in : en.inputs()) cx.inputs.push_back({in.name, d.decode(in.sort, in.sym)});
    return cx;
  }

  void refuted(Counterexample cx, int seg, const std::vector<Value>& vals, const std::vector<int>& failed) {
    r_.status = Status::Refuted;
    r_.counterexample = std::move(cx);
    if (cache_) {
      CacheRecord out;
      out.status = Status::Refuted;
      out.segment = seg;
      out.failed = failed;
      out.phases = phases_;
      for (const Value& v : vals) out.values.push_back(encodeValue(v, cat_));
      cache_->store(r_.hash, out);
    }
  }

  void solve() {
    std::vector<z3::expr> facts = q_.global;
    std::vector<z3::expr> relaxedFacts;
    size_t relaxedUpTo = 0;
    for (size_t i = 0; i < q_.segments.size(); ++i) {
      const Segment& sg = q_.segments[i];
      for (const z3::expr& h : sg.hyps) facts.push_back(h);
      if (sg.goals.empty()) continue;
      checkStart_ = std::chrono::steady_clock::now();
      std::vector<z3::expr> ind;
      z3::expr neg = negatedGoal(c_, sg, static_cast<int>(i), ind);
      std::optional<z3::solver> s;
      // 1. proofs by e-matching
      bool proved = false, candidate = false;
      for (size_t k = 0; k < kProofAttempts.size() && !proved; ++k) {
        const Attempt& at = kProofAttempts[k];
        z3::check_result cr = attempt(facts, neg, at.simple, false, at.seed, at.rlimit, s);
        if (cr == z3::unsat) {
          phases_ += static_cast<char>('0' + k);
          proved = true;
        } else if (cr == z3::sat) {
          candidate = true;  // a model without model-based instantiation: confirm below
          break;
        } else if (reason_.find("resource") == std::string::npos) {
          candidate = reason_.find("incomplete") != std::string::npos;
          break;  // a candidate model, a timeout or a cancellation: no use trying other seeds
        }
      }
      if (proved) {
        facts.push_back(segmentGoal(c_, sg));
        continue;
      }
      if (remaining() == 0 || reason_ == "cancelled") return undecided();
      (void)candidate;
      // 2. model search without canonical-form facts, confirmed against the full query
      if (!relaxedQ_) {
        relaxed_ = std::make_unique<Encoder>(cc_);
        relaxed_->canonicity = false;
        relaxedQ_ = encodeQuery(*relaxed_, ob_.query);
        relaxedFacts = relaxedQ_->global;
      }
      if (relaxedQ_->segments.size() == q_.segments.size()) {
        for (; relaxedUpTo <= i; ++relaxedUpTo) {
          const Segment& rs = relaxedQ_->segments[relaxedUpTo];
          for (const z3::expr& h : rs.hyps) relaxedFacts.push_back(h);
          if (relaxedUpTo < i && !rs.goals.empty()) relaxedFacts.push_back(segmentGoal(c_, rs));
        }
        const Segment& rs = relaxedQ_->segments[i];
        std::vector<z3::expr> rind;
        z3::expr rneg = negatedGoal(c_, rs, static_cast<int>(i), rind);
        std::optional<z3::solver> rsol;
        z3::check_result cr = attempt(relaxedFacts, rneg, false, true, 0, 0, rsol);
        if (cr == z3::sat) {
          std::vector<Value> vals;
          std::vector<int> failed;
          Counterexample cx = counterexampleOf(*relaxed_, *relaxedQ_, rsol->get_model(), static_cast<int>(i), rind, vals, failed);
          std::string why;
          if (confirmCounterexample(model_, cat_, ob_, cx, &why)) {
            phases_ += 'r';
            return refuted(std::move(cx), static_cast<int>(i), vals, failed);
          }
        } else if (cr == z3::unsat) {
          // without the canonical-form facts nothing violates the goal: neither with them
          phases_ += 'r';
          facts.push_back(segmentGoal(c_, sg));
          relaxedFacts.push_back(segmentGoal(c_, rs));
          relaxedUpTo = i + 1;
          continue;
        }
        if (remaining() == 0 || reason_ == "cancelled") return undecided();
      }
      // 3. model search on the full query
      z3::check_result cr = attempt(facts, neg, false, true, 0, 0, s);
      if (cr == z3::unsat) {
        phases_ += 'm';
        facts.push_back(segmentGoal(c_, sg));
        continue;
      }
      if (cr == z3::sat) {
        std::vector<Value> vals;
        std::vector<int> failed;
        Counterexample cx = counterexampleOf(*full_, q_, s->get_model(), static_cast<int>(i), ind, vals, failed);
        std::string why;
        if (confirmCounterexample(model_, cat_, ob_, cx, &why)) {
          phases_ += 'm';
          return refuted(std::move(cx), static_cast<int>(i), vals, failed);
        }
        reason_ = "the solver's model could not be confirmed (" + why + ")";
      }
      return undecided();
    }
    r_.status = Status::Proved;
    if (cache_) {
      CacheRecord out;
      out.status = Status::Proved;
      out.phases = phases_;
      cache_->store(r_.hash, out);
    }
  }

  void undecided() {
    phases_ += '-';
    r_.status = Status::Unknown;
    r_.reason = reason_.empty() ? "unknown" : reason_;
    if (r_.reason == "resource budget") r_.reason = "timeout";
  }

  ContextCache& cc_;
  z3::context& c_;
  const Model& model_;
  const SortCatalog& cat_;
  const Obligation& ob_;
  const DischargeOptions& o_;
  const ObligationCache* cache_;
  const std::atomic<bool>* cancelled_;
  std::unique_ptr<Encoder> full_, relaxed_;
  EncodedQuery q_;
  std::optional<EncodedQuery> relaxedQ_;
  std::vector<std::string> fullScripts_;
  std::string phases_;
  std::string reason_;
  Result r_;
  std::chrono::steady_clock::time_point t0_, checkStart_;
};

}  // namespace

Result solveObligation(ContextCache& cc, const Obligation& ob, const DischargeOptions& o, const ObligationCache* cache,
                       const std::atomic<bool>* cancelled) {
  return ObligationSolver(cc, cc.model(), cc.catalog(), ob, o, cache, cancelled).run();
}

std::string obligationScript(ContextCache& cc, const Obligation& ob) {
  Encoder en(cc);
  EncodedQuery q = encodeQuery(en, ob.query);
  return joinScripts(segmentScripts(cc.ctx(), q), {}, "");
}

bool confirmCounterexample(const Model& model, const SortCatalog& cat, const Obligation& ob, const Counterexample& cex,
                           std::string* why) {
  auto fail = [&](const std::string& m) {
    if (why) *why = m;
    return false;
  };
  if (cex.inputs.empty()) return fail("the counterexample carries no input values (cached result?)");
  try {
    z3::context ctx;
    ContextCache cc(ctx, model, cat);
    Encoder en(cc);
    std::map<std::string, Value> pinned;
    for (const NamedValue& nv : cex.inputs) pinned.emplace(nv.name, nv.value);
    en.pinned = &pinned;
    EncodedQuery q = encodeQuery(en, ob.query);
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
    z3::params p(ctx);
    p.set("timeout", 5000u);
    s.set(p);
    for (const z3::expr& g : q.global) s.add(g);
    for (int i = 0; i <= seg; ++i) {
      const Segment& sg = q.segments[static_cast<size_t>(i)];
      for (const z3::expr& h : sg.hyps) s.add(h);
      if (i < seg && !sg.goals.empty()) s.add(segmentGoal(ctx, sg));
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

}  // namespace ioa::prover::detail
