#include "ioa/spec/Diagnostics.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace ioa {

const char* severityName(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

std::string jsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

size_t editDistance(std::string_view a, std::string_view b) {
  auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = low(a[i - 1]) == low(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && low(a[i - 1]) == low(b[j - 2]) && low(a[i - 2]) == low(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

size_t closestSpelling(std::string_view word, const std::vector<std::string_view>& candidates) {
  size_t best = candidates.size();
  if (word.size() < 2 || word.size() > 40) return best;
  size_t bestD = SIZE_MAX;
  for (size_t i = 0; i < candidates.size(); ++i) {
    std::string_view t = candidates[i];
    if (t == word) continue;  // the word itself is no suggestion
    size_t limit = t.size() > 4 ? 2 : 1;
    size_t dist = editDistance(word, t);
    if (dist <= limit && dist < bestD) {
      best = i;
      bestD = dist;
    }
  }
  return best;
}

std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
  size_t i = closestSpelling(word, candidates);
  return i < candidates.size() ? "; did you mean '" + std::string(candidates[i]) + "'?" : std::string();
}

Diagnostic& DiagnosticEngine::error(SourceRange r, std::string msg) {
  return report({Severity::Error, r, std::move(msg), {}});
}

Diagnostic& DiagnosticEngine::warning(SourceRange r, std::string msg) {
  return report({Severity::Warning, r, std::move(msg), {}});
}

Diagnostic& DiagnosticEngine::report(Diagnostic d) {
  if (d.severity == Severity::Warning && suppressWarnings_) {
    overflow_ = std::move(d);
    return overflow_;
  }
  if (d.severity == Severity::Error) {
    if (errors_ >= errorLimit_) {
      ++errors_;
      overflow_ = std::move(d);
      return overflow_;
    }
    ++errors_;
  }
  diags_.push_back(std::move(d));
  return diags_.back();
}

static void renderOne(const SourceManager& sm, std::string& out, SourceRange r, Severity sev,
                      const std::string& msg) {
  LineCol lc = sm.lineCol(r);
  if (r.valid() && r.file <= sm.fileCount()) {
    const auto& f = sm.file(r.file);
    out += f.path() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.col) + ": ";
    out += severityName(sev);
    out += ": " + msg + "\n";
    std::string_view line = f.lineText(lc.line);
    out += "  ";
    out += line;
    out += "\n  ";
    // the caret under the range's first character, a mark under each of its characters on the line
    // (a character of several bytes is one column)
    const size_t at = std::min<size_t>(r.begin - f.lineStart(lc.line), line.size());
    for (size_t i = 0; i < at; ++i)
      if (!utf8Continuation(line[i])) out += line[i] == '\t' ? '\t' : ' ';
    out += '^';
    const size_t end = std::min<size_t>(at + (r.end > r.begin ? r.end - r.begin : 1), line.size());
    size_t chars = 0;
    for (size_t i = at; i < end; ++i) chars += utf8Continuation(line[i]) ? 0 : 1;
    for (size_t k = 1; k < chars; ++k) out += '~';
    out += "\n";
  } else {
    out += severityName(sev);
    out += ": " + msg + "\n";
  }
}

std::string DiagnosticEngine::renderText(const Diagnostic& d) const {
  std::string out;
  renderOne(sm_, out, d.range, d.severity, d.message);
  for (const auto& n : d.notes) renderOne(sm_, out, n.range, Severity::Note, n.message);
  return out;
}

std::vector<const Diagnostic*> DiagnosticEngine::inSourceOrder() const {
  std::vector<const Diagnostic*> out;
  for (const Diagnostic& d : diags_) out.push_back(&d);
  auto place = [](const Diagnostic* d) {
    return d->range.valid() ? std::make_pair(d->range.file, d->range.begin) : std::make_pair(uint32_t{0}, uint32_t{0});
  };
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic* a, const Diagnostic* b) { return place(a) < place(b); });
  return out;
}

std::string DiagnosticEngine::renderAllText() const {
  std::string out;
  for (const Diagnostic* d : inSourceOrder()) out += renderText(*d);
  if (errors_ >= errorLimit_)
    out += "error: too many errors; stopped after " + std::to_string(errorLimit_) + "\n";
  return out;
}

static std::string locJson(const SourceManager& sm, SourceRange r) {
  LineCol lc = sm.lineCol(r);
  std::string file = r.valid() && r.file <= sm.fileCount() ? sm.file(r.file).path() : "";
  return "\"file\":\"" + jsonEscape(file) + "\",\"line\":" + std::to_string(lc.line) +
         ",\"col\":" + std::to_string(lc.col);
}

std::string DiagnosticEngine::renderJsonObject(const Diagnostic& d) const {
  std::string out = "{" + locJson(sm_, d.range) + ",\"severity\":\"" + severityName(d.severity) +
                    "\",\"message\":\"" + jsonEscape(d.message) + "\",\"notes\":[";
  for (size_t i = 0; i < d.notes.size(); ++i) {
    if (i) out += ",";
    out += "{" + locJson(sm_, d.notes[i].range) + ",\"message\":\"" + jsonEscape(d.notes[i].message) + "\"}";
  }
  out += "]}";
  return out;
}

}  // namespace ioa
