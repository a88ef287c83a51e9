// C++ from checked IOA models.
//
// Every automaton becomes a class: a state struct (types per the dialect's
// sort table), `in_<a>(args)` per input, and per locally controlled action an
// args struct with `enabled_<a>`, `choices_<a>`, `room_<a>` (capacity guard)
// and `fire_<a>`, plus `step(rng)` for a seeded scheduler. A layer's class
// adds the generic layer interface (ioa/rt/layer.h), its header type with
// marshaling into buffer headroom (ioa/rt/wire.h) and its `fastpath_dn` /
// `fastpath_up` predicates. A stack becomes the layered composition: its
// layers as members, events passed through the generic interface, a call and
// a dispatch per layer, deliberately not collapsed (the optimizer does that).
//
// Generated handlers use a plain C++ subset: structs, fixed arrays, uintN_t,
// if/switch, bounded loops, calls; no exceptions, no virtual dispatch.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ioa/spec/Frontend.h"

namespace ioa::codegen {

struct GenOptions {
  std::string stack;               // only this stack (its layers and the stack); empty: every automaton
  std::string baseName;            // prefix of generated file names; default: the spec file's stem
  std::string cppNamespace;        // default: "ioa_gen::<baseName>"
  uint32_t seqCapacity = 64;       // elements of a bounded Seq (ring buffer)
  uint32_t setCapacity = 64;       // elements of a bounded Set/Mset/Map over an infinite key sort
  std::map<std::string, std::string> bindings;  // uninterpreted sort or type parameter -> spec sort ("Bytes", "Int[0..3]")
  bool withRuntime = true;         // include the runtime headers (runtime/ioa/rt/*.h)
  bool withHarness = true;         // include run_<base>.cpp: seeded random runs of every generated automaton
};

struct GeneratedFile {
  std::string path;  // relative to the output directory
  std::string text;
};

// One generated class.
struct GeneratedUnit {
  enum class Kind { Automaton, Layer, Stack };
  Kind kind = Kind::Automaton;
  std::string automaton;  // the flat automaton's display name, e.g. "Seqno", "Channel(Bytes)", "Reliable"
  std::string cppClass;   // e.g. "Seqno"
  std::string header;     // file declaring it
  std::vector<std::string> layers;  // stacks: the layer classes, top first
};

struct GenResult {
  bool ok() const { return errors.empty(); }
  std::vector<GeneratedFile> files;
  std::vector<GeneratedUnit> units;
  std::vector<std::string> errors;  // "file:line:col: error: ..."
  std::vector<std::string> notes;   // e.g. generic automata skipped in favour of their instantiations
  std::string cppNamespace;
  std::string baseName;
};

// Generates sources for a checked compilation (which must have no errors).
GenResult generate(const Compilation& c, const GenOptions& opts);

// The stack a command works on when none is named: the spec's only one. Empty, with `error`
// set, when the spec declares none or several (the error lists them).
std::string onlyStack(const Compilation& c, std::string& error);

// The runtime headers shipped with generated code: path (e.g. "runtime/ioa/rt/core.h") -> text.
const std::vector<GeneratedFile>& runtimeFiles();

// Resolves a binding's text ("Bytes", "Nat", "UInt16", "Int[0..3]", a declared type) to a sort.
Sort parseSortText(Model& m, const std::string& text, std::string& error);

}  // namespace ioa::codegen
