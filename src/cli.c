/* policyrun: the command line, read exactly as runc 1.1-1.5 read it.

   runc hands its argv to urfave/cli v1, which parses the global flags with
   Go's flag package, picks the command, "reorders" the command's words so
   that flags written after the container id come first, and parses those
   with Go's flag package again.  A shim that reads argv any other way can be
   steered past its own checks (it checks one bundle, runc runs another), so
   every rule below is runc's, including its quirks.  Where runc builds
   disagree with each other (runc 1.0 and 1.1 were released with urfave/cli
   v1.22.1, runc 1.2 and later with v1.22.6 or newer, and the two reorder
   differently), both readings are computed and a command line they read
   differently is refused.

   Sources of the facts: runc's main.go and one file per command on the 1.1
   to 1.5 release branches, urfave/cli v1.22 (command.go: reorderArgs,
   argIsFlag; context.go: normalizeFlags; app.go: Run; help.go), and Go's
   flag package (FlagSet.parseOne).  The cases in tests/unit/test-cli.c
   marked "measured" were run against runc 1.1.5.  */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gosyntax.h"
#include "util.h"

/* The Go type behind each urfave/cli flag: it decides whether the flag takes
   a value and which values Go's flag package refuses.  */
enum flag_type
{
  FT_BOOL,         /* BoolFlag: never takes the next word, "=v" is ParseBool */
  FT_STRING,       /* StringFlag: the value is taken as it is */
  FT_STRING_SLICE, /* StringSliceFlag: every occurrence is kept */
  FT_INT,          /* IntFlag: strconv.ParseInt (s, 0, 64) */
  FT_INT64_SLICE,  /* Int64SliceFlag: strconv.ParseInt (s, 10, 64), every occurrence */
  FT_DURATION,     /* DurationFlag: time.ParseDuration */
};

struct flag_def
{
  const char *name;  /* the long name, as runc spells it */
  const char *alias; /* urfave's second name ("bundle, b"), or NULL */
  enum flag_type type;
};

#define FLAGS_END                                                                                  \
  {                                                                                                \
    NULL, NULL, FT_BOOL                                                                            \
  }

/* urfave/cli adds "help, h" to the app and to every command (HideHelp is
   never set by runc), and "version, v" to the app.  */
static const struct flag_def help_flag = { "help", "h", FT_BOOL };

/* Global flags, the union of runc 1.1 to 1.5.  --criu exists in 1.1 to 1.3
   (ignored with a warning since 1.2) and is gone in 1.4.  */
static const struct flag_def global_flags[] = {
  { "debug", NULL, FT_BOOL },        { "log", NULL, FT_STRING },
  { "log-format", NULL, FT_STRING }, { "root", NULL, FT_STRING },
  { "criu", NULL, FT_STRING },       { "systemd-cgroup", NULL, FT_BOOL },
  { "rootless", NULL, FT_STRING },   { "help", "h", FT_BOOL },
  { "version", "v", FT_BOOL },       FLAGS_END,
};

/* tcp-skip-in-flight and link-remap: 1.3+.  */
static const struct flag_def checkpoint_flags[] = {
  { "image-path", NULL, FT_STRING },
  { "work-path", NULL, FT_STRING },
  { "parent-path", NULL, FT_STRING },
  { "leave-running", NULL, FT_BOOL },
  { "tcp-established", NULL, FT_BOOL },
  { "tcp-skip-in-flight", NULL, FT_BOOL },
  { "link-remap", NULL, FT_BOOL },
  { "ext-unix-sk", NULL, FT_BOOL },
  { "shell-job", NULL, FT_BOOL },
  { "lazy-pages", NULL, FT_BOOL },
  { "status-fd", NULL, FT_INT },
  { "page-server", NULL, FT_STRING },
  { "file-locks", NULL, FT_BOOL },
  { "pre-dump", NULL, FT_BOOL },
  { "manage-cgroups-mode", NULL, FT_STRING },
  { "empty-ns", NULL, FT_STRING_SLICE },
  { "auto-dedup", NULL, FT_BOOL },
  FLAGS_END,
};

/* pidfd-socket: 1.2+.  runc after 1.5 (urfave/cli v3) adds --config, a
   second path to the spec: it is deliberately unknown here, so refused.  */
