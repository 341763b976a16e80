// kldload / kldunload of the aio module (aio_onload / aio_unload, §B.3.15) and of
// the Linux emulation's module.
#include "model/kernel.hpp"

namespace aiomc::model {

bool Kernel::sys_kld(const Op& op) {
  bool load = op.kind == OpKind::kldload;
  if (op.module == "linuxaio") return kld_linuxaio(load);
  return load ? kld_aio_onload() : kld_aio_unload();
}

// kldload/kldunload linuxaio: linux_aio_modevent.
bool Kernel::kld_linuxaio(bool load) {
  act(load ? StepName("kldload:linuxaio") : StepName("kldunload:linuxaio"));
  std::uint8_t& loaded = linuxaio_loaded();
  // linux_aio_modload's MOD_UNLOAD: EBUSY while the context list is not empty.
  bool contexts = !lx().list.empty();
  if (load && loaded) {
    finish_op(err::eexist, 0, kRetNumber);
  } else if (!load && !loaded) {
    finish_op(err::enoent, 0, kRetNumber);
  } else if (!load && contexts) {
    note("a Linux AIO context exists");  // linux_aio_modevent: EBUSY
    finish_op(err::ebusy, 0, kRetNumber);
  } else {
    loaded = load ? 1 : 0;
    // Unloading drops the link step's reference on the aio linker file.
    if (!load) lx().linked = 0;
    finish_op(0, 0, kRetNumber);
  }
  return true;
}

// kldload aio: aio_onload.
bool Kernel::kld_aio_onload() {
  act("kldload:aio_onload");
  if (aio_loaded()) {
    finish_op(err::eexist, 0, kRetNumber);
    return true;
  }
  if (!cfg.aio_loadable) {
    finish_op(err::enoent, 0, kRetNumber);
    return true;
  }
  aio_loaded() = 1;
  // aio_onload: kqueue_add_filteropts for EVFILT_AIO and EVFILT_LIO. An occupied
  // slot gives EEXIST, which aio_onload discards: F20's stale EVFILT_LIO stays.
  if (evfilt_aio_ops() == FOPS_NULL) evfilt_aio_ops() = FOPS_AIO;
  if (evfilt_lio_ops() == FOPS_NULL) evfilt_lio_ops() = FOPS_AIO;
  finish_op(0, 0, kRetNumber);
  return true;
}

// kldunload aio: aio_unload and the filterops it deletes.
bool Kernel::kld_aio_unload() {
  act("kldunload:aio_unload");
  if (!aio_loaded()) {
    finish_op(err::enoent, 0, kRetNumber);
    return true;
  }
  if (lx().linked) {  // S25: the emulation's linker_reference_module holds the file
    note("linuxaio holds a reference on aio");
    finish_op(err::ebusy, 0, kRetNumber);
    return true;
  }
  if (!cfg.unloadable) {  // "no unloads by default, it's too dangerous"
    finish_op(err::eopnotsupp, 0, kRetNumber);
    return true;
  }
  // kqueue_del_filteropts: EINVAL for a slot that holds null_filtops, EBUSY while a
  // knote uses the filter. 1.220's aio_unload deletes EVFILT_AIO first and returns at
  // the first error, so a busy EVFILT_LIO leaves EVFILT_AIO deleted and the module
  // loaded (and a second unload then gets EINVAL).
  auto in_use = [&](std::uint8_t filter) {
    for (const Knote& k : s.knotes)
      if (k.live && k.filter == filter) return true;
    return false;
  };
  auto del_filteropts = [&](std::uint8_t filter, std::uint8_t& ops) {
    if (ops == FOPS_NULL) return err::einval;
    if (in_use(filter)) return err::ebusy;
    ops = FOPS_NULL;
    return 0;
  };
  if (int e = del_filteropts(kFilterAio, evfilt_aio_ops())) {
    finish_op(e, 0, kRetNumber);
    return true;
  }
  if (variant(Variant::unload_leftovers)) {
    // F20: VX1's aio_unload never removes EVFILT_LIO; its filterops now point into
    // the unloaded module.
    if (evfilt_lio_ops() == FOPS_AIO) evfilt_lio_ops() = FOPS_STALE;
  } else if (!variant(Variant::pre_vx1)) {  // no EVFILT_LIO before 6.1
    if (int e = del_filteropts(kFilterLio, evfilt_lio_ops())) {
      note("EVFILT_AIO already deleted");
      finish_op(e, 0, kRetNumber);
      return true;
    }
  }
  aio_loaded() = 0;
  finish_op(0, 0, kRetNumber);
  return true;
}

}  // namespace aiomc::model
