#include "ioa/engine/Optimize.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>
#include <sstream>

#include "ioa/engine/Check.h"

#ifdef IOAWB_HAVE_OPTIMIZER
#include "ioa/optimizer/Collapse.h"
#endif

namespace ioa::engine {

int OptimizeResult::count(const std::string& status) const {
  int n = 0;
  for (const OptimizeObligation& o : obligations) n += o.status == status;
  return n;
}
int OptimizeResult::unknown() const {
  return static_cast<int>(obligations.size()) - proved() - refuted();
}

namespace {

std::string jsonString(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o += c;
        }
    }
  }
  return o + "\"";
}

#ifdef IOAWB_HAVE_OPTIMIZER
// An error at a line of a generated handler ("e2_strip_Strip.cpp:63:7: layer Strip passes up ...")
// says where in the spec that code comes from: the nearest `// spec FILE:L:C: what` mark above it
// in the same function (the generator puts one above each transition's code). The spec's location
// goes first, so that a terminal, an editor or the GUI leads to the user's file; the generated
// one follows (until 2026-12-04 only the generated one was given).
std::string atSpec(const std::string& msg, const std::vector<codegen::GeneratedFile>& files) {
  const std::optional<LeadingPlace> place = leadingPlace(msg);
  if (!place) return msg;
  const std::string& file = place->file;
  const int line = static_cast<int>(place->line);
  const codegen::GeneratedFile* gf = nullptr;
  for (const codegen::GeneratedFile& f : files)
    if (f.path == file || (f.path.size() > file.size() && f.path.compare(f.path.size() - file.size(), file.size(), file) == 0 &&
                           f.path[f.path.size() - file.size() - 1] == '/'))
      gf = &f;
  if (!gf || line < 1) return msg;
  std::vector<std::string> lines;
  for (size_t at = 0; at <= gf->text.size();) {
    size_t nl = gf->text.find('\n', at);
    if (nl == std::string::npos) nl = gf->text.size();
    lines.push_back(gf->text.substr(at, nl - at));
    at = nl + 1;
  }
  for (int k = std::min<int>(line, static_cast<int>(lines.size())) - 1; k >= 0; --k) {
    const std::string& l = lines[static_cast<size_t>(k)];
    const size_t ind = l.find_first_not_of(' ');
    if (ind == std::string::npos) continue;
    if (l.compare(ind, 8, "// spec ") == 0) {
      const std::string mark = l.substr(ind + 8);  // "t.ioa:48:5: input up"
      const std::optional<LeadingPlace> at = leadingPlace(mark);
      if (!at) return msg;
      return mark.substr(0, at->colon) + ":" + msg.substr(place->colon + 1) + " (in " + mark.substr(at->colon + 2) +
             "; the generated code at " + msg.substr(0, place->colon) + ")";
    }
    if (ind == 0 && l[0] != '#' && l.compare(0, 2, "//") != 0) return msg;  // the function's first line: no mark in it
  }
  return msg;
}

// Where a function is defined in generated C++: from the start of the line that begins its
// definition (at column 0, "... Cls::name(") to its closing brace. Comments, strings and character
// literals are skipped when braces are matched. Nothing when there is no such definition.
std::optional<std::pair<size_t, size_t>> definitionOf(const std::string& text, const std::string& name) {
  for (size_t at = text.find(name + "("); at != std::string::npos; at = text.find(name + "(", at + 1)) {
    size_t line = text.rfind('\n', at);
    line = line == std::string::npos ? 0 : line + 1;
    if (line == at || std::isspace(static_cast<unsigned char>(text[line])) || text.compare(line, 2, "//") == 0) continue;
    if (at > line && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_')) continue;
    int depth = 0;
    for (size_t i = at; i < text.size(); ++i) {
      const char c = text[i];
      if (c == ';' && depth == 0) break;  // a declaration or a call, not a definition
      if (c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
        size_t e = text[i + 1] == '/' ? text.find('\n', i) : text.find("*/", i + 2);
        if (e == std::string::npos) return std::nullopt;
        i = text[i + 1] == '/' ? e : e + 1;
      } else if (c == '"' || c == '\'') {
        for (++i; i < text.size() && text[i] != c; ++i)
          if (text[i] == '\\') ++i;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}' && --depth == 0) {
        return std::make_pair(line, i + 1);
      }
    }
  }
  return std::nullopt;
}

