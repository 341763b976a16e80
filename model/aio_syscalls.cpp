// aio_error, aio_return, aio_suspend, aio_cancel, aio_waitcomplete (§B.3.7–B.3.12).
#include "model/kernel.hpp"

namespace aiomc::model {

bool Kernel::sys_aio_error(const Op& op) {
  if (nosys()) return true;
  int e = 0, v = 0;
  if (aio_error_core(th().proc, op.job, &e, &v) == Sub::blocked) return false;
  if (e)
    finish_op(e, 0, kRetNumber);
  else
    finish_op(0, v, kRetErrno);
  return true;
}

// aio_error for the user aiocb `name`: one step. *err is a syscall errno (only
// before 6.1, S24), else *value is the value aio_error returns.
Kernel::Sub Kernel::aio_error_core(int p, int name, int* err, int* value) {
  Proc& pr = s.procs[p];
  *err = 0;
  if (!pr.has_aioinfo) {
    act("aio_error:no_kaioinfo");
    // Before 6.1 this is a failure with errno EINVAL (V6b vfs_aio.c 1.195.2.4:1828-1830).
    if (variant(Variant::pre_vx1))
      *err = err::einval;
    else
      *value = err::einval;
    return Sub::done;
  }
  if (!lock_p(p)) return Sub::blocked;
  act("aio_error:search");
  for (JobId job : pr.kaio_all) {
    const Job& j = s.jobs[job];
    if (j.uaiocb != name) continue;
    *value = j.jobstate == JOBST_JOBFINISHED ? j.error : err::einprogress;
    unlock_p(p);
    return Sub::done;
  }
  unlock_p(p);
  // "Hack for failure of aio_aqueue": a status of -1 in the user's aiocb.
  *value = pr.u_status[name] == -1 ? pr.u_error[name] : err::einval;
  return Sub::done;
}

bool Kernel::sys_aio_return(const Op& op) {
  ThreadSt& t = th();
  if (t.aret == RET_FIND && nosys()) return true;
  int e = 0;
  std::int64_t r = 0;
  Sub sub = aio_return_core(t.proc, op.job, &e, &r);
  if (sub == Sub::blocked) return false;
  if (sub == Sub::step) return true;
  finish_op(e, r, kRetNumber);
  return true;
}

// aio_return for the user aiocb `name`, in the phase th().aret; done with the
// syscall's errno in *err and its value in *ret (th().aret back at RET_FIND).
// Uses th().job/ret/err and aio_free_entry's th().fe.
Kernel::Sub Kernel::aio_return_core(int p, int name, int* err, std::int64_t* ret) {
  ThreadSt& t = th();
  ReturnPhase& ph = t.aret;
  Proc& pr = s.procs[p];
  if (ph == RET_FIND) {
    if (!pr.has_aioinfo) {
      act("aio_return:no_kaioinfo");
      *err = err::einval;
      *ret = 0;
      return Sub::done;
    }
    if (!lock_p(p)) return Sub::blocked;
    act("aio_return:find");
    int found = -1;
    for (JobId job : pr.kaio_done)
      if (s.jobs[job].uaiocb == name) {
        found = job.index();
        break;
      }
    if (found < 0) {
      unlock_p(p);
      *err = err::einval;
      *ret = 0;
      return Sub::done;
    }
    t.job = static_cast<std::uint8_t>(found);
    t.ret = s.jobs[found].status;
    t.err = s.jobs[found].error;
    ph = RET_FREE;
    t.fe = FE_START;
  }
  if (ph == RET_FREE) {
    Sub sub = aio_free_entry(t.job);
    if (sub == Sub::blocked) return Sub::blocked;
    if (sub == Sub::step) return Sub::step;
    // After aio_free_entry and PROC_UNLOCK, suword error and status: an unlocked
    // write another thread's aio_error can see (between the two, the job is gone and
    // the aiocb still says status -1, error EINPROGRESS). When no other thread of the
    // process asks aio_error about this aiocb, nobody can look in between, and the
    // write folds into this step.
    ph = RET_SUWORD;
    if (m.suword_visible(me, name)) return Sub::step;
  } else {
    act("aio_return:suword");
  }
  pr.u_error[name] = t.err;
  pr.u_status[name] = t.ret;
  int e = t.err;
  std::int64_t r = t.ret;
  // Before 6.1 aio_return hands back the status with no errno, even for a failed
  // job (V6b vfs_aio.c 1.195.2.4:1567-1574).
  if (variant(Variant::pre_vx1)) e = 0;
  *err = e;
  *ret = e ? 0 : r;
  return Sub::done;
}

bool Kernel::sys_aio_suspend(const Op& op) {
  ThreadSt& t = th();
  if (t.asus == SUS_ENTRY && nosys()) return true;
  int e = 0;
  Sub sub = aio_suspend_core(t.proc, op.jobs.data(), static_cast<int>(op.jobs.size()), op.timeout, &e);
  if (sub == Sub::blocked) return false;
  if (sub == Sub::step) return true;
  finish_op(e, 0, kRetNumber);
  return true;
}

// aio_suspend over the user aiocbs names[0..n), in the phase th().asus; done
// with its errno in *err (0: one of them is done, or none is known).
Kernel::Sub Kernel::aio_suspend_core(int p, const int* names, int n, std::optional<std::int64_t> timeout, int* err) {
  ThreadSt& t = th();
  SuspendPhase& ph = t.asus;
  Proc& pr = s.procs[p];
  *err = 0;
  if (ph == SUS_ENTRY) {
    if (n > cfg.aio_listio_max) {
      act("aio_suspend:einval");
      *err = err::einval;
      return Sub::done;
    }
    if (!pr.has_aioinfo) {
      act("aio_suspend:no_kaioinfo");
      *err = err::eagain;
      return Sub::done;
    }
    if (n == 0) {
      act("aio_suspend:empty");
      return Sub::done;
    }
    ph = SUS_SCAN;
  }
  if (!lock_p(p)) return Sub::blocked;
  if (ph == SUS_SET_WAKEUP && !t.timedout) {
    act("aio_suspend:set_kaio_wakeup");
    ph = SUS_SCAN;
    kaio_wait(p, timeout.has_value(), true, nullptr);
    return Sub::step;
  }
  if (t.timedout) {
    act("aio_suspend:wakeup");
    unlock_p(p);
    *err = t.timedout == 2 ? err::eintr : err::eagain;
    return Sub::done;
  }
  act(t.woken ? StepName("aio_suspend:rescan") : StepName("aio_suspend:scan"));
  bool present = false;
  for (JobId job : pr.kaio_all) {
    const Job& j = s.jobs[job];
    for (int k = 0; k < n; ++k) {
      if (j.uaiocb != names[k]) continue;
      present = true;
      if (j.jobstate == JOBST_JOBFINISHED) {
        unlock_p(p);
        return Sub::done;
      }
    }
  }
  if (!present) {  // "All tasks were finished."
    unlock_p(p);
    return Sub::done;
  }
  if (timeout && *timeout == 0) {  // S11: 0 polls
    unlock_p(p);
    *err = err::eagain;
    return Sub::done;
  }
  if (variant(Variant::kaio_wakeup_unlocked) && ph == SUS_SCAN) {
    // F12 (S1): the completers no longer take P around KAIO_WAKEUP, so the scan
    // and the setting of the flag are separate steps.
    unlock_p(p);
    ph = SUS_SET_WAKEUP;
    return Sub::step;
  }
  ph = SUS_SCAN;
  kaio_wait(p, timeout.has_value(), true, "aiospn");
  return Sub::step;
}

bool Kernel::sys_aio_cancel(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  if (nosys()) return true;
  int kind = 0, target = 0, fdnum = 0;
  if (!fd_resolve(p, op.fd, &kind, &target, &fdnum)) {
    act("aio_cancel:fget");
    finish_op(err::ebadf, 0, kRetNumber);
    return true;
  }
  int r = 0;
  if (aio_cancel_core(p, kind, target, fdnum, op.job, &r) == Sub::blocked) return false;
  finish_op(0, r, kRetAioConst);
  return true;
}

// aio_cancel(fd, aiocb `name`, or all when name < 0) once the descriptor resolved:
// one step; done with AIO_CANCELED / AIO_NOTCANCELED / AIO_ALLDONE in *result.
Kernel::Sub Kernel::aio_cancel_core(int p, int kind, int target, int fdnum, int name, int* result) {
  Proc& pr = s.procs[p];
  int cancelled = 0, notcancelled = 0;
  bool v6b = variant(Variant::cancel_no_notify);  // F13: V6b's socket branch
  if (v6b && kind == FD_OBJECT && prog.objects[target].type == ObjType::socket) {
    if (!v6b_cancel_socket(p, target, name, &cancelled)) return Sub::blocked;
    if (cancelled && name >= 0) {
      *result = aioc::AIO_CANCELED;
      return Sub::done;
    }
  }
  if (!pr.has_aioinfo) {
    act("aio_cancel:no_kaioinfo");
    *result = cancelled ? aioc::AIO_CANCELED : aioc::AIO_ALLDONE;
    return Sub::done;
  }
  // vn_isdisk succeeds only for a disk that is still there: a "gone" disk's jobs
  // took the daemon path and can be cancelled like a file's.
  if (kind == FD_OBJECT && prog.objects[target].type == ObjType::raw_disk && !prog.objects[target].gone) {
    act("aio_cancel:vn_isdisk");
    *result = aioc::AIO_NOTCANCELED;
    return Sub::done;
  }
  // Jobs match by descriptor number (uap->fd == aio_fildes), whatever the number
  // names now; aio_job_mtx is taken only for a job that matches.
  auto matches = [&](const Job& j) { return j.fildes == fdnum && (name < 0 || j.uaiocb == name); };
  bool any = false;
  for (JobId job : pr.kaio_jobqueue) any = any || matches(s.jobs[job]);
  if (!lock_p(p)) return Sub::blocked;
  if (any && !lock_jm()) return Sub::blocked;
  act("aio_cancel:scan");
  auto queue = pr.kaio_jobqueue;
  for (JobId job : queue) {
    Job& j = s.jobs[job];
    if (!matches(j)) continue;
    bool remove = false;
    if (v6b && j.jobstate == JOBST_JOBQSOCK) continue;  // V6b: on kaio_sockqueue, not here
    if (j.jobstate == JOBST_JOBQGLOBAL) {
      aio_jobs().remove(job);
      remove = true;
    } else if (j.jobstate == JOBST_JOBQSOCK) {
      if (!s.socks[j.obj].so_aiojobq.remove(job)) panic("TAILQ_REMOVE of a job that is not on so_aiojobq");
      remove = true;
    }
    if (remove) {
      pr.kaio_jobqueue.remove(job);
      j.status = -1;
      j.error = err::ecanceled;
      note([&] { return job_label(job.index()) + " cancelled"; });
      if (variant(Variant::cancel_no_notify)) {
        // F13 (V6b): onto the done queue without knote, LIO accounting or wakeup;
        // only a SIGEV_SIGNAL job is signalled.
        pr.kaio_done.push_back(job);
        j.jobstate = JOBST_JOBFINISHED;
        if (j.sigev.notify == static_cast<std::uint8_t>(Notify::signal)) aio_sendsig(p, j.sigev, kSrcJob, job.index());
      } else {
        aio_bio_done_notify(p, job.index(), false);
      }
      cancelled++;
    } else {
      notcancelled++;
    }
    if (name >= 0) break;
  }
  if (any) unlock_jm();
  unlock_p(p);
  int r = aioc::AIO_ALLDONE;
  if (name >= 0 && cancelled)
    r = aioc::AIO_CANCELED;
  else if (notcancelled)
    r = aioc::AIO_NOTCANCELED;
  else if (cancelled)
    r = aioc::AIO_CANCELED;
  *result = r;
  return Sub::done;
}

namespace {
// aio_waitcomplete's phases (ThreadSt::ph).
enum WaitcompletePhase : std::uint8_t { AWC_INIT = 0, AWC_TAKE = 1, AWC_FREE = 2, AWC_SET_WAKEUP = 3, AWC_SUWORD = 4 };
}  // namespace

bool Kernel::sys_aio_waitcomplete(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  Proc& pr = s.procs[p];
  if (t.ph == AWC_INIT) {
    if (nosys()) return true;
    if (!pr.has_aioinfo && variant(Variant::waitcomplete_needs_init)) {
      act("aio_waitcomplete:no_kaioinfo");
      finish_op(err::eagain, 0, kRetNumber);
      return true;
    }
    Sub init = aio_init_aioinfo(p);
    if (init == Sub::blocked) return false;
    if (init == Sub::step) return true;
    t.ph = AWC_TAKE;
  }
  if (t.ph == AWC_SET_WAKEUP) {
    if (!lock_p(p)) return false;
    act("aio_waitcomplete:set_kaio_wakeup");
    t.ph = AWC_TAKE;
    kaio_wait(p, op.timeout.has_value(), true, nullptr);
    return true;
  }
  if (t.ph == AWC_TAKE) {
    if (!lock_p(p)) return false;
    if (t.timedout) {
      act("aio_waitcomplete:wakeup");
      unlock_p(p);
      finish_op(t.timedout == 2 ? err::eintr : err::eagain, 0, kRetNumber);
      return true;
    }
    act(t.woken ? StepName("aio_waitcomplete:rescan") : StepName("aio_waitcomplete:take"));
    if (pr.kaio_done.empty()) {
      if (op.timeout && *op.timeout == 0) {
        unlock_p(p);
        finish_op(err::eagain, 0, kRetNumber);
        return true;
      }
      if (variant(Variant::kaio_wakeup_unlocked)) {
        unlock_p(p);  // F12: set KAIO_WAKEUP in a step of its own
        t.ph = AWC_SET_WAKEUP;
        return true;
      }
      kaio_wait(p, op.timeout.has_value(), true, "aiowc");
      return true;
    }
    int job = pr.kaio_done[0].index();
    t.job = static_cast<std::uint8_t>(job);
    t.ret = s.jobs[job].status;
    t.err = s.jobs[job].error;
    t.i = s.jobs[job].uaiocb;
    t.ph = AWC_FREE;
    t.fe = FE_START;
  }
  if (t.ph == AWC_FREE) {
    Sub sub = aio_free_entry(t.job);
    if (sub == Sub::blocked) return false;
    if (sub == Sub::step) return true;
    // suword of the job pointer, error and status after PROC_UNLOCK (see aio_return).
    t.ph = AWC_SUWORD;
    if (m.suword_visible(me, -1)) return true;
  } else {
    act("aio_waitcomplete:suword");
  }
  int name = t.i;
  pr.u_error[name] = t.err;
  pr.u_status[name] = t.ret;
  int e = t.err;
  std::int64_t r = t.ret;
  finish_op_waitcomplete(e, e ? 0 : r, name);
  return true;
}

}  // namespace aiomc::model
