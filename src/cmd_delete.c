/* policyrun delete: remove the private bundle (when the container no
   longer needs it), then pass through.  */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "commands.h"
#include "delegate.h"
#include "util.h"

/* Whether the private bundle of id may go: the container is stopped,
   created, unknown to the delegate, or --force is given.  A running (or
   paused) container still needs it: exec reads the process from it, and
   runc refuses to delete it without --force anyway.  */
static bool
bundle_no_longer_needed (struct context *ctx, const char *id)
{
  if (cli_flag_true (ctx->cl, "force"))
    return true;
  struct delegate_globals g = delegate_globals_of (ctx);
  cleanup_container_state struct container_state st = { .pidfd = -1, .procfd = -1 };
  cleanup_free char *serr = NULL;
  if (delegate_container_state (&g, id, &st, &serr) < 0)
    return true;
  return strcmp (st.status, "stopped") == 0 || strcmp (st.status, "created") == 0;
}

int
cmd_delete (struct context *ctx, char **err)
{
  const char *id = cli_container_id (ctx->cl);
  /* runc refuses a bad id itself; only a valid one may become a path.
     Without a private bundle (or its lock) there is nothing to remove and
     nothing to ask.  */
  if (id != NULL && cli_valid_container_id (id) && !cli_flag_true (ctx->cl, "help")
      && bundle_private_left (&ctx->policy, ctx->cl->root, id)
      && bundle_no_longer_needed (ctx, id)
      /* A busy lock belongs to a create of the id at work: that bundle is
         not ours to take, and whatever stays goes with the next create.  */
      && bundle_remove_private_locked (&ctx->policy, ctx->cl->root, id, false, err) < 0)
    return -1;
  return exec_delegate_unchanged (ctx, err);
}
