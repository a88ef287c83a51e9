// The wire format of layer headers (see runtime/ioa/rt/wire.h for the frame
// layout): which tag each header sort gets, how many bytes it takes, and how
// its fields are laid out. The generator marshals with it; the conformance
// checker decodes observed messages back into spec values with it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ioa/spec/Model.h"
#include "ioa/spec/Value.h"

namespace ioa::codegen {

struct HeaderLayout {
  Sort sort = nullptr;
  uint8_t tag = 0;
  uint32_t size = 0;          // bytes on the wire including the tag byte
  std::string owner;          // the layer declaring it
  SourceRange range;
};

class WireFormat {
 public:
  // Tags are 1, 2, ... in the order layers are declared; a header sort shared
  // by several layers (an alias) has one tag.
  explicit WireFormat(const Model& m);

  const std::vector<HeaderLayout>& headers() const { return headers_; }
  const HeaderLayout* find(Sort s) const;
  const HeaderLayout* byTag(uint8_t tag) const;

  // Bytes a value of `s` takes inside a header; false (with why) when the sort
  // has no fixed-size encoding (sequences, sets, maps, messages, unbounded sorts).
  static bool fieldSize(Sort s, uint32_t& bytes, std::string& why);
  static uint32_t rangeBytes(int64_t lo, int64_t hi);
  static uint32_t enumBytes(size_t count);

  // Decodes a value of `s` from exactly fieldSize(s) bytes; false if the bytes
  // are not a value of the sort.
  static bool decodeField(Sort s, const uint8_t* p, Value& out);
  static void encodeField(Sort s, const Value& v, uint8_t* p);
  // The Msg value of a header stack and payload as the generated code holds them.
  bool decodeMsg(const std::vector<uint8_t>& headers, const std::vector<uint8_t>& payload, Value& out,
                 std::string& error) const;
  bool encodeMsg(const Value& msg, std::vector<uint8_t>& headers, std::string& error) const;

 private:
  std::vector<HeaderLayout> headers_;
};

}  // namespace ioa::codegen
