// A tiny JSON scanner whose only job is to remember where values and keys start.
// It runs after nlohmann has accepted the text, so it can stay simple; on malformed
// input it stops quietly (positions are a help for messages, never a verdict).
#include "loader/json_positions.hpp"

#include <cstdint>
#include <unordered_set>
#include <utility>

#include "loader/json_pointer.hpp"

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

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void run(std::unordered_map<std::string, TextPos>& values,
           std::unordered_map<std::string, TextPos>& keys,
           std::vector<PositionIndex::Duplicate>& duplicates) {
    values_ = &values;
    keys_ = &keys;
    duplicates_ = &duplicates;
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;  // a UTF-8 BOM, as nlohmann skips it
    scan();
  }

 private:
  struct Frame {
    bool object;
    std::string ptr;
    std::size_t count = 0;                // array: index of the next element
    std::unordered_set<std::string> keys;  // object: keys seen so far
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

  // At the start of an object member: records the key, leaves ptr at the member's
  // pointer and the scanner at the member's value.
  bool member(Frame& f, std::string& ptr) {
    skip_ws();
    if (peek() != '"') return false;
    const TextPos at = pos_;
    std::string key;
    if (!string(&key)) return false;
    ptr = pointer_child(f.ptr, key);
    if (!f.keys.insert(key).second) duplicates_->push_back({ptr, key, at});
    (*keys_)[ptr] = at;  // the DOM keeps the last occurrence; so do we
    skip_ws();
    if (peek() != ':') return false;
    advance();
    return true;
  }

  void scan() {
    std::vector<Frame> stack;
    std::string ptr;  // pointer of the value about to be scanned
    bool want_value = true;
    for (;;) {
      skip_ws();
      if (at_end()) return;
      if (want_value) {
        (*values_)[ptr] = pos_;
        const char c = peek();
        if (c == '{' || c == '[') {
          advance();
          stack.push_back(Frame{c == '{', ptr, 0, {}});
          skip_ws();
          if (peek() == (c == '{' ? '}' : ']')) {
            advance();
            stack.pop_back();
            want_value = false;
          } else if (c == '{') {
            if (!member(stack.back(), ptr)) return;
          } else {
            ptr = pointer_child(stack.back().ptr, stack.back().count++);
          }
          continue;
        }
        if (!(c == '"' ? string(nullptr) : scalar())) return;
        want_value = false;
        continue;
      }
      if (stack.empty()) return;
      Frame& f = stack.back();
      const char c = peek();
      if (c == ',') {
        advance();
        if (f.object) {
          if (!member(f, ptr)) return;
        } else {
          ptr = pointer_child(f.ptr, f.count++);
        }
        want_value = true;
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
  std::unordered_map<std::string, TextPos>* values_ = nullptr;
  std::unordered_map<std::string, TextPos>* keys_ = nullptr;
  std::vector<PositionIndex::Duplicate>* duplicates_ = nullptr;
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
  Scanner(text).run(index.values_, index.keys_, index.duplicates_);
  return index;
}

const TextPos* PositionIndex::value(const std::string& pointer) const {
  const auto it = values_.find(pointer);
  return it == values_.end() ? nullptr : &it->second;
}

const TextPos* PositionIndex::key(const std::string& pointer) const {
  const auto it = keys_.find(pointer);
  return it == keys_.end() ? nullptr : &it->second;
}

TextPos PositionIndex::nearest(const std::string& pointer) const {
  std::string p = pointer;
  for (;;) {
    if (const TextPos* at = value(p)) return *at;
    const auto slash = p.rfind('/');
    if (slash == std::string::npos) return TextPos{};
    p.resize(slash);
  }
}

}  // namespace aiomc::loader::detail
