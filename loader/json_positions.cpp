// A tiny JSON scanner that finds where a value or key starts, on demand (only a
// message needs it), and the first duplicate key. It runs after nlohmann has accepted
// the text, so it can stay simple; on malformed input it stops quietly (positions are
// a help for messages, never a verdict).
#include "loader/json_positions.hpp"

#include <cstdint>
#include <optional>
#include <unordered_set>
#include <utility>


namespace aiomc::loader::detail {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// One pass over the text. In `find_duplicates` mode it stops at the first key that
// repeats in its object; in lookup mode (a target pointer) it records where the
// target's key and value start and where its deepest known ancestor's value starts,
// comparing only the tokens on the target's path. The current pointer is one string
// grown and cut as the scan goes in and out (never copied per frame), so time and
// memory are linear in the text.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;  // a UTF-8 BOM, as nlohmann skips it
  }

  std::optional<PositionIndex::Duplicate> first_duplicate() {
    find_duplicates_ = true;
    scan();
    return duplicate_;
  }

  struct Found {
    std::optional<TextPos> key, value;
    TextPos nearest;  // the value of the target or of its deepest ancestor seen
  };
  Found lookup(std::string_view target) {
    target_ = target;
    scan();
    return found_;
  }

 private:
  struct Frame {
    bool object;
    std::size_t base;       // length of the container's pointer in path_
    bool on_target;         // the container's pointer is a prefix of the target (lookup)
    std::size_t count = 0;  // array: index of the next element
    std::unordered_set<std::string> keys;  // object, find_duplicates only: keys seen so far
  };

  bool at_end() const { return i_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[i_]; }

  // Moves past one byte. Columns count characters: UTF-8 continuation bytes add nothing.
  void advance() {
    const auto c = static_cast<unsigned char>(text_[i_++]);
    if (c == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++pos_.column;
    }
  }

  void skip_ws() {
    while (!at_end() && is_ws(peek())) advance();
  }

  bool read_hex4(std::uint32_t& out) {
    out = 0;
    for (int k = 0; k < 4; ++k) {
      if (at_end()) return false;
      const char c = peek();
      std::uint32_t d;
      if (c >= '0' && c <= '9')
        d = static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        d = static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        d = static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return false;
      out = out * 16 + d;
      advance();
    }
    return true;
  }

  // At a '"': moves past the string, decoding it into *out when out != nullptr.
  bool string(std::string* out) {
    advance();  // opening quote
    while (!at_end()) {
      const char c = peek();
      if (c == '"') {
        advance();
        return true;
      }
      if (c != '\\') {
        if (out) *out += c;
        advance();
        continue;
      }
      advance();  // backslash
      if (at_end()) return false;
      const char e = peek();
      advance();
      if (e == 'u') {
        std::uint32_t cp;
        if (!read_hex4(cp)) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF && peek() == '\\' && i_ + 1 < text_.size() &&
            text_[i_ + 1] == 'u') {
          advance();
          advance();
          std::uint32_t low;
          if (!read_hex4(low)) return false;
          if (low >= 0xDC00 && low <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        if (out) append_utf8(*out, cp);
        continue;
      }
      if (!out) continue;
      switch (e) {
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 't': *out += '\t'; break;
        default: *out += e; break;  // '"', '\\', '/'
      }
    }
    return false;
  }

  // A number or a literal (true, false, null): everything up to a delimiter.
  bool scalar() {
    const std::size_t start = i_;
    while (!at_end() && !is_ws(peek()) && peek() != ',' && peek() != ']' && peek() != '}')
      advance();
    return i_ > start;
  }

  // path_ = the frame's pointer + "/" + token; whether it is still on the target's path.
  bool enter(const Frame& f) {
    path_.resize(f.base);
    path_ += '/';
    return f.on_target;
  }
  bool still_on_target(bool parent_on_target, std::size_t token_start) const {
    if (!parent_on_target || path_.size() > target_.size()) return false;
    const std::string_view added = std::string_view(path_).substr(token_start);
    return target_.substr(token_start, added.size()) == added &&
           (path_.size() == target_.size() || target_[path_.size()] == '/');
  }

  void element(Frame& f) {
    const bool parent = enter(f);
    const std::size_t start = f.base;
    path_ += std::to_string(f.count++);
    value_on_target_ = still_on_target(parent, start);
  }

  // At the start of an object member: records the key, leaves path_ at the member's
  // pointer and the scanner at the member's value.
  bool member(Frame& f) {
    skip_ws();
    if (peek() != '"') return false;
    const TextPos at = pos_;
    std::string key;
    if (!string(&key)) return false;
    const bool parent = enter(f);
    const std::size_t start = f.base;
    for (char c : key) {
      if (c == '~')
        path_ += "~0";
      else if (c == '/')
        path_ += "~1";
      else
        path_ += c;
    }
    value_on_target_ = still_on_target(parent, start);
    if (value_on_target_ && path_.size() == target_.size()) found_.key = at;
    if (find_duplicates_ && !f.keys.insert(key).second) {
      duplicate_ = PositionIndex::Duplicate{path_, key, at};
      return false;
    }
    skip_ws();
    if (peek() != ':') return false;
    advance();
    return true;
  }

  void scan() {
    std::vector<Frame> stack;
    value_on_target_ = !find_duplicates_;  // "" is a prefix of every target
    for (;;) {
      skip_ws();
      if (at_end()) return;
      if (want_value_) {
        if (value_on_target_) {
          found_.nearest = pos_;
          if (path_.size() == target_.size()) {
            found_.value = pos_;
            return;
          }
        }
        const char c = peek();
        if (c == '{' || c == '[') {
          advance();
          stack.push_back(Frame{c == '{', path_.size(), value_on_target_, 0, {}});
          skip_ws();
          if (peek() == (c == '{' ? '}' : ']')) {
            advance();
            stack.pop_back();
            want_value_ = false;
          } else if (c == '{') {
            if (!member(stack.back())) return;
          } else {
            element(stack.back());
          }
          continue;
        }
        if (!(c == '"' ? string(nullptr) : scalar())) return;
        want_value_ = false;
        continue;
      }
      if (stack.empty()) return;
      Frame& f = stack.back();
      const char c = peek();
      if (c == ',') {
        advance();
        if (f.object) {
          if (!member(f)) return;
        } else {
          element(f);
        }
        want_value_ = true;
      } else if (c == (f.object ? '}' : ']')) {
        advance();
        stack.pop_back();
      } else {
        return;
      }
    }
  }

  std::string_view text_;
  std::size_t i_ = 0;
  TextPos pos_;
  std::string path_;  // pointer of the value about to be scanned
  bool want_value_ = true;
  bool value_on_target_ = false;
  bool find_duplicates_ = false;
  std::string_view target_;
  Found found_;
  std::optional<PositionIndex::Duplicate> duplicate_;
};

}  // namespace

TextPos position_at_offset(std::string_view text, std::size_t offset) {
  TextPos p;
  const std::size_t end = offset < text.size() ? offset : text.size();
  for (std::size_t i = 0; i < end; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

PositionIndex PositionIndex::build(std::string_view text) {
  PositionIndex index;
  index.text_ = text;
  if (auto d = Scanner(text).first_duplicate()) index.duplicates_.push_back(std::move(*d));
  return index;
}

std::optional<TextPos> PositionIndex::value(const std::string& pointer) const {
  return Scanner(text_).lookup(pointer).value;
}

std::optional<TextPos> PositionIndex::key(const std::string& pointer) const {
  return Scanner(text_).lookup(pointer).key;
}

TextPos PositionIndex::nearest(const std::string& pointer) const { return Scanner(text_).lookup(pointer).nearest; }

}  // namespace aiomc::loader::detail