// In a bypass edited by hand, what the brace matching above does not read as the compiler does, or
// what reaches past the function: a preprocessor directive (a #define there changes the guards and
// the dispatch after it), a line splice, a raw string, a digit separator or a prefixed character
// literal. The offset of the first and what it is.
std::optional<std::pair<size_t, const char*>> unsafeInBody(const std::string& text, size_t begin, size_t end) {
  auto ident = [&](size_t i) { return std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_'; };
  auto splice = [&](size_t i) {  // a backslash that ends its line
    return text[i] == '\\' && i + 1 < end &&
           (text[i + 1] == '\n' || (text[i + 1] == '\r' && i + 2 < end && text[i + 2] == '\n'));
  };
  bool lineStart = false;
  for (size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if (c == '\n') {
      lineStart = true;
      continue;
    }
    if (lineStart && (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')) continue;
    if (lineStart && (c == '#' || (c == '%' && i + 1 < end && text[i + 1] == ':')))
      return std::make_pair(i, "a preprocessor directive");
    lineStart = false;
    if (splice(i)) return std::make_pair(i, "a line splice (a backslash at the end of a line)");
    if (c == '/' && i + 1 < end && text[i + 1] == '/') {  // (a comment may say "don't"; it may not go on)
      for (; i < end && text[i] != '\n'; ++i)
        if (splice(i)) return std::make_pair(i, "a line splice (a backslash at the end of a line)");
      --i;
    } else if (c == '/' && i + 1 < end && text[i + 1] == '*') {
      size_t e = text.find("*/", i + 2);
      i = e == std::string::npos || e >= end ? end : e + 1;
    } else if (c == '"' || c == '\'') {
      if (i > begin && ident(i - 1))
        return std::make_pair(i, c == '"' ? "a raw or prefixed string literal" : "a digit separator or a prefixed character literal");
      for (++i; i < end && text[i] != c && text[i] != '\n'; ++i)
        if (text[i] == '\\') ++i;
    }
  }
  return std::nullopt;
}

// "FILE:LINE:COL" of offset `at` in `text`.
std::string placeIn(const std::string& file, const std::string& text, size_t at) {
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  size_t bol = text.rfind('\n', at == 0 ? 0 : at - 1);
  size_t col = at - (bol == std::string::npos || at == 0 ? 0 : bol + 1) + 1;
  return file + ":" + std::to_string(line) + ":" + std::to_string(col);
}

// What --check proves is a hand edit of the bypasses' bodies: the rest of the collapsed stack (the
// dispatch that picks a bypass, the guards, the layered path the bypasses are compared with, the
// compact frames' helpers) is the reference of the proofs, so it must be as the collapse writes it
// now. Empty when `user` is `fresh` but for the bodies of `bypasses`; else the error, at the first
// place that differs. (A file that defines no bypass, the header, must be as written.)
std::string editedOutsideBypasses(const std::string& file, const std::string& user, const std::string& fresh,
                                  const std::vector<std::string>& bypasses) {
  auto spans = [&](const std::string& text) {
    std::vector<std::pair<size_t, size_t>> out;
    for (const std::string& b : bypasses)
      if (auto d = definitionOf(text, b)) out.push_back(*d);
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto fs = spans(fresh);
  const auto us = fs.empty() ? fs : spans(user);
  std::string names;
  for (const std::string& b : bypasses) names += (names.empty() ? "" : ", ") + b.substr(b.rfind("::") + 2);
  const std::string rule = ": the check proves edits inside the bypasses (" + names +
                           ") only, and the rest of the collapsed stack must be as `ioawb optimize` writes it";
  if (us.size() != fs.size()) return file + ": a bypass (" + names + ") is not defined there" + rule;
  size_t u = 0, f = 0;
  for (size_t k = 0; k <= us.size(); ++k) {
    const size_t ue = k < us.size() ? us[k].first : user.size(), fe = k < fs.size() ? fs[k].first : fresh.size();
    if (user.compare(u, ue - u, fresh, f, fe - f) != 0) {
      size_t i = 0;
      while (u + i < ue && f + i < fe && user[u + i] == fresh[f + i]) ++i;
      return placeIn(file, user, u + i) + ": differs from the collapsed stack outside the bypasses" + rule;
    }
    if (k < us.size()) {
      if (user.compare(us[k].first, us[k].second - us[k].first, fresh, fs[k].first, fs[k].second - fs[k].first) != 0)
        if (auto bad = unsafeInBody(user, us[k].first, us[k].second))
          return placeIn(file, user, bad->first) + ": " + bad->second +
                 " in a bypass edited by hand: the check does not accept it (it could change what the proofs "
                 "read after the bypass); write the bypass without it";
      u = us[k].second, f = fs[k].second;
    }
  }
  return {};
}

// Replaces the collapsed stack's files with those in `dir` (for checkOptimizedFile); false with r.error
// when one is missing or edited outside the bypasses. The other generated files are compared only: a
// note says which differ.
bool readCollapsedFrom(OptimizeResult& r, const std::string& dir, std::vector<opt::CppFile>& collapsed,
                       const std::vector<opt::CollapsedPath>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> bypasses;  // "Cls::dn_fast", ...
  for (const opt::CollapsedPath& p : paths) {
    if (p.kind != "collapse" || p.bypass.find("::proof_holds") != std::string::npos) continue;
    size_t cut = p.bypass.rfind("::");
    cut = cut == std::string::npos || cut == 0 ? std::string::npos : p.bypass.rfind("::", cut - 1);
    std::string b = cut == std::string::npos ? p.bypass : p.bypass.substr(cut + 2);
    if (std::find(bypasses.begin(), bypasses.end(), b) == bypasses.end()) bypasses.push_back(b);
  }
  for (opt::CppFile& cf : collapsed) {
    const std::string p = (fs::path(dir) / cf.path).string();
    std::optional<std::string> text = readTextFile(p);
    if (!text) {
      const fs::path gen = fs::path(dir) / "gen";
      r.error = p + ": cannot read the collapsed stack there (`ioawb optimize --out " + dir + "` writes it" +
                (fs::exists(gen / cf.path) ? "; an exported project has it in gen/: --check " + gen.string() : "") +
                ")";
      return false;
    }
    r.error = editedOutsideBypasses(p, *text, cf.text, bypasses);
    if (!r.error.empty()) return false;
    cf.text = std::move(*text);
  }
  for (const codegen::GeneratedFile& f : r.gen.files) {
    if (std::any_of(collapsed.begin(), collapsed.end(), [&](const opt::CppFile& cf) { return cf.path == f.path; }))
      continue;
    const std::string p = (fs::path(dir) / f.path).string();
    std::optional<std::string> text = readTextFile(p);
    if (text && *text != f.text)
      r.notes.push_back(p + " differs from what the spec generates now: the collapsed stack was proved against the "
                            "spec's layered code, not against that file");
  }
  r.checkedDir = dir;
  return true;
}

// The spec's name of the layer's state variable a counterexample's path lies in ("self.l1.s.seen"
// in the stack Top ; Tag: "Tag.seen"), and whether the path is that variable whole (not a part
// of it, as "self.l1.s.seen.x" is); an empty name when the path is not in a layer's state.
struct SpecVariable {
  std::string name;
  bool whole = false;
};
SpecVariable specVariable(const Stack& st, const std::string& path) {
  const std::string self = "self.l";
  if (path.rfind(self, 0) != 0) return {};
  size_t e = self.size();
  while (e < path.size() && std::isdigit(static_cast<unsigned char>(path[e]))) ++e;
  if (e == self.size() || e - self.size() > 3 || path.compare(e, 3, ".s.") != 0) return {};
  const size_t layer = std::stoul(path.substr(self.size(), e - self.size()));
  if (layer >= st.layers.size()) return {};
  size_t b = e + 3, v = b;
  while (v < path.size() && (std::isalnum(static_cast<unsigned char>(path[v])) || path[v] == '_')) ++v;
  if (v == b) return {};
  return {st.layers[layer].name + "." + path.substr(b, v - b), v == path.size()};
}

// Each difference of a refuted path that lies in a layer's state says which variable of the spec
// that is ("self.l1.s.seen: source true, target false (Tag.seen in the spec)"): the paths are the
// generated C++ code's, which a new user could not map to the spec (trial of 2026-12-02).
void nameSpecVariables(OptimizeResult& r, const Stack& st) {
  for (OptimizeObligation& o : r.obligations)
    for (std::string& d : o.differences) {
      const SpecVariable var = specVariable(st, d.substr(0, d.find(": ")));
      if (var.name.empty()) continue;
      d += var.whole ? " (" + var.name + " in the spec)" : " (part of " + var.name + " in the spec)";
    }
}

// A layer without a `fastpath` clause for a path (which the checker warns of), or with the clause
// `false`, makes the stack's common case on that path false: the path's obligations hold
// vacuously. The equivalence check says `unknown` for a precondition that never holds, so that a
// common case false by mistake (clauses that contradict each other) is not taken for a proof; a
// missing clause is no mistake: the bypass is never taken, the layered path always runs, and the
// obligation is proved, with a message that says why. (Until 2026-12-05 it stayed unknown, with
// exit 3 and the files marked #error.)
void markDeclaredVacuous(OptimizeResult& r, const Stack& st) {
  // why each path has no common case: "layer Count has no 'fastpath dn' clause", ...
  std::string whyDn, whyUp;
  auto note = [](std::string& why, const std::string& layer, const Expr* clause, const char* path) {
    std::string what;
    if (!clause) what = "layer " + layer + " has no 'fastpath " + path + "' clause";
    else if (clause->op == Op::BoolConst && !clause->boolValue) what = "layer " + layer + "'s 'fastpath " + path + "' clause is false";
    else return;
    why += (why.empty() ? "" : " and ") + what;
  };
  for (const StackLayer& l : st.layers) {
    if (!l.layer) continue;
    note(whyDn, l.name, l.layer->fastpathDn, "dn");
    note(whyUp, l.name, l.layer->fastpathUp, "up");
  }
  for (OptimizeObligation& o : r.obligations) {
    if (o.status != "unknown" || o.message.rfind("the precondition '", 0) != 0 ||
        o.message.find("' never holds") == std::string::npos)
      continue;
    const bool dn = o.path.rfind("dn", 0) == 0, up = o.path.rfind("up", 0) == 0;
    const std::string& why = dn ? whyDn : whyUp;
    if ((!dn && !up) || why.empty()) continue;
    o.status = "proved";
    o.message = "holds vacuously: " + why + ", so the stack's common case on the " + (dn ? "down" : "up") +
                " path never holds; the bypass is never taken and the layered path always runs";
  }
}

void runOptimizer(OptimizeResult& r, const codegen::GenOptions& opts, unsigned timeoutMs, unsigned jobs,
                  const std::string& checkDir, const std::atomic<bool>* cancel) {
  if (!r.gen.ok()) return;
  const codegen::GeneratedUnit* stack = nullptr;
  for (const codegen::GeneratedUnit& u : r.gen.units)
    if (u.kind == codegen::GeneratedUnit::Kind::Stack && u.automaton == opts.stack) stack = &u;
  if (!stack) {
    r.error = "no stack named '" + opts.stack + "'";
    return;
  }
  auto sourceOf = [](const std::string& header) { return header.substr(0, header.rfind('.')) + ".cpp"; };
  opt::CollapseRequest req;
  for (const codegen::GeneratedFile& f : r.gen.files) req.files.push_back({f.path, f.text});
  req.includeDirs = {"/ioawb-virtual/runtime"};
  req.stackClass = r.gen.cppNamespace + "::" + stack->cppClass;
  req.stackHeader = stack->header;
  req.stackSource = sourceOf(stack->header);
  for (const codegen::GeneratedUnit& u : r.gen.units)
    if (u.kind == codegen::GeneratedUnit::Kind::Layer) req.units.push_back(sourceOf(u.header));
  req.units.push_back(req.stackSource);
  req.timeoutMs = timeoutMs;
  req.jobs = jobs;
  req.cancel = cancel;

  opt::CollapseResult c = opt::collapseStack(req);
  if (!c.error.empty()) {
    r.error = atSpec(c.error, r.gen.files);
    return;
  }
  for (const opt::CppFile& cf : c.files) r.collapsedFiles.push_back(cf.path);
  std::vector<opt::CppFile> fresh;  // --check: the files as the collapse writes them (for the lines in the report)
  if (!checkDir.empty()) {
    fresh = c.files;
    if (!readCollapsedFrom(r, checkDir, c.files, c.paths)) return;
  }
  for (const opt::CppFile& cf : c.files) r.provedSources.emplace_back(cf.path, textHash(cf.text));
  std::string err;
  std::vector<opt::PathProof> proofs;
  if (timeoutMs) {
    auto t0 = std::chrono::steady_clock::now();
    proofs = opt::proveCollapsed(req, c.files, c.paths, err);
    r.proofWallMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    r.proofJobs = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
    r.proofJobs = std::min<unsigned>(r.proofJobs, static_cast<unsigned>(c.paths.size()));
  } else {
    opt::proveCollapsed(req, c.files, {}, err);  // not proved, but it must compile
    for (const opt::CollapsedPath& p : c.paths) {
      opt::PathProof pp{p, {}};
      pp.result.status = opt::EquivalenceResult::Unknown;
      pp.result.message = "not run (--no-prove)";
      proofs.push_back(pp);
    }
  }
  if (!err.empty() && !checkDir.empty()) {  // (the user's files, where they are)
    for (const opt::CppFile& cf : c.files)
      for (size_t at = 0; (at = err.find("/ioawb-virtual/" + cf.path, at)) != std::string::npos;)
        err.replace(at, 15, (std::filesystem::path(checkDir) / "").string()), at += checkDir.size();
  }
  if (!err.empty()) {
    r.error = (checkDir.empty() ? "the collapsed code does not compile: " : "the collapsed stack in " + checkDir +
                                                                                " does not compile: ") + err;
    return;
  }
  for (const codegen::GeneratedFile& f : r.gen.files) {
    if (f.path == req.stackSource) r.layeredStack = f.text;
    bool replaced = false;
    for (const opt::CppFile& cf : c.files)
      if (cf.path == f.path) {
        r.files.push_back({f.path, cf.text});
        replaced = true;
      }
    if (!replaced) r.files.push_back(f);
  }
  for (const opt::CppFile& cf : c.files)
    if (cf.path == req.stackSource) r.collapsedStack = cf.text;
  for (const opt::PathProof& p : proofs) {
    OptimizeObligation o;
    o.id = p.path.kind + "." + p.path.name;
    o.kind = p.path.kind;
    o.path = p.path.name;
    std::string chain;
    for (const std::string& l : p.path.layers) chain += (chain.empty() ? "" : " > ") + l;
    std::string what = p.path.name == "dn" ? "down path " : p.path.name == "up" ? "up path " : p.path.name.rfind("up.cx", 0) == 0 ? "up path of compact frame " + p.path.name.substr(5) + " " : "";
    o.description = !p.path.description.empty()
                        ? p.path.description
                        : what + chain + ": " + p.path.bypass + " = " + p.path.layered + " where " + p.path.guard;
    size_t colon = p.path.line.rfind(':');
    o.file = p.path.line.substr(0, colon);
    o.line = colon == std::string::npos ? 0 : std::atoi(p.path.line.c_str() + colon + 1);
    o.status = p.result.message == "not run (--no-prove)" ? "not run" : p.result.statusName();
    o.timeMs = p.result.timeMs;
    o.message = atSpec(p.result.message, r.gen.files);
    for (const opt::CxValue& v : p.result.inputs) o.inputs.emplace_back(v.path, v.value);
    o.differences = p.result.differences;
    r.obligations.push_back(std::move(o));
  }
  if (const Stack* st = r.gen.compilation->model ? r.gen.compilation->model->findStack(opts.stack) : nullptr) {
    markDeclaredVacuous(r, *st);
    nameSpecVariables(r, *st);
  }
  if (!checkDir.empty()) {
    // a bypass edited by hand may have moved what follows it: each obligation's line is looked up
    // in the user's file (the line that begins the same definition)
    for (OptimizeObligation& o : r.obligations)
      for (size_t k = 0; k < fresh.size() && k < c.files.size(); ++k) {
        if (fresh[k].path != o.file || o.line <= 0) continue;
        std::istringstream was(fresh[k].text), now(c.files[k].text);
        std::string line;
        for (int n = 0; n < o.line && std::getline(was, line);) ++n;
        int n = 0;
        for (std::string l; std::getline(now, l);) {
          ++n;
          if (l == line) {
            o.line = n;
            break;
          }
        }
      }
    r.files.clear();  // (the sources are the user's: only the report is new)
  }
  r.files.push_back({"OPTIMIZATION.json", optimizeReportJson(r)});
}
#endif

}  // namespace

bool optimizerAvailable() {
#ifdef IOAWB_HAVE_OPTIMIZER
  return true;
#else
  return false;
#endif
}

namespace {
// Runs the optimizer on what `generate` produced (the layered sources) with the
// generation options the optimizer needs.
template <class Generate>
OptimizeResult optimizeGenerated(const codegen::GenOptions& opts, unsigned timeoutMs, unsigned jobs, Generate generate,
                                 const std::string& checkDir = {}, const std::atomic<bool>* cancel = nullptr) {
  OptimizeResult r;
  codegen::GenOptions g = opts;
  g.withHarness = false;
  r.gen = generate(g);
  if (g.stack.empty() && r.gen.compilation && r.gen.compilation->ok()) {
    // No stack named: the spec's only one, generated alone (generating every automaton first
    // may fail on one the stack does not use, a generic automaton without --bind).
    g.stack = codegen::onlyStack(*r.gen.compilation, r.error);
    if (g.stack.empty()) return r;
    r.gen = generate(g);
  }
  r.stack = g.stack;
#ifdef IOAWB_HAVE_OPTIMIZER
  runOptimizer(r, g, timeoutMs, jobs, checkDir, cancel);
#else
  (void)timeoutMs;
  (void)jobs;
  (void)checkDir;
  (void)cancel;
  r.error = "this build has no optimizer (configured with -DIOAWB_BUILD_OPTIMIZER=OFF)";
#endif
  return r;
}
}  // namespace

OptimizeResult optimizeFile(const std::string& path, const codegen::GenOptions& opts, unsigned timeoutMs,
                            unsigned jobs) {
  return optimizeGenerated(opts, timeoutMs, jobs, [&](const codegen::GenOptions& g) { return generateFile(path, g); });
}

OptimizeResult checkOptimizedFile(const std::string& path, const std::string& dir, const codegen::GenOptions& opts,
                                  unsigned timeoutMs, unsigned jobs) {
  return optimizeGenerated(
      opts, timeoutMs, jobs, [&](const codegen::GenOptions& g) { return generateFile(path, g); }, dir);
}

OptimizeResult optimizeText(const std::string& name, const std::string& text, const codegen::GenOptions& opts,
                            unsigned timeoutMs, unsigned jobs, const std::atomic<bool>* cancel) {
  return optimizeGenerated(
      opts, timeoutMs, jobs, [&](const codegen::GenOptions& g) { return generateText(name, text, g); }, {}, cancel);
}

std::string optimizeReportJson(const OptimizeResult& r) {
  std::ostringstream o;
  o << "{\"obligations\":[";
  for (size_t i = 0; i < r.obligations.size(); ++i) {
    const OptimizeObligation& ob = r.obligations[i];
    o << (i ? "," : "") << "{\"id\":" << jsonString(ob.id) << ",\"kind\":" << jsonString(ob.kind)
      // (as for `prove`: the automaton is the stack, the transition the path; until 2026-12-04 these
      // held the path and the description, which a user found confusing)
      << ",\"automaton\":" << jsonString(r.stack) << ",\"transition\":" << jsonString(ob.path)
      << ",\"description\":" << jsonString(ob.description)
      << ",\"file\":" << jsonString(ob.file) << ",\"line\":" << ob.line << ",\"col\":1"
      << ",\"status\":" << jsonString(ob.status) << ",\"time_ms\":" << static_cast<long long>(ob.timeMs + 0.5)
      << ",\"cached\":false";
    if (!ob.message.empty()) o << ",\"message\":" << jsonString(ob.message);
    if (ob.status == "refuted") {
      o << ",\"counterexample\":{\"inputs\":{";
      for (size_t k = 0; k < ob.inputs.size(); ++k)
        o << (k ? "," : "") << jsonString(ob.inputs[k].first) << ":" << jsonString(ob.inputs[k].second);
      o << "},\"differences\":[";
      for (size_t k = 0; k < ob.differences.size(); ++k) o << (k ? "," : "") << jsonString(ob.differences[k]);
      o << "]}";
    } else {
      o << ",\"counterexample\":null";
    }
    o << "}";
  }
  // (an error, a construct outside the supported subset, was counted as unknown until 2026-12-04)
  o << "]";
  // what was proved: the collapsed stack's files with a hash of each (textHash), and where they were read
  o << ",\"sources\":[";
  for (size_t k = 0; k < r.provedSources.size(); ++k)
    o << (k ? "," : "") << "{\"file\":" << jsonString(r.provedSources[k].first)
      << ",\"hash\":" << jsonString(r.provedSources[k].second) << "}";
  o << "]";
  if (!r.checkedDir.empty()) o << ",\"checked\":" << jsonString(r.checkedDir);
  if (!r.notes.empty()) {
    o << ",\"notes\":[";
    for (size_t k = 0; k < r.notes.size(); ++k) o << (k ? "," : "") << jsonString(r.notes[k]);
    o << "]";
  }
  o << ",\"summary\":{\"proved\":" << r.proved() << ",\"refuted\":" << r.refuted()
    << ",\"unknown\":" << r.unknown() - r.errors() << ",\"error\":" << r.errors() << "}}\n";
  return o.str();
}

std::string optimizeReportText(const OptimizeResult& r) {
  std::ostringstream o;
  for (const OptimizeObligation& ob : r.obligations) {
    char t[32];
    std::snprintf(t, sizeof t, "%.0f ms", ob.timeMs);
    o << "  " << ob.status << "  " << ob.file << ":" << ob.line << "  " << ob.description << "  (" << t << ")\n";
    if (!ob.message.empty()) o << "      " << ob.message << "\n";
    if (ob.status == "refuted") {
      for (const std::string& d : ob.differences) o << "      differs: " << d << "\n";
      // the first 40 inputs, and every length after them (without its lengths a message cannot be
      // replayed: until 2026-12-05 the cut dropped them, and silently)
      size_t n = 0, left = 0;
      for (const auto& [k, v] : ob.inputs) {
        bool length = k.size() > 4 && (k.compare(k.size() - 5, 5, ".hlen") == 0 || k.compare(k.size() - 5, 5, ".plen") == 0);
        if (n++ < 40 || length) o << "      input " << k << " = " << v << "\n";
        else ++left;
      }
      if (left)
        o << "      (and " << left << " more input" << (left == 1 ? "" : "s") << "; --format json lists every one)\n";
    }
  }
  const int notRun = r.count("not run");
  o << r.obligations.size() << " equivalence obligations: " << r.proved() << " proved, " << r.refuted()
    << " refuted, " << r.unknown() - notRun - r.errors() << " unknown";
  if (r.errors()) o << ", " << r.errors() << (r.errors() == 1 ? " error" : " errors");
  if (notRun) o << ", " << notRun << " not run";
  o << "\n";
  if (!r.checkedDir.empty()) {
    o << "checked the collapsed stack in " << r.checkedDir << " (";
    for (size_t k = 0; k < r.collapsedFiles.size(); ++k) o << (k ? ", " : "") << r.collapsedFiles[k];
    o << ") against the layered stack the spec generates\n";
  }
  for (const std::string& n : r.notes) o << "note: " << n << "\n";
  return o.str();
}

}  // namespace ioa::engine
