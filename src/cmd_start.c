/* policyrun start: attest the container's network before its process runs.
   Between create and start the engine wires the network namespace; a
   container that came out of create with any interface but "lo" was given a
   network that --network none never gives, so it is killed, not started.  */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attest.h"
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
   never touched.  The watchdog keeps no descriptor of the caller's open:
   engines wait for EOF on the runtime's output.  */
static void
start_deadline (long pid, long seconds)
{
  if (seconds <= 0)
    return;
  int pidfd = (int) syscall (SYS_pidfd_open, (pid_t) pid, 0);
  if (pidfd < 0)
    return;
  pid_t child = fork ();
  if (child != 0)
    {
      close (pidfd);
      if (child > 0)
        waitpid (child, NULL, 0);
      return;
    }
  /* First child: detach from the session, fork the watchdog, leave.  */
  setsid ();
  if (fork () != 0)
    _exit (0);
  int devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3; fd++)
    dup2 (devnull, fd);
  for (int fd = 3; fd < 1024; fd++)
    if (fd != pidfd)
      close (fd);
  struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
  long long ms = (long long) seconds * 1000;
  while (ms > 0)
    {
      int chunk = ms > 1000000000 ? 1000000000 : (int) ms;
      int r = poll (&pfd, 1, chunk);
      if (r > 0)
        _exit (0); /* the container's init has exited */
      if (r < 0)
        continue;
      ms -= chunk;
    }
  syscall (SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
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
        return fail (err, "refused by floor (1 violation): network: the container's network "
                          "namespace has interfaces [%s]; the container was killed; run with "
                          "--network none", found);
      return -1;
    }
  start_deadline (pid, (long) ctx->policy.timeout_seconds);
  return exec_delegate_unchanged (ctx, err);
}
