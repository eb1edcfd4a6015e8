/* policyrun: an OCI runtime that holds every bundle to a security floor and
   then hands it to the real runtime.  main() parses the command line once,
   loads the policy, resolves the delegate and dispatches to the command
   (commands.h); it alone decides how an error is shown and which exit
   status it gets.  Nothing includes or calls into this file.  */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd_support.h"
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
  { CMD_PASSTHROUGH, exec_delegate_unchanged },
  { CMD_HELP, exec_delegate_unchanged },
  { CMD_CREATE, cmd_create },
  { CMD_RUN, cmd_create },
  { CMD_RESTORE, cmd_create },
  { CMD_EXEC, cmd_exec },
  { CMD_UPDATE, cmd_update },
  { CMD_START, cmd_start },
  { CMD_DELETE, cmd_delete },
  { CMD_CHECK, cmd_check },
  { CMD_VERSION, cmd_version },
};

/* The commands audit mode judges and records (cmd_audit.c); the others
   (delete, check, version, help, passthrough) are the same in every mode.  */
static bool
command_is_audited (enum cmd_kind k)
{
  return k == CMD_CREATE || k == CMD_RUN || k == CMD_RESTORE || k == CMD_EXEC || k == CMD_UPDATE
         || k == CMD_START;
}

static int
run (struct context *ctx, char **err)
{
  if (policy_load (&ctx->policy, ctx->cl->policy, err) < 0)
    return -1;
  if (ctx->cl->kind != CMD_CHECK)
    {
      const char *name = ctx->cl->delegate ? ctx->cl->delegate
                         : ctx->cl->gvisor ? ctx->policy.gvisor_delegate
                                           : ctx->policy.delegate;
      if (delegate_resolve (name, &ctx->delegate, err) < 0)
        return -1;
      if (ctx->cl->gvisor && delegate_dialect_of (ctx->delegate) != DIALECT_RUNSC)
        return fail (err,
                     "gvisor_delegate %s is not runsc (its file name must start with \"runsc\")",
                     ctx->delegate);
    }
  if (context_prepare (ctx, err) < 0)
    return -1;
  if (ctx->policy.mode == MODE_AUDIT && command_is_audited (ctx->cl->kind))
    return cmd_audit (ctx, err);
  for (size_t i = 0; i < sizeof dispatch / sizeof dispatch[0]; i++)
    if (dispatch[i].kind == ctx->cl->kind)
      return dispatch[i].fn (ctx, err);
  return fail (err, "internal error: no handler for this command");
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
      /* Audit mode is transparent: what policyrun's parser refuses (an
         unknown command, a flag it does not take) is runc's to answer;
         this returns only when it is not handed on.  */
      cmd_audit_unparsed (&ctx, &err);
      const char *log = cl.log, *format = cl.log_format;
      cli_prescan_log_flags (argc, argv, &log, &format);
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
