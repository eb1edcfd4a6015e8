/* policyrun: what the commands share (see cmd_support.h).  */
#include "config.h"
#include "cmd_support.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "delegate.h"
#include "report.h"
#include "spec.h"
#include "util.h"

int
context_prepare (struct context *ctx, char **err)
{
  /* Only the commands that check anything need to know the host.  */
  if (ctx->cl->kind != CMD_PASSTHROUGH && ctx->cl->kind != CMD_HELP)
    host_facts_probe (&ctx->host);
  if (ctx->cl->root != NULL && ctx->cl->root[0] != '/')
    {
      cleanup_free char *cwd = getcwd (NULL, 0);
      if (cwd == NULL)
        return fail (err, "cannot read the working directory");
      cleanup_free char *joined = xasprintf ("%s/%s", cwd, ctx->cl->root);
      ctx->root_abs = path_clean (joined);
      ctx->cl->root = ctx->root_abs;
    }
  /* containerd names the runtime root after its namespace; CRI's is k8s.io.  */
  const char *root = ctx->cl->root;
  const char *last = root ? strrchr (root, '/') : NULL;
  ctx->host.cri_caller = last != NULL && strcmp (last + 1, "k8s.io") == 0;
  return 0;
}

int
verdict_settle (struct verdict *v, char **err)
{
  int r = 0;
  if (verdict_violations (v) > 0)
    {
      free (*err);
      *err = report_refusal (v);
      r = -1;
    }
  verdict_free (v);
  return r;
}

int
require_container_id (struct context *ctx, const char **id, char **err)
{
  const char *c = cli_container_id (ctx->cl);
  if (c == NULL)
    return fail (err, "%s: a container id is required", ctx->cl->command);
  if (cli_check_container_id (ctx->cl->command, c, err) < 0)
    return -1;
  *id = c;
  return 0;
}

int
command_load_config (const char *bundle_dir, const char *config_path, json_value **out, char **err)
{
  cleanup_free char *lerr = NULL;
  cleanup_close int fd = open_regular_file (config_path, &lerr);
  if (fd < 0)
    return fail (err, "cannot load %s: %s", config_path, lerr);
  cleanup_json json_value *config = NULL;
  if (json_load_fd (fd, &config, &lerr) < 0)
    return fail (err, "cannot load %s: %s", config_path, lerr);
  if (config->type != JSON_OBJECT)
    return fail (err, "cannot load %s: not a JSON object", config_path);
  if (spec_check_types_config (config, &lerr) < 0)
    return fail (err, "cannot load %s: %s", config_path, lerr);
  if (bundle_absolutize (config, bundle_dir, &lerr) < 0)
    return fail (err, "cannot load %s: %s", config_path, lerr);
  *out = config;
  config = NULL;
  return 0;
}

/* ------------------------------------------------------------------------ */
/* The delegate hand-off (to move to delegate.c).                            */

int
exec_delegate_unchanged (struct context *ctx, char **err)
{
  struct argv_edit e = { .argc = ctx->cl->argc,
                         .argv = ctx->cl->argv,
                         .from = ctx->cl->runc_start,
                         .delegate = ctx->delegate,
                         .after = -1 };
  cleanup_free char **argv = delegate_argv (&e);
  return delegate_exec (ctx->delegate, argv, err);
}

char **
delegate_argv_swapping (struct context *ctx, bool (*swapped) (const char *flag), const char *flag,
                        const char *value, const char **replace)
{
  struct command_line *cl = ctx->cl;
  cleanup_free bool *drop = xcalloc ((size_t)cl->argc + 1, sizeof *drop);
  for (size_t i = 0; i < cl->nflags; i++)
    if (swapped (cl->flags[i].name))
      {
        drop[cl->flags[i].name_index] = true;
        if (cl->flags[i].value_index >= 0)
          drop[cl->flags[i].value_index] = true;
      }
  const char *insert[] = { flag, value };
  struct argv_edit e = { .argc = cl->argc,
                         .argv = cl->argv,
                         .from = cl->runc_start,
                         .delegate = ctx->delegate,
                         .drop = drop,
                         .replace = replace,
                         .after = cl->command_index,
                         .insert = insert,
                         .ninsert = 2 };
  return delegate_argv (&e);
}

struct delegate_globals
delegate_globals_of (const struct context *ctx)
{
  return (struct delegate_globals){ .path = ctx->delegate,
                                    .root = ctx->cl->root,
                                    .systemd_cgroup = ctx->cl->systemd_cgroup,
                                    .rootless = ctx->cl->rootless };
}
