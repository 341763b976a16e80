// Whole-file reads and writes for the commands; errors come back as messages.
#pragma once

#include <string>

namespace aiomc::report {

// Returns "" on success, otherwise "PATH: cannot read: why".
std::string read_text_file(const std::string& path, std::string& text);
// Creates or replaces the file. Returns "" on success, otherwise "PATH: cannot write: why".
std::string write_text_file(const std::string& path, const std::string& text);

}  // namespace aiomc::report