static const struct flag_def create_flags[] = {
  { "bundle", "b", FT_STRING },        { "console-socket", NULL, FT_STRING },
  { "pidfd-socket", NULL, FT_STRING }, { "pid-file", NULL, FT_STRING },
  { "no-pivot", NULL, FT_BOOL },       { "no-new-keyring", NULL, FT_BOOL },
  { "preserve-fds", NULL, FT_INT },    FLAGS_END,
};

static const struct flag_def delete_flags[] = {
  { "force", "f", FT_BOOL },
  FLAGS_END,
};

static const struct flag_def events_flags[] = {
  { "interval", NULL, FT_DURATION },
  { "stats", NULL, FT_BOOL },
  FLAGS_END,
};

/* pidfd-socket: 1.2+.  */
static const struct flag_def exec_flags[] = {
  { "console-socket", NULL, FT_STRING },
  { "pidfd-socket", NULL, FT_STRING },
  { "cwd", NULL, FT_STRING },
  { "env", "e", FT_STRING_SLICE },
  { "tty", "t", FT_BOOL },
  { "user", "u", FT_STRING },
  { "additional-gids", "g", FT_INT64_SLICE },
  { "process", "p", FT_STRING },
  { "detach", "d", FT_BOOL },
  { "pid-file", NULL, FT_STRING },
  { "process-label", NULL, FT_STRING },
  { "apparmor", NULL, FT_STRING },
  { "no-new-privs", NULL, FT_BOOL },
  { "cap", "c", FT_STRING_SLICE },
  { "preserve-fds", NULL, FT_INT },
  { "cgroup", NULL, FT_STRING_SLICE },
  { "ignore-paused", NULL, FT_BOOL },
  FLAGS_END,
};

/* -a is deprecated since 1.2 but still accepted.  */
static const struct flag_def kill_flags[] = {
  { "all", "a", FT_BOOL },
  FLAGS_END,
};

static const struct flag_def list_flags[] = {
  { "format", "f", FT_STRING },
  { "quiet", "q", FT_BOOL },
  FLAGS_END,
};

static const struct flag_def ps_flags[] = {
  { "format", "f", FT_STRING },
  FLAGS_END,
};

static const struct flag_def restore_flags[] = {
  { "console-socket", NULL, FT_STRING },
  { "image-path", NULL, FT_STRING },
  { "work-path", NULL, FT_STRING },
  { "tcp-established", NULL, FT_BOOL },
  { "ext-unix-sk", NULL, FT_BOOL },
  { "shell-job", NULL, FT_BOOL },
  { "file-locks", NULL, FT_BOOL },
  { "manage-cgroups-mode", NULL, FT_STRING },
  { "bundle", "b", FT_STRING },
  { "detach", "d", FT_BOOL },
  { "pid-file", NULL, FT_STRING },
  { "no-subreaper", NULL, FT_BOOL },
  { "no-pivot", NULL, FT_BOOL },
  { "empty-ns", NULL, FT_STRING_SLICE },
  { "auto-dedup", NULL, FT_BOOL },
  { "lazy-pages", NULL, FT_BOOL },
  { "lsm-profile", NULL, FT_STRING },
  { "lsm-mount-context", NULL, FT_STRING },
  FLAGS_END,
};

/* pidfd-socket: 1.2+.  */
static const struct flag_def run_flags[] = {
  { "bundle", "b", FT_STRING },
  { "console-socket", NULL, FT_STRING },
  { "pidfd-socket", NULL, FT_STRING },
  { "detach", "d", FT_BOOL },
  { "keep", NULL, FT_BOOL },
  { "pid-file", NULL, FT_STRING },
  { "no-subreaper", NULL, FT_BOOL },
  { "no-pivot", NULL, FT_BOOL },
  { "no-new-keyring", NULL, FT_BOOL },
  { "preserve-fds", NULL, FT_INT },
  FLAGS_END,
};

static const struct flag_def spec_flags[] = {
  { "bundle", "b", FT_STRING },
  { "rootless", NULL, FT_BOOL },
  FLAGS_END,
};

/* cpu-burst and cpu-idle: 1.2+; kernel-memory and kernel-memory-tcp are
   hidden and ignored, but still parsed.  Most numbers are StringFlags that
   runc converts itself after parsing.  */
