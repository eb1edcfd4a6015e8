/* policyrun start: attest the container's network before its process runs.
   Between create and start the engine wires the network namespace; a
   container that came out of create with any interface but "lo" was given a
   network that --network none never gives, so it is killed, not started.  */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attest.h"
#include "deadline.h"
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
  if (deadline_arm (ctx, id, pid, err) < 0)
    {
      kill_container (ctx, id);
      return -1;
    }
  return exec_delegate_unchanged (ctx, err);
}
