// Internal: the parsed translation unit behind a CppUnit (Clang types stay in optimizer/src).
#pragma once

#include <clang/Frontend/ASTUnit.h>
#include <clang/Tooling/Tooling.h>

#include <memory>

#include "ioa/optimizer/Equivalence.h"

namespace ioa::opt {

struct CppUnit::Impl {
  // The texts of the files other than the main one. Clang's in-memory file system refers to
  // them without copying (buildASTFromCodeWithArgs wraps each in a non-owning buffer), and the
  // unit's source manager reads them whenever source text is asked for, so they live as long
  // as the unit: declared first, destroyed last, never changed once parsed.
  clang::tooling::FileContentMappings mapped;
  std::unique_ptr<clang::ASTUnit> unit;
};

}  // namespace ioa::opt
