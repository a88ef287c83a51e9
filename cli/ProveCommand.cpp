// ioawb prove FILE : discharge every proof obligation of a spec with Z3.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <mutex>

#include "Commands.h"
#include "Options.h"
#include "ioa/engine/Check.h"
#include "ioa/engine/Generate.h"
#include "ioa/engine/Prove.h"

namespace ioa::cli {

namespace {

std::string xmlEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') o += ' ';
        else o += c;
    }
  }
  return o;
}

std::string ms(double t) {
  char b[32];
  if (t < 10) std::snprintf(b, sizeof b, "%.1f ms", t);
  else std::snprintf(b, sizeof b, "%.0f ms", t);
  return b;
}

std::string where(const engine::ObligationInfo& i) {
  std::string f = i.file;
  size_t slash = f.rfind('/');
  if (slash != std::string::npos) f = f.substr(slash + 1);
  return f + ":" + std::to_string(i.line) + ":" + std::to_string(i.col);
}

std::string statusWord(const engine::ObligationResult& r) {
  // (a bounded obligation the unbounded proofs cover holds at every depth: proved, with why)
  if (r.status == "proved") return r.info.bounded && r.reason.empty() ? "bounded" : "proved ";
  if (r.status == "refuted") return "REFUTED";
  if (r.status == "unknown") return "UNKNOWN";
  return "ERROR  ";
}

std::string cexText(const engine::CounterexampleView& c, const std::string& indent) {
  std::string out = indent + c.note + "\n";
  if (!c.constants.empty()) {
    out += indent + "constants: ";
    for (size_t i = 0; i < c.constants.size(); ++i)
      out += (i ? ", " : "") + c.constants[i].name + " = " + c.constants[i].value;
    out += "\n";
  }
  std::map<std::string, std::string> last;
  bool anyState = false;
  for (const engine::CexStepView& s : c.steps) {
    if (s.kind == "action") {
      out += indent + s.label + ": " + s.action + "(";
      for (size_t i = 0; i < s.values.size(); ++i) out += (i ? ", " : "") + s.values[i].name + " = " + s.values[i].value;
      out += ")\n";
      continue;
    }
    std::string body;
    size_t shown = 0;
    for (const engine::NamedValueView& v : s.values) {
      auto it = last.find(v.name);
      bool changed = it == last.end() || it->second != v.value;
      last[v.name] = v.value;
      if (anyState && !changed) continue;
      body += indent + "  " + v.name + " = " + v.value + "\n";
      ++shown;
    }
    if (!anyState || shown == s.values.size()) out += indent + s.label + ":\n" + body;
    else if (shown == 0) out += indent + s.label + ": (unchanged)\n";
    else out += indent + s.label + " (changed):\n" + body;
    anyState = true;
  }
  for (const engine::FailedView& f : c.failed) {
    out += indent + (f.kind == "goal" ? "fails: " : "fails (" + f.kind + "): ") + f.text;
    if (f.line) out += "   [line " + std::to_string(f.line) + "]";
    out += "\n";
    if (!f.left.empty()) out += indent + "  where the left side is " + f.left + "\n";
    if (!f.right.empty()) out += indent + "  where the right side is " + f.right + "\n";
    if (!f.undefined.empty())
      out += indent + "  where " + f.undefined + " is undefined (the solver gave it a value, the spec gives it none)\n";
    if (!f.instance.empty())
      out += indent + (f.kind == "goal" ? "  false for " : "  outside its domain for ") + f.instance + "\n";
  }
  return out;
}

std::string lineOf(const engine::ObligationResult& r) {
  std::string s = "  " + statusWord(r) + "  " + where(r.info) + "  " + r.info.description;
  s += "  (" + (r.cached ? std::string("cached") : ms(r.timeMs)) + ")";
  if (r.status == "unknown" || r.status == "error") s += "\n      " + (r.reason.empty() ? r.status : r.reason);
  else if (r.status == "refuted" && !r.counterexample && !r.reason.empty()) s += "\n      " + r.reason;
  else if (r.status == "proved" && r.info.bounded && !r.reason.empty()) s += "\n      " + r.reason;
  return s;
}

