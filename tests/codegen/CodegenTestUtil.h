// Helpers for the code generator's tests: generating a sample's code into a
// directory and building it with the system compilers (temporary directories
// and running commands come from tests/TestUtil.h).
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "TestUtil.h"
#include "ioa/codegen/Generator.h"
#include "ioa/spec/Frontend.h"

namespace ioa::test {

namespace fs = std::filesystem;

inline std::string sourceDir() { return IOAWB_SOURCE_DIR; }
inline std::string samplesDir() { return sourceDir() + "/samples"; }

inline bool haveCompiler(const std::string& cxx) { return run(cxx + " --version").status == 0; }

// Bindings the samples need (type parameters that nothing instantiates).
inline std::map<std::string, std::string> sampleBindings(const std::string& file) {
  if (file.find("channel.ioa") != std::string::npos) return {{"M", "Bytes"}};
  return {};
}

// A sample's generated code, written to a directory.
struct GeneratedSample {
  std::unique_ptr<Compilation> compilation;
  codegen::GenResult gen;
  std::string dir;
  std::string unity;  // one translation unit including every generated source
};

inline GeneratedSample generateInto(const std::string& specPath, const std::string& dir,
                                    codegen::GenOptions opts = {}) {
  GeneratedSample g;
  g.compilation = compileFile(specPath);
  EXPECT_TRUE(g.compilation && g.compilation->ok()) << (g.compilation ? g.compilation->diags.renderAllText() : "");
  if (!g.compilation || !g.compilation->ok()) return g;
  if (opts.bindings.empty()) opts.bindings = sampleBindings(specPath);
  g.gen = codegen::generate(*g.compilation, opts);
  for (const std::string& e : g.gen.errors) ADD_FAILURE() << e;
  g.dir = dir;
  std::string unity;
  for (const codegen::GeneratedFile& f : g.gen.files) {
    writeFile(dir + "/" + f.path, f.text);
    if (f.path.size() > 4 && f.path.compare(f.path.size() - 4, 4, ".cpp") == 0 && f.path.find('/') == std::string::npos)
      unity += "#include \"" + f.path + "\"\n";
  }
  g.unity = dir + "/unity.cc";
  writeFile(g.unity, unity);
  return g;
}

// Compiles sources (plus include paths for generated code) into `out`.
inline CommandResult compile(const std::string& cxx, const std::string& flags, const std::vector<std::string>& sources,
                             const std::vector<std::string>& includes, const std::string& out) {
  std::string cmd = cxx + " -std=c++20 -Wall -Wextra -Werror " + flags;
  for (const std::string& i : includes) cmd += " -I" + i;
  for (const std::string& s : sources) cmd += " " + s;
  cmd += " -o " + out;
  return run(cmd);
}

}  // namespace ioa::test
