#include "ioa/engine/Generate.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

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

std::string textHash(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

std::optional<std::string> readTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

namespace {

std::optional<std::string> readText(const std::filesystem::path& p) { return readTextFile(p.string()); }

// The record of `dir`: path -> hash of the file as last written ("HASH  PATH" lines).
std::map<std::string, std::string> readRecord(const std::filesystem::path& dir) {
  std::map<std::string, std::string> rec;
  std::istringstream in(readText(dir / kWrittenRecord).value_or(""));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.size() < 19 || line.compare(16, 2, "  ") != 0) continue;
    rec[line.substr(18)] = line.substr(0, 16);
  }
  return rec;
}

std::string listed(const std::vector<std::string>& paths) {
  std::string out;
  for (size_t i = 0; i < paths.size() && i < 5; ++i) out += (i ? ", " : "") + paths[i];
  if (paths.size() > 5) out += " and " + std::to_string(paths.size() - 5) + " more";
  return out;
}

}  // namespace

bool outputDirUsable(const std::string& dir, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::path p = fs::path(dir).lexically_normal(); !p.empty(); p = p.parent_path()) {
    fs::file_status st = fs::status(p, ec);
    if (fs::exists(st)) {
      if (fs::is_directory(st)) return true;
      error = "cannot write into " + dir + ": " + p.string() + " is a file, not a directory";
      return false;
    }
    if (p == p.parent_path()) break;
  }
  return true;
}

namespace {
// ": Permission denied" after a failed open or write that set errno, nothing when it did not.
std::string errnoReason() { return errno ? std::string(": ") + std::strerror(errno) : std::string(); }
}  // namespace

bool outputDirWritable(const std::string& dir, std::string& error) {
  namespace fs = std::filesystem;
  if (!outputDirUsable(dir, error)) return false;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    error = "cannot create " + dir + ": " + ec.message();
    return false;
  }
  const fs::path probe = fs::path(dir) / ".ioawb-write-test";
  {
    errno = 0;
    std::ofstream out(probe, std::ios::binary);
    if (!(out << "ioawb\n") || !out.flush()) {
      error = "cannot write into " + dir + errnoReason();
      return false;
    }
  }
  fs::remove(probe, ec);
  return true;
}

bool writeFiles(const std::string& dir, const std::vector<codegen::GeneratedFile>& files, std::string& error,
                const WriteOptions& opts) {
  namespace fs = std::filesystem;
  if (!outputDirUsable(dir, error)) return false;
  std::map<std::string, std::string> rec = readRecord(dir);
  // first every check, then every write: a refused write leaves the folder as it was
  std::vector<std::string> edited, foreign;
  std::vector<const codegen::GeneratedFile*> toWrite;
  for (const codegen::GeneratedFile& f : files) {
    std::optional<std::string> old = readText(fs::path(dir) / f.path);
    if (old && *old == f.text) {  // unchanged files are left alone, so that rebuilds stay incremental
      rec[f.path] = textHash(f.text);
      continue;
    }
    const bool allowed =
        opts.force || std::find(opts.overwrite.begin(), opts.overwrite.end(), f.path) != opts.overwrite.end();
    if (!old && fs::exists(fs::path(dir) / f.path)) {  // (there, but unreadable: it is not known to be ours)
      error = "nothing written into " + dir + ": cannot read " + (fs::path(dir) / f.path).string() +
              " to tell whether it was edited";
      return false;
    }
    if (old && !allowed) {
      auto it = rec.find(f.path);
      if (it == rec.end()) foreign.push_back(f.path);
      else if (it->second != textHash(*old)) edited.push_back(f.path);
    }
    toWrite.push_back(&f);
  }
  if (!edited.empty() || !foreign.empty()) {
    error = "nothing written into " + dir + ": ";
    if (!edited.empty())
      error += std::to_string(edited.size()) + " file(s) changed since ioawb wrote them (" + listed(edited) + ")";
    if (!edited.empty() && !foreign.empty()) error += ", and ";
    if (!foreign.empty())
      error += std::to_string(foreign.size()) + " file(s) there that ioawb did not write (" + listed(foreign) + ")";
    error += "; " + opts.forceHint;
    if (opts.kept) {
      *opts.kept = edited;
      opts.kept->insert(opts.kept->end(), foreign.begin(), foreign.end());
    }
    return false;
  }
  std::error_code ec;
  for (const codegen::GeneratedFile* f : toWrite) {
    fs::path p = fs::path(dir) / f->path;
    fs::create_directories(p.parent_path(), ec);
    if (ec) {
      error = "cannot create " + p.parent_path().string() + ": " + ec.message();
      break;
    }
    errno = 0;
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << f->text;
    if (!out) {
      error = "cannot write " + p.string() + errnoReason();
      break;
    }
    rec[f->path] = textHash(f->text);
  }
  // (after a failed write too: the files written before it are recorded as written)
  std::string text =
      "# The files ioawb wrote into this folder, each with a hash of its text as written.\n"
      "# ioawb overwrites a file only while it is as written here: an edited file is kept (--force overwrites it).\n";
  for (const auto& [path, hash] : rec) text += hash + "  " + path + "\n";
  if (readText(fs::path(dir) / kWrittenRecord) != text) {
    std::ofstream out(fs::path(dir) / kWrittenRecord, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out && error.empty()) error = "cannot write " + (fs::path(dir) / kWrittenRecord).string();
  }
  return error.empty();
}

}  // namespace ioa::engine
