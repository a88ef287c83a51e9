// ioawb check FILE... : parse and sort-check specs.
#include <CLI/CLI.hpp>
#include <iostream>

#include "Commands.h"
#include "ioa/engine/Check.h"
#include "ioa/spec/Printer.h"

namespace ioa::cli {

Command addCheckCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("check", "Parse and check IOA specs; report errors as file:line:col");
  cmd->footer("Exit status: 0 no errors (warnings allowed), 2 a spec error or a usage error.");
  struct Opts {
    std::vector<std::string> files;
    std::string format = "text";
    bool expand = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("files", o->files, "spec files (.ioa)")->required();
  cmd->add_option("--format", o->format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--expand", o->expand, "print every automaton, composition and stack in expanded (flat) form");
  return {cmd, [o]() {
    bool anyErrors = false, ioFailed = false;
    std::string json = "{\"diagnostics\":[";
    bool firstJson = true;
    for (const std::string& f : o->files) {
      engine::CheckResult r = engine::checkFile(f);
      const std::string& err = r.ioError;
      Compilation* c = r.compilation.get();
      if (!c) {
        ioFailed = true;
        if (o->format == "json") {
          json += std::string(firstJson ? "" : ",") + "{\"file\":\"" + jsonEscape(f) +
                  "\",\"line\":0,\"col\":0,\"severity\":\"error\",\"message\":\"" + jsonEscape(err) +
                  "\",\"notes\":[]}";
          firstJson = false;
        } else {
          std::cerr << "ioawb: error: " << err << "\n";
        }
        continue;
      }
      anyErrors = anyErrors || c->diags.hasErrors();
      if (o->format == "json") {
        std::string list = engine::problemsToJson(r.problems);
        if (list.size() > 2) {
          json += (firstJson ? "" : ",") + list.substr(1, list.size() - 2);
          firstJson = false;
        }
      } else {
        std::cerr << c->diags.renderAllText();
        if (!c->diags.hasErrors()) {
          size_t nAut = c->model ? c->model->automatonDecls.size() : 0;
          std::cout << f << ": ok (" << nAut << " automata, " << (c->model ? c->model->invariants.size() : 0)
                    << " invariants, " << (c->model ? c->model->simulations.size() : 0) << " simulations, "
                    << (c->model ? c->model->stacks.size() : 0) << " stacks)\n";
          if (o->expand && c->model)
            for (const FlatAutomaton* a : c->model->automata()) std::cout << "\n" << flatToString(*a);
        }
      }
    }
    if (o->format == "json") std::cout << json << "]}\n";
    if (ioFailed) return int(kUsage);
    return anyErrors ? int(kSpecError) : int(kOk);
  }};
}

}  // namespace ioa::cli
