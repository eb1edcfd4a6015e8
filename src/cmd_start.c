/* policyrun start: attest the container's network before its process runs.
   Between create and start the engine wires the network namespace; a
   container that came out of create with any interface but "lo" was given a
   network that --network none never gives, so it is killed, not started.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attest.h"
#include "bundle.h"
#include "commands.h"
#include "delegate.h"
#include "util.h"

static void
kill_container (struct context *ctx, const char *id)
{
  const char *words[] = { "kill", id, "KILL" };
  cleanup_free char **argv = delegate_helper_argv (ctx, words, 3);
  cleanup_free char *out = NULL;
  cleanup_free char *err = NULL;
  delegate_capture (ctx->delegate, argv, 1 << 16, &out, &err);
}

/* The wall-clock deadline: a detached watchdog holds a pidfd of the
   container's init and kills it when the deadline passes; it leaves as soon
   as the init exits, so a later container that reuses the id or the pid is
   never touched.  The watchdog keeps no descriptor of the caller's open
   (engines wait for EOF on the runtime's output) and not its directory.  */
static void
watchdog_wait (int pidfd, long seconds)
{
  struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
  if (seconds <= 0)
    {
      while (poll (&pfd, 1, -1) <= 0)
        ;
      return;
    }
  long long ms = (long long)seconds * 1000;
  while (ms > 0)
    {
      int chunk = ms > 1000000000 ? 1000000000 : (int)ms;
      int r = poll (&pfd, 1, chunk);
      if (r > 0)
        return; /* the container's init has exited */
      if (r == 0)
        ms -= chunk;
    }
  syscall (SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
}

/* Fork a detached child (double fork, new session, stdio on /dev/null, no
   other descriptor but keep_fd, which becomes 3).  Returns true in the
   detached child, false in the caller once the intermediate child is gone.  */
static bool
detach (int keep_fd)
{
  pid_t child = fork ();
  if (child != 0)
    {
      if (child > 0)
        waitpid (child, NULL, 0);
      return false;
    }
  setsid ();
  if (fork () != 0)
    _exit (0);
  prctl (PR_SET_NAME, "policyrun-watch");
  if (chdir ("/") < 0)
    _exit (0);
  int devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3; fd++)
    dup2 (devnull, fd);
  if (keep_fd >= 0 && keep_fd != 3 && dup2 (keep_fd, 3) < 0)
    _exit (0);
  if (syscall (SYS_close_range, keep_fd >= 0 ? 4 : 3, ~0U, 0) < 0)
    for (int fd = keep_fd >= 0 ? 4 : 3; fd < 65536; fd++)
      close (fd);
  return true;
}

/* At start: the init pid is known.  Arming must succeed, or the container
   does not start: a floor that says "bounded time" must not quietly give
   unbounded time.  */
static int
arm_deadline (struct context *ctx, const char *id, long pid, char **err)
{
  long seconds = (long)ctx->policy.timeout_seconds;
  if (seconds <= 0)
    return 0;
  int pidfd = (int)syscall (SYS_pidfd_open, (pid_t)pid, 0);
  if (pidfd < 0)
    return fail (err, "cannot arm the %lds deadline of container \"%s\": pidfd_open: %s", seconds,
                 id, strerror (errno));
  /* The pid was read before the pidfd was opened: make sure it is still the
     container's init, not a process that took a recycled pid.  */
  cleanup_free char *status = NULL;
  long again = 0;
  if (delegate_state (ctx, id, &status, &again, err) < 0 || again != pid
      || strcmp (status, "created") != 0)
    {
      close (pidfd);
      return fail (err, "cannot arm the deadline of container \"%s\": its process changed", id);
    }
  if (detach (pidfd))
    {
      watchdog_wait (3, seconds);
      _exit (0);
    }
  close (pidfd);
  return 0;
}

/* For run, which starts the container in the same call.  The watchdog
   holds a pidfd of this very process, which is about to become the
   delegate's "run": while that runs, it waits for the delegate to report the
   container's init and watches it like start's.  Once "run" has exited and
   the delegate has forgotten the container (run without --detach destroys
   it), the private bundle goes too: nobody will call delete for it.  */
void
arm_deadline_when_running (struct context *ctx, const char *id)
{
  long seconds = (long)ctx->policy.timeout_seconds;
  int self = (int)syscall (SYS_pidfd_open, getpid (), 0);
  if (self < 0)
    return;
  if (!detach (self))
    {
      close (self);
      return;
    }
  struct pollfd runner = { .fd = 3, .events = POLLIN };
  bool watched = false;
  while (poll (&runner, 1, watched ? -1 : 100) == 0)
    {
      cleanup_free char *status = NULL;
      cleanup_free char *err = NULL;
      long pid = 0;
      if (watched || delegate_state (ctx, id, &status, &pid, &err) < 0 || pid <= 0
          || strcmp (status, "stopped") == 0)
        continue;
      int pidfd = (int)syscall (SYS_pidfd_open, (pid_t)pid, 0);
      if (pidfd >= 0)
        {
          watchdog_wait (pidfd, seconds);
          close (pidfd);
        }
      watched = true;
    }
  cleanup_free char *status = NULL;
  cleanup_free char *err = NULL;
  long pid = 0;
  if (delegate_state (ctx, id, &status, &pid, &err) < 0)
    bundle_remove_private (&ctx->policy, ctx->cl->root, id, NULL);
  _exit (0);
}

int
cmd_start (struct context *ctx, char **err)
{
  const char *id = NULL;
  if (cli_flag_true (ctx->cl, "help"))
    return exec_delegate_unchanged (ctx, err);
  if (require_container_id (ctx, &id, err) < 0)
    return -1;
  cleanup_free char *status = NULL;
  long pid = 0;
  if (delegate_state (ctx, id, &status, &pid, err) < 0)
    return -1;
  /* Only a created container is about to run its process; for anything
     else the delegate gives its own answer.  */
  if (strcmp (status, "created") != 0)
    return exec_delegate_unchanged (ctx, err);
  cleanup_free char *found = NULL;
  int r = attest_network_namespace (pid, &found, err);
  if (r != 0)
    {
      kill_container (ctx, id);
      if (r > 0)
        return fail (err,
                     "refused by floor (1 violation): network: the container's network "
                     "namespace has interfaces [%s]; the container was killed; run with "
                     "--network none",
                     found);
      return -1;
    }
  if (arm_deadline (ctx, id, pid, err) < 0)
    {
      kill_container (ctx, id);
      return -1;
    }
  return exec_delegate_unchanged (ctx, err);
}
