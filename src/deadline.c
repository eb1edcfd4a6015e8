/* policyrun: the wall-clock deadline's watchdog pair, and detaching.  */
#include "config.h"
#include "deadline.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
   each ends with peer set to the other's pidfd.  Returns 'A' or 'B', or
   exits.  */
static char
fork_pair (int *peer)
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
  if (*peer < 0)
    _exit (1);
  return role;
}

/* The pair, hardened, each with its timer.  Returns 'A' or 'B', or exits
   without saying it is ready.  */
static char
split_pair (const struct timespec *at, int *peer, int *timer)
{
  char role = fork_pair (peer);
  harden ();
  *timer = deadline_timer (at);
  if (*timer < 0)
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

/* The container's init as a verified pidfd, or -1 while there is none.
   With record_only, only runc's own record is read (no delegate call).  */
static int
find_init (const struct delegate_globals *g, const char *id)
{
  cleanup_container_state struct container_state st = { .pidfd = -1, .procfd = -1 };
  cleanup_free char *err = NULL;
  if (delegate_container_state (g, id, &st, &err) < 0 || strcmp (st.status, "stopped") == 0)
    return -1;
  int pidfd = st.pidfd;
  st.pidfd = -1;
  return pidfd;
}

/* A watch for what runc does under ROOT while run's container comes up:
   ROOT/ID appearing, and files renamed or written into it (runc renames
   its state.json into place).  Returns how far it got: 0 nothing (ROOT
   does not exist yet), 1 ROOT, 2 ROOT/ID.  */
static int
watch_record (int in, const char *root, const char *dir, int have)
{
  if (in < 0)
    return 0;
  if (have < 1 && inotify_add_watch (in, root, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR) >= 0)
    have = 1;
  if (have == 1
      && inotify_add_watch (in, dir, IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ONLYDIR) >= 0)
    have = 2;
  return have;
}

static void
drain (int in)
{
  char buf[4096] __attribute__ ((aligned (__alignof__(struct inotify_event))));
  while (read (in, buf, sizeof buf) > 0)
    ;
}

/* Find the init of run's container while run lives (run --detach ends at
   once: look once more after it has).  runc's record is read each time
   runc changes something under ROOT/ID, so the delegate is never asked
   before its run has recorded the container.  A delegate that keeps no
   such record is asked after five seconds (and then every tenth of a
   second) all the same.  */
static int
find_init_for_run (const struct delegate_globals *g, const char *id, int run)
{
  const char *root = g->root ? g->root : RUNC_DEFAULT_ROOT;
  cleanup_free char *dir = xasprintf ("%s/%s", root, id);
  cleanup_close int in = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  struct pollfd p[2] = { { .fd = run, .events = POLLIN }, { .fd = in, .events = POLLIN } };
  int watching = 0;
  struct timespec t0;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  for (;;)
    {
      watching = watch_record (in, root, dir, watching);
      cleanup_container_state struct container_state st = { .pidfd = -1, .procfd = -1 };
      int r = delegate_runc_record (root, id, &st);
      if (r > 0 && strcmp (st.status, "stopped") != 0)
        {
          int pidfd = st.pidfd;
          st.pidfd = -1;
          return pidfd;
        }
      if (p[0].revents != 0)
        return r > 0 ? -1 : find_init (g, id); /* run has ended */
      struct timespec now;
      clock_gettime (CLOCK_MONOTONIC, &now);
      long waited = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
      if (waited >= 5000)
        {
          int init = find_init (g, id);
          if (init >= 0)
            return init;
        }
      /* Without a watch on ROOT/ID, or past five seconds, look again after
         a while; with one, wake only when runc writes.  */
      int timeout = waited >= 5000 ? 100 : watching == 2 ? (int)(5000 - waited) : 20;
      if (poll (p, 2, timeout) > 0 && (p[1].revents & POLLIN))
        drain (in);
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
second_for_run (const struct delegate_globals *g, const char *id, int run, int sock, int peer)
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
    init = find_init_for_run (g, id, run);
  if (init >= 0)
    kill_through (init);
  _exit (0);
}

int
deadline_arm_run (const struct delegate_globals *g, int64_t timeout, const char *id, char **err)
{
  long seconds = (long)timeout;
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
          init = find_init_for_run (g, id, self);
          if (init < 0)
            {
              send_none (sv[0]); /* B leaves too; a bare close would mean A died */
              _exit (0);
            }
          send_fd (sv[0], init);
        }
      else
        init = second_for_run (g, id, self, sv[1], peer);
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

/* Fork a pair of start's own, for the deadline dp->at; it waits for the
   init's pidfd on dp->sock.  */
static int
start_fresh (struct deadline_pair *dp, const char *id, char **err)
{
  int ready[2], sv[2];
  if (pipe2 (ready, O_CLOEXEC) < 0)
    return fail (err, "cannot start the deadline watchdogs of container \"%s\": pipe: %s", id,
                 strerror (errno));
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    {
      close (ready[0]);
      close (ready[1]);
      return fail (err, "cannot start the deadline watchdogs of container \"%s\": socketpair: %s",
                   id, strerror (errno));
    }
  int keep[] = { ready[1], sv[1] };
  int r = deadline_detach (keep, 2, err);
  if (r == 1)
    {
      /* Each of the pair takes one message: the init's pidfd, or nothing
         (the start was refused, or policyrun died) and then it leaves.  */
      int peer = -1, timer = -1, init = -1;
      split_pair (&dp->at, &peer, &timer);
      if (recv_fd (sv[1], false, &init) != 1)
        _exit (0);
      close (sv[1]);
      say_ready (ready[1]);
      guard (init, peer, timer);
    }
  close (ready[1]);
  close (sv[1]);
  if (r < 0)
    {
      close (ready[0]);
      close (sv[0]);
      return -1;
    }
  dp->sock = sv[0];
  dp->ready = ready[0];
  return 0;
}

/* The pre-forked pair's socket in the private bundle.  Its address goes
   through the directory's descriptor: a state directory and an id can make
   the full path longer than sun_path.  */
#define PREARMED_SOCKET "deadline.sock"

static socklen_t
prearmed_address (int bundle_dir, struct sockaddr_un *a)
{
  memset (a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  snprintf (a->sun_path, sizeof a->sun_path, "/proc/self/fd/%d/" PREARMED_SOCKET, bundle_dir);
  return (socklen_t)(offsetof (struct sockaddr_un, sun_path) + strlen (a->sun_path) + 1);
}

int
deadline_listen (int bundle_dir, char **err)
{
  struct sockaddr_un a;
  socklen_t len = prearmed_address (bundle_dir, &a);
  int fd = socket (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return fail (err, "cannot make the deadline's socket: %s", strerror (errno));
  if (bind (fd, (struct sockaddr *)&a, len) < 0 || listen (fd, 4) < 0)
    {
      int saved = errno;
      close (fd);
      return fail (err, "cannot make the deadline's socket: %s", strerror (saved));
    }
  return fd;
}

void
deadline_send_fd (int sock, int fd)
{
  send_fd (sock, fd);
}

int
deadline_take_fd (int sock)
{
  int fd = -1;
  return recv_fd (sock, true, &fd) == 1 ? fd : -1;
}

/* start's word to each of the pre-forked pair: the absolute deadline, with
   the init's pidfd beside it.  */
struct arming
{
  int64_t sec, nsec;
};

/* A connection on the pair's socket, from a process of this user only (the
   socket is in a 0700 directory; this says so again).  */
static int
accept_own (int lfd)
{
  int c = accept4 (lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (c < 0)
    {
      /* The other watchdog took it (both wait on one socket), or the
         caller left at once: anything else means the socket is broken.  */
      if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
        _exit (0);
      return -1;
    }
  struct ucred cr;
  socklen_t len = sizeof cr;
  if (getsockopt (c, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || cr.uid != geteuid ())
    {
      close (c);
      return -1;
    }
  return c;
}

/* start's message on conn: 1 with *at and *init, 0 none yet, -1 start
   left without one (or sent something else).  */
static int
recv_arming (int conn, struct timespec *at, int *init)
{
  struct arming m;
  struct iovec iov = { .iov_base = &m, .iov_len = sizeof m };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr msg
      = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  ssize_t r;
  do
    r = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  while (r < 0 && errno == EINTR);
  if (r < 0 && errno == EAGAIN)
    return 0;
  int fd = -1;
  struct cmsghdr *c = r > 0 ? CMSG_FIRSTHDR (&msg) : NULL;
  if (c != NULL && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS
      && c->cmsg_len == CMSG_LEN (sizeof (int)))
    memcpy (&fd, CMSG_DATA (c), sizeof fd);
  if (r != (ssize_t)sizeof m || fd < 0 || (msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) != 0
      || m.sec <= 0 || m.nsec < 0 || m.nsec >= 1000000000)
    {
      if (fd >= 0)
        close (fd);
      return -1;
    }
  *at = (struct timespec){ .tv_sec = (time_t)m.sec, .tv_nsec = (long)m.nsec };
  *init = fd;
  return 1;
}

/* One of the pre-forked pair: until start arms it, it holds the init only
   to leave when the init exits (delete, kill), and leaves when the other
   does (start then forks a pair of its own).  Armed, it is a watchdog like
   any other.  Both wait on one listening socket; each takes one connection
   at a time, so start's two connections reach both.  */
static void __attribute__ ((noreturn)) await_start (char role, int lfd, int init, int peer)
{
  int conn = -1;
  for (;;)
    {
      struct pollfd p[3] = { { .fd = init, .events = POLLIN },
                             { .fd = peer, .events = POLLIN },
                             { .fd = conn >= 0 ? conn : lfd, .events = POLLIN } };
      if (poll (p, 3, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          _exit (0);
        }
      if (p[0].revents != 0 || p[1].revents != 0)
        _exit (0);
      if (p[2].revents == 0)
        continue;
      if (conn < 0)
        {
          conn = accept_own (lfd);
          continue;
        }
      struct timespec at;
      int armed = -1, got = recv_arming (conn, &at, &armed);
      if (got == 0)
        continue;
      if (got < 0)
        {
          /* start left without arming (the container was not "created",
             say): wait for the next one.  */
          close (conn);
          conn = -1;
          continue;
        }
      int timer = deadline_timer (&at);
      struct pollfd other = { .fd = peer, .events = POLLIN };
      if (timer < 0 || poll (&other, 1, 0) != 0)
        _exit (0); /* no ack: start forks a pair of its own */
      close (lfd);
      close (init);
      /* Armed whether start hears it or not (it may have given up
         waiting and forked its own pair): one more guard of the same
         init and deadline.  */
      if (send (conn, &role, 1, MSG_NOSIGNAL) != 1)
        {
          /* start is gone */
        }
      close (conn);
      guard (armed, peer, timer);
    }
}

void
deadline_prearm (int lfd, int init)
{
  int peer = -1;
  char role = fork_pair (&peer);
  harden ();
  await_start (role, lfd, init, peer);
}

/* Both connections to the pre-forked pair, or neither.  */
static int
dial_prearmed (int bundle_dir, int conn[2])
{
  struct sockaddr_un a;
  socklen_t len = prearmed_address (bundle_dir, &a);
  for (int i = 0; i < 2; i++)
    {
      conn[i] = socket (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      if (conn[i] < 0 || connect (conn[i], (struct sockaddr *)&a, len) < 0)
        {
          for (int j = 0; j <= i; j++)
            if (conn[j] >= 0)
              close (conn[j]);
          conn[0] = conn[1] = -1;
          return -1;
        }
    }
  return 0;
}

/* How long start waits for the pre-forked pair before it forks its own.  */
#define PREARMED_ANSWER_MS 1000

static long
elapsed_ms (const struct timespec *t0)
{
  struct timespec now;
  clock_gettime (CLOCK_MONOTONIC, &now);
  return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Hand the init to both of the pre-forked pair; 0 once 'A' and 'B' have
   both said they are armed.  */
static int
arm_prearmed (int conn[2], const struct timespec *at, int init_pidfd)
{
  struct arming m = { .sec = (int64_t)at->tv_sec, .nsec = (int64_t)at->tv_nsec };
  for (int i = 0; i < 2; i++)
    {
      struct iovec iov = { .iov_base = &m, .iov_len = sizeof m };
      union
      {
        char buf[CMSG_SPACE (sizeof (int))];
        struct cmsghdr align;
      } u;
      memset (&u, 0, sizeof u);
      struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf
      };
      struct cmsghdr *c = CMSG_FIRSTHDR (&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (c), &init_pidfd, sizeof init_pidfd);
      ssize_t r;
      do
        r = sendmsg (conn[i], &msg, MSG_NOSIGNAL);
      while (r < 0 && errno == EINTR);
      if (r != (ssize_t)sizeof m)
        return -1;
    }
  char said[2] = { 0, 0 };
  struct timespec t0;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  while (said[0] == 0 || said[1] == 0)
    {
      long left = PREARMED_ANSWER_MS - elapsed_ms (&t0);
      if (left <= 0)
        return -1;
      struct pollfd p[2] = { { .fd = said[0] ? -1 : conn[0], .events = POLLIN },
                             { .fd = said[1] ? -1 : conn[1], .events = POLLIN } };
      int n = poll (p, 2, (int)left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      for (int i = 0; i < 2; i++)
        if (p[i].revents != 0 && (recv (conn[i], &said[i], 1, MSG_DONTWAIT) != 1 || said[i] == 0))
          return -1;
    }
  return said[0] != said[1] && (said[0] == 'A' || said[0] == 'B')
                 && (said[1] == 'A' || said[1] == 'B')
             ? 0
             : -1;
}

static void
close_prearmed (struct deadline_pair *dp)
{
  for (int i = 0; i < 2; i++)
    if (dp->conn[i] >= 0)
      close (dp->conn[i]);
  dp->conn[0] = dp->conn[1] = -1;
}

int
deadline_prepare (int64_t timeout, const char *id, int bundle_dir, struct deadline_pair *dp,
                  char **err)
{
  *dp = (struct deadline_pair){ .sock = -1, .ready = -1, .conn = { -1, -1 } };
  long seconds = (long)timeout;
  if (seconds <= 0)
    return 0;
  if (absolute_deadline (seconds, &dp->at, err) < 0)
    return -1;
  dp->on = true;
  if (bundle_dir >= 0 && dial_prearmed (bundle_dir, dp->conn) == 0)
    return 0;
  return start_fresh (dp, id, err);
}

int
deadline_arm (struct deadline_pair *dp, const char *id, int init_pidfd, char **err)
{
  if (!dp->on)
    return 0;
  if (init_pidfd < 0)
    {
      deadline_cancel (dp);
      return fail (err, "cannot arm the deadline of container \"%s\": it has no process", id);
    }
  if (dp->conn[0] >= 0)
    {
      int r = arm_prearmed (dp->conn, &dp->at, init_pidfd);
      close_prearmed (dp);
      if (r == 0)
        {
          dp->on = false;
          return 0;
        }
      /* Missing, dead or slow: a pair of start's own, armed as before.  A
         pre-forked watchdog that arms after all guards the same init with
         the same deadline.  */
      if (start_fresh (dp, id, err) < 0)
        return -1;
    }
  dp->on = false;
  send_fd (dp->sock, init_pidfd);
  send_fd (dp->sock, init_pidfd);
  close (dp->sock);
  dp->sock = -1;
  int r = wait_ready (dp->ready, err);
  dp->ready = -1;
  return r;
}

void
deadline_cancel (struct deadline_pair *dp)
{
  close_prearmed (dp);
  if (dp->sock >= 0)
    close (dp->sock);
  if (dp->ready >= 0)
    close (dp->ready);
  dp->sock = dp->ready = -1;
  dp->on = false;
}