static const struct flag_def update_flags[] = {
  { "resources", "r", FT_STRING },
  { "blkio-weight", NULL, FT_INT },
  { "cpu-period", NULL, FT_STRING },
  { "cpu-quota", NULL, FT_STRING },
  { "cpu-burst", NULL, FT_STRING },
  { "cpu-share", NULL, FT_STRING },
  { "cpu-rt-period", NULL, FT_STRING },
  { "cpu-rt-runtime", NULL, FT_STRING },
  { "cpuset-cpus", NULL, FT_STRING },
  { "cpuset-mems", NULL, FT_STRING },
  { "kernel-memory", NULL, FT_STRING },
  { "kernel-memory-tcp", NULL, FT_STRING },
  { "memory", NULL, FT_STRING },
  { "cpu-idle", NULL, FT_STRING },
  { "memory-reservation", NULL, FT_STRING },
  { "memory-swap", NULL, FT_STRING },
  { "pids-limit", NULL, FT_INT },
  { "l3-cache-schema", NULL, FT_STRING },
  { "mem-bw-schema", NULL, FT_STRING },
  FLAGS_END,
};

static const struct flag_def no_flags[] = {
  FLAGS_END,
};

struct command_def
{
  const char *name;
  const char *alias;
  enum cmd_kind kind;
  bool skip_reorder; /* urfave's SkipArgReorder: exec and ps */
  int min_args;      /* runc's checkArgs, enforced for the checked commands */
  int max_args;      /* -1: no maximum */
  const struct flag_def *flags;
};

static const struct command_def commands[] = {
  { "checkpoint", NULL, CMD_PASSTHROUGH, false, 1, 1, checkpoint_flags },
  { "create", NULL, CMD_CREATE, false, 1, 1, create_flags },
  { "delete", NULL, CMD_DELETE, false, 1, 1, delete_flags },
  { "events", NULL, CMD_PASSTHROUGH, false, 1, 1, events_flags },
  { "exec", NULL, CMD_EXEC, true, 1, -1, exec_flags },
  { "kill", NULL, CMD_PASSTHROUGH, false, 1, 2, kill_flags },
  { "list", NULL, CMD_PASSTHROUGH, false, 0, 0, list_flags },
  { "pause", NULL, CMD_PASSTHROUGH, false, 1, 1, no_flags },
  { "ps", NULL, CMD_PASSTHROUGH, true, 1, -1, ps_flags },
  { "restore", NULL, CMD_RESTORE, false, 1, 1, restore_flags },
  { "resume", NULL, CMD_PASSTHROUGH, false, 1, 1, no_flags },
  { "run", NULL, CMD_RUN, false, 1, 1, run_flags },
  { "spec", NULL, CMD_PASSTHROUGH, false, 0, 0, spec_flags },
  { "start", NULL, CMD_START, false, 1, 1, no_flags },
  { "state", NULL, CMD_PASSTHROUGH, false, 1, 1, no_flags },
  { "update", NULL, CMD_UPDATE, false, 1, 1, update_flags },
  { "features", NULL, CMD_PASSTHROUGH, false, 0, 0, no_flags },
  /* urfave's own help command; it has only the help flag.  */
  { "help", "h", CMD_PASSTHROUGH, false, 0, -1, no_flags },
};

bool
cli_valid_container_id (const char *id)
{
  /* libcontainer: ^[\w+-\.]+$ in Go's RE2, where \w is ASCII [0-9A-Za-z_]
     and "+-\." is the range '+' (0x2b) to '.' (0x2e), so "+,-." are all
     allowed; "$" matches only at the very end.  validateID also refuses an
     id that filepath.Clean changes as a path component: "." and "..".  */
  if (id == NULL || *id == '\0' || strcmp (id, ".") == 0 || strcmp (id, "..") == 0
      || strlen (id) > CLI_MAX_ID_LEN)
    return false;
  for (const char *p = id; *p != '\0'; p++)
    {
      char c = *p;
      bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                || c == '_' || (c >= '+' && c <= '.');
      if (!ok)
        return false;
    }
  return true;
}

