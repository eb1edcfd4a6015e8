/* policyrun --version: the delegate's version lines, then policyrun's.  */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "delegate.h"
#include "util.h"

int
cmd_version (struct context *ctx, char **err)
{
  struct delegate_globals g = delegate_globals_of (ctx);
  const char *words[] = { "--version" };
  cleanup_free char **argv = delegate_call_argv (&g, words, 1);
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