// JUnit for a run that could not start: one test case, "check", in error with the problems.
std::string junitFailed(const std::string& file, const std::vector<engine::Problem>& ps) {
  std::string first, all;
  for (const engine::Problem& p : ps) {
    if (p.severity != "error") continue;
    std::string line = p.file + (p.line ? ":" + std::to_string(p.line) + ":" + std::to_string(p.col) : "") + ": " + p.message;
    if (first.empty()) first = line;
    all += line + "\n";
  }
  const std::string head = "tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000\"";
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ioawb prove\" " + head + ">\n  <testsuite name=\"" +
         xmlEscape(file) + "\" " + head + ">\n    <testcase classname=\"spec\" name=\"check\" file=\"" + xmlEscape(file) +
         "\">\n      <error type=\"spec error\" message=\"" + xmlEscape(first) + "\">" + xmlEscape(all) +
         "</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n";
}

std::string junit(const std::string& file, const std::vector<engine::ObligationResult>& rs, const engine::ProveSummary& s) {
  char t[32];
  std::snprintf(t, sizeof t, "%.3f", s.wallMs / 1000.0);
  std::string head = "tests=\"" + std::to_string(rs.size()) + "\" failures=\"" + std::to_string(s.refuted) +
                     "\" errors=\"" + std::to_string(s.error) + "\" skipped=\"" + std::to_string(s.unknown) +
                     "\" time=\"" + t + "\"";
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ioawb prove\" " + head + ">\n";
  out += "  <testsuite name=\"" + xmlEscape(file) + "\" " + head + ">\n";
  for (const engine::ObligationResult& r : rs) {
    char tt[32];
    std::snprintf(tt, sizeof tt, "%.3f", r.timeMs / 1000.0);
    out += "    <testcase classname=\"" + xmlEscape(r.info.automaton + "." + r.info.kind) + "\" name=\"" +
           xmlEscape(r.info.id) + "\" file=\"" + xmlEscape(r.info.file) + "\" line=\"" + std::to_string(r.info.line) +
           "\" time=\"" + tt + "\"";
    if (r.status == "proved") {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (r.status == "refuted") {
      out += "      <failure type=\"refuted\" message=\"" + xmlEscape(r.info.description) + " is refuted\">" +
             xmlEscape(r.counterexample ? cexText(*r.counterexample, "") : r.reason) + "</failure>\n";
    } else if (r.status == "unknown") {
      out += "      <skipped message=\"unknown: " + xmlEscape(r.reason) + "\"/>\n";
    } else {
      out += "      <error type=\"error\" message=\"" + xmlEscape(r.reason) + "\"/>\n";
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace

Command addProveCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("prove", "Prove invariants, well-definedness and simulations of a spec with Z3");
  cmd->footer("Exit status: 0 all proved, 1 something refuted, 2 a spec or usage error, 3 something unknown, timed "
              "out or in error (an obligation the prover cannot encode; nothing refuted).");
  struct Opts {
    std::string file;
    unsigned jobs = 0;
    unsigned timeout = 10000;
    unsigned bmc = 0;
    unsigned searchDepth = 12;
    std::string format = "text";
    std::string smt2, only;
    std::string cacheDir;
    bool noCache = false;
    bool quiet = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("file", o->file, "spec file (.ioa)")->required();
  cmd->add_option("--jobs,-j", o->jobs, "parallel solver threads (default: one per core)")->check(wholeNumber(1u, 256u));
  cmd->add_option("--timeout", o->timeout, "time one obligation may take, in milliseconds: its search of runs (--bmc) and all its solver queries together (default 10000)")
      ->check(wholeNumber(1u, 86400000u));
  cmd->add_option("--bmc", o->bmc, "also search for violations up to K steps from a start state")
      ->check(wholeNumber(1u, 1000u));
  cmd->add_option("--search-depth", o->searchDepth,
                  "after an undecided invariant or simulation step, search runs from a start state up to N steps "
                  "(sample values; 0: no search; default 12)")
      ->check(wholeNumber(0u, 1000u));
  cmd->add_option("--format", o->format, "output format")->check(CLI::IsMember({"text", "json", "junit"}));
  cmd->add_option("--emit-smt2", o->smt2, "write every query to DIR/<id>.smt2 (z3 -smt2 reproduces the result)")
      ->check(folderName());
  cmd->add_option("--cache-dir", o->cacheDir, "result cache directory (default: $IOAWB_CACHE_DIR, "
                                              "$XDG_CACHE_HOME/ioawb or ~/.cache/ioawb; kept under $IOAWB_CACHE_MAX_MB "
                                              "mebibytes, default 256, by removing the least recently used results)");
  cmd->add_option("--only", o->only,
                  "prove only the obligations of this invariant, automaton, transition or simulation (a part of "
                  "their ids); with --bmc and an invariant's name, search for violations of that invariant alone");
  cmd->add_flag("--no-cache", o->noCache, "do not read or write the result cache");
  cmd->add_flag("--quiet,-q", o->quiet, "text format: print only what is not proved, and the summary");
  return {cmd, [o]() {
    // (before the proofs: until 2026-12-05 a --emit-smt2 folder that was a file or could not be
    // written was found out by each write, silently, and the run exited 0 with nothing written)
    if (std::string err; !o->smt2.empty() && !engine::outputDirWritable(o->smt2, err)) {
      std::cerr << "ioawb: error: --emit-smt2: " << err << "\n";
      return int(kUsage);
    }
    engine::ProveOptions po;
    po.jobs = o->jobs;
    po.timeoutMs = o->timeout;
    po.bmcDepth = o->bmc;
    po.searchDepth = o->searchDepth;
    po.useCache = !o->noCache;
    po.cacheDir = o->cacheDir;
    po.smt2Dir = o->smt2;
    po.only = o->only;
    bool text = o->format == "text";
    std::mutex outMutex;
    engine::ProveRun run = engine::proveFile(o->file, po, [&](const engine::ObligationResult& r) {
      if (!text) return;
      if (o->quiet && r.status == "proved") return;
      std::lock_guard<std::mutex> g(outMutex);
      std::cout << lineOf(r) << "\n";
      if (r.counterexample) std::cout << cexText(*r.counterexample, "      ") << std::flush;
    });
    // the problems in the machine-readable formats too (until 2026-12-05 JSON got an empty,
    // clean-looking report and JUnit nothing: a new user's CI would have passed)
    auto failed = [&](const std::vector<engine::Problem>& ps) {
      if (o->format == "json") std::cout << engine::failedRunJson(ps) << "\n";
      if (o->format == "junit") std::cout << junitFailed(o->file, ps);
      return int(kUsage);
    };
    // a file that cannot be read, a spec with errors, or --only naming nothing
    if (!run.compilation || !run.compilation->ok() || !run.error.empty()) {
      if (run.compilation && !run.compilation->ok()) {
        std::cerr << run.compilation->diags.renderAllText();
        std::cerr << "ioawb: " << o->file << " has errors; nothing was proved\n";
        return failed(engine::problemsOf(*run.compilation));
      }
      std::cerr << "ioawb: error: " << run.error << "\n";
      return failed({engine::problemOfText(o->file, run.error)});
    }
    const engine::ProveSummary& s = run.summary;
    if (s.total == 0) {  // an empty file (or one of constants and types) would otherwise pass as "all proved"
      const std::string none =
          o->file + ":1:1: error: nothing to prove: expected an automaton, layer or stack declaration, found none";
      std::cerr << none << "\n";
      return failed({engine::problemOfText(o->file, none)});
    }
    if (o->format == "json") {
      std::cout << engine::proveResultsToJson(run.results, s) << "\n";
    } else if (o->format == "junit") {
      std::cout << junit(o->file, run.results, s);
    } else {
      char wall[32];
      std::snprintf(wall, sizeof wall, "%.2f s", s.wallMs / 1000.0);
      std::cout << o->file << ": " << s.total << " obligations: " << s.proved << " proved, " << s.refuted
                << " refuted, " << s.unknown << " unknown, " << s.error << " errors (" << s.cacheHits << " cached, "
                << s.solved << " solved"
                << (s.solverFree ? ", " + std::to_string(s.solverFree) + " needing no solver" : std::string()) << ") in "
                << wall << "\n";
      if (s.refuted == 0 && s.unknown == 0 && s.error == 0)
        std::cout << (o->only.empty() ? "all obligations proved\n" : "all obligations of '" + o->only + "' proved\n");
      if (!o->only.empty())
        std::cout << "note: --only " << o->only << ": the other obligations were not checked, and these assume every "
                     "invariant of their automaton, proved or not\n";
    }
    return engine::proveExitCode(s);
  }};
}

}  // namespace ioa::cli
