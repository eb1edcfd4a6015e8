/* policyrun start: attest the container before its process runs.  Between
   create and start the engine wires the network namespace; a container
   that came out of create with any interface but "lo" was given a network
   that --network none never gives, so it is killed, not started.  Under
   gVisor the delegate's pid is the sandbox itself, and the sandbox is held
   to the floor as a whole (attest.h): its network, credentials, user
   namespace and cgroup limits.  A Kubernetes pod's containers are held to
   what their sandbox rule asks (attest.h, sandbox.h): a pod sandbox's
   network namespace holds no other process, and is then recorded as
   attested (the only thing that lets app containers join it); an app
   container is in its recorded sandbox's namespaces.  Then the deadline is
   armed (the policy's, or the earlier one of the container's
   policyrun.timeout annotation), and only then does the delegate start
   it.  */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attest.h"
#include "bundle.h"
#include "commands.h"
#include "deadline.h"
#include "delegate.h"
#include "floor/floor.h"
#include "sandbox.h"
#include "util.h"

/* runsc keeps a created sandbox and its gofer until it is deleted (it
   refuses to signal a container that is only created), and no engine
   deletes a container whose start policyrun refused before the delegate
   ran: so start removes it, then the private bundle.  Returns what was
   done, as the refusal says it.  */
static char *
remove_gvisor_container (struct context *ctx, const struct delegate_globals *g, const char *id)
{
  delegate_kill_container (g, id);
  const char *words[] = { "delete", "--force", id };
  cleanup_free char **argv = delegate_call_argv (g, words, 3);
  cleanup_free char *out = NULL;
  cleanup_free char *derr = NULL;
  int rc = delegate_capture (g->path, argv, 1 << 16, &out, &derr);
  if (rc != 0 || delegate_knows_container (g, id) != 0)
    return rc < 0 ? xasprintf ("the sandbox could not be deleted (%s)", derr)
                  : xasprintf ("the sandbox could not be deleted (%s exited with %d)", g->path, rc);
  cleanup_free char *berr = NULL;
  if (bundle_remove_private_locked (&ctx->policy, ctx->cl->root, id, true, &berr) != 1)
    return xstrdup ("the sandbox was deleted; its private bundle could not be removed");
  return xstrdup ("the sandbox was deleted");
}

/* The created container failed the attestation (found, when it was
   inspected) or could not be inspected or watched (*err): kill it (and,
   under gVisor, remove it) and refuse, saying what failed.  */
static int
refuse_created (struct context *ctx, const struct delegate_globals *g, const char *id,
                const char *found, char **err)
{
  if (!ctx->host.gvisor)
    {
      delegate_kill_container (g, id);
      if (found != NULL)
        {
          free (*err);
          *err = attest_refusal (found);
        }
      return -1;
    }
  cleanup_free char *aftermath = remove_gvisor_container (ctx, g, id);
  if (found != NULL)
    {
      free (*err);
      *err = attest_sandbox_refusal (found, aftermath);
    }
  else
    {
      cleanup_free char *reason = *err ? *err : xstrdup ("the sandbox could not be attested");
      *err = xasprintf ("%s; %s", reason, aftermath);
    }
  return -1;
}

/* The attestation that fits the delegate: 0 holds, 1 refused (*found), -1
   cannot inspect.  */
static int
attest_created (struct context *ctx, const struct container_state *st, char **found, char **err)
{
  if (!ctx->host.gvisor)
    return attest_network_namespace (st->procfd, found, err);
  struct attest_ceilings c;
  attest_ceilings_of (&ctx->policy, &c);
  return attest_gvisor_sandbox (st->procfd, &c, NULL, found, err);
}

/* A pod's container, after the network attestation held (not under
   gVisor; only under a root of containerd's CRI, since the annotations
   that make a pod's container are refused at create under any other): its
   pod rules, and a sandbox's record.  A container whose private config
   says nothing of a pod is done.  Returns 0, 1 (*found, a whole finding),
   -1 (*err).  */
static int
attest_pod (struct context *ctx, const char *id, const struct container_state *st, char **found,
            char **err)
{
  if (ctx->host.gvisor || !ctx->host.cri_caller
      || !bundle_private_exists (&ctx->policy, ctx->cl->root, id))
    return 0;
  cleanup_json json_value *config = NULL;
  if (bundle_load_private (&ctx->policy, ctx->cl->root, id, &config, err) < 0)
    return -1;
  bool sandbox = false;
  int r = attest_cri_container (&ctx->policy, ctx->cl->root, config, st->procfd, st->pid, &sandbox,
                                found, err);
  if (r != 0 || !sandbox)
    return r;
  struct sandbox_record rec;
  if (sandbox_record_of_process (st->procfd, st->pid, &rec, err) < 0
      || sandbox_record_write (&ctx->policy, ctx->cl->root, id, &rec, err) < 0)
    return -1;
  return 0;
}

/* The container's deadline: the policy's timeout_seconds, brought forward
   by its policyrun.timeout annotation (floor_lowering_deadline).  Read
   from the private bundle, the config create checked, so no later caller
   can move it; a container without one (not created through policyrun)
   gets the policy's.  An annotation that no longer reads there (the
   private bundle changed behind policyrun's back) refuses the start.  */
static int
deadline_seconds (struct context *ctx, const char *id, int64_t *seconds, char **err)
{
  *seconds = ctx->policy.timeout_seconds;
  if (!bundle_private_exists (&ctx->policy, ctx->cl->root, id))
    return 0;
  cleanup_json json_value *config = NULL;
  if (bundle_load_private (&ctx->policy, ctx->cl->root, id, &config, err) < 0)
    return -1;
  struct floor_lowering l;
  cleanup_free char *lerr = NULL;
  if (floor_lowering_read (config, &l, &lerr) < 0)
    return fail (err, "start: the container's deadline cannot be read: %s", lerr);
  *seconds = floor_lowering_deadline (&l, ctx->policy.timeout_seconds);
  return 0;
}

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
    int64_t seconds = 0;
    if (deadline_seconds (ctx, id, &seconds, err) < 0)
      return -1;
    cleanup_close int dir = bundle_open_private (&ctx->policy, ctx->cl->root, id);
    if (deadline_prepare (seconds, id, dir, &dp, err) < 0)
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
  int r = attest_created (ctx, &st, &found, err);
  if (r != 0)
    {
      deadline_cancel (&dp);
      return refuse_created (ctx, &g, id, r > 0 ? found : NULL, err);
    }
  r = attest_pod (ctx, id, &st, &found, err);
  if (r != 0)
    {
      deadline_cancel (&dp);
      refuse_created (ctx, &g, id, NULL, err);
      if (r > 0)
        {
          free (*err);
          *err = attest_sandbox_refusal (found, "the container was killed");
        }
      return -1;
    }
  if (deadline_arm (&dp, id, st.pidfd, err) < 0)
    return refuse_created (ctx, &g, id, NULL, err);
  return exec_delegate_unchanged (ctx, err);
}
