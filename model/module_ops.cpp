// kldload / kldunload of the aio module (aio_onload / aio_unload, §B.3.15) and of
// the Linux emulation's module.
#include "model/kernel.hpp"

namespace aiomc::model {

bool Kernel::sys_kld(const Op& op) {
  bool load = op.kind == OpKind::kldload;
  if (op.module == "linuxaio") {
    act(load ? "kldload:linuxaio" : "kldunload:linuxaio");
    std::uint8_t& loaded = s.linuxaio_loaded;
    if (load && loaded) {
      finish_op(err::eexist, 0, kRetNumber);
    } else if (!load && !loaded) {
      finish_op(err::enoent, 0, kRetNumber);
    } else {
      loaded = load ? 1 : 0;
      finish_op(0, 0, kRetNumber);
    }
    return true;
  }
  if (load) {
    act("kldload:aio_onload");
    if (s.aio_loaded) {
      finish_op(err::eexist, 0, kRetNumber);
      return true;
    }
    if (!cfg.aio_loadable) {
      finish_op(err::enoent, 0, kRetNumber);
      return true;
    }
    s.aio_loaded = 1;  // filterops EVFILT_AIO and EVFILT_LIO registered
    s.lio_filter_left = 0;
    finish_op(0, 0, kRetNumber);
    return true;
  }
  act("kldunload:aio_unload");
  if (!s.aio_loaded) {
    finish_op(err::enoent, 0, kRetNumber);
    return true;
  }
  if (!cfg.unloadable) {  // "no unloads by default, it's too dangerous"
    finish_op(err::eopnotsupp, 0, kRetNumber);
    return true;
  }
  // kqueue_del_filteropts fails while a knote uses the filter.
  auto in_use = [&](std::uint8_t filter) {
    for (const Knote& k : s.knotes)
      if (k.live && k.filter == filter) return true;
    return false;
  };
  if (in_use(kFilterAio)) {
    finish_op(err::ebusy, 0, kRetNumber);
    return true;
  }
  // `unload-leftovers` (F20): VX1 never removed EVFILT_LIO. (When EVFILT_LIO is in
  // use, 1.220 fails with EVFILT_AIO already removed; the model refuses before
  // removing anything.)
  if (cfg.variants.has(Variant::unload_leftovers)) {
    s.lio_filter_left = 1;
  } else if (in_use(kFilterLio)) {
    finish_op(err::ebusy, 0, kRetNumber);
    return true;
  }
  s.aio_loaded = 0;
  finish_op(0, 0, kRetNumber);
  return true;
}

}  // namespace aiomc::model
