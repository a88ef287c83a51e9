// Reading spec values out of a Z3 model (private to the prover).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "Encoder.h"

namespace ioa::prover::detail {

class Decoder {
 public:
  Decoder(Encoder& en, const z3::model& m);
  Value decode(Sort s, const z3::expr& t);
  int64_t toInt(const z3::expr& t);
  uint64_t toUInt(const z3::expr& t);
  // A sequence longer than the decoder shows (or too many elements in all): the values are cut short.
  bool overflow() const { return overflow_; }

 private:
  bool arrayEntries(const z3::expr& val, std::vector<std::pair<z3::expr, z3::expr>>& entries,
                    std::optional<z3::expr>& dflt);
  Encoder& en_;
  const z3::model& m_;
  std::map<std::string, int64_t> opaqueIds_;
  int64_t budget_;
  bool overflow_ = false;
};

}  // namespace ioa::prover::detail
