// Where each JSON value starts in the source text. nlohmann's DOM keeps no positions,
// so this small scanner walks the raw text once and records, for every JSON pointer,
// the line and column of its value and (for object members) of its key. It also
// notices duplicate keys, which the DOM silently merges.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aiomc::loader::detail {

struct TextPos {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in characters (UTF-8 continuation bytes do not count)
};

// Line and column of byte `offset` (0-based; clamped to the end of the text).
TextPos position_at_offset(std::string_view text, std::size_t offset);

class PositionIndex {
 public:
  // Scans `text`, which should be JSON that nlohmann accepted. On text that is not
  // JSON the scan stops early and the index is partial; it never fails otherwise.
  static PositionIndex build(std::string_view text);

  const TextPos* value(const std::string& pointer) const;  // nullptr if unknown
  const TextPos* key(const std::string& pointer) const;    // object members only
  // The value position of `pointer`, or of its nearest ancestor that is known
  // (for a missing key: the object that lacks it). {1, 1} at worst.
  TextPos nearest(const std::string& pointer) const;

  struct Duplicate {
    std::string pointer;  // the member's pointer (both occurrences share it)
    std::string key;      // the key, decoded
    TextPos at;           // where the later occurrence's key starts
  };
  // Later occurrences of a key already present in the same object, in text order.
  const std::vector<Duplicate>& duplicates() const { return duplicates_; }

 private:
  std::unordered_map<std::string, TextPos> values_;
  std::unordered_map<std::string, TextPos> keys_;
  std::vector<Duplicate> duplicates_;
};

}  // namespace aiomc::loader::detail
