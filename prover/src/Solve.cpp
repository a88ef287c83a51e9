// Solving one obligation: encode, hash, cache, a portfolio of solver
// configurations, decoding and confirming counterexamples, SMT-LIB export.
#include "Solve.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <limits>
#include <set>

#include "Decode.h"
#include "Interrupts.h"
#include "ioa/z3util/Alarm.h"
#include "ExplicitSearch.h"
#include "QueryEncoder.h"
#include "Sha256.h"

namespace ioa::prover::detail {

// Bump when the encoding changes meaning, so old cache entries are not reused.
constexpr const char* kHashSalt = "ioawb-prover 4\n";

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
  if (ob.witness)
    out << "; an existence claim: a (check-sat) answering sat means proved (its model is a witness);\n"
           "; unsat in every one means refuted\n";
  else
    out << "; every (check-sat) answering unsat means proved; sat means refuted\n";
  out << smt;
}

// Whether a query uses whole values that hold sequences or maps as values:
// compares them with Z3's equality, puts them in sets, uses them as map keys or
// function arguments. Only then do the canonical-form facts (elements outside
// a sequence's length, values at a map's undefined keys) matter to a proof;
// sequences themselves are compared element by element on their length.
class WholeValueUse {
 public:
  explicit WholeValueUse(z3::context& c) : c_(c) {}

  bool in(const EncodedQuery& q) {
    for (const z3::expr& e : q.global)
      if (uses(e)) return true;
    for (const Segment& s : q.segments) {
      for (const z3::expr& e : s.hyps)
        if (uses(e)) return true;
      for (const GoalItem& g : s.goals)
        if (uses(g.cond)) return true;
    }
    return false;
  }

 private:
  // A sequence or map (datatypes named Seq<..> and Map<..> by ContextCache::smtName),
  // or a value holding one (tuple, union, array).
  bool holds(Z3_sort s) {
    unsigned id = Z3_get_sort_id(c_, s);
    auto it = sorts_.find(id);
    if (it != sorts_.end()) return it->second;
    sorts_[id] = false;  // recursive datatypes: no sequence on the way back to itself
    bool r = false;
    switch (Z3_get_sort_kind(c_, s)) {
      case Z3_DATATYPE_SORT: {
        std::string name = Z3_get_symbol_string(c_, Z3_get_sort_name(c_, s));
        if (name.rfind("Seq<", 0) == 0 || name.rfind("Map<", 0) == 0) {
          r = true;
          break;
        }
        unsigned n = Z3_get_datatype_sort_num_constructors(c_, s);
        for (unsigned k = 0; k < n && !r; ++k) {
          Z3_func_decl ctor = Z3_get_datatype_sort_constructor(c_, s, k);
          for (unsigned j = 0; j < Z3_get_domain_size(c_, ctor) && !r; ++j) r = holds(Z3_get_domain(c_, ctor, j));
        }
        break;
      }
      case Z3_ARRAY_SORT: r = holds(Z3_get_array_sort_domain(c_, s)) || holds(Z3_get_array_sort_range(c_, s)); break;
      default: break;
    }
    sorts_[id] = r;
    return r;
  }

  bool uses(const z3::expr& root) {
    std::vector<z3::expr> todo{root};
    while (!todo.empty()) {
      z3::expr e = todo.back();
      todo.pop_back();
      if (!seen_.insert(e.id()).second) continue;
      if (e.is_quantifier()) {
        todo.push_back(e.body());
        continue;
      }
      if (!e.is_app()) continue;
      unsigned n = e.num_args();
      if (n == 0) continue;
      switch (e.decl().decl_kind()) {
        case Z3_OP_EQ:
        case Z3_OP_DISTINCT:
          if (holds(e.arg(0).get_sort())) return true;
          break;
        case Z3_OP_SELECT:
        case Z3_OP_STORE:
          if (holds(e.arg(0).get_sort().array_domain())) return true;
          break;
        case Z3_OP_UNINTERPRETED:
          for (unsigned k = 0; k < n; ++k)
            if (holds(e.arg(k).get_sort())) return true;
          break;
        default: break;
      }
      for (unsigned k = 0; k < n; ++k) todo.push_back(e.arg(k));
    }
    return false;
  }

  z3::context& c_;
  std::map<unsigned, bool> sorts_;
  std::set<unsigned> seen_;
};

