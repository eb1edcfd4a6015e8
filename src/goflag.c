/* policyrun: Go's flag package, as urfave/cli v1 drives it for runc: one
   flag set over a list of argv indices, the values Go refuses, and the two
   ways urfave/cli versions reorder a command's words (see cli.c).  */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli-internal.h"
#include "gosyntax.h"
#include "util.h"

/* ------------------------------------------------------------------------ */
/* Go's flag package over a list of argv indices.                            */

void
parse_result_free (struct parse_result *r)
{
  free (r->occ);
  free (r->args);
  free (r->err);
  memset (r, 0, sizeof *r);
}

/* A flag of runc's table for the set, or urfave's help flag.  */
static const struct flag_def *
lookup_runc_flag (const struct flag_set *set, const char *name, size_t len, bool *by_alias)
{
  for (const struct flag_def *d = set->defs; d->name != NULL; d++)
    {
      if (strlen (d->name) == len && memcmp (d->name, name, len) == 0)
        {
          *by_alias = false;
          return d;
        }
      if (d->alias != NULL && strlen (d->alias) == len && memcmp (d->alias, name, len) == 0)
        {
          *by_alias = true;
          return d;
        }
    }
  if (set->with_help)
    {
      const struct flag_def *d = &cli_help_flag;
      if (strlen (d->name) == len && memcmp (d->name, name, len) == 0)
        {
          *by_alias = false;
          return d;
        }
      if (strlen (d->alias) == len && memcmp (d->alias, name, len) == 0)
        {
          *by_alias = true;
          return d;
        }
    }
  return NULL;
}

static const struct flag_def *
lookup_flag (const struct flag_set *set, const char *name, size_t len, bool *by_alias)
{
  const struct flag_def *d = lookup_runc_flag (set, name, len, by_alias);
  if (d != NULL || !set->with_engine)
    return d;
  /* runsc's own global flags, where runc has no flag of that name.  */
  const struct engine_flag_def *e = runsc_global_flag (name, len);
  if (e == NULL || e->verdict == EV_RUNC)
    return NULL;
  *by_alias = false;
  return &e->def;
}

static bool
is_engine_flag (const struct flag_set *set, const struct flag_def *d)
{
  if (!set->with_engine)
    return false;
  const struct engine_flag_def *e = runsc_global_flag (d->name, strlen (d->name));
  return e != NULL && &e->def == d;
}

static char *
where_suffix (const struct flag_set *set)
{
  return set->where != NULL ? xasprintf (" for %s", set->where) : xstrdup ("");
}

static const char *
spelled (const struct flag_def *d, bool by_alias)
{
  return by_alias ? d->alias : d->name;
}

static const char *
dashes (const char *name)
{
  return strlen (name) == 1 ? "-" : "--";
}

/* Refuse what Go's flag.Value.Set refuses (and, for numbers, the forms
   that readers would disagree on; see go_plain_decimal_int64).  */
static int
check_value (const struct flag_set *set, const struct flag_def *d, bool by_alias, const char *value,
             char **err)
{
  const char *problem = NULL;
  switch (d->type)
    {
    case FT_INT:
    case FT_INT64_SLICE:
      if (!go_plain_decimal_int64 (value))
        problem = "not a plain decimal integer";
      break;
    case FT_DURATION:
      if (!go_duration_valid (value))
        problem = "not a Go duration such as 5s or 1m30s";
      break;
    case FT_UINT:
      if (!go_plain_decimal_int64 (value) || value[0] == '-' || value[0] == '+')
        problem = "not a plain unsigned decimal integer";
      break;
    case FT_BOOL:
    case FT_STRING:
    case FT_STRING_SLICE:
      break;
    }
  if (problem == NULL)
    return 0;
  cleanup_free char *w = where_suffix (set);
  const char *n = spelled (d, by_alias);
  return fail (err, "invalid value \"%s\" for %s%s%s: %s", value, dashes (n), n, w, problem);
}

/* One FlagSet.Parse over the words at argv[words[0..n)], as Go does it:
   "-x" and "--x" alike, "-x=v", a non-boolean takes the next word whatever
   it looks like, a boolean only "=v", "--" ends the flags and is dropped,
   "-" and anything not starting with '-' end them and stay.  Occurrences
   are recorded up to the first error.  */
