// The on-disk result cache: one small file per query hash (private to the prover).
#pragma once

#include <map>
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
  // Not a verdict: the member of a group the group's solver did not prove, to be solved alone
  // (stored under its hash as a member, see solveTogether; status Unknown).
  bool alone = false;
};

class ObligationCache {
 public:
  explicit ObligationCache(std::string dir) : dir_(std::move(dir)) {}
  bool load(const std::string& hash, CacheRecord& r) const;
  void store(const std::string& hash, const CacheRecord& r) const;  // best effort: failures are ignored
  // The query hashes recorded for one spec (DischargeOptions::specKey), by obligation key:
  // one file per spec, so that a run adds one file however many obligations it has.
  using QueryHashes = std::map<std::string, std::string>;
  QueryHashes loadQueryHashes(const std::string& spec) const;
  void storeQueryHashes(const std::string& spec, const QueryHashes& hashes) const;  // best effort
  // Keeps the cache within `maxBytes` (0: no bound). A file's time is that of its last use
  // (load and store set it), so when the files add up to more, the least recently used go
  // first, down to three quarters of the bound. The directory is scanned at most once an hour
  // (a stamp file says when) unless `force`. Only the cache's own files are removed (results,
  // key files, and temporary files a killed run left behind an hour or more ago). Returns
  // the number of files removed. Best effort: a file another run is reading may go, and that
  // run then solves the query again.
  size_t prune(uint64_t maxBytes, bool force = false) const;

 private:
  std::string path(const std::string& hash, const char* ext = ".res") const;
  std::string dir_;
};

// Values as one line of tokens; decoding is directed by the expected sort (null = Int).
std::string encodeValue(const Value& v, const SortCatalog& cat);
bool decodeValue(Sort s, std::string_view text, Value& out, const SortCatalog& cat);

}  // namespace ioa::prover::detail
