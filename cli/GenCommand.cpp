// ioawb gen FILE [--stack NAME] --out DIR     : C++ for the automata and stacks of a spec
// ioawb export FILE [--stack NAME] --out DIR  : a standalone CMake project for one stack
#include <CLI/CLI.hpp>
#include <iostream>

#include "Commands.h"
#include "Options.h"
#include "ioa/engine/Generate.h"
#include "ioa/engine/Optimize.h"

namespace ioa::cli {

namespace {

struct GenOpts {
  std::string file, stack, out;
  std::vector<std::string> binds;
  uint32_t seqCapacity = 64;
  bool noHarness = false;
  bool optimized = false;
  bool allowUnproved = false;
  bool force = false;
  unsigned timeout = 180000;
};

void addCommon(CLI::App* cmd, GenOpts& o, bool exporting) {
  cmd->add_option("file", o.file, "spec file (.ioa)")->required();
  cmd->add_option("--stack", o.stack,
                  exporting ? "the stack to export (default: the spec's only stack)" : "generate only this stack");
  cmd->add_option("--out", o.out, "output directory")->required()->check(folderName());
  cmd->add_option("--bind", o.binds, "bind an uninterpreted sort or type parameter: NAME=SORT (e.g. M=Bytes)");
  cmd->add_option("--seq-capacity", o.seqCapacity, "capacity of bounded sequences (default 64)")
      ->check(wholeNumber(1u, 1u << 20));
  cmd->add_flag("--force", o.force, "overwrite files in the output directory that were edited since ioawb wrote them");
}

bool toOptions(const GenOpts& o, codegen::GenOptions& g) {
  g.stack = o.stack;
  g.seqCapacity = o.seqCapacity;
  g.withHarness = !o.noHarness;
  for (const std::string& b : o.binds) {
    size_t eq = b.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "ioawb: error: --bind expects NAME=SORT, got '" << b << "'\n";
      return false;
    }
    g.bindings[b.substr(0, eq)] = b.substr(eq + 1);
  }
  return true;
}

int finish(const engine::GenerateResult& r, const std::string& out, const char* what, bool force) {
  if (!r.compilation) {
    std::cerr << "ioawb: error: " << r.ioError << "\n";
    return kUsage;
  }
  std::cerr << r.compilation->diags.renderAllText();
  if (!r.compilation->ok()) return kSpecError;
  const std::string& file = r.compilation->sources.file(r.compilation->file).path();
  for (const std::string& e : r.errors) std::cerr << atFile(file, e) << "\n";
  if (!r.errors.empty()) return kSpecError;
  for (const std::string& n : r.notes) std::cerr << "note: " << n << "\n";
  std::string err;
  engine::WriteOptions wo;
  wo.force = force;
  if (!engine::writeFiles(out, r.files, err, wo)) {
    std::cerr << "ioawb: error: " << err << "\n";
    return kUsage;
  }
  std::cout << what << " " << r.files.size() << " files into " << out << "\n";
  for (const codegen::GeneratedUnit& u : r.units) {
    const char* kind = u.kind == codegen::GeneratedUnit::Kind::Stack   ? "stack"
                       : u.kind == codegen::GeneratedUnit::Kind::Layer ? "layer"
                                                                       : "automaton";
    std::cout << "  " << kind << " " << u.automaton << " -> " << r.cppNamespace << "::" << u.cppClass << " ("
              << u.header << ")\n";
  }
  return kOk;
}

}  // namespace

Command addGenCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("gen", "Generate C++ for the automata, layers and stacks of a spec");
  cmd->footer("Exit status: 0 generated, 2 a spec error (or one the generator cannot translate) or a usage error.");
  auto o = std::make_shared<GenOpts>();
  addCommon(cmd, *o, false);
  cmd->add_flag("--no-harness", o->noHarness, "leave out run_<spec>.cpp (seeded random runs)");
  return {cmd, [o]() {
            codegen::GenOptions g;
            if (!toOptions(*o, g)) return int(kUsage);
            return finish(engine::generateFile(o->file, g), o->out, "wrote", o->force);
          }};
}

