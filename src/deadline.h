/* policyrun: the wall-clock deadline, and the detached helpers that must
   outlive policyrun's execve() of the delegate.

   The deadline is kept by a pair of watchdogs.  Each holds a pidfd of the
   container's init, a pidfd of the other and a timerfd on CLOCK_BOOTTIME set
   to the same absolute deadline (no multiplication: nothing to overflow).
   Either one kills the container when the deadline passes, and either one
   kills it when it sees the other die while the container still runs: a
   killed or crashed watchdog fails closed.  Both leave as soon as the init
   exits, so a later container that reuses the id or the pid is never
   touched.  They run as root, undumpable (the container's user can neither
   signal nor trace them), with oom_score_adj -1000 where the kernel lets
   policyrun lower it, in their own session, on "/", holding none of the
   caller's descriptors.  Arming either succeeds or the command is refused:
   a floor that says "bounded time" must not quietly give unbounded time.  */
#ifndef POLICYRUN_DEADLINE_H
#define POLICYRUN_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "delegate.h"

/* The longest deadline: ten years (the policy loader caps timeout_seconds
   there too).  */
#define DEADLINE_MAX_SECONDS 315360000L

/* At start, in two steps, so that the watchdogs come up while policyrun
   inspects the container.  deadline_prepare finds the pair that the
   create's cleaner pre-forked (listening in the private bundle, whose
   directory is bundle_dir; -1 when there is none) or forks a pair of its
   own (nothing when seconds is 0); deadline_arm hands the pair the created
   container's init (init_pidfd, verified by the caller to name it) and
   returns once both hold it, with the deadline counted from the prepare.
   A pre-forked pair that is missing, dead or slow to answer is replaced by
   a pair of start's own: deadline_arm fails only when that one cannot be
   armed either.  deadline_cancel (or policyrun's death) sends a fresh pair
   away unarmed and leaves a pre-forked one waiting.  */
struct deadline_pair
{
  int sock;           /* -1: no fresh pair */
  int ready;          /* both watchdogs write a byte here when armed */
  int conn[2];        /* connections to the pre-forked pair, -1: none */
  bool on;            /* a deadline is to be armed */
  struct timespec at; /* CLOCK_BOOTTIME */
};
int deadline_prepare (int64_t seconds, const char *id, int bundle_dir, struct deadline_pair *dp,
                      char **err);
int deadline_arm (struct deadline_pair *dp, const char *id, int init_pidfd, char **err);
void deadline_cancel (struct deadline_pair *dp);

/* At create, the pair pre-forked for start.  deadline_listen binds the
   socket start will dial in the private bundle (bundle_dir) and returns it
   listening.  deadline_prearm, called by the cleaner once the create has
   recorded the container, turns the process into the first watchdog of a
   pair that waits, unarmed, for start: both leave when init_pidfd's
   process exits or the other leaves before arming.  */
int deadline_listen (int bundle_dir, char **err);
void deadline_prearm (int listen_fd, int init_pidfd) __attribute__ ((noreturn));

/* One descriptor over a unix socket, as the create hands its listening
   socket to its cleaner: send it, or take one that has been sent (-1 when
   none has).  */
void deadline_send_fd (int sock, int fd);
int deadline_take_fd (int sock);

/* At run, just before the delegate's run replaces this process: the first
   watchdog finds the container's init once the delegate records it and
   hands it to the second.  */
int deadline_arm_run (const struct delegate_globals *g, int64_t seconds, const char *id,
                      char **err);

/* Fork a detached helper: its own session, working directory "/", stdio on
   /dev/null, no signal blocked, and no descriptor but fds[0..n-1] (each
   >= 3, kept under the same numbers, close-on-exec so that the delegate
   calls the helper makes do not inherit them).  Returns 1 in the helper,
   0 in the caller once the helper exists, -1 with *err if it could not be
   started.  */
int deadline_detach (const int *fds, size_t n, char **err);

#endif
