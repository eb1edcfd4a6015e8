/* policyrun: an OCI runtime that holds every bundle to a security floor and
   then hands it to the real runtime.  main() parses the command line once,
   loads the policy, and dispatches; it alone decides how an error is shown
   and which exit status it gets.  */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "delegate.h"
#include "report.h"
#include "util.h"

typedef int (*command_fn) (struct context *ctx, char **err);

static const struct
{
  enum cmd_kind kind;
  command_fn fn;
} dispatch[] = {
  { CMD_PASSTHROUGH, cmd_passthrough }, { CMD_HELP, cmd_passthrough },
  { CMD_CREATE, cmd_create },           { CMD_RUN, cmd_create },
  { CMD_RESTORE, cmd_create },          { CMD_EXEC, cmd_exec },
  { CMD_UPDATE, cmd_update },           { CMD_START, cmd_start },
  { CMD_DELETE, cmd_delete },           { CMD_CHECK, cmd_check },
  { CMD_VERSION, cmd_version },
};

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
  bool *drop = xcalloc ((size_t)cl->argc + 1, sizeof *drop);
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
  char **argv = delegate_argv (&e);
  free (drop);
  return argv;
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
cmd_passthrough (struct context *ctx, char **err)
{
  return exec_delegate_unchanged (ctx, err);
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

static int
run (struct context *ctx, char **err)
{
  if (policy_load (&ctx->policy, ctx->cl->policy, err) < 0)
    return -1;
  if (ctx->cl->kind != CMD_CHECK)
    {
      const char *name = ctx->cl->delegate ? ctx->cl->delegate : ctx->policy.delegate;
      if (delegate_resolve (name, &ctx->delegate, err) < 0)
        return -1;
    }
  /* Only the commands that check anything need to know the host.  */
  if (ctx->cl->kind != CMD_PASSTHROUGH && ctx->cl->kind != CMD_HELP)
    host_facts_probe (&ctx->host);
  /* The delegate resolves a relative --root against the working directory;
     policyrun's own use of it (the watchdog runs in "/") needs it absolute.  */
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
  for (size_t i = 0; i < sizeof dispatch / sizeof dispatch[0]; i++)
    if (dispatch[i].kind == ctx->cl->kind)
      return dispatch[i].fn (ctx, err);
  return fail (err, "internal error: no handler for this command");
}

/* When the command line itself is refused, the parser may have stopped
   before --log or --log-format: find them the plain way (runc's globals come
   before the command) so that the refusal still reaches the caller's log.  */
static void
prescan_log_flags (int argc, char **argv, const char **log, const char **format)
{
  for (int i = 1; i < argc; i++)
    {
      const char *a = argv[i];
      if (a[0] != '-')
        break;
      const char *name = a + (a[1] == '-' ? 2 : 1);
      const char *eq = strchr (name, '=');
      size_t n = eq ? (size_t)(eq - name) : strlen (name);
      const char **slot = NULL;
      if (n == 3 && strncmp (name, "log", 3) == 0)
        slot = log;
      else if (n == 10 && strncmp (name, "log-format", 10) == 0)
        slot = format;
      if (slot == NULL)
        {
          /* Skip the value of the other globals that take one.  */
          static const char *const valued[] = { "root", "criu", "rootless", "policy", "delegate" };
          for (size_t k = 0; !eq && k < sizeof valued / sizeof valued[0]; k++)
            if (strlen (valued[k]) == n && strncmp (name, valued[k], n) == 0)
              i++;
          continue;
        }
      if (eq)
        *slot = eq + 1;
      else if (i + 1 < argc)
        *slot = argv[++i];
    }
}

/* A caller that starts policyrun with stdin, stdout or stderr closed would
   let the next open() take that number, and a descriptor meant for one thing
   would be read or written as another.  */
static void
ensure_stdio (void)
{
  for (int fd = 0; fd < 3; fd++)
    if (fcntl (fd, F_GETFD) < 0)
      {
        int n = open ("/dev/null", O_RDWR);
        if (n >= 0 && n != fd)
          {
            dup2 (n, fd);
            close (n);
          }
      }
}

int
main (int argc, char **argv)
{
  struct command_line cl = { 0 };
  struct context ctx = { .cl = &cl };
  char *err = NULL;
  int code;

  ensure_stdio ();
  policy_defaults (&ctx.policy);
  if (cli_parse (argc, argv, &cl, &err) < 0)
    {
      const char *log = cl.log, *format = cl.log_format;
      prescan_log_flags (argc, argv, &log, &format);
      report_error (log, format, err);
      code = 1;
    }
  else if (run (&ctx, &err) < 0)
    {
      report_error (cl.log, cl.log_format, err ? err : "unknown error");
      code = 1;
    }
  else
    code = ctx.exit_code;
  free (err);
  free (ctx.delegate);
  free (ctx.root_abs);
  policy_free (&ctx.policy);
  cli_free (&cl);
  return code;
}
