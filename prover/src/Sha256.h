// SHA-256 of a byte string, as lowercase hex (cache keys).
#pragma once

#include <string>
#include <string_view>

namespace ioa::prover::detail {

std::string sha256Hex(std::string_view data);

}  // namespace ioa::prover::detail
