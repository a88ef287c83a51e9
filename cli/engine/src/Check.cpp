#include "ioa/engine/Check.h"

#include "ioa/spec/Printer.h"

namespace ioa::engine {

static Problem toProblem(const Compilation& c, const Diagnostic& d) {
  Problem p;
  const SourceManager& sm = c.sources;
  LineCol b = sm.lineCol(d.range);
  LineCol e = sm.lineCol({d.range.file, d.range.end, d.range.end});
  p.file = d.range.valid() ? sm.file(d.range.file).path() : "";
  p.line = b.line;
  p.col = b.col;
  p.endLine = e.line;
  p.endCol = e.col;
  p.severity = severityName(d.severity);
  p.message = d.message;
  for (const DiagNote& n : d.notes) {
    LineCol nl = sm.lineCol(n.range);
    p.notes.push_back({n.range.valid() ? sm.file(n.range.file).path() : "", nl.line, nl.col, n.message});
  }
  return p;
}

std::vector<Problem> problemsOf(const Compilation& c) {
  std::vector<Problem> out;
  for (const Diagnostic* d : c.diags.inSourceOrder()) out.push_back(toProblem(c, *d));
  if (c.diags.errorCount() > c.diags.all().size()) {
    Problem p;
    p.severity = "error";
    p.message = "too many errors (" + std::to_string(c.diags.errorCount()) + "); only the first ones are shown";
    out.push_back(p);
  }
  return out;
}

static OutlineItem item(const Compilation& c, std::string kind, std::string name, std::string detail, SourceRange r) {
  OutlineItem it;
  it.kind = std::move(kind);
  it.name = std::move(name);
  it.detail = std::move(detail);
  LineCol lc = c.sources.lineCol(r);
  it.line = lc.line;
  it.col = lc.col;
  return it;
}

std::vector<OutlineItem> outlineOf(const Compilation& c) {
  std::vector<OutlineItem> out;
  for (const Decl* d : c.module.decls) {
    switch (d->kind) {
      case DeclKind::Type: out.push_back(item(c, "type", d->name, "", d->nameRange)); break;
      case DeclKind::Sort: out.push_back(item(c, "sort", d->name, "", d->nameRange)); break;
      case DeclKind::Const: out.push_back(item(c, "const", d->name, "", d->nameRange)); break;
      case DeclKind::Function: out.push_back(item(c, "function", d->name, "", d->nameRange)); break;
      case DeclKind::Automaton: {
        auto* a = static_cast<const AutomatonDecl*>(d);
        OutlineItem it = item(c, a->isLayer ? "layer" : a->isComposite() ? "composition" : "automaton", a->name, "",
                              a->nameRange);
        for (const ActionDecl& act : a->signature) {
          std::string detail = std::string(actionKindName(act.kind)) + " " + act.name;
          it.children.push_back(item(c, "action", act.name, detail, act.range));
        }
        for (const TransitionDecl& t : a->transitions)
          it.children.push_back(
              item(c, "transition", t.action, std::string(actionKindName(t.kind)) + " " + t.action, t.headerRange));
        for (const ComponentDecl& comp : a->components)
          it.children.push_back(item(c, "component", comp.name, comp.automaton, comp.range));
        out.push_back(it);
        break;
      }
      case DeclKind::Invariant: {
        auto* i = static_cast<const InvariantDecl*>(d);
        out.push_back(item(c, "invariant", i->name.empty() ? "(unnamed)" : i->name, "of " + i->automaton.name,
                           i->name.empty() ? i->range : i->nameRange));
        break;
      }
      case DeclKind::Simulation: {
        auto* s = static_cast<const SimulationDecl*>(d);
        out.push_back(item(c, "simulation", s->from.name + " -> " + s->to.name,
                           s->simKind == SimulationKind::Forward ? "forward simulation" : "refinement", s->range));
        break;
      }
      case DeclKind::Stack: {
        auto* s = static_cast<const StackDecl*>(d);
        std::string layers;
        for (const auto& l : s->layers) layers += (layers.empty() ? "" : " ; ") + l.name;
        out.push_back(item(c, "stack", s->name, layers, s->nameRange));
        break;
      }
      default: break;
    }
  }
  return out;
}

static CheckResult finish(std::unique_ptr<Compilation> c) {
  CheckResult r;
  r.problems = problemsOf(*c);
  r.outline = outlineOf(*c);
  r.compilation = std::move(c);
  return r;
}

CheckResult checkFile(const std::string& path) {
  std::string err;
  auto c = compileFile(path, &err);
  if (!c) {
    CheckResult r;
    r.ioError = err;
    return r;
  }
  return finish(std::move(c));
}

CheckResult checkText(const std::string& name, const std::string& text) { return finish(compileSource(name, text)); }

std::string problemsToJson(const std::vector<Problem>& ps) {
  std::string out = "[";
  for (size_t i = 0; i < ps.size(); ++i) {
    const Problem& p = ps[i];
    if (i) out += ",";
    out += "{\"file\":\"" + jsonEscape(p.file) + "\",\"line\":" + std::to_string(p.line) +
           ",\"col\":" + std::to_string(p.col) + ",\"severity\":\"" + p.severity + "\",\"message\":\"" +
           jsonEscape(p.message) + "\",\"notes\":[";
    for (size_t k = 0; k < p.notes.size(); ++k) {
      if (k) out += ",";
      out += "{\"file\":\"" + jsonEscape(p.notes[k].file) + "\",\"line\":" + std::to_string(p.notes[k].line) +
             ",\"col\":" + std::to_string(p.notes[k].col) + ",\"message\":\"" + jsonEscape(p.notes[k].message) +
             "\"}";
    }
    out += "]}";
  }
  return out + "]";
}

std::optional<LeadingPlace> leadingPlace(const std::string& text) {
  const size_t at = text.find(": ");
  if (at == std::string::npos || at == 0) return std::nullopt;
  const size_t c2 = text.rfind(':', at - 1);
  const size_t c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : text.rfind(':', c2 - 1);
  if (c1 == std::string::npos || c1 == 0) return std::nullopt;
  auto number = [&](size_t from, size_t to, unsigned& out) {
    if (to <= from || to - from > 8) return false;
    for (size_t k = from; k < to; ++k)
      if (text[k] < '0' || text[k] > '9') return false;
    out = static_cast<unsigned>(std::stoul(text.substr(from, to - from)));
    return true;
  };
  LeadingPlace p;
  if (!number(c1 + 1, c2, p.line) || !number(c2 + 1, at, p.col)) return std::nullopt;
  p.file = text.substr(0, c1);
  p.colon = at;
  return p;
}

Problem problemOfText(const std::string& file, const std::string& text) {
  Problem p;
  p.file = file;
  p.severity = "error";
  p.message = text;
  if (std::optional<LeadingPlace> at = leadingPlace(text)) {
    p.file = at->file;
    p.line = at->line;
    p.col = at->col;
    p.message = text.substr(at->colon + 2);
  }
  if (p.message.rfind("error: ", 0) == 0) p.message.erase(0, 7);
  return p;
}

std::string failedRunJson(const std::vector<Problem>& ps) {
  return "{\"diagnostics\":" + problemsToJson(ps) +
         ",\"obligations\":[],\"summary\":{\"proved\":0,\"refuted\":0,\"unknown\":0,\"error\":0}}";
}

}  // namespace ioa::engine
