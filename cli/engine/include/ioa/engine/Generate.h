// Engine: generating C++ from a spec, for `ioawb gen` / `ioawb export` and the
// workbench's code views. Sources are produced in memory (file name -> text);
// writing them is a separate step.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ioa/codegen/Generator.h"
#include "ioa/engine/Check.h"

namespace ioa::engine {

struct GenerateResult {
  std::unique_ptr<Compilation> compilation;  // null only when the file could not be read
  std::vector<Problem> problems;             // diagnostics of the spec itself
  std::vector<std::string> errors;           // generation errors, "file:line:col: error: ..."
  std::vector<std::string> notes;
  std::vector<codegen::GeneratedFile> files;  // relative path -> text
  std::vector<codegen::GeneratedUnit> units;  // what was generated (classes, headers)
  std::string cppNamespace;
  std::string ioError;
  bool ok() const { return compilation && compilation->ok() && errors.empty(); }
};

// Sources for every automaton and stack of a spec, or only `opts.stack`.
GenerateResult generateFile(const std::string& path, const codegen::GenOptions& opts);
GenerateResult generateText(const std::string& name, const std::string& text, const codegen::GenOptions& opts);
// A standalone CMake project for stack `opts.stack` (see ioa/codegen/Export.h).
GenerateResult exportFile(const std::string& path, const codegen::GenOptions& opts);

// Writes files under `dir` (creating directories); false with `error` on failure.
bool writeFiles(const std::string& dir, const std::vector<codegen::GeneratedFile>& files, std::string& error);

}  // namespace ioa::engine