int
goflag_parse (const struct flag_set *set, char **argv, const int *words, size_t n,
              struct parse_result *r)
{
  r->occ = xcalloc (n + 1, sizeof *r->occ);
  r->args = xcalloc (n + 1, sizeof *r->args);
  size_t i = 0;
  while (i < n)
    {
      const char *s = argv[words[i]];
      if (strlen (s) < 2 || s[0] != '-')
        break;
      size_t minuses = 1;
      if (s[1] == '-')
        {
          minuses = 2;
          if (s[2] == '\0')
            {
              i++;
              break;
            }
        }
      const char *name = s + minuses;
      if (name[0] == '\0' || name[0] == '-' || name[0] == '=')
        {
          cleanup_free char *w = where_suffix (set);
          return fail (&r->err, "bad flag syntax %s%s", s, w);
        }
      const char *eq = strchr (name + 1, '=');
      size_t len = eq != NULL ? (size_t)(eq - name) : strlen (name);
      int name_index = words[i++];
      bool by_alias = false;
      const struct flag_def *d = lookup_flag (set, name, len, &by_alias);
      if (d == NULL)
        {
          if (set->where == NULL
              && ((len == 6 && memcmp (name, "policy", 6) == 0)
                  || (len == 8 && memcmp (name, "delegate", 8) == 0)
                  || (len == 6 && memcmp (name, "gvisor", 6) == 0)))
            return fail (&r->err,
                         "policyrun's own flag --%.*s must come before runc's global flags",
                         (int)len, name);
          cleanup_free char *w = where_suffix (set);
          return fail (&r->err, "unknown flag %.*s%s", (int)(minuses + len), s, w);
        }
      struct occurrence *o = &r->occ[r->nocc];
      o->def = d;
      o->engine = is_engine_flag (set, d);
      o->by_alias = by_alias;
      o->name_index = name_index;
      o->value_index = -1;
      if (d->type == FT_BOOL)
        {
          bool b = true;
          if (eq != NULL && go_parse_bool (eq + 1, &b) < 0)
            {
              cleanup_free char *w = where_suffix (set);
              const char *sp = spelled (d, by_alias);
              return fail (&r->err, "invalid boolean value \"%s\" for %s%s%s: use true or false",
                           eq + 1, dashes (sp), sp, w);
            }
          o->value = b ? "true" : "false";
        }
      else
        {
          if (eq != NULL)
            o->value = eq + 1;
          else if (i < n)
            {
              o->value_index = words[i++];
              o->value = argv[o->value_index];
            }
          else
            {
              cleanup_free char *w = where_suffix (set);
              const char *sp = spelled (d, by_alias);
              return fail (&r->err, "flag %s%s%s needs a value", dashes (sp), sp, w);
            }
          if (check_value (set, d, by_alias, o->value, &r->err) < 0)
            return -1;
        }
      r->nocc++;
    }
  for (; i < n; i++)
    r->args[r->nargs++] = words[i];

  /* urfave's normalizeFlags: "-b X --bundle Y" is refused, not merged.  */
  for (size_t a = 0; a < r->nocc; a++)
    for (size_t b = a + 1; b < r->nocc; b++)
      if (r->occ[a].def == r->occ[b].def && r->occ[a].by_alias != r->occ[b].by_alias)
        {
          const struct flag_def *d = r->occ[a].def;
          cleanup_free char *w = where_suffix (set);
          return fail (&r->err, "-%s and --%s%s are two forms of the same flag; use one", d->alias,
                       d->name, w);
        }
  return 0;
}

/* urfave's argIsFlag: is WORD one of the command's flags ("--x", "-x",
   "--x=v"; also "---x", which Go later calls bad syntax)?  */
static bool
arg_is_flag (const struct flag_set *set, const char *word)
{
  if (strcmp (word, "-") == 0 || strcmp (word, "--") == 0 || word[0] != '-')
    return false;
  const char *s = word;
  if (strncmp (s, "--", 2) == 0)
    s += 2;
  if (s[0] == '-')
    s += 1;
  size_t len = strcspn (s, "=");
  bool by_alias;
  return lookup_flag (set, s, len, &by_alias) != NULL;
}

/* urfave/cli v1.22.6 and later (runc 1.2 to 1.5, and Debian's runc 1.1):
   after a known flag without "=", the next word that is not a known flag
   moves with it, even after a boolean and even "--"; the first other "--"
   ends the reordering and goes in front of the words that stay.  */
static size_t
reorder_v1_22_6 (const struct flag_set *set, char **argv, const int *in, size_t n, int *out)
{
  int *stay = xcalloc (n + 1, sizeof *stay);
  size_t nout = 0, nstay = 0;
  bool next_may_be_value = false;
  for (size_t i = 0; i < n; i++)
    {
      const char *w = argv[in[i]];
      if (next_may_be_value && !arg_is_flag (set, w))
        {
          next_may_be_value = false;
          out[nout++] = in[i];
        }
      else if (strcmp (w, "--") == 0)
        {
          out[nout++] = in[i];
          for (size_t k = 0; k < nstay; k++)
            out[nout++] = stay[k];
          for (size_t k = i + 1; k < n; k++)
            out[nout++] = in[k];
          free (stay);
          return nout;
        }
      else if (arg_is_flag (set, w))
        {
          out[nout++] = in[i];
          next_may_be_value = strchr (w, '=') == NULL;
        }
      else
        stay[nstay++] = in[i];
    }
  for (size_t k = 0; k < nstay; k++)
    out[nout++] = stay[k];
  free (stay);
  return nout;
}