// The negated goal of a segment; with several goals, indicator constants
// say which ones the model violates.
z3::expr negatedGoal(z3::context& c, const Segment& s, int segIndex, std::vector<z3::expr>& indicators) {
  if (!s.existentials.empty() || s.angelicGoal || s.goals.size() == 1) return !segmentGoal(c, s);
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

// Focus levels of the hypotheses: 0 assumes the core ones only, 1 also the
// near ones, kSliced also the far ones (every hypothesis that shares a variable
// with the obligation: what proof attempts assume), kFullFocus all of them
// (the query as stated: what model search assumes).
constexpr int kSliced = static_cast<int>(Reach::Far);
constexpr int kFullFocus = static_cast<int>(Reach::Unrelated);

// Appends the hypotheses of `s` that an attempt at `focus` assumes.
void addHyps(std::vector<z3::expr>& facts, const Segment& s, int focus) {
  size_t d = 0;
  for (size_t j = 0; j < s.hyps.size(); ++j) {
    while (d < s.distant.size() && s.distant[d].first < j) ++d;
    int reach = d < s.distant.size() && s.distant[d].first == j ? static_cast<int>(s.distant[d].second) : 0;
    if (reach <= focus) facts.push_back(s.hyps[j]);
  }
}

// One SMT-LIB benchmark: `facts` asserted, `neg` the negated goal (declarations in an
// order `z3 -smt2` reads back).
std::string benchmarkText(z3::context& c, const std::vector<z3::expr>& facts, const z3::expr& neg) {
  std::vector<Z3_ast> arr(facts.begin(), facts.end());
  std::string text =
      Z3_benchmark_to_smtlib_string(c, "", "", "unknown", "", static_cast<unsigned>(arr.size()), arr.data(), neg);
  c.check_error();
  return orderDeclarations(text);
}

// Z3's resource count as a solver's statistics report it (the work done, independent of the machine's load).
double rlimitCount(const z3::solver& s) {
  z3::stats st = s.statistics();
  for (unsigned k = 0; k < st.size(); ++k)
    if (st.key(k) == "rlimit count") return st.is_uint(k) ? st.uint_value(k) : st.double_value(k);
  return 0;
}

// Wall-clock cap of an attempt with a resource budget: Z3 spends about 2-6
// M of its resource count per second here, but some of its work (parts of
// preprocessing) does not count, and one such attempt once took the whole
// 10 s of its obligation on a budget of 2 M. The cap is generous (a loaded
// machine reaches it only on such attempts), so results stay load-independent.
constexpr unsigned kMsPerMillionRlimit = 2000, kMinAttemptMs = 1000;

// The time an attempt with `rlimit` (0: none) may take of the `leftMs` its obligation has.
unsigned attemptTimeMs(unsigned rlimit, unsigned leftMs) {
  if (!rlimit) return leftMs;
  uint64_t cap = std::max<uint64_t>(kMinAttemptMs, uint64_t{rlimit} * kMsPerMillionRlimit / 1000000);
  return static_cast<unsigned>(std::min<uint64_t>(leftMs, cap));
}

// A solver with one attempt's configuration.
// (`eager`: Z3's smt.qi.eager_threshold, 0 for its default.)
// `simple`: Z3's SMT core on the query as given (its simple solver). With an
// eager threshold, through the `smt` tactic with the quantifier options as
// tactic parameters instead: the simple solver builds its core before it is
// given parameters and then ignores the threshold (on Lamport's mutual
// exclusion a case cost three times the resource count it does with the
// threshold honoured). Without one the simple solver stays: on the flagship
// stack it proves more within its budget than the tactic does.
z3::solver configuredSolver(z3::context& c, bool simple, bool mbqi, unsigned seed, unsigned eager, unsigned rlimit) {
  std::optional<z3::solver> made;
  if (simple && !eager) {
    made.emplace(c, z3::solver::simple());
  } else if (simple) {
    z3::params tp(c);
    tp.set("mbqi", mbqi);
    tp.set("random_seed", seed);
    tp.set("qi.eager_threshold", static_cast<double>(eager));
    made.emplace(z3::with(z3::tactic(c, "smt"), tp).mk_solver());
  } else {
    made.emplace(c);
  }
  z3::solver& s = *made;
  z3::params p(c);
  p.set("smt.mbqi", mbqi);
  p.set("random_seed", seed);
  p.set("rlimit", rlimit);
  if (eager) p.set("smt.qi.eager_threshold", static_cast<double>(eager));
  s.set(p);
  return s;
}

// One SMT-LIB benchmark per checkpoint with goals: everything asserted so far
// (earlier checkpoints' goals included) and the negated goal; at a `focus`
// below kFullFocus, without the hypotheses beyond it.
std::vector<std::string> segmentScripts(z3::context& c, const EncodedQuery& q, int focus = kFullFocus) {
  std::vector<std::string> out;
  std::vector<z3::expr> facts = q.global;
  for (size_t i = 0; i < q.segments.size(); ++i) {
    const Segment& s = q.segments[i];
    addHyps(facts, s, focus);
    if (s.goals.empty()) continue;
    std::vector<z3::expr> ind;
    z3::expr neg = negatedGoal(c, s, static_cast<int>(i), ind);
    out.push_back(benchmarkText(c, facts, neg));
    if (q.carryGoals) facts.push_back(segmentGoal(c, s));
  }
  return out;
}

// The script as hashed: benchmarks separated by (reset). `phases` (when given)
// says which solver configuration decided each benchmark, so that `z3 -smt2`

namespace {

// The portfolio, tried in order on fresh solvers until one decides. E-matching
// alone (no model-based quantifier instantiation, MBQI) proves most
// obligations quickly, first on Z3's plain SMT core, then with its
// preprocessing tactics; its search is sensitive to the random seed, so
// seeds vary under growing resource budgets (deterministic, unlike time).
// MBQI on the query without canonical-form facts ("relaxed") finds models
// (counterexamples, confirmed against the full query before being reported)
// and also proves what needs witnesses for existentials; the full query with
// MBQI comes last. Before all that, e-matching on focused queries (without
// the far, then without the near hypotheses, see Reach): many invariants
// assumed at once give e-matching more to chase than the proof needs.
//
// A query that uses no whole value holding a sequence or map (WholeValueUse)
// is first tried without the canonical-form facts, which then only feed
// e-matching (one instance per element read, each a case split), on the plain
// core and then with preprocessing, both with a low eager threshold: an
// invariant that reads q[k - 1] under a trigger on q[k] makes a matching
// loop, and every term it adds is paired with every other by a two-index
// invariant (a link ordered by timestamp). On Lamport's mutual exclusion that
// is a sixth of the work the full query needed (149 M of Z3's resource count
// down to 26 M). A proof of the relaxed query is a proof of the full one (it
// assumes less).
struct Attempt {
  bool simple;      // Z3's SMT core without preprocessing tactics
  bool mbqi;
  bool relaxed;     // the query without canonical-form facts
  unsigned seed;
  unsigned rlimit;  // resource budget; 0 = the rest of the time
  int focus = kSliced;     // a model found below kFullFocus counts only when it satisfies the full query
  bool partsOnly = false;  // only for queries that use no whole value holding a sequence or map
  unsigned eager = 0;      // Z3's smt.qi.eager_threshold (0: its default, 10)
};
// The moderate budget on the full query, and the first focused attempt (core invariants only).
constexpr size_t kModerate = 3, kFocusedCore = 4;
// Bounded model checking's replay of a run found by the explicit search.
constexpr Attempt kReplay{false, true, false, 0, 0, kFullFocus};
const std::vector<Attempt> kAttempts = {
    {true, false, true, 0, 300000, kSliced, true, 1}, {false, false, true, 0, 2000000, kSliced, true, 3},
    {true, false, false, 0, 300000},    {false, false, false, 0, 2000000},
    {false, false, false, 0, 1500000, 0},
    {false, false, false, 0, 1500000, 1}, {false, false, false, 1, 1500000, 1},
    {false, true, true, 0, 4000000},    {true, false, false, 1, 600000},
    {false, false, false, 1, 4000000},  {false, false, false, 2, 8000000},
    {false, true, true, 1, 0, kFullFocus}, {false, true, false, 0, 0, kFullFocus}};

// The scripts at each focus (for checkpoints decided by an attempt below kFullFocus).
using FocusedScripts = std::array<std::vector<std::string>, kFullFocus + 1>;

// Per checkpoint, how it was decided: '0'.. an e-matching attempt, 'r' model
// search without canonical-form facts, 'm' model search on the full query,
// '-' undecided. The emitted SMT-LIB follows the same road.
std::string joinScripts(const std::vector<std::string>& full, const std::string& phases,
                        const FocusedScripts& relaxed = {}, const FocusedScripts& focused = {}) {
  if (full.empty()) return "; no goals: the query holds\n(assert false)\n(check-sat)\n";
  const char* unrelated = "; without the invariants that share no variable with the obligation";
  std::string out;
  for (size_t i = 0; i < full.size(); ++i) {
    if (i) out += "(reset)\n";
    char ph = i < phases.size() ? phases[i] : '-';
    bool relaxedPhase = false;
    int focus = kFullFocus;
    if (ph >= '0' && ph < static_cast<char>('0' + kAttempts.size())) {
      const Attempt& at = kAttempts[static_cast<size_t>(ph - '0')];
      if (!at.mbqi) out += "(set-option :smt.mbqi false)\n";
      if (at.seed) out += "(set-option :smt.random_seed " + std::to_string(at.seed) + ")\n";
      if (at.eager) out += "(set-option :smt.qi.eager_threshold " + std::to_string(at.eager) + ".0)\n";
      relaxedPhase = at.relaxed;
      focus = at.focus;
    }
    const auto& rs = relaxed[static_cast<size_t>(focus)];
    const auto& fs = focused[static_cast<size_t>(focus)];
    if (relaxedPhase && i < rs.size()) {
      out += "; without the canonical-form facts of sequences and maps (a subset of the query's assumptions;\n"
             "; a model found here was confirmed against the full query with its values fixed)\n";
      if (focus == kSliced) out += std::string(unrelated) + "\n";
      out += rs[i];
      continue;
    }
    if (focus < kFullFocus && i < fs.size()) {
      if (focus == kSliced)
        out += std::string(unrelated) + " (a subset of the query's assumptions: sound for a proof)\n";
      else
        out += "; proved from the assumptions closest to the goal (a subset of the query's: sound for a proof)\n";
      out += fs[i];
      continue;
    }
    out += full[i];
  }
  return out;
}

double msSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

// Adds the time from its making to its end to `ms` (for IOAWB_PROVER_PROFILE).
struct AddElapsed {
  double& ms;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  ~AddElapsed() { ms += msSince(t0); }
};

// The values a model of the query's start (its steps before the first checkpoint) gives the
// start's free symbols, by name; nothing when the solver finds none within `timeoutMs`. Without
// `mbqi`, e-matching's candidate model where it gives up on its quantifiers (unknown,
// "incomplete quantifiers"), often a model all the same, as for a start-exists witness; with it,
// model-based instantiation, which decides more but often slowly (on a Map of sequences of
// tuples no model in 1.2 s, where e-matching's candidate took 8 ms).
std::optional<std::map<std::string, Value>> solverStartValues(ContextCache& cc, const Query& q, bool mbqi,
                                                              unsigned timeoutMs, const std::atomic<bool>* cancelled) {
  Query start;
  for (const Step& st : q.steps) {
    if (st.kind == Step::Kind::Checkpoint || st.kind == Step::Kind::AnyTransition) break;
    if (st.kind != Step::Kind::Goal) start.steps.push_back(st);
  }
  Encoder en(cc);
  EncodedQuery pq = encodeQuery(en, start);
  z3::solver s = configuredSolver(cc.ctx(), !mbqi, mbqi, 0, 0, mbqi ? 0 : 300000);
  for (const z3::expr& f : pq.global) s.add(f);
  for (const Segment& sg : pq.segments)
    for (const z3::expr& h : sg.hyps) s.add(h);
  z3::check_result r = z3util::checkWithin(s, timeoutMs, cancelled);
  if (r == z3::unsat || (r == z3::unknown && mbqi) || (cancelled && cancelled->load())) return std::nullopt;
  std::optional<z3::model> m;
  try {
    m = s.get_model();
  } catch (const z3::exception&) {  // (no candidate)
    return std::nullopt;
  }
  Decoder d(en, *m);
  for (const Input& in : en.inputs()) d.decode(in.sort, in.sym);  // (the keys maps are read at, as decodeModel)
  d.restart();
  std::map<std::string, Value> out;
  for (const Input& in : en.inputs()) out.emplace(in.name, d.decode(in.sort, in.sym));
  return out;
}

// The interpreter's search of runs (explicitSearch), from a start state the solver finds when
// the interpreter's own values miss the `initially` clause. `st` says how the search went (the
// first search's, when the solver's values did not make a start state either).
std::optional<ExplicitRun> searchRuns(ContextCache& cc, const Query& q, unsigned budgetMs,
                                      const std::atomic<bool>* cancelled, SearchStats& st) {
  auto t0 = std::chrono::steady_clock::now();
  std::optional<ExplicitRun> run = explicitSearch(cc.model(), q, budgetMs, cancelled, &st);
  if (run || !st.shape || st.start) return run;
  auto left = [&] { return static_cast<unsigned>(std::max(0.0, budgetMs - msSince(t0))); };
  st.solverAsked = true;
  for (bool mbqi : {false, true}) {
    // (a start state is a small query: a quarter of the budget, at most 2 s, leaves the search the rest)
    if (!left()) break;
    std::optional<std::map<std::string, Value>> values =
        solverStartValues(cc, q, mbqi, std::min(left() / 4 + 1, 2000u), cancelled);
    if (std::getenv("IOAWB_PROVER_PROFILE"))
      std::fprintf(stderr, "[explicit] the solver's start state (%s): %s after %.1f ms\n", mbqi ? "mbqi" : "e-matching",
                   values ? "found" : "none", msSince(t0));
    if (!values || !left()) continue;
    SearchStats seeded;
    run = explicitSearch(cc.model(), q, left(), cancelled, &seeded, &*values);
    if (seeded.start) {
      st = std::move(seeded);
      return run;
    }
  }
  return run;
}

constexpr int64_t kMaxCases = 64;

bool mentionsBoundVariable(const z3::expr& e) {
  if (e.is_var() || e.is_quantifier()) return true;
  if (!e.is_app()) return false;
  for (unsigned k = 0; k < e.num_args(); ++k)
    if (mentionsBoundVariable(e.arg(k))) return true;
  return false;
}

// The uninterpreted functions of a context as the model interprets them: a
// finite table and a value for every other argument tuple. An interpretation
// built by model-based instantiation can be a term over its arguments: over
// sorts whose values the model lists (an uninterpreted sort's universe, a small
// finite sort) it is tabled at every argument tuple; otherwise the function is
// left out, and confirmation leaves it free, so a refutation is confirmed only
// when the goal fails for every interpretation the assumptions allow (sound,
// but it may stay unknown).
bool tableAtEveryTuple(const FunctionDecl* f, const z3::func_decl& decl, Decoder& d, const z3::model& m,
                       FunctionValue& fv) {
  constexpr size_t kMaxTuples = 512;
  std::vector<std::vector<std::pair<Value, z3::expr>>> doms(f->params.size());
  size_t tuples = 1;
  for (size_t k = 0; k < f->params.size(); ++k) {
    if (!d.allValues(f->params[k].var->sort, doms[k])) return false;
    tuples *= doms[k].size();
    if (tuples > kMaxTuples) return false;
  }
  Sort result = f->result->resolved;
  std::vector<size_t> at(f->params.size(), 0);
  for (size_t n = 0; n < tuples; ++n) {
    std::vector<Value> args;
    z3::expr_vector ts(m.ctx());
    for (size_t k = 0; k < at.size(); ++k) {
      args.push_back(doms[k][at[k]].first);
      ts.push_back(doms[k][at[k]].second);
    }
    fv.entries.emplace_back(std::move(args), d.decode(result, m.eval(decl(ts), true)));
    for (size_t k = 0; k < at.size() && ++at[k] == doms[k].size(); ++k) at[k] = 0;
  }
  // the commonest value stands for the rest (a short table to read)
  std::map<std::string, size_t> count;
  size_t best = 0;
  for (size_t n = 0; n < fv.entries.size(); ++n)
    if (++count[fv.entries[n].second.toString()] > count[fv.entries[best].second.toString()]) best = n;
  fv.otherwise = fv.entries[best].second;
  std::string common = fv.otherwise.toString();
  std::erase_if(fv.entries, [&](const auto& e) { return e.second.toString() == common; });
  return true;
}

std::vector<FunctionValue> functionValues(ContextCache& cc, Decoder& d, const z3::model& m) {
  std::vector<FunctionValue> out;
  for (const auto& [f, decl] : cc.functions()) {
    FunctionValue fv;
    fv.name = f->name;
    fv.arity = f->params.size();
    Sort result = f->result->resolved;
    if (m.has_interp(decl)) {
      z3::func_interp fi = m.get_func_interp(decl);
      if (mentionsBoundVariable(fi.else_value())) {
        if (!tableAtEveryTuple(f, decl, d, m, fv)) continue;
        out.push_back(std::move(fv));
        continue;
      }
      for (unsigned k = 0; k < fi.num_entries(); ++k) {
        z3::func_entry e = fi.entry(k);
        std::vector<Value> args;
        for (unsigned j = 0; j < e.num_args() && j < f->params.size(); ++j)
          args.push_back(d.decode(f->params[j].var->sort, e.arg(j)));
        fv.entries.emplace_back(std::move(args), d.decode(result, e.value()));
      }
      fv.otherwise = d.decode(result, fi.else_value());
    } else {  // the model leaves it free: any value does, the sort's default is shown
      fv.otherwise = d.decode(result, cc.dflt(result));
    }
    out.push_back(std::move(fv));
  }
  return out;
}

struct CancelledRun {};  // thrown by ObligationSolver before work a cancel makes moot

class ObligationSolver {
 public:
  ObligationSolver(ContextCache& cc, const Model& model, const SortCatalog& cat, const Obligation& ob,
                   const DischargeOptions& o, const ObligationCache* cache, const std::atomic<bool>* cancelled)
      : cc_(cc), c_(cc.ctx()), model_(model), cat_(cat), ob_(ob), o_(o), cache_(cache), cancelled_(cancelled) {}

  Result run() { return drive(nullptr); }

  // Its group's solver ran out of its budget on it (solveTogether): the focused attempt on the
  // core invariants goes before the moderate budget on the full query. What a group's solver
  // leaves are steps whose proof drowns in the instances of the other invariants: on the
  // flagship, 5 steps took 1.44 s the portfolio's way and 0.56 s this way (2026-12-05; when the
  // group's solver still had the canonical-form facts it left 13 steps, for which this order
  // cost 30 % more of Z3's resource count). The portfolio's first attempt on the full query
  // stays: two of the five it proves at once, with the canonical-form facts the group left out.
  void afterGroup() { afterGroup_ = true; }

  // The refutation of a bounded obligation by a run the interpreter's search already
  // found (the solver re-derives and confirms it); Unknown when it cannot be confirmed.
  Result replay(const ExplicitRun& found) { return drive(&found); }

 private:
  Result drive(const ExplicitRun* found) {
    t0_ = checkStart_ = std::chrono::steady_clock::now();  // --timeout: the whole obligation's
    try {
      split_ = splitVars(ob_.query, cc_, kMaxCases);
      caseCount_ = caseCount(split_, cc_);
      for (int64_t k = 0; k < caseCount_; ++k) {
        if (cancelled()) throw CancelledRun{};  // (encoding up to 64 cases takes a while)
        auto cs = std::make_unique<Case>(c_);
        cs->index = k;
        cs->values = caseValues(split_, cc_, k);
        {
          AddElapsed t{encodeMs_};
          cs->q = encodeCase(*cs, false, cs->en);
        }
        if (!generic_[0].q) {
          AddElapsed t{scriptMs_};
          cs->scripts = segmentScripts(c_, cs->q);
        }
        cases_.push_back(std::move(cs));
      }
      {
        AddElapsed t{scriptMs_};
        const std::optional<EncodedQuery>& generic = generic_[0].q;
        // a split query is hashed as its symbolic text and the symbols its cases fix (which
        // determine every case's text, printed only when emitted)
        std::string text;
        if (generic) {
          text = "; cases over";
          for (const auto& [k, sym] : generic->splitSyms) text += " " + sym.to_string();
          text += "\n" + joinScripts(segmentScripts(c_, *generic), "");
        } else {
          text = script(false);
        }
        r_.hash = sha256Hex(std::string(kHashSalt) + text);
      }
      if (found) {
        if (!explicitRefute(found)) {
          r_.status = Status::Unknown;
          r_.reason = "the run found by the search of runs from a start state could not be confirmed";
        }
      } else if (!fromCache()) {
        if (ob_.bounded && explicitRefute(nullptr)) shortestFirst();
        else solve();
      }
      if (r_.status == Status::Refuted && !cases_.empty() && !cases_[0]->q.dropped.empty()) {
        // (the cases of one obligation assume the same things)
        const std::vector<std::string>& d = cases_[0]->q.dropped;
        std::string which;
        for (size_t k = 0; k < d.size(); ++k) which += (k ? "; " : "") + d[k];
        std::string without = std::string(d.size() == 1 ? "an assumption" : "assumptions") +
                              " the prover cannot translate, which may rule ";
        r_.status = Status::Unknown;
        r_.reason = (ob_.witness ? "values found only without " + without + "them out: "
                                 : "refuted only without " + without + "the counterexample out: ") + which;
        r_.counterexample.reset();
      }
      if (ob_.witness) readAsWitness(ob_, r_);
      if (!o_.smt2Dir.empty()) writeSmt2(o_.smt2Dir, ob_, script(true));
    } catch (const Unsupported& e) {
      r_.status = Status::Error;
      r_.reason = e.what();
    } catch (const z3::exception& e) {
      r_.status = Status::Error;
      r_.reason = std::string("Z3: ") + e.msg();
    } catch (const CancelledRun&) {
      r_.status = Status::Unknown;
      r_.reason = "cancelled";
    }
    r_.timeMs = msSince(t0_);
    if (std::getenv("IOAWB_PROVER_PROFILE")) {
      std::string ph;
      for (const auto& cs : cases_) ph += (ph.empty() ? "" : "|") + cs->phases;
      std::fprintf(stderr,
                   "[prover] %-70s %-8s %-10s %8.1f ms %10.0f rlimit (encoding %.1f ms, text %.1f ms, attempts %.1f ms)\n",
                   ob_.id.c_str(), statusName(r_.status), ph.c_str(), r_.timeMs, spentRlimit_, encodeMs_, scriptMs_,
                   attemptMs_);
    }
    return r_;
  }

  struct Case {
    int64_t index = 0;
    std::vector<int64_t> values;
    std::shared_ptr<Encoder> en, relaxedEn;  // (shared by the cases of a split)
    z3::expr_vector from, to;                // split symbols of en's terms and this case's values
    explicit Case(z3::context& c) : from(c), to(c) {}
    EncodedQuery q;
    std::optional<EncodedQuery> relaxedQ;
    std::vector<std::string> scripts;
    std::string phases;
    std::optional<bool> wholeValues;  // WholeValueUse of q, once asked
  };

  // The whole script: one section per case. `withPhases`: as emitted (solver
  // options of the attempt that decided each checkpoint), else as hashed.
  std::string script(bool withPhases) {
    std::string out;
    for (size_t k = 0; k < cases_.size(); ++k) {
      Case& cs = *cases_[k];
      if (cs.scripts.empty()) cs.scripts = segmentScripts(c_, cs.q);
      FocusedScripts relaxed, focused;
      if (withPhases) {
        if (cs.relaxedQ)
          for (int f : {kSliced, kFullFocus}) relaxed[static_cast<size_t>(f)] = segmentScripts(c_, *cs.relaxedQ, f);
        for (int f = 0; f < kFullFocus; ++f) focused[static_cast<size_t>(f)] = segmentScripts(c_, cs.q, f);
      }
      std::string text = joinScripts(cs.scripts, withPhases ? cs.phases : "", relaxed, focused);
      if (cases_.size() == 1) return text;
      if (k) out += "(reset)\n";
      out += "; case " + caseText(split_, cc_, cs.index) + "\n" + text;
    }
    return out;
  }

  bool cancelled() const { return cancelled_ && cancelled_->load(); }

  // Before a check: false, or the reason not to run it is set (no time left, or cancelled).
  bool stopBefore(unsigned left) {
    if (cancelled()) reason_ = "cancelled";
    else if (left == 0) reason_ = "timeout";
    else return false;
    return true;
  }

  unsigned remaining() const {
    unsigned total = o_.timeoutMs == 0 ? 1u : o_.timeoutMs;
    auto used = static_cast<unsigned>(msSince(checkStart_));
    return used >= total ? 0u : total - used;
  }

  bool fromCache() {
    CacheRecord rec;
    if (!cache_ || !cache_->load(r_.hash, rec) || rec.alone) return false;
    if (rec.status == Status::Refuted && !ob_.witness) {  // (a witness is not shown: no values kept)
      if (rec.caseIndex < 0 || rec.caseIndex >= static_cast<int64_t>(cases_.size())) return false;
      const Case& cs = *cases_[static_cast<size_t>(rec.caseIndex)];
      size_t k = 0;
      bool ok = true;
      ValueSource src = [&](Sort s, const z3::expr&) {
        Value v;
        if (k >= rec.values.size() || !decodeValue(s, rec.values[k++], v, cat_)) ok = false;
        return v;
      };
      std::vector<Value> vals = readPlan(cs.q, rec.segment, src);
      if (!ok || k != rec.values.size()) return false;
      r_.counterexample = buildCounterexample(cs.q, rec.segment, vals, rec.failed);
      r_.counterexample->split = static_cast<int>(rec.caseIndex);
    }
    size_t at = 0;
    for (auto& cs : cases_) {  // phases of every case, '|' separated
      size_t bar = rec.phases.find('|', at);
      cs->phases = rec.phases.substr(at, bar == std::string::npos ? std::string::npos : bar - at);
      at = bar == std::string::npos ? rec.phases.size() : bar + 1;
    }
    r_.status = rec.status;
    r_.cached = true;
    return true;
  }

  std::string allPhases() const {
    std::string ph;
    for (size_t k = 0; k < cases_.size(); ++k) ph += (k ? "|" : "") + cases_[k]->phases;
    return ph;
  }

  // One attempt on a fresh solver.
  // Model search first looks for small models (short sequences), which are
  // found faster and read better; `small` bounds the free sequences' lengths.
  z3::check_result attempt(const std::vector<z3::expr>& facts, const z3::expr& neg, const Attempt& at,
                           std::optional<z3::solver>& keep, Encoder* en = nullptr) {
    if (at.mbqi && en) {
      z3::expr bound = en->smallModel(6);
      if (!bound.is_true()) {
        z3::expr flag = c_.bool_const("small!model");
        z3::expr_vector assumptions(c_);
        assumptions.push_back(flag);
        Attempt half = at;
        half.rlimit = at.rlimit ? at.rlimit / 2 : 2000000;
        z3::check_result cr = attemptOnce(facts, neg, half, keep, &assumptions, z3::implies(flag, bound));
        if (cr == z3::sat) return cr;
        if (reason_ == "cancelled" || remaining() == 0) return z3::unknown;
      }
    }
    return attemptOnce(facts, neg, at, keep, nullptr, c_.bool_val(true));
  }

  z3::check_result attemptOnce(const std::vector<z3::expr>& facts, const z3::expr& neg, const Attempt& at,
                               std::optional<z3::solver>& keep, const z3::expr_vector* assumptions,
                               const z3::expr& extra) {
    unsigned left = remaining();
    if (stopBefore(left)) return z3::unknown;
    AddElapsed t{attemptMs_};
    z3::solver s = configuredSolver(c_, at.simple, at.mbqi, at.seed, at.eager, at.rlimit);
    for (const z3::expr& f : facts) s.add(f);
    s.add(neg);
    if (!extra.is_true()) s.add(extra);
    auto ta = std::chrono::steady_clock::now();
    z3::check_result cr = z3util::checkWithin(s, attemptTimeMs(at.rlimit, left), cancelled_, assumptions);
    if (assumptions && cr == z3::unsat) {
      reason_ = "no small model";
      keep.emplace(s);
      return z3::unknown;
    }
    if (std::getenv("IOAWB_PROVER_PROFILE")) {
      // the context's count grows over the obligation's attempts: this attempt spent the difference
      double used = rlimitCount(s);
      double spent = used >= contextCount_ ? used - contextCount_ : used;
      contextCount_ = used;
      spentRlimit_ += spent;
      std::fprintf(stderr,
                   "[attempt] %-60s #%d simple=%d mbqi=%d relaxed=%d seed=%u rlimit=%u -> %s %.1f ms, %.0f rlimit\n",
                   ob_.id.c_str(), attemptNo_, at.simple, at.mbqi, at.relaxed, at.seed, at.rlimit,
                   cr == z3::unsat ? "unsat" : cr == z3::sat ? "sat" : s.reason_unknown().c_str(), msSince(ta), spent);
    }
    if (cr == z3::unknown) {
      reason_ = s.reason_unknown();
      // Z3 says "canceled" both for an exhausted resource budget and for an interrupt, and
      // "interrupted" for Z3_interrupt (the attempt's alarm: its time is up, or a cancel)
      bool stopped = reason_.find("cancel") != std::string::npos || reason_.find("resource") != std::string::npos ||
                     reason_.find("timeout") != std::string::npos || reason_.find("interrupt") != std::string::npos;
      if (stopped || cancelled()) reason_ = cancelled() ? "cancelled" : remaining() == 0 ? "timeout" : "resource budget";
    }
    keep.emplace(s);
    return cr;
  }

  // A focused attempt runs on its SMT-LIB text in a context of its own: its
  // outcome then depends on the focused query alone (Z3's search follows the
  // order terms were created in, and the full query creates many more), and
  // `z3 -smt2` on the emitted script retraces it.
  z3::check_result focusedAttempt(const std::vector<z3::expr>& facts, const z3::expr& neg, const Attempt& at) {
    unsigned left = remaining();
    if (stopBefore(left)) return z3::unknown;
    std::string text = benchmarkText(c_, facts, neg);
    try {
      z3::context fresh;
      z3::solver s = configuredSolver(fresh, at.simple, at.mbqi, at.seed, at.eager, at.rlimit);
      s.from_string(text.c_str());
      auto ta = std::chrono::steady_clock::now();
      z3::check_result cr = z3util::checkWithin(s, attemptTimeMs(at.rlimit, left), cancelled_);
      if (cr == z3::unknown) reason_ = cancelled() ? "cancelled" : remaining() == 0 ? "timeout" : "resource budget";
      if (std::getenv("IOAWB_PROVER_PROFILE")) {
        double spent = rlimitCount(s);  // a context of its own
        spentRlimit_ += spent;
        std::fprintf(stderr, "[attempt] %-60s #%d focus=%d seed=%u rlimit=%u -> %s %.1f ms, %.0f rlimit\n",
                     ob_.id.c_str(), attemptNo_, at.focus, at.seed, at.rlimit,
                     cr == z3::unsat ? "unsat" : cr == z3::sat ? "sat" : s.reason_unknown().c_str(), msSince(ta), spent);
      }
      return cr;
    } catch (const z3::exception& e) {  // a script Z3 cannot read back: the full query decides
      if (std::getenv("IOAWB_PROVER_PROFILE")) std::fprintf(stderr, "[attempt] %s: %s\n", ob_.id.c_str(), e.msg());
      return z3::unknown;
    }
  }

  // The refutation found in `model` (of encoding `q`) for checkpoint `seg`.
  // Reading a model back can blow up (evaluating an MBQI model's nested function interpretations
  // once ran past 3 GB without end): it is interrupted when the obligation's time is up, and the
  // model is then not shown (`overflow` says why).
  Counterexample counterexampleOf(Encoder& en, const EncodedQuery& q, const z3::model& model, int seg,
                                  const std::vector<z3::expr>& indicators, std::vector<Value>& vals,
                                  std::vector<int>& failed, int64_t caseIndex, std::string& overflow) {
    z3util::Alarm alarm(c_, std::max(remaining(), 1000u), cancelled_);
    try {
      return decodeModel(en, q, model, seg, indicators, vals, failed, caseIndex, overflow);
    } catch (const z3::exception&) {
      overflow = "the solver's model could not be read back within the time limit";
      return Counterexample{};
    }
  }

  Counterexample decodeModel(Encoder& en, const EncodedQuery& q, const z3::model& model, int seg,
                             const std::vector<z3::expr>& indicators, std::vector<Value>& vals,
                             std::vector<int>& failed, int64_t caseIndex, std::string& overflow) {
    Decoder d(en, model);
    ValueSource src = [&](Sort st, const z3::expr& t) { return d.decode(st ? st : model_.sorts.integer(), t); };
    const Case* cs = caseIndex >= 0 && static_cast<size_t>(caseIndex) < cases_.size()
                         ? cases_[static_cast<size_t>(caseIndex)].get() : nullptr;
    auto inputSymbol = [&](const Input& in) {  // (a split symbol: the case's value)
      z3::expr sym = in.sym;
      return cs && !cs->from.empty() ? sym.substitute(cs->from, cs->to) : sym;
    };
    // read twice: the values read the first time are keys at which the second reads sets and maps
    readPlan(q, seg, src);
    for (const Input& in : en.inputs()) d.decode(in.sort, inputSymbol(in));
    d.restart();
    vals = readPlan(q, seg, src);
    const Segment& sg = q.segments[static_cast<size_t>(seg)];
    failed.clear();
    if (sg.angelicGoal) {  // the goals that fail for the choice shown (none may: another step's can)
      for (size_t j = 0; j < sg.goals.size(); ++j)
        if (isFalse(model.eval(sg.goals[j].cond, true))) failed.push_back(static_cast<int>(j));
    } else if (indicators.empty()) {
      for (size_t j = 0; j < sg.goals.size(); ++j) failed.push_back(static_cast<int>(j));
    } else {
      // the goal the model picked, and an abstract action's enabledness false in it: a step whose
      // abstract action is not enabled also breaks the relation after it (the abstract state stays),
      // and the model may pick the relation (a new user was shown only that, and strengthened it in
      // vain)
      for (size_t j = 0; j < indicators.size(); ++j)
        if (model.eval(indicators[j], true).is_true() ||
            (j < sg.goals.size() && sg.goals[j].kind == "enabled" && isFalse(model.eval(sg.goals[j].cond, true))))
          failed.push_back(static_cast<int>(j));
    }
    Counterexample cx = buildCounterexample(q, seg, vals, failed);
    for (const Input& in : en.inputs()) cx.inputs.push_back({in.name, d.decode(in.sort, inputSymbol(in))});
    cx.functions = functionValues(cc_, d, model);
    cx.split = static_cast<int>(caseIndex);
    overflow = d.overflow();
    return cx;
  }

  // A counterexample shows the values its confirmation read (every free symbol fixed, each state
  // term evaluates), not the solver's model's: an MBQI model can leave an array comparison
  // unevaluated, and a fired abstract action's effect then showed as not taken.
  static void showAsConfirmed(Counterexample& cx, const EncodedQuery& q, int seg, std::vector<Value>& vals,
                              const std::vector<int>& failed, std::vector<Value>&& confirmed) {
    if (confirmed.size() != vals.size()) return;
    vals = std::move(confirmed);
    Counterexample again = buildCounterexample(q, seg, vals, failed);
    cx.entries = std::move(again.entries);
    cx.constants = std::move(again.constants);
    // (a failed enabledness condition names its arguments' values: those shown, not the solver's
    // model's, where an element of an uninterpreted sort had another number: "(v = Value!5)")
    if (again.failed.size() == cx.failed.size()) cx.failed = std::move(again.failed);
  }

  void refuted(Counterexample cx, int64_t caseIndex, int seg, const std::vector<Value>& vals,
               const std::vector<int>& failed) {
    r_.status = Status::Refuted;
    r_.counterexample = std::move(cx);
    // (with assumptions left out it is not the verdict; the record keeps no function tables)
    if (cache_ && cases_.front()->q.dropped.empty() && r_.counterexample->functions.empty()) {
      CacheRecord out;
      out.status = Status::Refuted;
      out.caseIndex = caseIndex;
      out.segment = seg;
      out.failed = failed;
      out.phases = allPhases();
      if (!ob_.witness)
        for (const Value& v : vals) out.values.push_back(encodeValue(v, cat_));
      cache_->store(r_.hash, out);
    }
  }

  // Bounded model checking: a run found by the interpreter's quick search,
  // re-derived by the solver from the query with its choices and arguments
  // fixed, decoded and confirmed like any counterexample. False (and nothing
  // changed) when there is no such run; the symbolic search then decides.
  // `found`: a run searched for already (on this query), else the search runs here.
  bool explicitRefute(const ExplicitRun* found) {
    if (cases_.size() != 1) return false;
    std::optional<ExplicitRun> run;
    if (found) {
      run = *found;
    } else {
      // half the time at most: the symbolic search gets the rest (a new user's 1-step bug, whose
      // argument the interpreter did not try, was found by the solver in 2 ms, but only after the
      // interpreter had spent the whole budget: unknown from --bmc 7 on)
      unsigned budget = std::min(remaining() / 2, 30000u);
      SearchStats st;
      run = searchRuns(cc_, ob_.query, budget, cancelled_, st);
    }
    if (!run) return false;
    Case& cs = *cases_[0];
    auto nameOf = [&](const z3::expr& t) -> std::string {
      for (const Input& in : cs.en->inputs())
        if (z3::eq(in.sym, t)) return in.name;
      return {};
    };
    std::map<std::string, Value> pins = run->startPins;
    size_t k = 0;
    for (const PlanItem& it : cs.q.plan) {
      if (it.kind != PlanItem::Kind::Choice || k >= run->steps.size()) continue;
      const ExplicitStep& st = run->steps[k++];
      if (it.choice.empty() || st.transition < 0 || static_cast<size_t>(st.transition) >= it.options.size()) return false;
      std::string cn = nameOf(it.choice[0]);
      if (cn.empty()) return false;
      pins[cn] = Value::integer(st.transition);
      // the arguments of the transition taken; those of the others only matter when taken, so they
      // get their sorts' defaults (the model's own choice could be a sequence too long to show)
      for (size_t o = 0; o < it.options.size(); ++o) {
        const PlanValues& opt = it.options[o];
        bool taken = o == static_cast<size_t>(st.transition);
        for (size_t p = 0; p < opt.terms.size(); ++p) {
          std::string pn = nameOf(opt.terms[p]);
          if (pn.empty() || (taken && p >= st.args.size())) continue;
          pins[pn] = taken ? st.args[p] : defaultValue(opt.sorts[p]);
        }
      }
    }
    if (k != run->steps.size()) return false;
    Encoder en(cc_);
    en.pinned = &pins;
    EncodedQuery pq = encodeQuery(en, ob_.query);
    int seg = -1;
    for (size_t i = 0; i < pq.segments.size(); ++i)
      if (!pq.segments[i].goals.empty() && pq.segments[i].depth == run->depth) {
        seg = static_cast<int>(i);
        break;
      }
    if (seg < 0) return false;
    // the goals of the earlier checkpoints held on the interpreter's run: the solver's must meet them too
    // (a value the run does not pin, such as an abstract start state, could otherwise break one)
    std::vector<z3::expr> facts = pq.global;
    for (int i = 0; i <= seg; ++i) {
      const Segment& sg = pq.segments[static_cast<size_t>(i)];
      for (const z3::expr& h : sg.hyps) facts.push_back(h);
      if (i < seg)
        for (const GoalItem& g : sg.goals) facts.push_back(g.cond);
    }
    std::vector<z3::expr> ind;
    z3::expr neg = negatedGoal(c_, pq.segments[static_cast<size_t>(seg)], seg, ind);
    if (const char* dump = std::getenv("IOAWB_EXPLICIT_DUMP")) std::ofstream(dump) << benchmarkText(c_, facts, neg);
    // (confirming a run found gets a timeout of its own: the search may have used up the obligation's)
    checkStart_ = std::chrono::steady_clock::now();
    std::optional<z3::solver> s;
    z3::check_result cr = attemptOnce(facts, neg, kReplay, s, nullptr, c_.bool_val(true));
    if (cr != z3::sat) {
      if (std::getenv("IOAWB_PROVER_PROFILE"))
        std::fprintf(stderr, "[explicit] %s: the run of depth %d was not re-derived (%s)\n", ob_.id.c_str(), run->depth,
                     cr == z3::unsat ? "unsat" : reason_.c_str());
      return false;
    }
    std::vector<Value> vals;
    std::vector<int> failed;
    std::string why;
    Counterexample cx = counterexampleOf(en, pq, s->get_model(), seg, ind, vals, failed, 0, why);
    std::vector<Value> confirmed;
    if (!why.empty() || !confirmCounterexample(model_, cat_, ob_, cx, &why, &confirmed, 5000u, cc_.interrupts())) {
      if (std::getenv("IOAWB_PROVER_PROFILE"))
        std::fprintf(stderr, "[explicit] %s: not confirmed (%s)\n", ob_.id.c_str(), why.c_str());
      return false;
    }
    cs.phases = "e";
    showAsConfirmed(cx, pq, seg, vals, failed, std::move(confirmed));
    refuted(std::move(cx), 0, seg, vals, failed);
    return true;
  }

  // The run the interpreter's search found (breadth first, but over sample values) may not be
  // the shortest: the solver searches the shallower depths first (a 2-step run with put(77)
  // twice was reported as 6 steps of put(0), and a 1-step definedness failure as a 5-step
  // invariant violation). Undecided there, the run found stands, and says so.
  void shortestFirst() {
    if (r_.status != Status::Refuted || !r_.counterexample || r_.counterexample->depth <= 0 || cases_.size() != 1)
      return;
    Result found = r_;
    std::string ph = cases_[0]->phases;
    cases_[0]->phases.clear();
    depthLimit_ = r_.counterexample->depth;
    // a quarter of the obligation's time: the run found is the answer, a shorter one a nicety (until
    // 2026-12-04 the whole time again: a new user's 5-step run took 10 s, all of it spent on depth 4)
    unsigned total = o_.timeoutMs == 0 ? 1u : o_.timeoutMs;
    checkStart_ = std::chrono::steady_clock::now() - std::chrono::milliseconds(total - std::max(total / 4, 1u));
    Status st = solveCase(*cases_[0]);
    depthLimit_ = std::numeric_limits<int>::max();
    if (st == Status::Refuted) return;  // a shorter run (refuted() has recorded it)
    if (st != Status::Proved) {
      cases_[0]->phases.pop_back();  // (the undecided depth's '-')
      found.counterexample->note += std::string(found.counterexample->note.empty() ? "" : " ") +
                                    "A shorter run was not ruled out: the solver did not decide depth " +
                                    std::to_string(undecidedDepth_) + ".";
    }
    r_ = std::move(found);
    cases_[0]->phases += ph;
  }

  void solve() {
    for (auto& cs : cases_) {
      Status st = solveCase(*cs);
      if (st != Status::Proved) return;
    }
    r_.status = Status::Proved;
    if (cache_) {
      CacheRecord out;
      out.status = Status::Proved;
      out.phases = allPhases();
      cache_->store(r_.hash, out);
    }
  }

  // The facts of a query so far, at each focus.
  using FactsByFocus = std::array<std::vector<z3::expr>, kFullFocus + 1>;

  Status solveCase(Case& cs) {
    const EncodedQuery& q = cs.q;
    FactsByFocus byFocus, relaxedFacts;  // (the relaxed query's, made on its first attempt)
    byFocus.fill(q.global);
    for (size_t i = 0; i < q.segments.size(); ++i) {
      const Segment& sg = q.segments[i];
      if (sg.depth >= depthLimit_) break;
      for (int f = 0; f <= kFullFocus; ++f) addHyps(byFocus[static_cast<size_t>(f)], sg, f);
      if (sg.goals.empty()) continue;
      // a focused attempt is worth it when it drops something its narrower neighbour keeps
      auto worthIt = [&](int f) {
        size_t n = byFocus[static_cast<size_t>(f)].size();
        return f >= kSliced || (n < byFocus[kSliced].size() && (f == 0 || n > byFocus[static_cast<size_t>(f - 1)].size()));
      };
      std::vector<z3::expr> ind;
      z3::expr neg = negatedGoal(c_, sg, static_cast<int>(i), ind);
      bool decided = false;
      bool wantModel = false;  // e-matching met a candidate model: go straight to model search
      // the attempt that decided the previous checkpoint or case goes first: the
      // cases of one obligation are alike (then the portfolio in its order)
      std::vector<size_t> order;
      if (lastDecider_ < kAttempts.size()) order.push_back(lastDecider_);
      for (size_t k = 0; k < kAttempts.size(); ++k)
        if (k != lastDecider_) order.push_back(k);
      if (afterGroup_) {
        auto moderate = std::find(order.begin(), order.end(), kModerate);
        auto focused = std::find(order.begin(), order.end(), kFocusedCore);
        if (moderate < focused && focused != order.end()) std::rotate(moderate, focused, focused + 1);
      }
      for (size_t k : order) {  // (every decision breaks out)
        const Attempt& at = kAttempts[k];
        attemptNo_ = static_cast<int>(k);
        if ((wantModel && !at.mbqi) || !worthIt(at.focus)) continue;
        if (at.partsOnly) {
          if (!cs.wholeValues) cs.wholeValues = WholeValueUse(c_).in(q);
          if (*cs.wholeValues) continue;
        }
        const EncodedQuery* eq = &q;
        Encoder* en = cs.en.get();
        std::vector<z3::expr>* fs = &byFocus[static_cast<size_t>(at.focus)];
        std::optional<z3::expr> rneg;
        std::vector<z3::expr> rind;
        if (at.relaxed) {
          bool lined = false;
          {
            AddElapsed t{encodeMs_};
            lined = relaxedFor(cs, i, relaxedFacts);
          }
          if (!lined) continue;
          eq = &*cs.relaxedQ;
          en = cs.relaxedEn.get();
          fs = &relaxedFacts[static_cast<size_t>(at.focus)];
          rneg = negatedGoal(c_, cs.relaxedQ->segments[i], static_cast<int>(i), rind);
        }
        if (at.focus < kSliced) {  // the closest hypotheses only, in a context of its own: a proof or nothing
          if (focusedAttempt(*fs, neg, at) == z3::unsat) {
            cs.phases += static_cast<char>('0' + k);
            lastDecider_ = k;
            decided = true;
            break;
          }
          if (reason_ == "cancelled" || remaining() == 0) break;
          continue;
        }
        std::optional<z3::solver> s;
        z3::check_result cr = attempt(*fs, rneg ? *rneg : neg, at, s, en);
        if (cr == z3::unsat) {
          cs.phases += static_cast<char>('0' + k);
          lastDecider_ = k;
          decided = true;
          break;
        }
        // A model with long sequences or large numbers (a new user's counterexample to induction
        // had two sequences of 40 elements) is asked for again with them short and small
        // (sequences of at most 3, numbers within -64..64, then the sequences alone); the first
        // such model found is shown instead, when it is confirmed.
        auto smaller = [&](const z3::model& m) -> std::optional<z3::model> {
          constexpr int64_t kShortSeq = 3, kSmallNum = 64;
          if (!s) return std::nullopt;
          z3::expr_vector lens(c_), nums(c_);
          bool big = false;
          // What a value holds, down to depth 3, is asked to be small: its numbers (itself, a tuple's
          // fields, a sequence's first elements, the values of a map or array over a small finite
          // sort and a multiset's counts; a new user's `R.out = [64757, 0]`, `cache = {0 -> 0,
          // 1 -> 8366, 2 -> 29243}`, `alice (9168 times)`, `Slot(owner: alice, nuse: 6334)`) and the
          // lengths of its sequences (not of those inside a sequence's elements: `inSeq`; a new
          // user's `q = {0 -> [0, 64, 46, 64, ...]}`, 40 elements). `shown`: the model shows it (an
          // element within the sequence's length); each is asked to be small all the same.
          auto small = [&](const z3::expr& t, bool shown) {
            int64_t xv = 0;
            big = big || (shown && (!m.eval(t, true).is_numeral_i64(xv) || xv > kSmallNum || xv < -kSmallNum));
            nums.push_back(t >= c_.int_val(-kSmallNum) && t <= c_.int_val(kSmallNum));
          };
          std::function<void(Sort, const z3::expr&, bool, bool, int)> walk = [&](Sort so, const z3::expr& t, bool shown,
                                                                                bool inSeq, int depth) {
            const bool moreNums = nums.size() < 64, moreLens = !inSeq && lens.size() < 64;
            if (!so || depth > 3 || (!moreNums && !moreLens)) return;
            switch (so->kind) {
              case SortKind::Int:
              case SortKind::Nat:
                if (moreNums) small(t, shown);
                return;
              case SortKind::Tuple:
                if (so->def)
                  for (size_t f = 0; f < so->def->fields.size(); ++f)
                    walk(so->def->fields[f].sort, en->field(so, 0, static_cast<int>(f), t), shown, inSeq, depth + 1);
                return;
              case SortKind::Seq: {
                z3::expr n = en->seqLen(t);
                int64_t len = 0;
                const bool known = m.eval(n, true).is_numeral_i64(len);
                if (moreLens) {
                  big = big || (known && len > kShortSeq);
                  lens.push_back(n <= c_.int_val(kShortSeq));
                }
                if (!moreNums || !known) return;
                for (int64_t k = 0; k < kShortSeq; ++k)
                  walk(so->elem(), z3::select(en->seqArr(t), c_.int_val(k)), shown && k < len, true, depth + 1);
                return;
              }
              case SortKind::Map:
              case SortKind::Array:
              case SortKind::Mset: {
                const bool mset = so->kind == SortKind::Mset;
                Sort keys = mset ? so->elem() : so->key();
                if (!cc_.isSmallFinite(keys) || (mset && !moreNums)) return;
                for (int64_t k = 0; k < cc_.finiteSize(keys); ++k) {
                  z3::expr key = cc_.finiteValue(keys, k);
                  if (mset) small(z3::select(t, key), shown);
                  else if (so->kind == SortKind::Array) walk(so->value(), en->arrayGet(so, t, key), shown, inSeq, depth + 1);
                  else walk(so->value(), z3::select(en->field(so, 0, 0, t), key), shown, inSeq, depth + 1);
                }
                return;
              }
              default: return;
            }
          };
          for (const Input& in : en->inputs()) {
            z3::expr sym = in.sym;
            if (!cs.from.empty()) sym = sym.substitute(cs.from, cs.to);
            walk(in.sort, sym, true, false, 0);
          }
          if (!big) return std::nullopt;
          for (int pass = 0; pass < 2; ++pass) {
            if (pass == 1 && (nums.empty() || lens.empty())) break;
            unsigned ms = std::min(remaining(), 1000u);
            if (ms == 0) break;
            std::optional<z3::model> out;
            try {
              s->push();
              for (const z3::expr& b : lens) s->add(b);
              if (pass == 0)
                for (const z3::expr& b : nums) s->add(b);
              // (e-matching's solver answers unknown with a candidate: confirmed like any other)
              auto t0 = std::chrono::steady_clock::now();
              z3::check_result sr = z3util::checkWithin(*s, ms, cancelled_);
              if (std::getenv("IOAWB_PROVER_PROFILE"))
                std::fprintf(stderr, "[smaller] %s pass %d: %s %.1f ms\n", ob_.id.c_str(), pass,
                             sr == z3::sat ? "sat" : sr == z3::unsat ? "unsat" : s->reason_unknown().c_str(),
                             msSince(t0));
              if (sr != z3::unsat) out = s->get_model();
              s->pop();
            } catch (const z3::exception&) {
              return std::nullopt;
            }
            if (out) return out;
          }
          return std::nullopt;
        };
        // a model, confirmed against the full query with every value fixed, refutes
        std::function<bool(const z3::model&, bool)> confirmedModel = [&](const z3::model& m, bool shrink) {
          if (std::optional<z3::model> small = shrink ? smaller(m) : std::nullopt)
            if (confirmedModel(*small, false)) return true;
          std::vector<Value> vals;
          std::vector<int> failed;
          std::string why;
          Counterexample cx =
              counterexampleOf(*en, *eq, m, static_cast<int>(i), rneg ? rind : ind, vals, failed, cs.index, why);
          std::vector<Value> confirmed;
          // (a smaller model's confirmation gets a short time: one took 1.3 s where the model it
          // replaces took 34 ms; undecided, the model found first is confirmed as usual)
          if (why.empty() && confirmCounterexample(model_, cat_, ob_, cx, &why, &confirmed, shrink ? 5000u : 500u,
                                                  cc_.interrupts())) {
            cs.phases += static_cast<char>('0' + k);
            showAsConfirmed(cx, *eq, static_cast<int>(i), vals, failed, std::move(confirmed));
            refuted(std::move(cx), cs.index, static_cast<int>(i), vals, failed);
            return true;
          }
          reason_ = "the solver's model could not be confirmed (" + why + ")";
          if (std::getenv("IOAWB_PROVER_PROFILE")) {
            std::fprintf(stderr, "[confirm] %s: %s\n", ob_.id.c_str(), why.c_str());
            for (const NamedValue& nv : cx.inputs)
              std::fprintf(stderr, "[confirm]   %s = %s\n", nv.name.c_str(), nv.value.toString().c_str());
          }
          return false;
        };
        auto refutedBy = [&](const z3::model& m) { return confirmedModel(m, true); };
        // E-matching that runs out of instances leaves a candidate model (sat, or unknown for
        // incomplete quantifiers): often a real one. The first is tried as it stands; model
        // search comes next (a one-step bug on a multiset count waited for the whole timeout).
        auto candidate = [&]() -> std::optional<z3::model> {
          if (at.mbqi || at.relaxed || triedCandidate_) return std::nullopt;
          triedCandidate_ = true;
          try {
            return s->get_model();
          } catch (const z3::exception&) {
            return std::nullopt;
          }
        };
        if (cr == z3::sat) {
          if (!at.mbqi) {
            wantModel = wantModel || !at.relaxed;  // (the relaxed query's models may break canonical form)
            if (auto m = candidate(); m && refutedBy(*m)) return Status::Refuted;
            continue;
          }
          if (refutedBy(s->get_model())) return Status::Refuted;
          continue;
        }
        if (reason_ == "cancelled" || remaining() == 0) break;
        if (!at.mbqi && !at.relaxed && reason_.find("incomplete") != std::string::npos) {
          wantModel = true;
          std::string was = reason_;
          if (auto m = candidate(); m && refutedBy(*m)) return Status::Refuted;
          reason_ = was;
        }
      }
      if (!decided) return undecided(cs, sg);
      if (!q.carryGoals) continue;
      for (auto& fs : byFocus) fs.push_back(segmentGoal(c_, sg));
      if (cs.relaxedQ && relaxedUpTo_ > i)
        for (auto& fs : relaxedFacts) fs.push_back(segmentGoal(c_, cs.relaxedQ->segments[i]));
    }
    return Status::Proved;
  }

  // The encoding of case `cs` (`relaxed`: without canonical-form facts) and its encoder `en`.
  // A split query is encoded once with the split variables as symbols, and each case
  // substitutes its values (encoding it anew per case took most of the time of Lamport's mutual
  // exclusion); the full query's substitution is kept in the case (cs.from, cs.to).
  EncodedQuery encodeCase(Case& cs, bool relaxed, std::shared_ptr<Encoder>& en) {
    if (caseCount_ <= 1) {
      en = std::make_shared<Encoder>(cc_);
      en->canonicity = !relaxed;
      return encodeQuery(*en, ob_.query, &split_, &cs.values);
    }
    Generic& g = generic_[relaxed ? 1 : 0];
    if (!g.q) {
      g.en = std::make_shared<Encoder>(cc_);
      g.en->canonicity = !relaxed;
      g.q = encodeQuery(*g.en, ob_.query, &split_);
    }
    en = g.en;
    z3::expr_vector from(c_), to(c_);
    EncodedQuery q = forCase(cc_, *g.q, split_, cs.values, from, to);
    if (!relaxed) cs.from = from, cs.to = to;
    return q;
  }

  // The relaxed encoding of a case, with its facts up to checkpoint `i` (false if it does not line up).
  bool relaxedFor(Case& cs, size_t i, FactsByFocus& relaxedFacts) {
    if (!cs.relaxedQ) {
      cs.relaxedQ = encodeCase(cs, true, cs.relaxedEn);
      relaxedFacts.fill(cs.relaxedQ->global);
      relaxedUpTo_ = 0;
    }
    if (cs.relaxedQ->segments.size() != cs.q.segments.size()) return false;
    for (; relaxedUpTo_ <= i; ++relaxedUpTo_) {
      const Segment& rs = cs.relaxedQ->segments[relaxedUpTo_];
      for (int f = 0; f <= kFullFocus; ++f) addHyps(relaxedFacts[static_cast<size_t>(f)], rs, f);
      if (relaxedUpTo_ < i && !rs.goals.empty() && cs.relaxedQ->carryGoals)
        for (auto& fs : relaxedFacts) fs.push_back(segmentGoal(c_, rs));
    }
    return true;
  }

  Status undecided(Case& cs, const Segment& at) {
    cs.phases += '-';
    undecidedDepth_ = at.depth;
    r_.status = Status::Unknown;
    r_.reason = reason_.empty() ? "unknown" : reason_;
    if (r_.reason == "resource budget") r_.reason = "timeout";
    if (ob_.bounded && at.depth > 0 && cases_.size() == 1)  // the earlier depths were decided: no violation there
      r_.reason += " at depth " + std::to_string(at.depth) +
                   (at.depth > 2   ? " (no violation within " + std::to_string(at.depth - 1) + " steps)"
                    : at.depth == 2 ? " (no violation within 1 step)"
                                    : "");
    if (cases_.size() > 1) r_.reason += " (case " + caseText(split_, cc_, cs.index) + ")";
    // a bit-vector read as an integer: Z3 reasons about such a conversion slowly (a new user's
    // `Nat(acc) = total` stayed unknown for 60 s; `UInt64(acc) = total` over UInt64 took 0.04 s)
    if (cs.en && !cs.en->bvToInt.empty() && r_.reason.rfind("timeout", 0) == 0)
      r_.reason += "; the query converts a bit-vector to an integer (" + cs.en->bvToInt +
                   "), which Z3 decides slowly: stating the property over bit-vectors (a wider UIntN instead "
                   "of Nat) often decides it";
    return Status::Unknown;
  }

  ContextCache& cc_;
  z3::context& c_;
  const Model& model_;
  const SortCatalog& cat_;
  const Obligation& ob_;
  const DischargeOptions& o_;
  const ObligationCache* cache_;
  const std::atomic<bool>* cancelled_;
  std::vector<SplitVar> split_;
  std::vector<std::unique_ptr<Case>> cases_;
  std::string reason_;
  Result r_;
  int attemptNo_ = -1;             // the portfolio index of the attempt running (for IOAWB_PROVER_PROFILE)
  size_t lastDecider_ = SIZE_MAX;  // the attempt that proved the last checkpoint
  bool afterGroup_ = false;
  double encodeMs_ = 0, scriptMs_ = 0, attemptMs_ = 0;  // for IOAWB_PROVER_PROFILE
  int depthLimit_ = std::numeric_limits<int>::max();  // bounded: checkpoints from this depth on are not solved
  int undecidedDepth_ = 0;
  int64_t caseCount_ = 1;
  bool triedCandidate_ = false;  // e-matching's candidate model was tried (once per obligation)
  struct Generic {  // a split query's encoding with the split variables as symbols
    std::shared_ptr<Encoder> en;
    std::optional<EncodedQuery> q;
  };
  std::array<Generic, 2> generic_;  // the full query's and the relaxed one's
  double contextCount_ = 0, spentRlimit_ = 0;  // for IOAWB_PROVER_PROFILE: Z3's resource count
  size_t relaxedUpTo_ = 0;
  std::chrono::steady_clock::time_point t0_, checkStart_;
};

}  // namespace

// An existence claim (Obligation::witness) is solved as the validity of
// "the assumptions imply false" (and cached so): a confirmed model refutes
// that, and is the witness; a proof of it says no witness exists.
void readAsWitness(const Obligation& ob, Result& r) {
  if (r.status == Status::Refuted) {
    r.status = Status::Proved;
    r.counterexample.reset();
  } else if (r.status == Status::Proved) {
    r.status = Status::Refuted;
    r.reason = ob.refutedBecause.empty() ? "no values meet the assumptions" : ob.refutedBecause;
  }
}

bool decidedWithoutQuery(const Obligation& ob, const CacheRecord& rec, const std::string& hash, Result& r) {
  if (!(rec.status == Status::Proved || (ob.witness && rec.status == Status::Refuted))) return false;
  r = Result{};
  r.status = rec.status;
  r.cached = true;
  r.hash = hash;
  if (ob.witness) readAsWitness(ob, r);
  return true;
}

Result solveObligation(ContextCache& cc, const Obligation& ob, const DischargeOptions& o, const ObligationCache* cache,
                       const std::atomic<bool>* cancelled, bool afterGroup) {
  ObligationSolver solver(cc, cc.model(), cc.catalog(), ob, o, cache, cancelled);
  if (afterGroup) solver.afterGroup();
  return solver.run();
}

namespace {

// Whether two steps of a query are the same step (as refine builds them: the same
// automaton, transition, expressions and variables), the reach of an assumption aside.
bool sameStep(const Step& a, const Step& b) {
  auto samePolicy = [](const SidePolicy& x, const SidePolicy& y) {
    return x.partial == y.partial && x.narrowing == y.narrowing && x.choose == y.choose && x.enabled == y.enabled &&
           x.trace == y.trace;
  };
  return a.kind == b.kind && a.aut == b.aut && a.abstractAut == b.abstractAut && a.vars == b.vars &&
         a.names == b.names && a.tag == b.tag && a.label == b.label && a.var == b.var && a.expr == b.expr &&
         a.block == b.block && a.transition == b.transition && samePolicy(a.policy, b.policy) &&
         a.useCurrent == b.useCurrent && a.assumeEnsuring == b.assumeEnsuring;
}

// The steps of an obligation's query before its goals, when everything after them is a goal,
// without its snapshots (they only name what a counterexample shows, and a group never
// refutes); nothing when the query has another shape. `goalsAt`: where its goals begin.
std::optional<std::vector<const Step*>> sharedSteps(const Obligation& ob, size_t& goalsAt) {
  if (ob.witness || ob.bounded || !ob.holdsBecause.empty()) return std::nullopt;
  const std::vector<Step>& st = ob.query.steps;
  std::vector<const Step*> out;
  size_t k = 0;
  for (; k < st.size() && st[k].kind != Step::Kind::Goal && st[k].kind != Step::Kind::WdGoal; ++k)
    switch (st[k].kind) {
      case Step::Kind::Snapshot: break;
      case Step::Kind::Havoc:
      case Step::Kind::Bind:
      case Step::Kind::Assume:
      case Step::Kind::Action:
      case Step::Kind::Effect: out.push_back(&st[k]); break;
      default: return std::nullopt;  // (start states, fragments, checkpoints: not shared this way)
    }
  if (k == st.size()) return std::nullopt;
  for (size_t j = k; j < st.size(); ++j)
    if (st[j].kind != Step::Kind::Goal && st[j].kind != Step::Kind::WdGoal) return std::nullopt;
  goalsAt = k;
  return out;
}

// Z3's resource budget of each goal's check in a group (the portfolio's first e-matching
// attempt has the same): a goal the group does not prove in it is solved alone.
constexpr unsigned kTogetherRlimit = 300000;
// The cache record of a member its group left because its check ran out of that budget.
constexpr const char* kSpent = "spent";

}  // namespace

std::vector<std::optional<Result>> solveTogether(ContextCache& cc, const std::vector<const Obligation*>& obs,
                                                 const DischargeOptions& o, const ObligationCache* cache,
                                                 const std::atomic<bool>* cancelled, std::vector<bool>* spent,
                                                 const std::function<void(size_t, const Result&)>& onProved) {
  const size_t n = obs.size();
  std::vector<std::optional<Result>> out(n);
  if (spent) spent->assign(n, false);
  if (n < 2) return out;
  auto t0 = std::chrono::steady_clock::now();
  const bool profile = std::getenv("IOAWB_PROVER_PROFILE") != nullptr;
  // The members by the length of their shared steps: each one's must begin the next one's
  // (the same steps, or more assumptions: the well-definedness of each invariant assuming
  // the earlier ones).
  std::vector<std::vector<const Step*>> steps(n);
  std::vector<size_t> goalsAt(n), order(n);
  for (size_t k = 0; k < n; ++k) {
    auto st = sharedSteps(*obs[k], goalsAt[k]);
    if (!st) return out;
    steps[k] = std::move(*st);
    order[k] = k;
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return steps[x].size() < steps[y].size(); });
  const std::vector<const Step*>& longest = steps[order.back()];
  for (size_t k : order)
    for (size_t p = 0; p < steps[k].size(); ++p)
      if (!sameStep(*steps[k][p], *longest[p])) return out;
  // One query: for each member in that order, the shared steps it adds (an assumption at the
  // nearest reach any member that makes it gives it) up to a checkpoint, then its goals up to
  // another. Its goals' own side facts stay in their segment (asserted for its check only).
  Query q;
  size_t made = 0;
  for (size_t m = 0; m < n; ++m) {
    const Obligation& ob = *obs[order[m]];
    for (; made < steps[order[m]].size(); ++made) {
      Step s = *longest[made];
      if (s.kind == Step::Kind::Assume)
        for (size_t later = m; later < n; ++later) s.reach = std::min(s.reach, steps[order[later]][made]->reach);
      q.steps.push_back(std::move(s));
    }
    q.checkpoint();
    q.steps.insert(q.steps.end(), ob.query.steps.begin() + static_cast<std::ptrdiff_t>(goalsAt[order[m]]),
                   ob.query.steps.end());
    q.checkpoint();
  }
  z3::context& c = cc.ctx();
  EncodedQuery eq;
  std::vector<std::string> hashes(n);
  try {
    std::vector<SplitVar> split = splitVars(q, cc, kMaxCases);
    if (caseCount(split, cc) > 1) return out;  // (cases value by value: each member alone)
    // Without the canonical-form facts of sequences and maps (a weaker assumption: sound for a
    // proof, and a group only proves): e-matching instantiates one for every element read, a
    // case split each, which served few of the flagship's steps and slowed all the others.
    Encoder en(cc);
    en.canonicity = false;
    eq = encodeQuery(en, q);
    if (eq.segments.size() < 2 * n) return out;
    for (size_t m = 0; m < n; ++m) {
      const Segment &shared = eq.segments[2 * m], &own = eq.segments[2 * m + 1];
      if (!shared.goals.empty() || own.angelicGoal || !own.existentials.empty()) return out;
    }
    // A member's hash: the assumptions up to it as text (at full reach: a proof from some of
    // them is a proof from all), then its own part.
    std::string chain = std::string(kHashSalt) + "; proved together\n";
    for (size_t m = 0; m < n; ++m) {
      std::vector<z3::expr> added = m == 0 ? eq.global : std::vector<z3::expr>{};  // (the global facts first)
      addHyps(added, eq.segments[2 * m], kFullFocus);
      chain = sha256Hex(chain + benchmarkText(c, added, c.bool_val(true)));
      std::vector<z3::expr> own;
      addHyps(own, eq.segments[2 * m + 1], kFullFocus);
      hashes[order[m]] = sha256Hex(chain + benchmarkText(c, own, !segmentGoal(c, eq.segments[2 * m + 1])));
    }
  } catch (const Unsupported&) {
    return out;  // (each member alone says what cannot be encoded)
  } catch (const z3::exception&) {
    return out;
  }
  double sharedMs = msSince(t0) / static_cast<double>(n);
  std::vector<bool> open(n, true);
  for (size_t k = 0; k < n; ++k) {
    CacheRecord rec;
    if (!cache || !cache->load(hashes[k], rec)) continue;
    if (rec.alone) {  // (the group did not prove it before: alone at once, as then)
      open[k] = false;
      if (spent) (*spent)[k] = rec.phases == kSpent;
      continue;
    }
    if (rec.status != Status::Proved) continue;
    Result r;
    r.status = Status::Proved;
    r.hash = hashes[k];
    r.cached = true;
    r.timeMs = sharedMs;
    out[k] = std::move(r);
    if (onProved) onProved(k, *out[k]);
    open[k] = false;
  }
  if (std::none_of(open.begin(), open.end(), [](bool b) { return b; })) return out;
  try {
    z3::solver s = configuredSolver(c, true, false, 0, 0, kTogetherRlimit);
    std::vector<z3::expr> base = eq.global;  // (for the emitted scripts)
    for (const z3::expr& f : eq.global) s.add(f);
    double before = 0;
    for (size_t m = 0; m < n; ++m) {
      if (cancelled && cancelled->load()) break;
      std::vector<z3::expr> added, own;
      addHyps(added, eq.segments[2 * m], kSliced);
      for (const z3::expr& f : added) s.add(f);
      base.insert(base.end(), added.begin(), added.end());
      const size_t k = order[m];
      if (!open[k]) continue;
      const Segment& sg = eq.segments[2 * m + 1];
      addHyps(own, sg, kSliced);
      z3::expr neg = !segmentGoal(c, sg);
      auto ta = std::chrono::steady_clock::now();
      z3::check_result cr = z3::unsat;  // (no goals: nothing to check, as alone)
      std::string why;
      double used = 0;
      if (!sg.goals.empty()) {
        s.push();
        for (const z3::expr& f : own) s.add(f);
        s.add(neg);
        cr = z3util::checkWithin(s, attemptTimeMs(kTogetherRlimit, o.timeoutMs ? o.timeoutMs : 1u), cancelled);
        if (cr == z3::unknown) why = s.reason_unknown();
        if (profile) {
          double count = rlimitCount(s);
          used = count - before;
          before = count;
        }
        s.pop();
      }
      double ms = msSince(ta);
      if (profile)
        std::fprintf(stderr, "[together] %-60s -> %s %.1f ms, %.0f rlimit\n", obs[k]->id.c_str(),
                     cr == z3::unsat ? "unsat" : cr == z3::sat ? "sat" : why.c_str(), ms, used);
      if (cr != z3::unsat) {
        // Out of its budget, the member is solved alone with the focused attempt first
        // (afterGroup); with a candidate model (sat, incomplete quantifiers), by the whole
        // portfolio in its order: the first attempt's candidate on the full query refutes a
        // seeded bug in milliseconds, where the rest of the portfolio took a new user's whole
        // first pass (2 s) and the search of runs after it.
        const bool exhausted = cr == z3::unknown && why.find("incomplete") == std::string::npos;
        if (spent) (*spent)[k] = exhausted;
        // (a later run of the same member goes alone at once, the road this run takes: the
        // group's solver would start from another state there, with the others found cached)
        if (cache && !(cancelled && cancelled->load())) {
          CacheRecord rec;
          rec.alone = true;
          rec.phases = exhausted ? kSpent : "model";
          cache->store(hashes[k], rec);
        }
        continue;
      }
      Result r;
      r.status = Status::Proved;
      r.hash = hashes[k];
      r.timeMs = sharedMs + ms;
      out[k] = std::move(r);
      if (onProved) onProved(k, *out[k]);
      if (cache) {
        CacheRecord rec;
        rec.status = Status::Proved;
        rec.phases = "t";
        cache->store(hashes[k], rec);
      }
      if (!o.smt2Dir.empty()) {
        std::vector<z3::expr> facts = base;
        facts.insert(facts.end(), own.begin(), own.end());
        writeSmt2(o.smt2Dir, *obs[k],
                  "; proved in one solver with the other obligations of its group (the invariants one transition\n"
                  "; must preserve, or the well-definedness of each invariant): the assumptions they share\n"
                  "; asserted once, each goal checked between (push) and (pop). This is that check alone,\n"
                  "; without the invariants that share no variable with the group and without the\n"
                  "; canonical-form facts of sequences and maps (a subset of the query's assumptions: sound\n"
                  "; for a proof)\n"
                  "(set-option :smt.mbqi false)\n" + benchmarkText(c, facts, neg));
      }
    }
  } catch (const z3::exception&) {
    // (what is not proved yet is solved alone)
  }
  return out;
}

