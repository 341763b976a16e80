#include "report/html_view.hpp"

namespace aiomc::report {
namespace {

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A lock held across steps, from the state diff: "app.p_mtx", "aio_job_mtx", "giant".
bool is_lock_field(const std::string& path) {
  return path == "aio_job_mtx" || path == "giant" || path == "Giant" ||
         (path.size() > 6 && path.compare(path.size() - 6, 6, ".p_mtx") == 0);
}

const char* kStyle = R"(
body{font-family:sans-serif;font-size:13px;margin:16px}
table.msc{border-collapse:collapse}
table.msc th{position:sticky;top:0;background:#fff;padding:4px 10px;border-bottom:2px solid #333}
table.msc td{padding:2px 10px;vertical-align:top}
td.lifeline{border-left:2px dashed #bbb;min-width:180px}
td.idx{color:#666;text-align:right}
div.step{border:1px solid #777;border-radius:4px;padding:2px 6px;background:#f4f4f4;cursor:pointer;display:inline-block}
tr.grey div.step{opacity:.35}
tr.slice div.step{border:2px solid #1560bd;background:#e6f0ff;font-weight:bold}
tr.violation div.step{border:3px solid #c00;background:#ffe0e0}
span.lock{display:inline-block;width:6px;height:18px;margin-right:4px;vertical-align:middle;background:#e69500}
div.diff{display:none;font-family:monospace;white-space:pre;color:#333;margin-top:3px}
div.step.open div.diff{display:block}
td.detail{color:#444}
div.arrow-mid{border-top:2px dashed #2a6ebb;height:0;margin-top:4px}
div.arrow-head{color:#2a6ebb;font-size:small;white-space:nowrap}
span.zz{color:#2a6ebb;font-size:small;margin-left:4px}
p.violation{color:#c00;font-weight:bold}
)";

const char* kScript = R"(
document.querySelectorAll('div.step').forEach(function(b){b.addEventListener('click',function(){b.classList.toggle('open');});});
document.body.setAttribute('data-rendered-steps', document.querySelectorAll('div.step').length);
document.body.setAttribute('data-rendered-lifelines', document.querySelectorAll('th.actor').length);
document.body.setAttribute('data-rendered-wakeups', document.querySelectorAll('div.arrow-head').length);
document.body.setAttribute('data-rendered-sleeps', document.querySelectorAll('div.step.sleeps').length);
)";

}  // namespace

std::string html_view(const HtmlViewInput& in) {
  std::string h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + esc(in.title) +
                  "</title><style>" + kStyle + "</style></head><body>\n";
  h += "<h1>" + esc(in.title) + "</h1>\n";
  std::size_t nslice = 0;
  for (bool b : in.slice) nslice += b ? 1 : 0;
  h += "<p id=\"summary\" data-steps=\"" + std::to_string(in.steps.size()) + "\" data-slice=\"" + std::to_string(nslice) +
       "\">" + std::to_string(in.steps.size()) + " steps; the causal slice (" + std::to_string(nslice) +
       " steps) is emphasised, the other steps greyed; click a step for its state diff.</p>\n";
  if (!in.violation.empty())
    h += "<p class=\"violation\" id=\"violation-text\">✗ " + esc(in.violation) +
         (in.violation_step >= static_cast<int>(in.steps.size()) ? " (in the final state)" : "") + "</p>\n";
  h += "<table class=\"msc\"><thead><tr><th>#</th>";
  for (std::size_t a = 0; a < in.actors.size(); ++a)
    h += "<th class=\"actor\" data-lifeline=\"" + std::to_string(a) + "\">" + esc(in.actors[a]) + "</th>";
  h += "<th>detail</th></tr></thead><tbody>\n";
  // Lock holders across steps, per lock field, to draw hold bars on the holder's lifeline.
  std::vector<std::pair<std::string, std::string>> held;  // lock -> holder actor name
  for (std::size_t i = 0; i < in.steps.size(); ++i) {
    const SequenceStep& s = in.steps[i];
    for (const FieldChange& c : s.changes) {
      if (!is_lock_field(c.path)) continue;
      std::erase_if(held, [&](const auto& p) { return p.first == c.path; });
      if (c.kind != FieldChange::Kind::removed) held.emplace_back(c.path, c.after);
    }
    std::string cls = in.slice.empty() ? "" : (i < in.slice.size() && in.slice[i] ? "slice" : "grey");
    if (static_cast<int>(i) == in.violation_step) cls += " violation";
    h += "<tr class=\"row " + cls + "\" data-step=\"" + std::to_string(i) + "\"><td class=\"idx\">" + std::to_string(i) +
         "</td>";
    // Wakeups: an arrow from this step's lifeline to each woken actor's.
    const int from = in.columns[i];
    std::vector<int> to;
    for (int actor : s.info.woke)
      if (actor >= 0 && static_cast<std::size_t>(actor) < in.actor_column.size() &&
          in.actor_column[static_cast<std::size_t>(actor)] >= 0)
        to.push_back(in.actor_column[static_cast<std::size_t>(actor)]);
    for (std::size_t a = 0; a < in.actors.size(); ++a) {
      const int col = static_cast<int>(a);
      h += "<td class=\"lifeline\">";
      for (int t : to) {
        if (t == col && t != from)
          h += std::string("<div class=\"arrow-head\" title=\"wakeup\">") + (t > from ? "──▶ woken" : "woken ◀──") +
               "</div>";
        else if (col != from && col != t && (col - from) * (col - t) < 0)
          h += "<div class=\"arrow-mid\"></div>";
      }
      for (const auto& [lock, holder] : held)
        if (holder == in.actors[a]) h += "<span class=\"lock\" title=\"" + esc(lock) + " held by " + esc(holder) + "\"></span>";
      if (static_cast<int>(a) == in.columns[i]) {
        h += std::string("<div class=\"step") + (s.info.slept ? " sleeps" : "") + "\" data-action=\"" + esc(s.info.action) +
             "\">" + esc(s.info.action) + (s.info.slept ? "<span class=\"zz\" title=\"sleeps\">zz</span>" : "") +
             "<div class=\"diff\">";
        for (const FieldChange& c : s.changes) h += esc(format_change(c)) + "\n";
        h += "</div></div>";
      }
      h += "</td>";
    }
    h += "<td class=\"detail\">" + esc(s.info.detail) + "</td></tr>\n";
  }
  h += "</tbody></table>\n<script>" + std::string(kScript) + "</script>\n</body></html>\n";
  return h;
}

}  // namespace aiomc::report
