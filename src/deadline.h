/* policyrun: the wall-clock deadline.  A detached watchdog holds a pidfd of
   the container's init and kills it when the policy's timeout_seconds have
   passed; it leaves as soon as that process exits, so a later container that
   reuses the id or the pid is never touched.  Arming either succeeds or the
   command is refused: a floor that says "bounded time" must not quietly give
   unbounded time.  */
#ifndef POLICYRUN_DEADLINE_H
#define POLICYRUN_DEADLINE_H

#include "commands.h"

/* At start: the created container's init is pid.  */
int deadline_arm (struct context *ctx, const char *id, long pid, char **err);

/* At run, just before the delegate's run replaces this process: the
   watchdog finds the container's init once the delegate reports it.  After
   run has ended and the delegate has forgotten the container, the watchdog
   also removes its private bundle (nobody calls delete after run).  */
int deadline_arm_for_run (struct context *ctx, const char *id, char **err);

#endif