int
cli_check_container_id (const char *command, const char *id, char **err)
{
  if (id == NULL || *id == '\0')
    return fail (err, "%s: invalid container id \"\" (it is empty)", command);
  size_t len = strlen (id);
  if (len > CLI_MAX_ID_LEN)
    return fail (err, "%s: the container id is too long (%zu bytes, at most %d): \"%.24s...\"",
                 command, len, CLI_MAX_ID_LEN, id);
  if (!cli_valid_container_id (id))
    return fail (err,
                 "%s: invalid container id \"%s\" (runc allows letters, digits and \"_+,-.\", "
                 "and not \".\" or \"..\")",
                 command, id);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Go's flag package over a list of argv indices.                            */

struct occurrence
{
  const struct flag_def *def;
  bool by_alias;
  const char *value; /* into argv, or a static "true"/"false" */
  int name_index;
  int value_index;
};

struct parse_result
{
  struct occurrence *occ;
  size_t nocc;
  int *args; /* argv indices of the words left after the flags */
  size_t nargs;
  char *err;
};

static void
parse_result_free (struct parse_result *r)
{
  free (r->occ);
  free (r->args);
  free (r->err);
  memset (r, 0, sizeof *r);
}

/* A flag set: a command's table, plus urfave's help flag.  */
struct flag_set
{
  const struct flag_def *defs;
  bool with_help;
  const char *where; /* "create", or NULL for the global flags */
};

static const struct flag_def *
lookup_flag (const struct flag_set *set, const char *name, size_t len, bool *by_alias)
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
      const struct flag_def *d = &help_flag;
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
static int
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
                  || (len == 8 && memcmp (name, "delegate", 8) == 0)))
            return fail (&r->err,
                         "policyrun's own flag --%.*s must come before runc's global flags",
                         (int)len, name);
          cleanup_free char *w = where_suffix (set);
          return fail (&r->err, "unknown flag %.*s%s", (int)(minuses + len), s, w);
        }
      struct occurrence *o = &r->occ[r->nocc];
      o->def = d;
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

