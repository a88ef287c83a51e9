// Engine: generating C++ from a spec, for `ioawb gen` / `ioawb export` and the
// workbench's code views. Sources are produced in memory (file name -> text);
// writing them is a separate step.
#pragma once

#include <memory>
#include <optional>
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

// Writing generated files never loses a user's work: `dir` keeps a record of
// what was written there (kWrittenRecord: a hash of each file as written), and
// a file that differs from what is to be written is overwritten only when it
// is still as written (or when forced). A file edited since, or one that
// ioawb did not write, stops the whole write: nothing is written, `error`
// names the files and `kept` (when given) lists their paths.
inline constexpr const char* kWrittenRecord = ".ioawb-files";
struct WriteOptions {
  bool force = false;                      // overwrite edited and unrecorded files too
  std::vector<std::string> overwrite;      // these (paths in `files`) only: the ones a user was shown
  std::vector<std::string>* kept = nullptr;  // out: the files that stopped the write
  std::string forceHint = "pass --force to overwrite them";  // how the error says to overwrite them anyway
};
// Can files be written under `dir`: false with `error` when it, or the nearest part of its path
// that exists, is not a directory ("out/afile is a file, not a directory"). Asked before the work
// that produces the files (an optimized export's proofs), and by writeFiles.
bool outputDirUsable(const std::string& dir, std::string& error);
// The same, and `dir` is made (with its parents) and a file can be written in it now.
bool outputDirWritable(const std::string& dir, std::string& error);
// Writes files under `dir` (creating directories); false with `error` on failure.
bool writeFiles(const std::string& dir, const std::vector<codegen::GeneratedFile>& files, std::string& error,
                const WriteOptions& opts = {});
// The text of a file, or nothing when it cannot be read.
std::optional<std::string> readTextFile(const std::string& path);
// The hash the record keeps of a file's text (FNV-1a, 64 bits, in hex): it tells an edit, not an attacker.
std::string textHash(const std::string& text);

}  // namespace ioa::engine
