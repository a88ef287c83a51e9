// Helpers every test folder may use: temporary directories, running commands
// (the tools we build, compilers, generated programs) and small file I/O.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

// Defined in a build with the sanitizers, where our code (not Z3, which is not instrumented) runs
// several times slower: tests whose budgets are wall-clock time widen them there.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IOAWB_TEST_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define IOAWB_TEST_SANITIZED 1
#endif

namespace ioa::test {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed when the test passes.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    std::string tmpl = (fs::temp_directory_path() / ("ioawb-" + tag + "-XXXXXX")).string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) ADD_FAILURE() << "mkdtemp failed";
    path_ = buf.data();
  }
  ~TempDir() {
    if (!::testing::Test::HasFailure() && !std::getenv("IOAWB_KEEP_TEMP")) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

struct CommandResult {
  int status = -1;
  std::string output;  // stdout, and stderr unless it was dropped
};

enum class Stderr { Merge, Drop };

// Runs a shell command and collects its output and exit status.
inline CommandResult run(const std::string& cmd, Stderr err = Stderr::Merge) {
  CommandResult r;
  std::FILE* p = popen((cmd + (err == Stderr::Merge ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void writeFile(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Terms written with parentheses in every position a term can take them: their
// printed source text must keep them all (the parser tests and the prover's
// "fails:" lines).
inline const std::vector<std::string>& parenthesisedTerms() {
  static const std::vector<std::string> terms = {
      "~(x = 1)",   "(x < 1)",
      "(x) + (x * 2) < 3",  "min(x, (0)) = (x)",
      "\\A i: Int (i = x => i < 1)", "-(x) > -(1)",
      "len(s) = 0 \\/ s = [(x)]", "~(x \\in {(1), 2})",
  };
  return terms;
}

}  // namespace ioa::test
