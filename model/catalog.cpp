// The stable ids: invariants, bug variants and era presets (invariants-and-variants.md).
#include <stdexcept>

#include "model/config.hpp"
#include "model/invariants.hpp"

namespace aiomc::model {

const std::vector<InvInfo>& invariant_catalog() {
  static const std::vector<InvInfo> cat = {
      {Inv::op_expect, "op-expect", "safety", "every op's expect in the scenario holds", true},
      {Inv::queue_state, "queue-state", "safety", "each live job is on exactly the queues its state dictates; every live job on kaio_all", true},
      {Inv::free_once, "free-once", "safety", "a job/LIO/knote is freed once; nothing refers to it afterwards", true},
      {Inv::counts, "counts", "safety", "kaio_count, kaio_buffer_count, num_queue_count, kaio_active_count, LIO counters equal what they count", true},
      {Inv::result_final, "result-final", "safety", "a finished job's status/error never change; a job is reaped at most once", true},
      {Inv::quota, "quota", "safety", "daemons + reservations <= max_aio_procs; kaio_active_count <= kaio_maxactive_count", true},
      {Inv::notify_after_done, "notify-after-done", "safety", "a job/LIO notification only after the job (all members) is FINISHED on the done queue", true},
      {Inv::lio_notify_exact, "lio-notify-exact", "safety", "an LIO's completion notification fires exactly once, after every member finished and submission ended", true},
      {Inv::notify_kind, "notify-kind", "safety", "signals only for signal/thread_id sigevents, with their own number", true},
      {Inv::rundown_silent, "rundown-silent", "safety", "no signal or kevent for a process's jobs after KAIO_RUNDOWN is set", true},
      {Inv::signal_pending_once, "signal-pending-once", "safety", "at most one pending ksiginfo per job/LIO; freeing removes it", true},
      {Inv::no_stale_kevent, "no-stale-kevent", "safety", "no knote refers to a freed job/LIO; no event is delivered for a freed job", true},
      {Inv::kevent_delivered, "kevent-delivered", "safety, at quiescence", "every finished, un-reaped kevent job has exactly one retrievable EVFILT_AIO event", true},
      {Inv::knote_influx_exclusive, "knote-influx-exclusive", "safety", "only the thread that set KN_INFLUX changes or frees the knote", true},
      {Inv::knote_single_drop, "knote-single-drop", "safety", "knote_drop runs once per knote", true},
      {Inv::knote_detach_consistent, "knote-detach-consistent", "safety", "KN_DETACHED iff on no knlist", true},
      {Inv::knote_queue_consistent, "knote-queue-consistent", "safety", "KN_QUEUED iff on kq_head; kq_count equals the queued knotes", true},
      {Inv::lock_order, "lock-order", "safety", "knlist lock before kq lock; P -> JM never reversed", true},
      {Inv::no_sleep_holding_mutex, "no-sleep-holding-mutex", "safety", "no thread sleeps holding a non-sleepable mutex", true},
      {Inv::bdone_last, "bdone-last", "safety", "the top half treats a fast-path job as done only after the completion callback finished with it", true},
      {Inv::raw_io_size, "raw-io-size", "safety", "no bio larger than the device's max_io (or MAXPHYS) reaches the driver", true},
      {Inv::no_deadlock, "no-deadlock", "safety", "never a state where a user thread is blocked and nothing can run or complete", true},
      {Inv::no_panic, "no-panic", "safety", "no modelled kernel panic (NULL dereference, SLIST removal of an absent element, LIO job not cleaned up)", true},
      {Inv::linux_ctx_ring, "linux-ctx-ring", "safety", "a live context id is a ring with magic 0xa10a10a1 and head != tail", true},
      {Inv::linux_reap_once, "linux-reap-once", "safety", "each native job created by io_submit is reaped exactly once", true},
      {Inv::linux_error_sign, "linux-error-sign", "safety", "io_event.res is negative iff the request failed", true},
      {Inv::linux_enosys, "linux-enosys", "safety", "with native AIO unavailable every io_* call returns ENOSYS and changes nothing", true},
      {Inv::linux_ctx_list, "linux-ctx-list", "safety", "linux_aio_context_list holds every live context not yet taken off it, once, and nothing else", true},
      {Inv::job_completes, "job-completes", "liveness", "every accepted job eventually finishes", true},
      {Inv::waiter_returns, "waiter-returns", "liveness", "aio_suspend, aio_waitcomplete, lio_listio(wait), io_getevents eventually return", true},
      {Inv::exit_completes, "exit-completes", "liveness", "a process that exits or execs with AIO outstanding eventually completes rundown", true},
  };
  return cat;
}

std::string_view inv_name(Inv i) { return invariant_catalog()[static_cast<std::size_t>(i)].name; }

std::optional<Inv> inv_from_name(std::string_view name) {
  for (const InvInfo& i : invariant_catalog())
    if (i.name == name) return i.id;
  return std::nullopt;
}

const std::vector<VariantInfo>& variant_catalog() {
  static const std::vector<VariantInfo> cat = {
#define AIOMC_VARIANT(id, name, fnumber, history, invariant, summary, steps, modelled) \
  {Variant::id, name, fnumber, history, invariant, summary, steps, modelled},
#include "model/variants.def"
#undef AIOMC_VARIANT
  };
  return cat;
}

const std::vector<RetiredVariant>& retired_variants() {
  static const std::vector<RetiredVariant> cat = {
      {"lio-member-notification", "F7",
       "per-member notification is correct POSIX behaviour in every version read (semantics.md S7)"},
      {"cleardel-iterator-uaf", "F10",
       "needs two knotes on one job or LIO knlist, and no path makes one: kern_kevent clears EV_SYSFLAGS "
       "(EV_FLAG1 included) from every user change, so only aio_aqueue and lio_listio attach AIO/LIO knotes, "
       "one per knlist, and knlist_delete is called only from vfs_aio.c (semantics.md S23, S25)"},
  };
  return cat;
}

const VariantInfo& variant_info(Variant v) { return variant_catalog()[static_cast<std::size_t>(v)]; }

const std::vector<EraInfo>& era_catalog() {
  using V = Variant;
  static const std::vector<EraInfo> cat = {
      {"freebsd-5.2", "Jan 2004, V52",
       {V::lio_count_so_far, V::lio_split_path_check, V::notify_before_done, V::bdone_before_iodone,
        V::kaio_wakeup_unlocked, V::cancel_no_notify, V::waitcomplete_needs_init, V::raw_oversize,
        V::slist_empty_remove, V::giant, V::pre_vx1},
       "5.2 vfs_aio.c/vfs_bio.c: Giant in the AIO syscalls and the daemon loop, and around bufdone with "
       "aio_physwakeup (no taskqueue); split LIO counters with process_signal on softclock; lio_listio's "
       "tail and LIO_WAIT loop by job reference; LIOJ_SIGNAL from any valid signo, the daemon posting it "
       "without a kind check, process_signal only for SIGEV_SIGNAL; psignal bits; rundown waits on "
       "\"aioprn\" for kaio_bufqueue and frees queued jobs silently; no EVFILT_LIO",
       {V::kaio_wakeup_unlocked, V::bdone_before_iodone},
       "every KAIO_WAKEUP waiter and completer holds Giant; bufdonebio holds Giant from B_DONE through "
       "aio_physwakeup, and rundown never frees an in-flight fast-path job"},
      {"freebsd-5.3", "late 2004, V53",
       {V::knlist_clear_stale_knote, V::lio_count_so_far, V::notify_before_done, V::kaio_wakeup_unlocked,
        V::cancel_no_notify, V::waitcomplete_needs_init, V::raw_oversize, V::slist_empty_remove,
        V::kqclose_influx_double_drop, V::giant, V::pre_vx1},
       "no readable source: its list plus Giant and the pre-6.1 switch (V6b's behaviour before 6.1)",
       {V::kaio_wakeup_unlocked},
       "every KAIO_WAKEUP waiter and completer holds Giant"},
      {"freebsd-6.0", "mid 2005, V6b",
       {V::lio_count_so_far, V::notify_before_done, V::kevent_job_sigill, V::sigev_none_signalled,
        V::kaio_wakeup_unlocked, V::cancel_no_notify, V::socket_lio_member_uncounted, V::waitcomplete_needs_init,
        V::qphysio_error_leak, V::raw_oversize, V::kqclose_influx_double_drop, V::giant, V::pre_vx1},
       "vfs_aio.c 1.195.2.4: Giant in the AIO syscalls (not MP-safe), the whole daemon loop and "
       "aio_physwakeup (no taskqueue); lio_listio's tail and LIO_WAIT loop by job reference; LIOJ_SIGNAL "
       "from any valid signo; aio_cancel's socket branch (no owner check, wakes KAIO_WAKEUP waiters); "
       "SIGEV_THREAD_ID accepted, never notified; psignal bits; completions during rundown notify; no "
       "EVFILT_LIO",
       {V::kaio_wakeup_unlocked},
       "every KAIO_WAKEUP waiter (aio_suspend, aio_waitcomplete, lio_listio) and completer (the daemon "
       "loop, aio_physwakeup) holds Giant"},
      {"freebsd-6.1-pre", "early 2006, VX1",
       {V::newproc_resv_leak, V::rundown_notifies, V::unload_leftovers, V::kqclose_influx_double_drop},
       "its list on the 2006 model (no era-only switch)", {}, ""},
  };
  return cat;
}

const std::vector<VariantPieces>& variant_pieces() {
  using V = Variant;
  static const std::vector<VariantPieces> pieces = {
      {V::timeout_after_free, {V::lio_split_path_check},
       "V52's aio_physwakeup defers the LIO signal to timeout(process_signal) (5.2 vfs_aio.c:2155-2162) before "
       "the job's own timeout overwrites the handle (:2183-2184); that deferral is lio-split-path-check's code"},
  };
  return pieces;
}

bool resolve_variant_id(std::string_view id, VariantSet& out) {
  if (id == "fixed") return true;
  for (const VariantInfo& v : variant_catalog())
    if (v.name == id && v.id != Variant::giant && v.id != Variant::pre_vx1) {
      out.add(v.id);
      for (const VariantPieces& p : variant_pieces())
        if (p.id == v.id)
          for (Variant b : p.brings) out.add(b);
      return true;
    }
  for (const EraInfo& e : era_catalog())
    if (e.name == id) {
      for (Variant v : e.members) out.add(v);
      return true;
    }
  return false;
}

}  // namespace aiomc::model
