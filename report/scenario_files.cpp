#include "report/scenario_files.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace aiomc::report {
namespace fs = std::filesystem;

namespace {

std::string expand_directory(const std::string& dir, std::vector<std::string>& files) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().extension() == ".json" && it->is_regular_file(type_ec))
      found.push_back(it->path().generic_string());
  }
  if (ec) return dir + ": cannot read the directory: " + ec.message();
  if (found.empty()) return dir + ": no *.json scenario below this directory";
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return "";
}

}  // namespace

std::string expand_scenario_inputs(const std::vector<std::string>& inputs,
                                   std::vector<std::string>& files) {
  for (const std::string& input : inputs) {
    std::error_code ec;
    const fs::file_status st = fs::status(input, ec);
    if (ec || !fs::exists(st)) return input + ": cannot read: no such file or directory";
    if (fs::is_directory(st)) {
      const std::string err = expand_directory(input, files);
      if (!err.empty()) return err;
    } else {
      files.push_back(input);
    }
  }
  return "";
}

}  // namespace aiomc::report
