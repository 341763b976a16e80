// "objects": name -> {type, fields of that type, latency_ticks}. The file order is the
// descriptor order (3, 4, ...; S9), which ordered_json keeps.
#include <limits>

#include "loader/capacity.hpp"
#include "model/state.hpp"
#include "loader/sections.hpp"

namespace aiomc::loader::detail {
namespace {

struct TypeSpec {
  std::string_view name;
  model::ObjType type;
  std::vector<std::string_view> keys;  // "type" and "latency_ticks" included
};

const std::vector<TypeSpec>& type_table() {
  static const std::vector<TypeSpec> table = {
      {"raw_disk", model::ObjType::raw_disk, {"type", "latency_ticks", "sector_size", "max_io", "size", "gone"}},
      {"file", model::ObjType::file, {"type", "latency_ticks", "size", "content"}},
      {"socket", model::ObjType::socket, {"type", "latency_ticks", "readable", "writable"}},
      {"pipe", model::ObjType::pipe, {"type", "latency_ticks", "readable"}},
  };
  return table;
}

std::string_view type_name(model::ObjType t) {
  for (const auto& spec : type_table())
    if (spec.type == t) return spec.name;
  return "?";
}

// latency_ticks: [min, max] with 0 <= min <= max (default [1, 10]).
void read_latency(const Reader& r, const Node& n, model::Object& o) {
  if (!n->is_array() || n->size() != 2) r.mismatch(n, "[min, max] (two tick counts)");
  o.latency_min = r.integer(n.at(0), 0, kMaxLatencyTicks);
  o.latency_max = r.integer(n.at(1), 0, kMaxLatencyTicks);
  if (o.latency_min > o.latency_max)
    r.fail(n.ptr, "expected [min, max] with min <= max, found [" + std::to_string(o.latency_min) + ", " +
                      std::to_string(o.latency_max) + "]");
}

model::Object read_object(const Reader& r, const Node& n, const std::string& name) {
  if (!n->is_object()) r.mismatch(n, "an object description (a JSON object)");
  const Node type = r.required(n, "type", "an object");
  const TypeSpec* spec = nullptr;
  for (const auto& t : type_table())
    if (type->is_string() && t.name == type->get_ref<const std::string&>()) spec = &t;
  if (!spec) r.mismatch(type, "an object type (raw_disk, file, socket, pipe)");
  // The model refuses what it cannot run yet (program.hpp, object_supported).
  if (!model::object_supported(spec->type))
    r.fail(n.ptr, "object type '" + std::string(spec->name) + "' is not supported yet");
  r.object(n, "a " + std::string(spec->name) + " object", spec->keys);  // other types' fields are errors

  model::Object o;
  o.name = name;
  o.type = spec->type;
  // 32-bit in the model, like offsets and nbytes: larger values are refused.
  if (Node v = n.get("sector_size")) o.sector_size = r.integer(v, 1, kMaxInt32);
  if (Node v = n.get("max_io")) o.max_io = r.integer(v, 1, kMaxInt32);
  if (Node v = n.get("size")) o.size = r.integer(v, 0, kMaxInt32);
  if (Node v = n.get("content")) o.content = r.string(v);
  if (Node v = n.get("readable")) o.readable = r.boolean(v);
  if (Node v = n.get("writable")) o.writable = r.boolean(v);
  if (Node v = n.get("gone")) o.gone = r.boolean(v);  // extension: the device went away
  if (Node v = n.get("latency_ticks")) read_latency(r, v, o);
  return o;
}

}  // namespace

std::vector<model::Object> read_objects(const Reader& r, const Node& n, std::vector<std::string>& warnings) {
  std::vector<model::Object> out;
  if (!n) return out;
  if (!n->is_object()) r.mismatch(n, "a map from object names to objects (a JSON object)");
  if (n->size() > static_cast<std::size_t>(model::kMaxObjects)) {
    auto it = n->begin();
    std::advance(it, model::kMaxObjects);
    r.fail_at_key(n.get(it.key()).ptr, capacity_text(model::kMaxObjects, "objects", n->size()));
  }
  // Duplicate names were refused already, from the text (the DOM merges them).
  for (auto it = n->begin(); it != n->end(); ++it) {
    const Node child = n.get(it.key());
    if (it.key().empty()) r.fail_at_key(child.ptr, "expected a non-empty object name, found \"\"");
    for (char c : it.key())
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
        r.fail_at_key(child.ptr, "expected an object name without control characters");
    out.push_back(read_object(r, child, it.key()));
    // Only bios wait for a disk: a daemon's file or socket I/O takes no simulated time.
    if (out.back().type != model::ObjType::raw_disk && child->contains("latency_ticks"))
      warnings.push_back(r.warning(pointer_child(child.ptr, "latency_ticks"),
                                   "latency_ticks has no effect on a " + std::string(type_name(out.back().type)) +
                                       " (only raw disks have bios that wait)"));
  }
  return out;
}

}  // namespace aiomc::loader::detail