/* urfave/cli v1.21 and v1.22.1 (the runc 1.0 and 1.1 release binaries):
   every word starting with '-' but "-" moves, known flag or not; a word not
   starting with '-' moves with the flag before it (if that has no "=");
   "--" ends the reordering and stays where it is.
   (v1.22.2 to v1.22.5 are not modelled: no runc release uses them, and they
   read Docker's own "update --resources - ID" as container "-".)  */
static size_t
reorder_v1_22_1 (char **argv, const int *in, size_t n, int *out)
{
  int *stay = xcalloc (n + 1, sizeof *stay);
  size_t nout = 0, nstay = 0;
  bool read_flag_value = false;
  for (size_t i = 0; i < n; i++)
    {
      const char *w = argv[in[i]];
      if (strcmp (w, "--") == 0)
        {
          for (size_t k = i; k < n; k++)
            stay[nstay++] = in[k];
          break;
        }
      if (read_flag_value && w[0] != '-')
        {
          read_flag_value = false;
          out[nout++] = in[i];
          continue;
        }
      read_flag_value = false;
      if (strcmp (w, "-") != 0 && w[0] == '-')
        {
          out[nout++] = in[i];
          read_flag_value = strchr (w, '=') == NULL;
        }
      else
        stay[nstay++] = in[i];
    }
  for (size_t k = 0; k < nstay; k++)
    out[nout++] = stay[k];
  free (stay);
  return nout;
}

bool
help_requested (const struct parse_result *r)
{
  const struct occurrence *last = NULL;
  for (size_t i = 0; i < r->nocc; i++)
    if (r->occ[i].def == &cli_help_flag)
      last = &r->occ[i];
  return last != NULL && strcmp (last->value, "true") == 0;
}

/* Do two readings make runc do the same thing?  Both refuse, both only
   print help, or the same flags with the same values in the same order and
   the same arguments.  Which argv word supplied an equal string does not
   matter to runc.  */
static bool
same_result (char **argv, const struct parse_result *a, const struct parse_result *b)
{
  if ((a->err == NULL) != (b->err == NULL))
    return false;
  if (a->err != NULL)
    return true;
  if (help_requested (a) && help_requested (b))
    return true;
  if (a->nocc != b->nocc || a->nargs != b->nargs)
    return false;
  for (size_t i = 0; i < a->nocc; i++)
    {
      const struct occurrence *x = &a->occ[i], *y = &b->occ[i];
      if (x->def != y->def || x->by_alias != y->by_alias || strcmp (x->value, y->value) != 0
          || strcmp (argv[x->name_index], argv[y->name_index]) != 0)
        return false;
    }
  for (size_t i = 0; i < a->nargs; i++)
    if (strcmp (argv[a->args[i]], argv[b->args[i]]) != 0)
      return false;
  return true;
}

/* A command's words, read as urfave/cli reads them: reordered (unless the
   command skips it) and then parsed.  */
int
parse_command_words (const struct command_def *cmd, char **argv, int first, int argc,
                     struct parse_result *r)
{
  struct flag_set set = { .defs = cmd->flags, .with_help = true, .where = cmd->name };
  size_t n = argc > first ? (size_t)(argc - first) : 0;
  int *words = xcalloc (n + 1, sizeof *words);
  for (size_t i = 0; i < n; i++)
    words[i] = first + (int)i;
  if (cmd->skip_reorder)
    {
      int ret = goflag_parse (&set, argv, words, n, r);
      free (words);
      return ret;
    }
  int *w_new = xcalloc (n + 1, sizeof *w_new);
  int *w_old = xcalloc (n + 1, sizeof *w_old);
  size_t n_new = reorder_v1_22_6 (&set, argv, words, n, w_new);
  size_t n_old = reorder_v1_22_1 (argv, words, n, w_old);
  struct parse_result old = { 0 };
  goflag_parse (&set, argv, w_new, n_new, r);
  goflag_parse (&set, argv, w_old, n_old, &old);
  bool agree = same_result (argv, r, &old);
  parse_result_free (&old);
  free (words);
  free (w_new);
  free (w_old);
  if (!agree)
    {
      free (r->err);
      r->err = xasprintf ("%s: runc builds read this command line differently (urfave/cli "
                          "moves flags written after the container id); write every flag "
                          "before the container id, as --flag=value, and \"--\" nowhere",
                          cmd->name);
    }
  return r->err != NULL ? -1 : 0;
}
