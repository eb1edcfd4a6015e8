/* What the command-line tests share: a command line parsed from one string,
   owning its argv.  */
#ifndef POLICYRUN_TEST_CLI_HELPERS_H
#define POLICYRUN_TEST_CLI_HELPERS_H

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

struct parsed
{
  char *buf;
  char *argv[64];
  int argc;
  struct command_line c;
  char *err;
  int ret;
};

/* argv0 followed by LINE split on spaces ("" stands for an empty word),
   parsed with cli_parse.  */
static inline struct parsed *
parse_as (const char *argv0, const char *line)
{
  struct parsed *p = xcalloc (1, sizeof *p);
  p->buf = xstrdup (line);
  p->argv[p->argc++] = (char *)argv0;
  for (char *s = p->buf, *save = NULL, *w; (w = strtok_r (s, " ", &save)) != NULL; s = NULL)
    p->argv[p->argc++] = strcmp (w, "\"\"") == 0 ? (char *)"" : w;
  p->argv[p->argc] = NULL;
  p->ret = cli_parse (p->argc, p->argv, &p->c, &p->err);
  return p;
}

static inline void
parsed_free (struct parsed *p)
{
  cli_free (&p->c);
  free (p->err);
  free (p->buf);
  free (p);
}

#endif
