#include "cli/completion.hpp"

namespace aiomc::cli {
namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// Every spelling of the options of `app` (long and short), and those that take a value.
void option_names(const CLI::App& app, std::vector<std::string>& all, std::vector<std::string>& valued) {
  for (const CLI::Option* o : app.get_options()) {
    if (!o->nonpositional()) continue;
    std::vector<std::string> names;
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
    for (const std::string& s : o->get_snames()) names.push_back("-" + s);
    for (const std::string& n : names) {
      all.push_back(n);
      if (o->get_items_expected_min() > 0) valued.push_back(n);
    }
  }
}

}  // namespace

std::string bash_completion(const CLI::App& app, const Choices& choices) {
  std::vector<std::string> top, top_valued, subs;
  option_names(app, top, top_valued);
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) subs.push_back(s->get_name());
  std::string out =
      "# bash completion for aiomc: generated from its option table by `aiomc --bash-completion`; do not edit.\n"
      "_aiomc() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} sub='' i opts valued words\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case ${COMP_WORDS[i]} in " + [&] {
        std::string alts;
        for (const std::string& s : subs) alts += (alts.empty() ? "" : "|") + s;
        return alts;
      }() + ") sub=${COMP_WORDS[i]}; break ;; esac\n"
      "  done\n"
      "  case $sub in\n"
      "    '') COMPREPLY=($(compgen -W '" + joined(subs) + " " + joined(top) + "' -- \"$cur\")); return ;;\n";
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
    std::vector<std::string> all, valued;
    option_names(*s, all, valued);
    const std::string name = s->get_name();
    out += "    " + name + ") opts='" + joined(all) + "'; valued='" + joined(valued) + "'\n";
    out += "      case $prev in\n";
    for (const std::string& v : valued) {
      const auto it = choices.find(name + " " + v);
      if (it != choices.end())
        out += "        " + v + ") COMPREPLY=($(compgen -W '" + joined(it->second) + "' -- \"$cur\")); return ;;\n";
    }
    out += "      esac\n";
    const auto words = choices.find(name);
    out += "      words='" + (words == choices.end() ? std::string() : joined(words->second)) + "' ;;\n";
  }
  out +=
      "  esac\n"
      "  if [[ \" $valued \" == *\" $prev \"* ]]; then COMPREPLY=($(compgen -f -- \"$cur\")); return; fi\n"
      "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); return; fi\n"
      "  if [[ -n $words ]]; then COMPREPLY=($(compgen -W \"$words\" -- \"$cur\")); return; fi\n"
      "  COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      "}\n"
      "complete -o filenames -o bashdefault -F _aiomc aiomc\n";
  return out;
}

}  // namespace aiomc::cli
