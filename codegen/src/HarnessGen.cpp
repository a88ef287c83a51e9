// run_<base>.cpp: seeded random executions of every generated automaton
// (inputs with random arguments, locally controlled actions chosen by the
// generated scheduler) and of every stack (two endpoints over the simulated
// network). With IOA_TRACE=1 it writes traces for the conformance checker.
#include "Emit.h"

namespace ioa::codegen::detail {

namespace {

struct Randoms {
  Shared& sh;
  std::set<std::string> done;
  std::string code;

  std::string fn(Sort s) {
    s = sh.types.resolve(s);
    std::string name = "rnd_" + sortKey(s);
    if (done.count(name)) return name;
    done.insert(name);
    std::string t = sh.types.value(s, {});
    std::string body;
    switch (s->kind) {
      case SortKind::Bool: body = "  return r.below(2) != 0;\n"; break;
      case SortKind::Int: body = "  return r.range(-3, 8);\n"; break;
      case SortKind::Nat: body = "  return r.range(0, 8);\n"; break;
      case SortKind::Range:
        body = "  return r.range(INT64_C(" + std::to_string(s->lo) + "), INT64_C(" + std::to_string(s->hi) + "));\n";
        break;
      case SortKind::UInt:
        body = "  return static_cast<" + t + ">(r.percent(50) ? r.below(8) : r.next());\n";
        break;
      case SortKind::Enum:
        body = "  return static_cast<" + t + ">(r.below(" + std::to_string(s->def->values.size()) + "));\n";
        break;
      case SortKind::Tuple: {
        std::vector<std::string> fs;
        for (const TypeField& f : s->def->fields) fs.push_back(fn(f.sort));
        body = "  " + t + " x{};\n";
        for (size_t k = 0; k < fs.size(); ++k) {
          std::string st = sh.types.storage(s->def->fields[k].sort, {});
          body += "  x." + ident(s->def->fields[k].name) + " = static_cast<" + st + ">(" + fs[k] + "(r));\n";
        }
        body += "  return x;\n";
        break;
      }
      case SortKind::Union: {
        std::vector<std::string> fs;
        for (const TypeField& f : s->def->fields) fs.push_back(fn(f.sort));
        body = "  switch (r.below(" + std::to_string(fs.size()) + ")) {\n";
        for (size_t k = 0; k < fs.size(); ++k)
          body += "    case " + std::to_string(k) + ": return " + t + "::make_" + ident(s->def->fields[k].name) + "(" +
                  fs[k] + "(r));\n";
        body += "  }\n  return " + t + "{};\n";
        break;
      }
      case SortKind::Seq:
        if (isBytes(s)) {
          body = "  uint8_t b[8];\n  uint32_t n = static_cast<uint32_t>(r.below(9));\n";
          body += "  for (uint32_t k = 0; k < n; ++k) b[k] = static_cast<uint8_t>(r.next());\n";
          body += "  return rt::Bytes::copy(b, n);\n";
        } else {
          std::string e = fn(s->elem());
          body = "  " + t + " x{};\n  uint64_t n = r.below(4);\n  for (uint64_t k = 0; k < n; ++k) x.push_back(" + e +
                 "(r));\n  return x;\n";
        }
        break;
      case SortKind::Set:
      case SortKind::Mset: {
        std::string e = fn(s->elem());
        std::string ins = s->kind == SortKind::Set ? "x.insert(" : "x.add(";
        std::string tail = s->kind == SortKind::Set ? "(r));\n" : "(r), 1);\n";
        body = "  " + t + " x{};\n  uint64_t n = r.below(4);\n  for (uint64_t k = 0; k < n; ++k) " + ins + e + tail +
               "  return x;\n";
        break;
      }
      case SortKind::Map:
      case SortKind::Array: {
        std::string kf = fn(s->key()), vf = fn(s->value());
        std::string st = sh.types.storage(s->value(), {});
        body = "  " + t + " x = " + t + "::constant(static_cast<" + st + ">(" + vf +
               "(r)));\n  uint64_t n = r.below(3);\n";
        body += "  for (uint64_t k = 0; k < n; ++k) x.ref(" + kf + "(r)) = static_cast<" + st + ">(" + vf +
                "(r));\n  return x;\n";
        break;
      }
      case SortKind::Msg: {
        body = "  uint8_t b[12];\n  uint32_t n = static_cast<uint32_t>(r.below(13));\n";
        body += "  for (uint32_t k = 0; k < n; ++k) b[k] = static_cast<uint8_t>(r.next());\n";
        body += "  rt::Msg m = rt::Msg::copy(b, n);\n";
        std::vector<std::pair<std::string, std::string>> hs;
        for (const HeaderLayout& hl : sh.wire.headers()) {
          if (!hl.size) continue;
          std::string hn = sh.types.header(hl.sort, hl.range);
          hs.push_back({hn, fn(hl.sort)});
        }
        if (!hs.empty()) {
          body += "  uint64_t depth = r.below(4);\n  for (uint64_t k = 0; k < depth; ++k) {\n";
          body += "    switch (r.below(" + std::to_string(hs.size()) + ")) {\n";
          for (size_t k = 0; k < hs.size(); ++k)
            body += "      case " + std::to_string(k) + ": m = push_" + hs[k].first + "(m, " + hs[k].second +
                    "(r)); break;\n";
          body += "    }\n  }\n";
        }
        body += "  return m;\n";
        break;
      }
      default: body = "  (void)r;\n  return " + t + "{};\n"; break;
    }
    code += "inline " + t + " " + name + "(rt::Rng& r) {\n" + body + "}\n\n";
    return name;
  }
};

}  // namespace

std::string emitHarness(Shared& sh, const std::vector<ClassCode>& classes, const std::string& ns) {
  Randoms rnd{sh, {}, {}};
  std::string runners, calls;
  for (const ClassCode& cc : classes) {
    if (!cc.automaton) continue;
    if (cc.isStack) {
      runners += "bool run_" + cc.cls + "(uint64_t seed, uint64_t steps, const char* dir) {\n";
      runners += "  rt::SimOptions opt;\n  opt.messages = static_cast<uint32_t>(steps / 40 + 5);\n";
      runners += "  opt.net = rt::default_net<" + cc.cls + ">();  // perfect for a stack without a timer\n";
      runners += "  std::FILE* fa = open_trace(dir, " + cppString(cc.cls) + ", seed, \"A\");\n";
      runners += "  std::FILE* fb = open_trace(dir, " + cppString(cc.cls) + ", seed, \"B\");\n";
      runners += "  rt::TraceOut ta(fa), tb(fb);\n";
      runners += "  rt::SimResult r = rt::run_sim<" + cc.cls + ">(seed, opt, fa ? &ta : nullptr, fb ? &tb : nullptr);\n";
      runners += "  if (fa) std::fclose(fa);\n  if (fb) std::fclose(fb);\n";
      runners += "  std::printf(\"%s seed=%llu: %s, %llu of %llu delivered, %llu frames (%llu lost, %llu duplicated), "
                 "%llu faults%s%s\\n\", " +
                 cc.cls +
                 "::kName, static_cast<unsigned long long>(seed), r.ok ? \"ok\" : \"FAILED\", "
                 "static_cast<unsigned long long>(r.delivered), static_cast<unsigned long long>(opt.messages), "
                 "static_cast<unsigned long long>(r.frames), static_cast<unsigned long long>(r.lost), "
                 "static_cast<unsigned long long>(r.duplicated), "
                 "static_cast<unsigned long long>(rt::faults().total), r.ok ? \"\" : \": \", r.error.c_str());\n";
      runners += "  return r.ok && rt::faults().total == 0;\n}\n\n";
    } else {
      std::vector<const ActionCode*> inputs;
      for (const ActionCode& ac : cc.actions)
        if (ac.kind == ActionKind::Input) inputs.push_back(&ac);
      std::string ctor;
      for (size_t k = 0; k < cc.paramSorts.size(); ++k) ctor += (k ? ", " : "") + rnd.fn(cc.paramSorts[k]) + "(rng)";
      runners += "bool run_" + cc.cls + "(uint64_t seed, uint64_t steps, const char* dir) {\n";
      runners += "  rt::Rng rng(seed);\n  auto x = std::make_unique<" + cc.cls + ">(" + ctor + ");\n";
      runners += "  std::FILE* f = open_trace(dir, " + cppString(cc.cls) + ", seed, nullptr);\n";
      runners += "  rt::TraceOut t(f);\n  if (f) x->set_trace(&t);\n  uint64_t done = 0;\n";
      runners += "  for (uint64_t k = 0; k < steps; ++k) {\n    bool did = false;\n";
      if (!inputs.empty()) {
        runners += "    if (rng.percent(35)) {\n      switch (rng.below(" + std::to_string(inputs.size()) + ")) {\n";
        for (size_t i = 0; i < inputs.size(); ++i) {
          const ActionCode& ac = *inputs[i];
          runners += "        case " + std::to_string(i) + ": {\n";
          std::string args;
          for (size_t k = 0; k < ac.sorts.size(); ++k) {
            std::string v = "v" + std::to_string(k);
            std::string gen = rnd.fn(ac.sorts[k]) + "(rng)";
            // a layer's up input: mostly messages that carry this layer's header on top
            if (cc.isLayer && ac.name == "up" && cc.automaton->headerSort &&
                sh.types.resolve(ac.sorts[k])->kind == SortKind::Msg) {
              std::string hn = sh.types.header(cc.automaton->headerSort, cc.automaton->range);
              gen = "rng.percent(60) ? push_" + hn + "(" + gen + ", " + rnd.fn(cc.automaton->headerSort) +
                    "(rng)) : " + rnd.fn(ac.sorts[k]) + "(rng)";
            }
            runners += "          const " + ac.types[k] + " " + v + " = " + gen + ";\n";
            args += (k ? ", " : "") + v;
          }
          runners += "          if (x->room_" + ac.id + "(" + args + ")) {\n            x->in_" + ac.id + "(" + args +
                     ");\n            did = true;\n          }\n          break;\n        }\n";
        }
        runners += "      }\n    }\n";
      }
      runners += "    if (!did) did = x->step(rng);\n";
      runners += inputs.empty() ? "    if (!did) break;\n" : "";
      runners += "    if (did) ++done;\n  }\n";
      runners += "  if (f) std::fclose(f);\n";
      runners += "  std::printf(\"%s seed=%llu: %llu steps, %llu faults\\n\", " + cc.cls +
                 "::kName, static_cast<unsigned long long>(seed), static_cast<unsigned long long>(done), "
                 "static_cast<unsigned long long>(rt::faults().total));\n";
      runners += "  return rt::faults().total == 0;\n}\n\n";
    }
    calls += "    if (!only || std::strcmp(only, " + cppString(cc.cls) + ") == 0) {\n      rt::faults().clear();\n";
    calls += "      ok = run_" + cc.cls + "(seed + r, steps, dir) && ok;\n      ran = true;\n    }\n";
  }
  std::string out = "// Generated by ioawb: seeded random executions of the generated code.\n";
  out += "//   run_" + sh.base + " [--only CLASS] [--seed N] [--runs N] [--steps N] [--trace DIR]\n";
  out += "// Exit status 0 when every run raised no fault and every stack delivered every message once, in order.\n";
  out += "// Built with -DIOA_TRACE=1, --trace DIR writes DIR/<CLASS>.<seed>[.A|.B].trace for ioawb's checker.\n";
  out += "#include <cstdio>\n#include <cstdlib>\n#include <cstring>\n#include <memory>\n#include <string>\n\n";
  out += "#include \"ioa/rt/driver.h\"\n";
  for (const ClassCode& cc : classes) out += "#include \"" + cc.header + "\"\n";
  out += "\nnamespace " + ns + " {\nnamespace {\n\n";
  out += "std::FILE* open_trace(const char* dir, const char* cls, uint64_t seed, const char* side) {\n";
  out += "  if (!dir || !IOA_TRACE) return nullptr;\n";
  out += "  std::string p = std::string(dir) + \"/\" + cls + \".\" + std::to_string(seed) + (side ? std::string(\".\") + "
         "side : std::string()) + \".trace\";\n";
  out += "  return std::fopen(p.c_str(), \"w\");\n}\n\n";
  std::string randoms;
  out += "RANDOMS_PLACEHOLDER";
  out += runners;
  out += "}  // namespace\n\nint run_all(int argc, char** argv) {\n";
  out += "  const char* only = nullptr;\n  const char* dir = nullptr;\n  uint64_t seed = 1, runs = 1, steps = 2000;\n";
  out += "  for (int i = 1; i + 1 < argc; i += 2) {\n";
  out += "    std::string k = argv[i];\n";
  out += "    if (k == \"--only\") only = argv[i + 1];\n";
  out += "    else if (k == \"--seed\") seed = std::strtoull(argv[i + 1], nullptr, 10);\n";
  out += "    else if (k == \"--runs\") runs = std::strtoull(argv[i + 1], nullptr, 10);\n";
  out += "    else if (k == \"--steps\") steps = std::strtoull(argv[i + 1], nullptr, 10);\n";
  out += "    else if (k == \"--trace\") dir = argv[i + 1];\n";
  out += "    else {\n      std::fprintf(stderr, \"unknown option %s\\n\", argv[i]);\n      return 2;\n    }\n  }\n";
  out += "  bool ok = true, ran = false;\n  for (uint64_t r = 0; r < runs; ++r) {\n" + calls + "  }\n";
  out += "  if (!ran) {\n    std::fprintf(stderr, \"nothing to run%s%s\\n\", only ? \" named \" : \"\", only ? only : \"\");\n"
         "    return 2;\n  }\n  return ok ? 0 : 1;\n}\n\n}  // namespace " +
         ns + "\n\nint main(int argc, char** argv) { return " + ns + "::run_all(argc, argv); }\n";
  // the random generators are known only now
  size_t p = out.find("RANDOMS_PLACEHOLDER");
  out.replace(p, std::string("RANDOMS_PLACEHOLDER").size(), rnd.code);
  return out;
}

}  // namespace ioa::codegen::detail
