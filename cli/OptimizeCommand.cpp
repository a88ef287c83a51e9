// ioawb optimize FILE [--stack NAME] --out DIR [--format text|json] [--timeout MS] [--jobs N] [--force]
// ioawb optimize FILE [--stack NAME] --check DIR [...]
// Generates the stack, collapses its layers into bypass code guarded by the
// common-case predicate, proves every bypass equal to the layered path, and
// writes the optimized sources with the proof report (OPTIMIZATION.json).
// --check proves the collapsed stack already in DIR instead (edited by hand,
// say) and writes only the report: a user's edits are never overwritten.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "Commands.h"
#include "Options.h"
#include "ioa/engine/Check.h"
#include "ioa/engine/Optimize.h"

namespace ioa::cli {

Command addOptimizeCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("optimize", "Collapse a stack's layers into verified bypass code");
  cmd->footer("Exit status: 0 every equivalence proved, 1 one refuted, 2 a spec or usage error, 3 one unknown "
              "(and none refuted).");
  struct Opts {
    std::string file, stack, out, check, format = "text";
    unsigned timeout = 180000;
    unsigned jobs = 0;
    std::vector<std::string> binds;
    std::string ns;
    bool noProve = false;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("file", o->file, "spec file (.ioa)")->required();
  cmd->add_option("--stack", o->stack, "the stack to optimize (default: the spec's only stack)");
  cmd->add_option("--out", o->out, "output directory for the optimized sources and OPTIMIZATION.json")
      ->check(folderName());
  cmd->add_option("--format", o->format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--timeout", o->timeout, "per-obligation timeout in milliseconds (default 180000)")
      ->check(wholeNumber(1u, 86400000u));
  cmd->add_option("--jobs", o->jobs, "obligations proved at once, each worker with its own parse (default: cores)")
      ->check(wholeNumber(1u, 256u));
  cmd->add_option("--namespace", o->ns, "C++ namespace of the generated code (default ioa_gen::<spec name>)")
      ->check(namespaceName());
  cmd->add_option("--check", o->check,
                  "prove the collapsed stack in this directory (as --out wrote it, perhaps edited since) against the "
                  "layered stack; writes only OPTIMIZATION.json there");
  cmd->add_flag("--no-prove", o->noProve, "write the collapsed sources without proving them (exit 0)");
  cmd->add_flag("--force", o->force, "overwrite files in the --out directory that were edited since ioawb wrote them");
  cmd->add_option("--bind", o->binds, "bind an uninterpreted sort or type parameter: NAME=SORT");
  return {cmd, [o]() {
            if (!engine::optimizerAvailable()) {
              std::cerr << "ioawb: error: this build has no optimizer (configure with -DIOAWB_BUILD_OPTIMIZER=ON)\n";
              return int(kUsage);
            }
            if (!o->check.empty() && (!o->out.empty() || o->noProve)) {
              std::cerr << "ioawb: error: --check proves the collapsed stack in its directory: it takes neither --out "
                           "nor --no-prove\n";
              return int(kUsage);
            }
            if (std::string err; !o->out.empty() && !engine::outputDirUsable(o->out, err)) {  // (before the proofs)
              std::cerr << "ioawb: error: " << err << "\n";
              return int(kUsage);
            }
            codegen::GenOptions g;
            g.stack = o->stack;
            g.cppNamespace = o->ns;
            for (const std::string& b : o->binds) {
              size_t eq = b.find('=');
              if (eq == std::string::npos || eq == 0) {
                std::cerr << "ioawb: error: --bind expects NAME=SORT, got '" << b << "'\n";
                return int(kUsage);
              }
              g.bindings[b.substr(0, eq)] = b.substr(eq + 1);
            }
            engine::OptimizeResult r =
                o->check.empty() ? engine::optimizeFile(o->file, g, o->noProve ? 0 : o->timeout, o->jobs)
                                 : engine::checkOptimizedFile(o->file, o->check, g, o->timeout, o->jobs);
            // (with --format json, the problems as JSON too: until 2026-12-05 it printed nothing)
            auto failed = [&](std::vector<engine::Problem> ps) {
              if (o->format == "json") std::cout << engine::failedRunJson(ps) << "\n";
              return int(kUsage);
            };
            if (!r.gen.compilation) {
              std::cerr << "ioawb: error: " << r.gen.ioError << "\n";
              return failed({engine::problemOfText(o->file, r.gen.ioError)});
            }
            std::cerr << r.gen.compilation->diags.renderAllText();
            if (!r.gen.compilation->ok()) return failed(engine::problemsOf(*r.gen.compilation));
            if (!r.gen.errors.empty()) {
              std::vector<engine::Problem> ps;
              for (const std::string& e : r.gen.errors) {
                const std::string placed = atFile(o->file, e);
                std::cerr << placed << "\n";
                ps.push_back(engine::problemOfText(o->file, placed));
              }
              return failed(ps);
            }
            if (!r.error.empty()) {
              std::cerr << "ioawb: error: " << r.error << "\n";
              return failed({engine::problemOfText(o->file, r.error)});
            }
            if (!o->out.empty()) {
              // A collapsed stack whose equivalence was refuted or left undecided is written to be
              // read, not built by mistake: each file that differs from the layered stack starts with
              // an #error that says so. (`export --optimized --allow-unproved` is the way to build one.)
              if (!o->noProve && (r.refuted() || r.unknown())) {
                const std::string stop = "#error \"ioawb optimize: " + std::to_string(r.refuted()) +
                                         " equivalence obligation(s) refuted, " + std::to_string(r.unknown()) +
                                         " undecided: this collapsed stack is not a proved replacement of the layered "
                                         "one (see OPTIMIZATION.json)\"\n";
                for (codegen::GeneratedFile& f : r.files)
                  for (const codegen::GeneratedFile& g : r.gen.files)
                    if (g.path == f.path && g.text != f.text) f.text = stop + f.text;
              }
              std::string err;
              std::vector<std::string> kept;
              engine::WriteOptions wo;
              wo.force = o->force;
              wo.kept = &kept;
              if (!engine::writeFiles(o->out, r.files, err, wo)) {
                std::cerr << "ioawb: error: " << err << "\n";
                for (const std::string& k : kept)
                  if (std::find(r.collapsedFiles.begin(), r.collapsedFiles.end(), k) != r.collapsedFiles.end()) {
                    std::cerr << "ioawb: to prove the edited collapsed stack as it is: ioawb optimize " << o->file
                              << (o->stack.empty() ? "" : " --stack " + o->stack) << " --check " << o->out << "\n";
                    break;
                  }
                return int(kUsage);
              }
            }
            std::string reportAt;
            if (!o->check.empty()) {
              // the new report replaces the one about the code as it was written: beside the sources,
              // or, in an exported project checked in its gen/, at the project's top
              namespace fs = std::filesystem;
              fs::path at = o->check;
              if (!fs::exists(at / "OPTIMIZATION.json") && fs::path(o->check).lexically_normal().filename() == "gen" &&
                  fs::exists(at / ".." / "OPTIMIZATION.json"))
                at = (at / "..").lexically_normal();
              std::string err;
              engine::WriteOptions wo;
              wo.force = true;
              if (!engine::writeFiles(at.string(), r.files, err, wo)) {
                std::cerr << "ioawb: error: " << err << "\n";
                return int(kUsage);
              }
              reportAt = (at / "OPTIMIZATION.json").string();
            }
            if (o->format == "json") {
              std::cout << engine::optimizeReportJson(r);
            } else {
              std::cout << engine::optimizeReportText(r);
              if (!o->out.empty()) {
                std::cout << "wrote " << r.files.size() << " files into " << o->out << "\n";
                if (!o->noProve && (r.refuted() || r.unknown()))
                  std::cout << "the collapsed stack's files begin with #error: not every equivalence was proved\n";
              }
              if (!reportAt.empty()) std::cout << "wrote the report into " << reportAt << "\n";
            }
            if (o->noProve) return int(kOk);
            if (r.refuted()) return int(kFailed);
            if (r.unknown()) return int(kUnknown);
            return int(kOk);
          }};
}

}  // namespace ioa::cli
