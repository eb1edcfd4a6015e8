/* policyrun: the wall-clock deadline's watchdog.  */
#include "config.h"
#include "deadline.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"
#include "util.h"

/* Wait until the process behind pidfd exits, or kill it when seconds pass.  */
static void
watch (int pidfd, long seconds)
{
  struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
  long long ms = (long long)seconds * 1000;
  while (ms > 0)
    {
      int chunk = ms > 1000000000 ? 1000000000 : (int)ms;
      int r = poll (&pfd, 1, chunk);
      if (r > 0)
        return; /* the process has exited */
      if (r == 0)
        ms -= chunk;
    }
  syscall (SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
}

static int
pidfd_of (long pid)
{
  return (int)syscall (SYS_pidfd_open, (pid_t)pid, 0);
}

/* Fork the watchdog: double fork, new session, working directory "/",
   stdio on /dev/null, no descriptor of the caller's but keep_fd, which
   becomes 3 (close-on-exec: the helper calls it makes must not inherit
   it).  Returns 1 in the watchdog; in the caller 0 once the watchdog has
   said it is ready, -1 if it never got that far.  */
static int
detach (int keep_fd, char **err)
{
  int ready[2];
  if (pipe2 (ready, O_CLOEXEC) < 0)
    return fail (err, "cannot start the deadline watchdog: pipe: %s", strerror (errno));
  pid_t child = fork ();
  if (child < 0)
    {
      close (ready[0]);
      close (ready[1]);
      return fail (err, "cannot start the deadline watchdog: fork: %s", strerror (errno));
    }
  if (child > 0)
    {
      close (ready[1]);
      waitpid (child, NULL, 0);
      char byte = 0;
      ssize_t r;
      do
        r = read (ready[0], &byte, 1);
      while (r < 0 && errno == EINTR);
      close (ready[0]);
      if (r != 1)
        return fail (err, "cannot start the deadline watchdog");
      return 0;
    }
  close (ready[0]);
  setsid ();
  if (fork () != 0)
    _exit (0); /* a failed fork closes the pipe unwritten: the caller refuses */
  prctl (PR_SET_NAME, "policyrun-watch");
  /* Out of the way of 0..3 before they are overwritten.  */
  int keep = keep_fd >= 0 ? fcntl (keep_fd, F_DUPFD_CLOEXEC, 10) : -1;
  int say = fcntl (ready[1], F_DUPFD_CLOEXEC, 10);
  int devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if ((keep_fd >= 0 && keep < 0) || say < 0 || devnull < 0 || chdir ("/") < 0)
    _exit (1);
  for (int fd = 0; fd < 3; fd++)
    if (dup2 (devnull, fd) < 0)
      _exit (1);
  if (keep >= 0 && dup3 (keep, 3, O_CLOEXEC) < 0)
    _exit (1);
  if (write (say, "1", 1) != 1)
    _exit (1);
  if (syscall (SYS_close_range, keep >= 0 ? 4 : 3, ~0U, 0) < 0)
    for (int fd = keep >= 0 ? 4 : 3; fd < 65536; fd++)
      close (fd);
  return 1;
}

int
deadline_arm (struct context *ctx, const char *id, long pid, char **err)
{
  long seconds = (long)ctx->policy.timeout_seconds;
  if (seconds <= 0)
    return 0;
  int pidfd = pidfd_of (pid);
  if (pidfd < 0)
    return fail (err, "cannot arm the %lds deadline of container \"%s\": pidfd_open: %s", seconds,
                 id, strerror (errno));
  /* The pid was read before the pidfd was opened: make sure it is still the
     container's init, not a process that took a recycled pid.  */
  cleanup_free char *status = NULL;
  long again = 0;
  if (delegate_state (ctx, id, &status, &again, err) < 0)
    {
      close (pidfd);
      return -1;
    }
  if (again != pid || strcmp (status, "created") != 0)
    {
      close (pidfd);
      return fail (err, "cannot arm the deadline of container \"%s\": its process changed", id);
    }
  int r = detach (pidfd, err);
  if (r == 1)
    {
      watch (3, seconds);
      _exit (0);
    }
  close (pidfd);
  return r;
}

/* The container's init as a verified pidfd, or -1 while there is none.  */
static int
find_init (struct context *ctx, const char *id)
{
  cleanup_free char *status = NULL, *again_status = NULL;
  cleanup_free char *err = NULL;
  long pid = 0, again = 0;
  if (delegate_state (ctx, id, &status, &pid, &err) < 0 || pid <= 0
      || strcmp (status, "stopped") == 0)
    return -1;
  int pidfd = pidfd_of (pid);
  if (pidfd < 0)
    return -1;
  if (delegate_state (ctx, id, &again_status, &again, &err) < 0 || again != pid
      || strcmp (again_status, "stopped") == 0)
    {
      close (pidfd);
      return -1;
    }
  return pidfd;
}

/* Remove the private bundle if the delegate no longer knows the container
   and the bundle is still the one this run wrote (a new create for the same
   id may have replaced it).  */
static void
remove_if_forgotten (struct context *ctx, const char *id, const struct stat *written)
{
  cleanup_free char *status = NULL;
  cleanup_free char *err = NULL;
  long pid = 0;
  if (delegate_state (ctx, id, &status, &pid, &err) == 0)
    return;
  cleanup_free char *dir = bundle_private_dir (&ctx->policy, ctx->cl->root, id);
  cleanup_free char *config = xasprintf ("%s/config.json", dir);
  struct stat now;
  if (stat (config, &now) == 0 && now.st_dev == written->st_dev && now.st_ino == written->st_ino)
    bundle_remove_private (&ctx->policy, ctx->cl->root, id, NULL);
}

int
deadline_arm_for_run (struct context *ctx, const char *id, char **err)
{
  long seconds = (long)ctx->policy.timeout_seconds;
  if (seconds <= 0)
    return 0;
  cleanup_free char *dir = bundle_private_dir (&ctx->policy, ctx->cl->root, id);
  cleanup_free char *config = xasprintf ("%s/config.json", dir);
  struct stat written;
  if (stat (config, &written) < 0)
    return fail (err, "cannot arm the deadline of container \"%s\": %s", id, strerror (errno));
  /* This process is about to become the delegate's run.  */
  int self = pidfd_of (getpid ());
  if (self < 0)
    return fail (err, "cannot arm the %lds deadline of container \"%s\": pidfd_open: %s", seconds,
                 id, strerror (errno));
  int r = detach (self, err);
  if (r != 1)
    {
      close (self);
      return r;
    }
  /* In the watchdog the pidfd is descriptor 3 now, and self is gone.  */
  struct pollfd runner = { .fd = 3, .events = POLLIN };
  int init = -1;
  /* Until run has exited (run --detach exits at once: look once more).  */
  bool run_ended = false;
  while (init < 0)
    {
      init = find_init (ctx, id);
      if (init >= 0 || run_ended)
        break;
      run_ended = poll (&runner, 1, 100) > 0;
    }
  if (init >= 0)
    {
      watch (init, seconds);
      close (init);
    }
  while (poll (&runner, 1, -1) <= 0)
    ;
  remove_if_forgotten (ctx, id, &written);
  _exit (0);
}
