#include "ioa/prover/Result.h"

#include <map>

namespace ioa::prover {

const char* statusName(Status s) {
  switch (s) {
    case Status::Proved: return "proved";
    case Status::Refuted: return "refuted";
    case Status::Unknown: return "unknown";
    case Status::Error: return "error";
  }
  return "?";
}

std::vector<std::pair<std::string, std::string>> FunctionValue::items() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto call = [&](const std::vector<Value>* args, size_t n) {
    std::string s = name + "(";
    for (size_t k = 0; k < n; ++k) s += (k ? ", " : "") + (args ? (*args)[k].toString() : std::string("_"));
    return s + ")";
  };
  for (const auto& [args, v] : entries) out.emplace_back(call(&args, args.size()), v.toString());
  out.emplace_back(call(nullptr, arity), otherwise.toString());
  return out;
}

std::string counterexampleToText(const Counterexample& c, const std::string& indent) {
  std::string out;
  std::map<std::string, std::string> last;  // latest shown value per name
  bool anyState = false;
  if (!c.note.empty()) out += indent + c.note + "\n";
  if (!c.constants.empty()) {
    out += indent + "constants: ";
    for (size_t i = 0; i < c.constants.size(); ++i)
      out += (i ? ", " : "") + c.constants[i].name + " = " + c.constants[i].value.toString();
    out += "\n";
  }
  if (!c.functions.empty()) {
    out += indent + "functions: ";
    bool first = true;
    for (const FunctionValue& f : c.functions)
      for (const auto& [call, v] : f.items()) {
        out += (first ? "" : ", ") + call + " = " + v;
        first = false;
      }
    out += "\n";
  }
  for (const CexEntry& e : c.entries) {
    if (e.kind == CexEntry::Kind::Action) {
      out += indent + e.label + ": " + e.action + "(";
      for (size_t i = 0; i < e.values.size(); ++i)
        out += (i ? ", " : "") + e.values[i].name + " = " + e.values[i].value.toString();
      out += ")\n";
      continue;
    }
    std::string body;
    size_t shown = 0;
    for (const NamedValue& nv : e.values) {
      std::string v = nv.value.toString();
      auto it = last.find(nv.name);
      bool changed = it == last.end() || it->second != v;
      last[nv.name] = v;
      if (anyState && !changed) continue;
      body += indent + "  " + nv.name + " = " + v + "\n";
      ++shown;
    }
    if (!anyState || shown == e.values.size()) {
      out += indent + e.label + ":\n" + body;
    } else if (shown == 0) {
      out += indent + e.label + ": (unchanged)\n";
    } else {
      out += indent + e.label + " (changed variables):\n" + body;
    }
    anyState = true;
  }
  for (const FailedGoal& f : c.failed)
    out += indent + (f.kind == "goal" ? "fails: " : "fails (" + f.kind + "): ") + f.text + "\n";
  return out;
}

}  // namespace ioa::prover
