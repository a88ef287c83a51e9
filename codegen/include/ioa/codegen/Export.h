// A standalone CMake project for one stack: the generated layers and stack,
// the runtime, a demo program and the project's own GoogleTest tests.
//
//   DIR/CMakeLists.txt        builds lib<stack>_layered, <stack>_demo, <stack>_tests
//   DIR/gen/                  generated sources and runtime (gen/runtime/ioa/rt)
//   DIR/demo/main.cpp         simulated network or UDP between processes
//   DIR/tests/stack_test.cpp  delivery, malformed input, UDP loopback
//   DIR/optimized/            reserved for the optimizer's collapsed stack: when
//                             it holds a CMakeLists.txt, the project builds it too
#pragma once

#include <string>
#include <vector>

#include "ioa/codegen/Generator.h"

namespace ioa::codegen {

struct ExportResult {
  bool ok() const { return errors.empty(); }
  std::vector<GeneratedFile> files;  // relative to the project directory
  std::vector<std::string> errors;
  std::string stackClass, cppNamespace;
};

// `opts.stack` names the stack (required).
ExportResult exportProject(const Compilation& c, const GenOptions& opts);

}  // namespace ioa::codegen