Result searchRun(ContextCache& cc, const Obligation& ob, const DischargeOptions& o, unsigned budgetMs,
                 const std::atomic<bool>* cancelled) {
  auto t0 = std::chrono::steady_clock::now();
  SearchStats st;
  std::optional<ExplicitRun> run = searchRuns(cc, ob.query, budgetMs, cancelled, st);
  Result r;
  if (!run) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f s", msSince(t0) / 1000.0);
    const std::string states = std::to_string(st.states) + (st.states == 1 ? " state" : " states");
    std::string seen = states + " with sample values, " + secs;
    // (one start state when the solver gave it: the interpreter's own values missed `initially`)
    const std::string from = st.solverStart ? "from the start state the solver found (the interpreter's own values "
                                              "do not satisfy the 'initially' clause)" : "from a start state";
    if (!st.shape)
      r.reason = "the search of runs cannot run this query";
    else if (!st.start)  // (the solver may well find one: an uninterpreted function's values, say)
      r.reason = "the search of runs could not build a start state" +
                 (st.startWhy.empty() ? std::string() : " (" + st.startWhy + ")") +
                 (st.solverAsked ? ", nor did the solver give it one in the time it had" : "");
    else if (!st.unevaluated.empty())
      r.reason = "the search of runs " + from + " cannot evaluate " + st.unevaluated + "; that it found no "
                 "violation in the " + states + " it visited (with sample values, " + secs + ") says nothing about it";
    else if (st.exhausted)
      r.reason = "no violating run: the search of runs " + from + " reached every state it can (" + seen + ")";
    else if (st.outOfBudget)
      r.reason = "no violating run found by the search of runs " + from + " before its budget ran out (every run "
                 "of up to " + std::to_string(st.depth) + " steps, " + seen + ")";
    else
      r.reason = "no violating run of up to " + std::to_string(st.depth) +
                 " steps found by the search of runs " + from + " (" + seen + ")";
    // The interpreter could not start (or started only from the solver's one start state) or could
    // not evaluate a goal (an uninterpreted function, a quantifier over an infinite sort): the
    // solver searches the runs instead, in what is left of
    // the budget (until 2026-12-04 a new user's LCR bug stayed unknown, although --bmc found its
    // one-step run in 0.1 s).
    unsigned used = static_cast<unsigned>(msSince(t0));
    if (st.shape && (!st.start || st.solverStart || !st.unevaluated.empty()) && used < budgetMs &&
        !(cancelled && cancelled->load())) {
      DischargeOptions quiet = o;
      quiet.smt2Dir.clear();
      quiet.timeoutMs = budgetMs - used;
      Result sym = ObligationSolver(cc, cc.model(), cc.catalog(), ob, quiet, nullptr, cancelled).run();
      if (sym.status == Status::Refuted && sym.counterexample) {
        sym.timeMs = msSince(t0);
        return sym;
      }
      if (sym.status == Status::Proved)
        r.reason += "; the solver found no violating run of up to " + std::to_string(ob.depth) + " steps either";
      else if (sym.status == Status::Unknown && sym.reason != "cancelled")
        r.reason += "; the solver's search of those runs was not decided either (" + sym.reason + ")";
    }
  } else {
    // the query up to the checkpoint where the run ends: the solver re-derives the run there
    Obligation cut = ob;
    cut.depth = static_cast<unsigned>(run->depth);
    int checkpoints = 0;
    for (size_t i = 0; i < cut.query.steps.size(); ++i)
      if (cut.query.steps[i].kind == Step::Kind::Checkpoint && checkpoints++ == run->depth) {
        cut.query.steps.resize(i + 1);
        break;
      }
    DischargeOptions quiet = o;
    quiet.smt2Dir.clear();
    quiet.timeoutMs = std::max(o.timeoutMs, budgetMs);  // the solver's re-derivation is part of the search
    r = ObligationSolver(cc, cc.model(), cc.catalog(), cut, quiet, nullptr, cancelled).replay(*run);
  }
  r.timeMs = msSince(t0);
  return r;
}

