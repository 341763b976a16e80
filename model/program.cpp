#include "model/program.hpp"

namespace aiomc::model {

const char* op_name(OpKind k) {
  static const char* names[kOpKinds] = {
      "aio_read", "aio_write", "aio_fsync", "lio_listio", "aio_error", "aio_return", "aio_suspend",
      "aio_cancel", "aio_waitcomplete", "kqueue", "kevent", "close", "sigwait", "exit", "exec",
      "sem_post", "sem_wait", "write_peer", "io_setup", "io_submit", "io_getevents", "io_cancel",
      "io_destroy", "kldload", "kldunload",
  };
  return names[static_cast<int>(k)];
}

bool op_supported(OpKind k) {
  switch (k) {
    default:
      return true;  // every op of the format, the Linux emulation's included (issue 11)
  }
}

bool object_supported(ObjType) { return true; }

}  // namespace aiomc::model
