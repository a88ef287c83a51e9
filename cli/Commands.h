// Subcommands of `ioawb`. Each registers its options on the CLI11 app and
// returns the process exit code when run.
#pragma once

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace ioa::cli {

// Exit codes shared by every subcommand.
// The exit status of every command: 1 is a verdict (something refuted), never a spec error, so
// that a script can tell a broken spec from a broken proof (until 2026-12-04 `check`, `gen` and
// `export` exited 1 on a spec error, `prove` and `optimize` 2).
enum Exit : int { kOk = 0, kFailed = 1, kUsage = 2, kSpecError = 2, kUnknown = 3 };

// An error about the spec as a whole ("error: no stack named 'X'") at the file's first place, as
// prove's "nothing to prove" is, so that every error a command prints starts FILE:LINE:COL
// (until 2026-12-05 these had no place and no prefix). Others are returned as they are.
inline std::string atFile(const std::string& file, const std::string& error) {
  return error.rfind("error: ", 0) == 0 ? file + ":1:1: " + error : error;
}

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