Command addExportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Export a stack as a standalone CMake project (layers, runtime, demo, tests)");
  cmd->footer("Exit status: 0 exported, 1 a collapsed path refuted (--optimized), 2 a spec or usage error, "
              "3 a collapsed path unproved (--optimized without --allow-unproved).");
  auto o = std::make_shared<GenOpts>();
  addCommon(cmd, *o, true);
  cmd->add_flag("--optimized", o->optimized,
                "export the collapsed stack (ioawb optimize); its equivalence proofs go into OPTIMIZATION.json");
  cmd->add_option("--timeout", o->timeout, "with --optimized: per-obligation timeout in milliseconds (default 180000)")
      ->check(wholeNumber(1u, 86400000u));
  cmd->add_flag("--allow-unproved", o->allowUnproved,
                "with --optimized: export even when some equivalence obligation is unknown (exit 3)");
  return {cmd, [o]() {
            codegen::GenOptions g;
            if (!toOptions(*o, g)) return int(kUsage);
            engine::GenerateResult ex = engine::exportFile(o->file, g);
            int verdict = kOk;
            if (o->optimized && ex.ok()) {
              // (before the proofs, which may take minutes: until 2026-12-05 a file given as --out was
              // found out only when the project was written)
              if (std::string err; !engine::outputDirUsable(o->out, err)) {
                std::cerr << "ioawb: error: " << err << "\n";
                return int(kUsage);
              }
              if (!engine::optimizerAvailable()) {
                std::cerr << "ioawb: error: this build has no optimizer (configure with -DIOAWB_BUILD_OPTIMIZER=ON)\n";
                return int(kUsage);
              }
              engine::OptimizeResult op = engine::optimizeFile(o->file, g, o->timeout);
              if (!op.ok()) {
                std::cerr << "ioawb: error: " << (op.error.empty() ? "cannot optimize the stack" : op.error) << "\n";
                return int(kUsage);
              }
              std::cout << engine::optimizeReportText(op);
              if (op.refuted()) {
                std::cerr << "ioawb: error: a collapsed path is not equivalent to the layered one; nothing exported\n";
                return int(kFailed);
              }
              if (op.unknown() && !o->allowUnproved) {
                // (a longer timeout does not help an error, a construct the translation does not support:
                // until 2026-12-04 the advice was the same for both)
                const int errs = op.errors(), undecided = op.unknown() - errs;
                std::cerr << "ioawb: error: ";
                if (undecided) std::cerr << undecided << " equivalence obligation(s) unknown";
                if (undecided && errs) std::cerr << " and ";
                if (errs) std::cerr << errs << " equivalence obligation(s) in C++ the translation does not support (see above)";
                std::cerr << ": the bypass would run unproved whenever the common case holds; nothing exported ("
                          << (undecided ? "raise --timeout, " : "")
                          << "export without --optimized, or pass --allow-unproved)\n";
                return int(kUnknown);
              }
              if (op.unknown()) verdict = kUnknown;
              // the export keeps the generated sources under gen/: swap in the collapsed stack, add the report
              for (const codegen::GeneratedFile& f : op.files) {
                if (f.path == "OPTIMIZATION.json") ex.files.push_back(f);
                for (codegen::GeneratedFile& e : ex.files)
                  if (e.path == "gen/" + f.path) e.text = f.text;
              }
            }
            int rc = finish(ex, o->out, "exported", o->force);
            if (rc == kOk && verdict == kUnknown)
              std::cout << "warning: some equivalence obligations are unknown (see OPTIMIZATION.json): the bypass "
                           "runs unproved whenever the common case holds (--allow-unproved)\n";
            if (rc == kOk) rc = verdict;
            if (rc == kOk) std::cout << "build it: cmake -S " << o->out << " -B " << o->out << "/build && cmake --build "
                                     << o->out << "/build && (cd " << o->out << "/build && ctest)\n";
            return rc;
          }};
}

}  // namespace ioa::cli
