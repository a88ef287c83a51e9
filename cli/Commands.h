// Subcommands of `ioawb`. Each registers its options on the CLI11 app and
// returns the process exit code when run.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace ioa::cli {

// Exit codes shared by every subcommand.
// The exit status of every command: 1 is a verdict (something refuted), never a spec error, so
// that a script can tell a broken spec from a broken proof (until 2026-12-04 `check`, `gen` and
// `export` exited 1 on a spec error, `prove` and `optimize` 2).
enum Exit : int { kOk = 0, kFailed = 1, kUsage = 2, kSpecError = 2, kUnknown = 3 };

using Runner = std::function<int()>;
struct Command {
  CLI::App* app;
  Runner run;
};
Command addCheckCommand(CLI::App& app);
Command addGenCommand(CLI::App& app);
Command addExportCommand(CLI::App& app);
Command addProveCommand(CLI::App& app);
Command addOptimizeCommand(CLI::App& app);

}  // namespace ioa::cli
