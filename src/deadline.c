/* policyrun: the wall-clock deadline's watchdog pair, and detaching.  */
#include "config.h"
#include "deadline.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "util.h"

static int
pidfd_of (long pid)
{
  return (int)syscall (SYS_pidfd_open, (pid_t)pid, 0);
}

static void
kill_through (int pidfd)
{
  syscall (SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
}

/* Close every descriptor >= 3 but the kept ones.  */
static void
close_all_but (const int *keep, size_t n)
{
  int from = 3;
  for (;;)
    {
      /* The lowest kept descriptor at or above from.  */
      int next = -1;
      for (size_t i = 0; i < n; i++)
        if (keep[i] >= from && (next < 0 || keep[i] < next))
          next = keep[i];
      unsigned last = next < 0 ? ~0U : (unsigned)next - 1;
      if (next < 0 || next > from)
        if (syscall (SYS_close_range, (unsigned)from, last, 0) < 0)
          for (int fd = from; fd <= (next < 0 ? 65535 : next - 1); fd++)
            close (fd);
      if (next < 0)
        return;
      from = next + 1;
    }
}

int
deadline_detach (const int *fds, size_t n, char **err)
{
  pid_t child = fork ();
  if (child < 0)
    return fail (err, "cannot start a helper process: fork: %s", strerror (errno));
  if (child > 0)
    {
      int status = 0;
      while (waitpid (child, &status, 0) < 0)
        if (errno != EINTR)
          return fail (err, "cannot start a helper process: waitpid: %s", strerror (errno));
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        return fail (err, "cannot start a helper process");
      return 0;
    }
  /* Not the caller's child: a delegate that reaps every child (runc run is
     a subreaper) must never collect it.  */
  if (setsid () < 0)
    _exit (1);
  pid_t helper = fork ();
  if (helper != 0)
    _exit (helper < 0 ? 1 : 0);
  sigset_t none;
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  int devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0 || chdir ("/") < 0)
    _exit (1);
  for (int fd = 0; fd < 3; fd++)
    if (dup2 (devnull, fd) < 0)
      _exit (1);
  close_all_but (fds, n);
  for (size_t i = 0; i < n; i++)
    if (fcntl (fds[i], F_SETFD, FD_CLOEXEC) < 0)
      _exit (1);
  return 1;
}

/* Make this process a poor target: nobody but root may signal, trace or
   read it (it runs as root, and is not dumpable), and the OOM killer takes
   anything else first.  Lowering oom_score_adj needs CAP_SYS_RESOURCE; where
   it is refused the pair still fails closed.  */
static void
harden (void)
{
  prctl (PR_SET_NAME, "policyrun-watch");
  prctl (PR_SET_DUMPABLE, 0);
  int fd = open ("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      if (write (fd, "-1000", 5) != 5)
        {
          /* Not permitted here: the pair is the protection.  */
        }
      close (fd);
    }
}

/* now + seconds on CLOCK_BOOTTIME (which counts suspended time, as a
   wall-clock deadline should), seconds capped at ten years: the sum of two
   64-bit values far below their limit.  */
static int
absolute_deadline (long seconds, struct timespec *at, char **err)
{
  if (seconds > DEADLINE_MAX_SECONDS)
    seconds = DEADLINE_MAX_SECONDS;
  if (clock_gettime (CLOCK_BOOTTIME, at) < 0)
    return fail (err, "cannot read the clock: %s", strerror (errno));
  at->tv_sec += (time_t)seconds;
  return 0;
}

