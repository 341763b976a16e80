// What GEOM does with a bio on a raw disk (g_io_check, then the driver): the answer
// both the physio fast path and a daemon's physio get (semantics.md S24, replacing
// S17's "past the end fails").
#pragma once

#include <algorithm>
#include <cstdint>

#include "model/names.hpp"
#include "model/program.hpp"

namespace aiomc::model {

struct GeomResult {
  std::int16_t error = 0;
  std::int64_t bytes = 0;  // transferred: the request, truncated at the end of the media
};

// g_io_check: an offset or a length off the sector boundary is EINVAL (aio_qphysio
// tests only the length, so a misaligned offset reaches GEOM); an offset beyond the
// end is EIO; one exactly at the end transfers 0 bytes; a request that crosses the
// end is truncated to the media (a short count).
inline GeomResult geom_io(const Object& o, std::int64_t offset, std::int64_t nbytes) {
  GeomResult r;
  if (o.sector_size > 0 && (offset % o.sector_size != 0 || nbytes % o.sector_size != 0)) {
    r.error = err::einval;
    return r;
  }
  if (offset < 0 || offset > o.size) {
    r.error = err::eio;
    return r;
  }
  r.bytes = std::min(nbytes, o.size - offset);
  return r;
}

}  // namespace aiomc::model
