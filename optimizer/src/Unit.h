// Internal: the parsed translation unit behind a CppUnit (Clang types stay in optimizer/src).
#pragma once

#include <clang/Frontend/ASTUnit.h>

#include <memory>

#include "ioa/optimizer/Equivalence.h"

namespace ioa::opt {

struct CppUnit::Impl {
  std::unique_ptr<clang::ASTUnit> unit;
};

}  // namespace ioa::opt
