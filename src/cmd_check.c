/* policyrun check [--json] BUNDLE_OR_CONFIG: the floor's verdict on a bundle
   without running anything.  Exit 0 when it would be accepted, 1 if not.
   --json prints the decision trail's record of the verdict (trail.h), with
   "command": "check" and "id": null; it keeps the members check printed
   before (config, verdict, violations, tightened).  check decides nothing,
   so it writes no trail.  */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd_support.h"
#include "commands.h"
#include "report.h"
#include "trail.h"
#include "util.h"

/* check's record: the decision a create of this bundle would get, by the
   delegate the call would have.  */
static char *
check_record (struct context *ctx, const char *dir, const char *config_path,
              const json_value *config, const struct verdict *v, char **err)
{
  const struct command_line *cl = ctx->cl;
  const char *delegate = cl->delegate ? cl->delegate
                         : cl->gvisor ? ctx->policy.gvisor_delegate
                                      : ctx->policy.delegate;
  struct trail_decision d = { .command = "check",
                              .root = cl->root,
                              .bundle = dir,
                              .config = config_path,
                              .mode = ctx->policy.mode,
                              .dialect = ctx->dialect,
                              .delegate = delegate,
                              .caller = trail_caller (&ctx->host, config),
                              .policy = ctx->policy.source,
                              .verdict = v };
  return trail_line (&d, err);
}

int
cmd_check (struct context *ctx, char **err)
{
  if (ctx->cl->nargs != 1)
    return fail (err, "check: exactly one bundle directory or config file is required");
  const char *what = ctx->cl->args[0];
  struct stat st;
  if (stat (what, &st) < 0)
    return fail (err, "check: cannot open %s: %s", what,
                 errno == ENOENT ? "it does not exist" : strerror (errno));
  cleanup_free char *config_path = NULL;
  cleanup_free char *dir = NULL;
  if (S_ISDIR (st.st_mode))
    {
      dir = realpath (what, NULL);
      config_path = xasprintf ("%s/config.json", dir ? dir : what);
    }
  else
    {
      config_path = xstrdup (what);
      cleanup_free char *copy = xstrdup (what);
      dir = realpath (dirname (copy), NULL);
    }
  if (dir == NULL)
    return fail (err, "check: cannot resolve %s: %s", what, strerror (errno));
  cleanup_json json_value *config = NULL;
  if (command_load_config (dir, config_path, &config, err) < 0)
    return -1;
  struct verdict v = { 0 };
  /* What a create would get in this mode: harden shows what it rewrites.  */
  if (ctx->policy.mode == MODE_HARDEN)
    floor_harden_config (config, &ctx->policy, &ctx->host, &v);
  else
    floor_check_config (config, &ctx->policy, &ctx->host, &v);
  cleanup_free char *out = ctx->cl->check_json
                               ? check_record (ctx, dir, config_path, config, &v, err)
                               : report_check_text (config_path, &v);
  if (out == NULL)
    {
      verdict_free (&v);
      return -1;
    }
  fputs (out, stdout);
  fflush (stdout);
  ctx->exit_code = verdict_violations (&v) > 0 ? 1 : 0;
  verdict_free (&v);
  return 0;
}
