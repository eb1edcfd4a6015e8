/* policyrun start: attest the container's network before its process runs.
   Between create and start the engine wires the network namespace; a
   container that came out of create with any interface but "lo" was given a
   network that --network none never gives, so it is killed, not started.
   Then the deadline is armed, and only then does the delegate start it.  */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attest.h"
#include "bundle.h"
#include "commands.h"
#include "deadline.h"
#include "delegate.h"
#include "util.h"

int
cmd_start (struct context *ctx, char **err)
{
  const char *id = NULL;
  if (cli_flag_true (ctx->cl, "help"))
    return exec_delegate_unchanged (ctx, err);
  if (require_container_id (ctx, &id, err) < 0)
    return -1;
  struct delegate_globals g = delegate_globals_of (ctx);
  /* The create's cleaner has left a pair of watchdogs waiting in the
     private bundle; without one, a pair is forked first, while this
     process is small, and comes up while it reads the container's state
     and attests it.  */
  struct deadline_pair dp;
  {
    cleanup_close int dir = bundle_open_private (&ctx->policy, ctx->cl->root, id);
    if (deadline_prepare (ctx->policy.timeout_seconds, id, dir, &dp, err) < 0)
      return -1;
  }
  cleanup_container_state struct container_state st = { .pidfd = -1, .procfd = -1 };
  if (delegate_container_state (&g, id, &st, err) < 0)
    {
      deadline_cancel (&dp);
      return -1;
    }
  /* Only a created container is about to run its process; for anything
     else the delegate gives its own answer.  */
  if (strcmp (st.status, "created") != 0)
    {
      deadline_cancel (&dp);
      return exec_delegate_unchanged (ctx, err);
    }
  cleanup_free char *found = NULL;
  int r = attest_network_namespace (st.procfd, &found, err);
  if (r != 0)
    {
      deadline_cancel (&dp);
      delegate_kill_container (&g, id);
      if (r > 0)
        {
          free (*err);
          *err = attest_refusal (found);
        }
      return -1;
    }
  if (deadline_arm (&dp, id, st.pidfd, err) < 0)
    {
      delegate_kill_container (&g, id);
      return -1;
    }
  return exec_delegate_unchanged (ctx, err);
}
