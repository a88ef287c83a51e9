// libFuzzer target over the whole front end: lex, parse, check, expand, print.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ioa/spec/Frontend.h"
#include "ioa/spec/Printer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto c = ioa::compileSource("fuzz.ioa", text);
  (void)c->diags.renderAllText();
  if (!c->diags.hasErrors()) {
    // a clean program must print and re-parse without errors
    std::string printed = ioa::printModule(c->module);
    auto again = ioa::parseSource("fuzz-printed.ioa", printed);
    if (again->diags.hasErrors()) __builtin_trap();
    for (const ioa::FlatAutomaton* a : c->model->automata()) (void)ioa::flatToString(*a);
  }
  return 0;
}