static bool
help_requested (const struct parse_result *r)
{
  const struct occurrence *last = NULL;
  for (size_t i = 0; i < r->nocc; i++)
    if (r->occ[i].def == &help_flag)
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
static int
parse_command_words (const struct command_def *cmd, char **argv, int first, int argc,
                     struct parse_result *r)
{
  struct flag_set set = { cmd->flags, true, cmd->name };
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

/* ------------------------------------------------------------------------ */

static const struct occurrence *
last_of (const struct parse_result *r, const struct flag_def *d)
{
  const struct occurrence *last = NULL;
  for (size_t i = 0; i < r->nocc; i++)
    if (r->occ[i].def == d)
      last = &r->occ[i];
  return last;
}

static bool
is_true (const struct occurrence *o)
{
  return o != NULL && strcmp (o->value, "true") == 0;
}

static const struct flag_def *
find_def (const struct flag_def *defs, const char *name)
{
  for (const struct flag_def *d = defs; d->name != NULL; d++)
    if (strcmp (d->name, name) == 0)
      return d;
  return NULL;
}

static void
apply_globals (struct command_line *out, const struct parse_result *g)
{
  for (size_t i = 0; i < g->nocc; i++)
    {
      const struct occurrence *o = &g->occ[i];
      const char *n = o->def->name;
      if (strcmp (n, "debug") == 0)
        out->debug = is_true (o);
      else if (strcmp (n, "log") == 0)
        out->log = o->value;
      else if (strcmp (n, "log-format") == 0)
        out->log_format = o->value;
      else if (strcmp (n, "root") == 0)
        out->root = o->value;
      else if (strcmp (n, "systemd-cgroup") == 0)
        out->systemd_cgroup = is_true (o);
      else if (strcmp (n, "rootless") == 0)
        out->rootless = o->value;
      else if (strcmp (n, "criu") == 0)
        out->criu = o->value;
    }
}

static void
store_result (struct command_line *out, const struct parse_result *r)
{
  out->flags = xcalloc (r->nocc + 1, sizeof *out->flags);
  for (size_t i = 0; i < r->nocc; i++)
    {
      out->flags[i].name = r->occ[i].def->name;
      out->flags[i].value = r->occ[i].value;
      out->flags[i].name_index = r->occ[i].name_index;
      out->flags[i].value_index = r->occ[i].value_index;
    }
  out->nflags = r->nocc;
  out->args = xcalloc (r->nargs + 1, sizeof *out->args);
  for (size_t i = 0; i < r->nargs; i++)
    out->args[i] = out->argv[r->args[i]];
  out->nargs = r->nargs;
}

/* policyrun's own global flags, Go style, before anything of runc's.
   Returns the index of the first word that is not one of them.  */
static int
parse_own_flags (int argc, char **argv, struct command_line *out, char **err)
{
  int i = 1;
  while (i < argc)
    {
      const char *s = argv[i];
      if (strlen (s) < 2 || s[0] != '-' || strcmp (s, "--") == 0)
        break;
      const char *name = s + (s[1] == '-' ? 2 : 1);
      const char *eq = strchr (name, '=');
      size_t len = eq != NULL ? (size_t)(eq - name) : strlen (name);
      const char **slot = NULL;
      if (len == 6 && memcmp (name, "policy", 6) == 0)
        slot = &out->policy;
      else if (len == 8 && memcmp (name, "delegate", 8) == 0)
        slot = &out->delegate;
      else
        break;
      const char *value;
      if (eq != NULL)
        value = eq + 1;
      else if (i + 1 < argc)
        value = argv[++i];
      else
        return fail (err, "flag --%.*s needs a value", (int)len, name);
      if (*value == '\0')
        return fail (err, "flag --%.*s needs a non-empty value", (int)len, name);
      *slot = value;
      i++;
    }
  return i;
}

/* policyrun check [--json] BUNDLE_OR_CONFIG: flags anywhere before "--".  */
static int
parse_check (int argc, char **argv, int at, struct command_line *out, char **err)
{
  out->kind = CMD_CHECK;
  out->command = "check";
  out->command_index = at;
  size_t n = (size_t)(argc - at);
  out->flags = xcalloc (n + 1, sizeof *out->flags);
  out->args = xcalloc (n + 1, sizeof *out->args);
  bool only_args = false;
  for (int i = at + 1; i < argc; i++)
    {
      const char *s = argv[i];
      if (!only_args && strcmp (s, "--") == 0)
        {
          only_args = true;
          continue;
        }
      if (only_args || strlen (s) < 2 || s[0] != '-')
        {
          out->args[out->nargs++] = s;
          continue;
        }
      const char *name = s + (s[1] == '-' ? 2 : 1);
      const char *eq = strchr (name, '=');
      size_t len = eq != NULL ? (size_t)(eq - name) : strlen (name);
      if (!(len == 4 && memcmp (name, "json", 4) == 0))
        return fail (err, "unknown flag %.*s for check", (int)strcspn (s, "="), s);
      bool b = true;
      if (eq != NULL && go_parse_bool (eq + 1, &b) < 0)
        return fail (err, "invalid boolean value \"%s\" for --json for check: use true or false",
                     eq + 1);
      struct cli_flag *f = &out->flags[out->nflags++];
      f->name = "json";
      f->value = b ? "true" : "false";
      f->name_index = i;
      f->value_index = -1;
      out->check_json = b;
    }
  if (out->nargs != 1)
    return fail (err,
                 "check needs exactly one argument, a bundle directory or a config.json "
                 "(got %zu)",
                 out->nargs);
  return 0;
}

static const struct command_def *
find_command (const char *name)
{
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (commands[i].name, name) == 0
        || (commands[i].alias != NULL && strcmp (commands[i].alias, name) == 0))
      return &commands[i];
  return NULL;
}

static int
parse_command_line (int argc, char **argv, struct command_line *out, char **err)
{
  memset (out, 0, sizeof *out);
  out->argc = argc;
  out->argv = argv;
  out->command_index = -1;
  out->kind = CMD_HELP;
  if (argc < 1 || argv == NULL)
    return fail (err, "empty command line");

  int start = parse_own_flags (argc, argv, out, err);
  if (start < 0)
    return -1;
  out->runc_start = start;
  if (start < argc && strcmp (argv[start], "check") == 0)
    return parse_check (argc, argv, start, out, err);

  /* runc's global flags: Go's flag package, no reordering.  */
  struct flag_set gset = { global_flags, false, NULL };
  size_t n = (size_t)(argc - start);
  int *words = xcalloc (n + 1, sizeof *words);
  for (size_t i = 0; i < n; i++)
    words[i] = start + (int)i;
  struct parse_result g = { 0 };
  int ret = goflag_parse (&gset, argv, words, n, &g);
  free (words);
  /* Whatever was read reaches the caller, so that even a refusal can be
     written to the --log it names.  */
  apply_globals (out, &g);
  if (ret < 0)
    {
      ret = fail (err, "%s", g.err);
      parse_result_free (&g);
      return ret;
    }
  bool help = is_true (last_of (&g, find_def (global_flags, "help")));
  bool version = is_true (last_of (&g, find_def (global_flags, "version")));
  int command_at = g.nargs > 0 ? g.args[0] : -1;
  parse_result_free (&g);

  /* urfave/cli: help before version, both before the command runs.  */
  if (help)
    {
      out->kind = CMD_HELP;
      return 0;
    }
  if (version)
    {
      out->kind = CMD_VERSION;
      return 0;
    }
  /* runc's Before hook, which runs for every command and for none, refuses
     an unknown log format.  */
  if (out->log_format != NULL && *out->log_format != '\0' && strcmp (out->log_format, "text") != 0
      && strcmp (out->log_format, "json") != 0)
    return fail (err, "invalid log-format: %s", out->log_format);
  if (command_at < 0)
    {
      out->kind = CMD_HELP;
      return 0;
    }

  const char *name = argv[command_at];
  /* An empty command name is urfave's help topic "": the app's help.  */
  if (*name == '\0')
    {
      out->kind = CMD_HELP;
      return 0;
    }
  if (strcmp (name, "init") == 0)
    return fail (err, "init is runc's internal command and is never passed on");
  /* policyrun's own command after runc's global flags ("--root R check B"):
     --root names the runtime root whose rules apply (containerd's CRI
     namespace), as it would for create.  */
  if (strcmp (name, "check") == 0)
    return parse_check (argc, argv, command_at, out, err);
  const struct command_def *cmd = find_command (name);
  if (cmd == NULL)
    return fail (err, "unknown command %s", name);
  out->command = cmd->name;
  out->command_index = command_at;

  struct parse_result r = { 0 };
  if (parse_command_words (cmd, argv, command_at + 1, argc, &r) < 0)
    {
      ret = fail (err, "%s", r.err);
      parse_result_free (&r);
      return ret;
    }
  store_result (out, &r);
  bool cmd_help = help_requested (&r);
  parse_result_free (&r);

  /* "create --help ID" only prints help: runc checks it before anything.  */
  if (cmd_help)
    {
      out->kind = CMD_PASSTHROUGH;
      return 0;
    }
  out->kind = cmd->kind;
  if (cmd->kind == CMD_PASSTHROUGH)
    return 0;

  /* The checked commands: runc's checkArgs and its container id rule, so
     that what is checked is exactly what runc would act on.  */
  if (cmd->min_args == cmd->max_args && out->nargs != (size_t)cmd->min_args)
    return fail (err, "runc: \"%s\" requires exactly %d argument(s)", cmd->name, cmd->min_args);
  if (out->nargs < (size_t)cmd->min_args)
    return fail (err, "runc: \"%s\" requires a minimum of %d argument(s)", cmd->name,
                 cmd->min_args);
  return cli_check_container_id (cmd->name, out->args[0], err);
}

/* On failure nothing is left to free, but the global flags read so far
   (--log, --log-format) stay for the report.  */
int
cli_parse (int argc, char **argv, struct command_line *out, char **err)
{
  if (parse_command_line (argc, argv, out, err) < 0)
    {
      cli_free (out);
      return -1;
    }
  return 0;
}

void
cli_free (struct command_line *c)
{
  if (c == NULL)
    return;
  free (c->flags);
  free (c->args);
  c->flags = NULL;
  c->args = NULL;
  c->nflags = 0;
  c->nargs = 0;
}

const struct cli_flag *
cli_flag_last (const struct command_line *c, const char *name)
{
  const struct cli_flag *last = NULL;
  for (size_t i = 0; i < c->nflags; i++)
    if (strcmp (c->flags[i].name, name) == 0)
      last = &c->flags[i];
  return last;
}

const char *
cli_flag_value (const struct command_line *c, const char *name)
{
  const struct cli_flag *f = cli_flag_last (c, name);
  return f != NULL ? f->value : NULL;
}

bool
cli_flag_true (const struct command_line *c, const char *name)
{
  const struct cli_flag *f = cli_flag_last (c, name);
  return f != NULL && strcmp (f->value, "true") == 0;
}

bool
cli_flag_set (const struct command_line *c, const char *name)
{
  return cli_flag_last (c, name) != NULL;
}

const char *
cli_container_id (const struct command_line *c)
{
  return c->nargs > 0 ? c->args[0] : NULL;
}

/* When the command line itself is refused, its refusal must still reach
   the caller's log.  */
void
cli_prescan_log_flags (int argc, char **argv, const char **log, const char **format)
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