std::string obligationScript(ContextCache& cc, const Obligation& ob) {
  std::vector<SplitVar> split = splitVars(ob.query, cc, kMaxCases);
  int64_t n = caseCount(split, cc);
  std::string out;
  for (int64_t k = 0; k < n; ++k) {
    std::vector<int64_t> values = caseValues(split, cc, k);
    Encoder en(cc);
    EncodedQuery q = encodeQuery(en, ob.query, &split, &values);
    if (n > 1) out += std::string(k ? "(reset)\n" : "") + "; case " + caseText(split, cc, k) + "\n";
    out += joinScripts(segmentScripts(cc.ctx(), q), "");
  }
  return out;
}

bool confirmCounterexample(const Model& model, const SortCatalog& cat, const Obligation& ob, const Counterexample& cex,
                           std::string* why, std::vector<Value>* read, unsigned timeoutMs, Interrupts* interrupts) {
  auto fail = [&](const std::string& m) {
    if (why) *why = m;
    return false;
  };
  // A query without free symbols (a deterministic start state) has no inputs;
  // otherwise every symbol must have a value (checked below).
  try {
    z3::context ctx;
    Interrupts::Scope live(interrupts, ctx);
    ContextCache cc(ctx, model, cat, interrupts);
    Encoder en(cc);
    std::map<std::string, Value> pinned;
    for (const NamedValue& nv : cex.inputs) pinned.emplace(nv.name, nv.value);
    en.pinned = &pinned;
    std::vector<SplitVar> split = splitVars(ob.query, cc, kMaxCases);
    std::vector<int64_t> values;
    if (!split.empty()) {
      if (cex.split < 0 || cex.split >= caseCount(split, cc)) return fail("the counterexample names no case");
      values = caseValues(split, cc, cex.split);
    }
    EncodedQuery q = encodeQuery(en, ob.query, split.empty() ? nullptr : &split, split.empty() ? nullptr : &values);
    int seg = -1;
    if (cex.segment >= 0 && static_cast<size_t>(cex.segment) < q.segments.size() &&
        !q.segments[static_cast<size_t>(cex.segment)].goals.empty())
      seg = cex.segment;  // (two checkpoints may have the same depth: a precondition's definedness, then the step's)
    for (size_t i = 0; seg < 0 && i < q.segments.size(); ++i) {
      if (q.segments[i].goals.empty()) continue;
      if (cex.depth < 0 || q.segments[i].depth == cex.depth) {
        seg = static_cast<int>(i);
        if (cex.depth >= 0) break;
      }
    }
    if (seg < 0) return fail("no checkpoint matches the counterexample");
    for (const Input& in : en.inputs())
      if (!pinned.count(in.name)) return fail("symbol " + in.name + " has no value in the counterexample");
    // each uninterpreted function the query applies is the counterexample's table (one
    // without a table stays free: the goal must then fail for every interpretation allowed)
    std::vector<z3::expr> tables;
    for (const auto& [f, decl] : cc.functions()) {
      const FunctionValue* fv = nullptr;
      for (const FunctionValue& g : cex.functions)
        if (g.name == f->name) fv = &g;
      if (!fv) continue;
      z3::expr_vector xs(ctx);
      for (size_t k = 0; k < f->params.size(); ++k)
        xs.push_back(ctx.constant(("arg!" + std::to_string(k)).c_str(), cc.sort(f->params[k].var->sort)));
      Sort result = f->result->resolved;
      z3::expr body = en.valueTerm(result, fv->otherwise);
      for (auto it = fv->entries.rbegin(); it != fv->entries.rend(); ++it) {
        if (it->first.size() != f->params.size()) return fail("function " + f->name + ": an entry of the wrong arity");
        z3::expr at = ctx.bool_val(true);
        for (size_t k = 0; k < f->params.size(); ++k) at = at && xs[k] == en.valueTerm(f->params[k].var->sort, it->first[k]);
        body = z3::ite(at, en.valueTerm(result, it->second), body);
      }
      tables.push_back(f->params.empty() ? decl() == body : z3::forall(xs, decl(xs) == body));
    }
    z3::solver s(ctx);
    const std::atomic<bool>* cancel = interrupts ? interrupts->flag() : nullptr;
    for (const z3::expr& g : q.global) s.add(g);
    for (const z3::expr& t : tables) s.add(t);
    for (const z3::expr& o : en.opaqueFacts) s.add(o);  // (the tables' elements of uninterpreted sorts)
    for (int i = 0; i <= seg; ++i) {
      const Segment& sg = q.segments[static_cast<size_t>(i)];
      for (const z3::expr& h : sg.hyps) s.add(h);
      if (i < seg && !sg.goals.empty() && q.carryGoals) s.add(segmentGoal(ctx, sg));
    }
    z3::check_result a = z3util::checkWithin(s, timeoutMs, cancel);
    if (a != z3::sat)
      return fail(a == z3::unsat ? "the values do not satisfy the assumptions" : "the assumptions could not be decided");
    if (read) {
      z3::model m = s.get_model();  // (the decoder keeps a reference)
      Decoder d(en, m);
      ValueSource src = [&](Sort st, const z3::expr& t) { return d.decode(st ? st : model.sorts.integer(), t); };
      *read = readPlan(q, seg, src);
      if (!d.overflow().empty()) read->clear();
    }
    const Segment& sg = q.segments[static_cast<size_t>(seg)];
    Segment only = sg;
    only.goals.clear();
    // every goal with a failed label: a loop's iterations give one statement's side
    // condition several goals with the same label, and any of them may be the one that fails
    // (with angelic choices, no choice may meet all the goals: each choice fails some)
    for (const GoalItem& g : sg.goals)
      for (const FailedGoal& f : cex.failed)
        if (g.label == f.text && !sg.angelicGoal) {
          only.goals.push_back(g);
          break;
        }
    if (only.goals.empty()) only.goals = sg.goals;
    s.add(segmentGoal(ctx, only));
    z3::check_result b = z3util::checkWithin(s, timeoutMs, cancel);
    if (b == z3::unsat) return true;
    return fail(b == z3::sat ? "the failed goal holds for these values" : "the failed goal could not be decided");
  } catch (const Unsupported& e) {
    return fail(e.what());
  } catch (const z3::exception& e) {
    return fail(std::string("Z3: ") + e.msg());
  }
}

}  // namespace ioa::prover::detail
