/* policyrun: delete and --version, which pass through after a little work.  */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "commands.h"
#include "delegate.h"
#include "json.h"
#include "spec.h"
#include "util.h"

char **
delegate_helper_argv (struct context *ctx, const char *const *words, size_t n)
{
  struct command_line *cl = ctx->cl;
  char **argv = xcalloc (n + 8, sizeof *argv);
  size_t k = 0;
  argv[k++] = ctx->delegate;
  /* The globals that select the container, and not --log: a helper's
     errors are not the caller's and must stay out of the caller's log.  */
  if (cl->root != NULL)
    {
      argv[k++] = (char *)"--root";
      argv[k++] = (char *)cl->root;
    }
  if (cl->systemd_cgroup)
    argv[k++] = (char *)"--systemd-cgroup";
  if (cl->rootless != NULL)
    {
      argv[k++] = (char *)"--rootless";
      argv[k++] = (char *)cl->rootless;
    }
  for (size_t i = 0; i < n; i++)
    argv[k++] = (char *)words[i];
  argv[k] = NULL;
  return argv;
}

int
delegate_state (struct context *ctx, const char *id, char **status, long *pid, char **err)
{
  const char *words[] = { "state", id };
  cleanup_free char **argv = delegate_helper_argv (ctx, words, 2);
  cleanup_free char *out = NULL;
  int rc = delegate_capture (ctx->delegate, argv, 1 << 20, &out, err);
  if (rc < 0)
    return -1;
  if (rc != 0)
    return fail (err, "the delegate runtime knows no container \"%s\"", id);
  cleanup_json json_value *state = NULL;
  cleanup_free char *perr = NULL;
  if (json_parse (out, strlen (out), &state, &perr) < 0)
    return fail (err, "cannot read the state of container \"%s\": %s", id, perr);
  const char *s = NULL;
  int64_t p = 0;
  if (spec_get_string (state, "status", &s) != SPEC_OK)
    return fail (err, "the state of container \"%s\" has no status", id);
  if (spec_get_int (state, "pid", 0, INT32_MAX, &p) != SPEC_OK)
    p = 0;
  *status = xstrdup (s);
  *pid = (long)p;
  return 0;
}

/* Remove the private bundle and the lock file of id, holding the lock.  A
   busy lock belongs to a create of the id at work (or, with a runc whose
   init keeps inherited descriptors, to the created container's init): that
   bundle is not ours to take, and whatever stays is removed by the next
   create of the id.  */
static int
remove_under_lock (struct context *ctx, const char *id, char **err)
{
  bool busy = false;
  cleanup_free char *lerr = NULL;
  cleanup_close int lock = bundle_lock (&ctx->policy, ctx->cl->root, id, false, &busy, &lerr);
  if (lock < 0)
    return 0;
  if (bundle_remove_private (&ctx->policy, ctx->cl->root, id, err) < 0)
    return -1;
  bundle_lock_unlink (&ctx->policy, ctx->cl->root, id, lock);
  return 0;
}

int
cmd_delete (struct context *ctx, char **err)
{
  const char *id = cli_container_id (ctx->cl);
  /* runc refuses a bad id itself; only a valid one may become a path.  */
  if (id != NULL && cli_valid_container_id (id) && !cli_flag_true (ctx->cl, "help"))
    {
      cleanup_free char *status = NULL;
      cleanup_free char *serr = NULL;
      long pid = 0;
      bool gone = delegate_state (ctx, id, &status, &pid, &serr) < 0;
      /* A running container still needs its bundle (exec reads the process
         from it); runc refuses to delete it without --force anyway.  */
      if (gone || cli_flag_true (ctx->cl, "force") || strcmp (status, "stopped") == 0
          || strcmp (status, "created") == 0)
        if (remove_under_lock (ctx, id, err) < 0)
          return -1;
    }
  return exec_delegate_unchanged (ctx, err);
}

int
cmd_version (struct context *ctx, char **err)
{
  const char *words[] = { "--version" };
  cleanup_free char **argv = delegate_helper_argv (ctx, words, 1);
  cleanup_free char *out = NULL;
  int rc = delegate_capture (ctx->delegate, argv, 1 << 16, &out, err);
  if (rc < 0)
    return -1;
  /* Engines parse the first line ("runc version ..."): the delegate's lines
     come first, unchanged.  */
  fputs (out, stdout);
  printf ("policyrun version %s\n", PACKAGE_VERSION);
  fflush (stdout);
  ctx->exit_code = rc;
  return 0;
}
