#include "report/files.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace aiomc::report {

std::string read_text_file(const std::string& path, std::string& text) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return path + ": cannot read: it is a directory";
  std::ifstream in(path, std::ios::binary);
  if (!in) return path + ": cannot read: " + std::strerror(errno);
  // At most 64 MiB: /dev/zero or a huge file is refused, not read forever.
  constexpr std::size_t kMax = std::size_t{64} << 20;
  text.clear();
  char chunk[65536];
  while (in && text.size() <= kMax) {
    in.read(chunk, sizeof chunk);
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return path + ": cannot read: I/O error";
  if (text.size() > kMax) return path + ": cannot read: larger than 64 MiB";
  return "";
}

std::string write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return path + ": cannot write: " + std::strerror(errno);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return path + ": cannot write: I/O error";
  return "";
}

}  // namespace aiomc::report

namespace aiomc::report {

std::string safe_file_component(const std::string& name) {
  std::string out;
  for (char ch : name) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                    ch == '.' || ch == '_' || ch == '-';
    out += ok ? ch : '_';
    if (out.size() == 100) break;
  }
  if (out.find_first_not_of('.') == std::string::npos) out = "_" + out;
  return out;
}

std::string printable(const std::string& text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      static const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace aiomc::report
