#include "ioa/spec/Source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ioa {

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
  // A UTF-8 byte order mark (editors on Windows write one) is not part of the spec, and a lone
  // CR (classic Mac line ends) ends a line: until 2026-12-05 the first was "unexpected character
  // byte 0xef" and the second made the file one line, a leading `%` comment all of it.
  if (text_.rfind("\xEF\xBB\xBF", 0) == 0) text_.erase(0, 3);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\r' && (i + 1 == text_.size() || text_[i + 1] != '\n')) text_[i] = '\n';
  lineStarts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') lineStarts_.push_back(i + 1);
}

LineCol SourceFile::lineCol(uint32_t offset) const {
  if (offset > text_.size()) offset = static_cast<uint32_t>(text_.size());
  auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - lineStarts_.begin());
  // the column in characters, as editors count them: a UTF-8 continuation byte adds none (until
  // 2026-12-05 the column was the byte's, one too far for each `é` before it on the line)
  uint32_t col = 1;
  for (uint32_t i = lineStarts_[line - 1]; i < offset; ++i)
    if (!utf8Continuation(text_[i])) ++col;
  return {line, col};
}

std::string_view SourceFile::lineText(uint32_t line) const {
  if (line == 0 || line > lineStarts_.size()) return {};
  uint32_t b = lineStarts_[line - 1];
  uint32_t e = line < lineStarts_.size() ? lineStarts_[line] - 1 : static_cast<uint32_t>(text_.size());
  if (e > b && text_[e - 1] == '\r') --e;
  return std::string_view(text_).substr(b, e - b);
}

uint32_t SourceManager::addFile(std::string path, std::string text) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text)));
  return static_cast<uint32_t>(files_.size());
}

uint32_t SourceManager::loadFile(const std::string& path, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {  // (an ifstream opens a directory and reads nothing)
    error = "cannot read '" + path + "': it is a directory";
    return 0;
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "'" + (errno ? std::string(": ") + std::strerror(errno) : std::string());
    return 0;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    error = "cannot read '" + path + "'";
    return 0;
  }
  return addFile(path, ss.str());
}

LineCol SourceManager::lineCol(const SourceRange& r) const {
  if (!r.valid() || r.file > files_.size()) return {};
  return file(r.file).lineCol(r.begin);
}

std::string_view SourceManager::textOf(const SourceRange& r) const {
  if (!r.valid() || r.file > files_.size()) return {};
  const auto& t = file(r.file).text();
  if (r.begin >= t.size()) return {};
  return std::string_view(t).substr(r.begin, std::min<size_t>(r.end, t.size()) - r.begin);
}

}  // namespace ioa
