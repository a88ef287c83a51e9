// ioawb: the command-line twin of the workbench.
#include <CLI/CLI.hpp>
#include <iostream>

#include "Commands.h"

int main(int argc, char** argv) {
  CLI::App app{"ioawb: specify, refine, generate and optimize protocol stacks written as IOA automata"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ioawb 0.1.0");
  std::vector<ioa::cli::Command> commands;
  commands.push_back(ioa::cli::addCheckCommand(app));
  commands.push_back(ioa::cli::addGenCommand(app));
  commands.push_back(ioa::cli::addExportCommand(app));
  commands.push_back(ioa::cli::addProveCommand(app));
  commands.push_back(ioa::cli::addOptimizeCommand(app));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : ioa::cli::kUsage;
  }
  for (auto& c : commands)
    if (c.app->parsed()) return c.run();
  return ioa::cli::kUsage;
}
