// The on-disk result cache: one small file per query hash (private to the prover).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "Encoder.h"
#include "ioa/prover/Result.h"

namespace ioa::prover::detail {

struct CacheRecord {
  Status status = Status::Unknown;
  int64_t caseIndex = 0;  // which case of the finite-parameter split failed
  int segment = -1;
  std::vector<int> failed;
  std::string phases;               // which solver configuration decided each checkpoint
  std::vector<std::string> values;  // encoded with encodeValue, in plan order
};

class ObligationCache {
 public:
  explicit ObligationCache(std::string dir) : dir_(std::move(dir)) {}
  bool load(const std::string& hash, CacheRecord& r) const;
  void store(const std::string& hash, const CacheRecord& r) const;  // best effort: failures are ignored
  // The query hash recorded for an obligation key (DischargeOptions::specKey).
  bool loadQueryHash(const std::string& key, std::string& hash) const;
  void storeQueryHash(const std::string& key, const std::string& hash) const;  // best effort

 private:
  std::string path(const std::string& hash, const char* ext = ".res") const;
  std::string dir_;
};

// Values as one line of tokens; decoding is directed by the expected sort (null = Int).
std::string encodeValue(const Value& v, const SortCatalog& cat);
bool decodeValue(Sort s, std::string_view text, Value& out, const SortCatalog& cat);

}  // namespace ioa::prover::detail
