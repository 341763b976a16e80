// Whole-file reads and writes for the commands; errors come back as messages.
#pragma once

#include <string>

namespace aiomc::report {

// Returns "" on success, otherwise "PATH: cannot read: why".
std::string read_text_file(const std::string& path, std::string& text);
// Creates or replaces the file. Returns "" on success, otherwise "PATH: cannot write: why".
std::string write_text_file(const std::string& path, const std::string& text);

}  // namespace aiomc::report

namespace aiomc::report {

// A name made safe as one path component: every byte outside [A-Za-z0-9._-] becomes
// '_', a name of dots only (".", "..") or an empty one gets a leading '_', and the
// result is at most 100 bytes. It can never name another directory.
std::string safe_file_component(const std::string& name);

// Text for a terminal: control characters (and DEL) written as \u00XX.
std::string printable(const std::string& text);

}  // namespace aiomc::report
