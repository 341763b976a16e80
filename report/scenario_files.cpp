#include "report/scenario_files.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include <nlohmann/json.hpp>

#include "report/files.hpp"

namespace aiomc::report {
namespace fs = std::filesystem;

namespace {

std::string expand_directory(const std::string& dir, std::vector<ScenarioInput>& files) {
  std::vector<std::string> found;
  std::error_code ec;
  // Symbolic links are followed, but each directory and file is taken once (by its
  // canonical path): a link back to an ancestor is no loop.
  std::set<fs::path> dirs_seen, files_seen;
  dirs_seen.insert(fs::weakly_canonical(dir, ec));
  fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec)) {
      if (!dirs_seen.insert(fs::weakly_canonical(it->path(), type_ec)).second) it.disable_recursion_pending();
      continue;
    }
    if (it->path().extension() == ".json" && it->is_regular_file(type_ec) &&
        files_seen.insert(fs::weakly_canonical(it->path(), type_ec)).second)
      found.push_back(it->path().generic_string());
  }
  if (ec) return dir + ": cannot read the directory: " + ec.message();
  if (found.empty()) return dir + ": no *.json scenario below this directory";
  std::sort(found.begin(), found.end());
  for (std::string& f : found) files.push_back({std::move(f), true, ""});
  return "";
}

}  // namespace

std::vector<ScenarioInput> expand_scenario_inputs(const std::vector<std::string>& inputs) {
  std::vector<ScenarioInput> files;
  for (const std::string& input : inputs) {
    std::error_code ec;
    const fs::file_status st = fs::status(input, ec);
    if (ec || !fs::exists(st)) {
      files.push_back({input, false, input + ": cannot read: no such file or directory"});
    } else if (fs::is_directory(st)) {
      const std::string err = expand_directory(input, files);
      if (!err.empty()) files.push_back({input, false, err});
    } else {
      files.push_back({input, false, ""});
    }
  }
  return files;
}

std::string other_aiomc_format(const std::string& path) {
  std::string text;
  if (!read_text_file(path, text).empty()) return "";
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return "";
  const auto f = doc.find("format");
  if (f == doc.end() || !f->is_string()) return "";
  const std::string& format = f->get_ref<const std::string&>();
  for (const char* other : {"aiomc-report/1", "aiomc-trace/1", "aiomc-order/1"})
    if (format == other) return format;
  return "";
}

}  // namespace aiomc::report