static int
deadline_timer (const struct timespec *at)
{
  int fd = timerfd_create (CLOCK_BOOTTIME, TFD_CLOEXEC);
  struct itimerspec its = { .it_value = *at };
  if (fd >= 0 && timerfd_settime (fd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* Guard the container's init until it exits; kill it when the deadline
   passes or when the other watchdog dies first.  */
static void __attribute__ ((noreturn)) guard (int init, int peer, int timer)
{
  struct pollfd p[3] = { { .fd = init, .events = POLLIN },
                         { .fd = timer, .events = POLLIN },
                         { .fd = peer, .events = POLLIN } };
  for (;;)
    {
      if (poll (p, 3, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          kill_through (init); /* cannot watch any more: fail closed */
          _exit (1);
        }
      if (p[0].revents != 0)
        _exit (0); /* the container's init has exited */
      if (p[1].revents != 0 || p[2].revents != 0)
        {
          /* The deadline has passed, or the other watchdog is gone while
             the container still runs.  */
          kill_through (init);
          _exit (0);
        }
    }
}

/* The pair.  Called in the first watchdog (A), which forks the second (B);
   each ends with peer set to the other's pidfd and timer to its own timer.
   Returns 'A' or 'B', or exits without saying it is ready.  */
static char
split_pair (const struct timespec *at, int *peer, int *timer)
{
  int self = pidfd_of (getpid ());
  if (self < 0)
    _exit (1);
  pid_t b = fork ();
  if (b < 0)
    _exit (1);
  char role = b == 0 ? 'B' : 'A';
  if (role == 'B')
    *peer = self; /* A's pidfd, opened by A itself before the fork */
  else
    {
      /* B is A's unreaped child: its pid cannot be reused yet.  */
      *peer = pidfd_of (b);
      close (self);
    }
  harden ();
  *timer = deadline_timer (at);
  if (*peer < 0 || *timer < 0)
    _exit (1);
  return role;
}

/* Both watchdogs write one byte when armed; the caller waits for two.  */
static int
wait_ready (int fd, char **err)
{
  char buf[2];
  size_t got = 0;
  while (got < 2)
    {
      ssize_t r = read (fd, buf + got, 2 - got);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      got += (size_t)r;
    }
  close (fd);
  if (got != 2)
    return fail (err, "cannot start the deadline watchdogs");
  return 0;
}

static void
say_ready (int fd)
{
  if (write (fd, "1", 1) != 1)
    _exit (1);
  close (fd);
}

int
deadline_arm (struct context *ctx, const char *id, long pid, char **err)
{
  long seconds = (long)ctx->policy.timeout_seconds;
  if (seconds <= 0)
    return 0;
  struct timespec at;
  if (absolute_deadline (seconds, &at, err) < 0)
    return -1;
  cleanup_close int pidfd = pidfd_of (pid);
  if (pidfd < 0)
    return fail (err, "cannot arm the %lds deadline of container \"%s\": pidfd_open: %s", seconds,
                 id, strerror (errno));
  /* The pid was read before the pidfd was opened: make sure it is still the
     container's init, not a process that took a recycled pid.  */
  cleanup_free char *status = NULL;
  long again = 0;
  if (delegate_state (ctx, id, &status, &again, err) < 0)
    return -1;
  if (again != pid || strcmp (status, "created") != 0)
    return fail (err, "cannot arm the deadline of container \"%s\": its process changed", id);
  int ready[2];
  if (pipe2 (ready, O_CLOEXEC) < 0)
    return fail (err, "cannot start the deadline watchdogs: pipe: %s", strerror (errno));
  int keep[] = { pidfd, ready[1] };
  int r = deadline_detach (keep, 2, err);
  if (r == 1)
    {
      int peer = -1, timer = -1;
      split_pair (&at, &peer, &timer);
      say_ready (ready[1]);
      guard (pidfd, peer, timer);
    }
  close (ready[1]);
  if (r < 0)
    {
      close (ready[0]);
      return -1;
    }
  return wait_ready (ready[0], err);
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

/* Find the init of run's container while run lives (run --detach ends at
   once: look once more after it has).  The delegate is asked only once
   runc's state directory ROOT/ID exists: runc makes it after the run call
   has begun, so no helper call ever reaches the delegate before the main
   one.  A delegate that keeps no such directory is asked after a while all
   the same.  */
static int
find_init_for_run (struct context *ctx, const char *id, int run)
{
  struct pollfd runner = { .fd = run, .events = POLLIN };
  bool run_ended = false;
  for (int i = 0; i < 250 && !run_ended && !bundle_delegate_has_dir (ctx->cl->root, id); i++)
    run_ended = poll (&runner, 1, 20) > 0;
  for (;;)
    {
      int init = find_init (ctx, id);
      if (init >= 0 || run_ended)
        return init;
      run_ended = poll (&runner, 1, 100) > 0;
    }
}

static void
send_fd (int sock, int fd)
{
  char byte = 'i';
  struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  memset (&u, 0, sizeof u);
  struct msghdr msg
      = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  struct cmsghdr *c = CMSG_FIRSTHDR (&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (c), &fd, sizeof fd);
  while (sendmsg (sock, &msg, MSG_NOSIGNAL) < 0 && errno == EINTR)
    ;
}

/* What A sent over sock: 1 and *fd (the init), 0 ("none": run ended
   without a container), -1 when A closed it unsaid (A died) or, with
   dontwait, has sent nothing yet.  */
static int
recv_fd (int sock, bool dontwait, int *fd)
{
  char byte;
  struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr msg
      = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  ssize_t r;
  do
    r = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC | (dontwait ? MSG_DONTWAIT : 0));
  while (r < 0 && errno == EINTR);
  if (r <= 0)
    return -1;
  struct cmsghdr *c = CMSG_FIRSTHDR (&msg);
  if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
    return 0;
  memcpy (fd, CMSG_DATA (c), sizeof *fd);
  return 1;
}

static void
send_none (int sock)
{
  while (send (sock, "n", 1, MSG_NOSIGNAL) < 0 && errno == EINTR)
    ;
}

/* B under run: wait for A to hand over the init.  If A dies first, B finds
   the init itself and kills it: the pair is broken, so the container must
   not run on without a deadline.  */
static int
second_for_run (struct context *ctx, const char *id, int run, int sock, int peer)
{
  struct pollfd p[2] = { { .fd = sock, .events = POLLIN }, { .fd = peer, .events = POLLIN } };
  for (;;)
    {
      if (poll (p, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (p[0].revents != 0)
        {
          int fd = -1, got = recv_fd (sock, false, &fd);
          if (got >= 0)
            return got == 1 ? fd : -1; /* -1: A found no container */
          break;                       /* A closed it unsaid: A died */
        }
      if (p[1].revents != 0)
        break;
    }
  int init = -1;
  if (recv_fd (sock, true, &init) != 1)
    init = find_init_for_run (ctx, id, run);
  if (init >= 0)
    kill_through (init);
  _exit (0);
}

int
deadline_arm_for_run (struct context *ctx, const char *id, char **err)
{
  long seconds = (long)ctx->policy.timeout_seconds;
  if (seconds <= 0)
    return 0;
  struct timespec at;
  if (absolute_deadline (seconds, &at, err) < 0)
    return -1;
  /* This process is about to become the delegate's run.  */
  cleanup_close int self = pidfd_of (getpid ());
  if (self < 0)
    return fail (err, "cannot arm the %lds deadline of container \"%s\": pidfd_open: %s", seconds,
                 id, strerror (errno));
  int ready[2], sv[2];
  if (pipe2 (ready, O_CLOEXEC) < 0)
    return fail (err, "cannot start the deadline watchdogs: pipe: %s", strerror (errno));
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    {
      close (ready[0]);
      close (ready[1]);
      return fail (err, "cannot start the deadline watchdogs: socketpair: %s", strerror (errno));
    }
  int keep[] = { self, ready[1], sv[0], sv[1] };
  int r = deadline_detach (keep, 4, err);
  if (r == 1)
    {
      int peer = -1, timer = -1;
      char role = split_pair (&at, &peer, &timer);
      close (role == 'A' ? sv[1] : sv[0]);
      say_ready (ready[1]);
      int init;
      if (role == 'A')
        {
          init = find_init_for_run (ctx, id, self);
          if (init < 0)
            {
              send_none (sv[0]); /* B leaves too; a bare close would mean A died */
              _exit (0);
            }
          send_fd (sv[0], init);
        }
      else
        init = second_for_run (ctx, id, self, sv[1], peer);
      if (init < 0)
        _exit (0);
      guard (init, peer, timer);
    }
  close (ready[1]);
  close (sv[0]);
  close (sv[1]);
  if (r < 0)
    {
      close (ready[0]);
      return -1;
    }
  return wait_ready (ready[0], err);
}
