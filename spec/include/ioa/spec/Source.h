// Source files and locations. Every AST node carries a SourceRange; line and
// column are computed on demand from the file's line table.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ioa {

struct SourceRange {
  uint32_t file = 0;   // index into SourceManager; 0 = no file
  uint32_t begin = 0;  // byte offsets into the file text
  uint32_t end = 0;
  bool valid() const { return file != 0; }
  static SourceRange join(const SourceRange& a, const SourceRange& b) {
    if (!a.valid()) return b;
    if (!b.valid()) return a;
    return {a.file, a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end};
  }
};

struct LineCol {
  uint32_t line = 0;  // 1-based
  uint32_t col = 0;   // 1-based, in characters (a UTF-8 character of several bytes is one column)
};

// A byte that continues a UTF-8 character (10xxxxxx): no character, no column of its own.
inline bool utf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  LineCol lineCol(uint32_t offset) const;
  std::string_view lineText(uint32_t line) const;  // without newline
  uint32_t lineStart(uint32_t line) const { return lineStarts_.at(line - 1); }  // its first byte's offset
  uint32_t lineCount() const { return static_cast<uint32_t>(lineStarts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> lineStarts_;
};

class SourceManager {
 public:
  // Returns the file id (>= 1).
  uint32_t addFile(std::string path, std::string text);
  // Reads a file from disk; returns 0 and sets error on failure.
  uint32_t loadFile(const std::string& path, std::string& error);
  const SourceFile& file(uint32_t id) const { return *files_.at(id - 1); }
  size_t fileCount() const { return files_.size(); }
  LineCol lineCol(const SourceRange& r) const;
  std::string_view textOf(const SourceRange& r) const;

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace ioa
