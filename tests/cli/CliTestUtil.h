// Running `ioawb` as a user would, for the CLI tests.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace ioa::clitest {

struct CliRun {
  int code = -1;
  std::string out;
};

// Runs `ioawb ARGS`; stdout only, or stdout and stderr interleaved.
inline CliRun ioawb(const std::string& args, bool withStderr = false) {
  CliRun r;
  std::string cmd = std::string(IOAWB_BIN) + " " + args + (withStderr ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// A fresh, empty temporary directory for one test.
inline std::filesystem::path tempDir(const std::string& name) {
  namespace fs = std::filesystem;
  fs::path d = fs::temp_directory_path() / ("ioawb-cli-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace ioa::clitest
