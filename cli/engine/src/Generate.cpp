#include "ioa/engine/Generate.h"

#include <filesystem>
#include <fstream>

#include "ioa/codegen/Export.h"

namespace ioa::engine {

namespace {

GenerateResult prepare(std::unique_ptr<Compilation> c, std::string ioError) {
  GenerateResult r;
  r.ioError = std::move(ioError);
  if (!c) return r;
  r.problems = problemsOf(*c);
  r.compilation = std::move(c);
  return r;
}

void runGenerator(GenerateResult& r, const codegen::GenOptions& opts) {
  if (!r.compilation || !r.compilation->ok()) return;
  codegen::GenResult g = codegen::generate(*r.compilation, opts);
  r.errors = std::move(g.errors);
  r.notes = std::move(g.notes);
  r.files = std::move(g.files);
  r.units = std::move(g.units);
  r.cppNamespace = g.cppNamespace;
}

}  // namespace

GenerateResult generateFile(const std::string& path, const codegen::GenOptions& opts) {
  std::string err;
  auto c = compileFile(path, &err);
  GenerateResult r = prepare(std::move(c), err);
  runGenerator(r, opts);
  return r;
}

GenerateResult generateText(const std::string& name, const std::string& text, const codegen::GenOptions& opts) {
  GenerateResult r = prepare(compileSource(name, text), "");
  runGenerator(r, opts);
  return r;
}

GenerateResult exportFile(const std::string& path, const codegen::GenOptions& opts) {
  std::string err;
  auto c = compileFile(path, &err);
  GenerateResult r = prepare(std::move(c), err);
  if (!r.compilation || !r.compilation->ok()) return r;
  codegen::ExportResult e = codegen::exportProject(*r.compilation, opts);
  r.errors = std::move(e.errors);
  r.files = std::move(e.files);
  r.cppNamespace = e.cppNamespace;
  return r;
}

bool writeFiles(const std::string& dir, const std::vector<codegen::GeneratedFile>& files, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const codegen::GeneratedFile& f : files) {
    fs::path p = fs::path(dir) / f.path;
    fs::create_directories(p.parent_path(), ec);
    if (ec) {
      error = "cannot create " + p.parent_path().string() + ": " + ec.message();
      return false;
    }
    // Leave unchanged files alone so that rebuilds stay incremental.
    {
      std::ifstream in(p, std::ios::binary);
      if (in) {
        std::string old((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (old == f.text) continue;
      }
    }
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << f.text;
    if (!out) {
      error = "cannot write " + p.string();
      return false;
    }
  }
  return true;
}

}  // namespace ioa::engine
