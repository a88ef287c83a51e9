// One call from text to checked model: what `ioawb check`, the prover, the
// code generator and the workbench all start from.
#pragma once

#include <memory>
#include <string>

#include "ioa/spec/AST.h"
#include "ioa/spec/Checker.h"
#include "ioa/spec/Diagnostics.h"
#include "ioa/spec/Model.h"
#include "ioa/spec/Parser.h"

namespace ioa {

struct Compilation {
  SourceManager sources;
  DiagnosticEngine diags{sources};
  std::shared_ptr<AstArena> arena = std::make_shared<AstArena>();
  Module module;
  std::unique_ptr<Model> model;
  uint32_t file = 0;
  bool ok() const { return !diags.hasErrors(); }
};

// Reads, parses and checks a file. Returns null only when the file cannot be
// read (then `ioError` says why).
std::unique_ptr<Compilation> compileFile(const std::string& path, std::string* ioError = nullptr);
// Parses and checks text held in memory (the editor's buffer, tests).
std::unique_ptr<Compilation> compileSource(const std::string& name, std::string text);
// Parse only (no checking).
std::unique_ptr<Compilation> parseSource(const std::string& name, std::string text);

}  // namespace ioa
