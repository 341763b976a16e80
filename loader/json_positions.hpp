// Where each JSON value starts in the source text. nlohmann's DOM keeps no positions,
// so this small scanner walks the raw text once and records, for every JSON pointer,
// the line and column of its value and (for object members) of its key. It also
// notices duplicate keys, which the DOM silently merges.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
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
  // Keeps `text` (which must outlive the index and should be JSON that nlohmann
  // accepted) and finds its first duplicate key. Positions are looked up on demand,
  // each in one linear pass (they are wanted for messages only). On text that is not
  // JSON a scan stops early; it never fails otherwise.
  static PositionIndex build(std::string_view text);

  std::optional<TextPos> value(const std::string& pointer) const;  // nullopt if unknown
  std::optional<TextPos> key(const std::string& pointer) const;    // object members only
  // The value position of `pointer`, or of its nearest ancestor that is known
  // (for a missing key: the object that lacks it). {1, 1} at worst.
  TextPos nearest(const std::string& pointer) const;

  struct Duplicate {
    std::string pointer;  // the member's pointer (both occurrences share it)
    std::string key;      // the key, decoded
    TextPos at;           // where the later occurrence's key starts
  };
  // The first later occurrence of a key already present in the same object (at most one).
  const std::vector<Duplicate>& duplicates() const { return duplicates_; }

 private:
  std::string_view text_;
  std::vector<Duplicate> duplicates_;
};

}  // namespace aiomc::loader::detail
