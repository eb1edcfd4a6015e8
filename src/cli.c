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

#include "cli-internal.h"
#include "gosyntax.h"
#include "util.h"

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

/* runsc's own global flags, in the order given: whether the delegate may
   have them (and which) is not known here (runsc.c, cmd_support.c).  */
static void
store_engine_flags (struct command_line *out, const struct parse_result *g)
{
  out->engine_flags = xcalloc (g->nocc + 1, sizeof *out->engine_flags);
  out->nengine_flags = 0;
  for (size_t i = 0; i < g->nocc; i++)
    if (g->occ[i].engine)
      {
        struct cli_flag *f = &out->engine_flags[out->nengine_flags++];
        f->name = g->occ[i].def->name;
        f->value = g->occ[i].value;
        f->name_index = g->occ[i].name_index;
        f->value_index = g->occ[i].value_index;
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

/* policyrun's own global flags, Go style, before anything of runc's:
   --policy and --delegate take a value, --gvisor is a Go boolean
   (*gvisor: -1 not given, else its last value).  Returns the index of the
   first word that is not one of them.  */
static int
parse_own_flags (int argc, char **argv, struct command_line *out, int *gvisor, char **err)
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
      if (len == 6 && memcmp (name, "gvisor", 6) == 0)
        {
          /* A boolean never takes the next word.  */
          bool b = true;
          if (eq != NULL && go_parse_bool (eq + 1, &b) < 0)
            return fail (err, "invalid boolean value \"%s\" for --gvisor: use true or false",
                         eq + 1);
          *gvisor = b;
          i++;
          continue;
        }
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

/* gVisor is chosen by --gvisor or by the name the binary is run as
   ("policyrun-gvisor", the symlink that containerd and ctr use as the
   runc binary); --delegate names a delegate of its own, so the two
   together are refused rather than one silently winning.  */
static int
choose_gvisor (const char *argv0, int flag, struct command_line *out, char **err)
{
  const char *slash = argv0 != NULL ? strrchr (argv0, '/') : NULL;
  const char *base = slash != NULL ? slash + 1 : argv0;
  bool by_name = base != NULL && strcmp (base, "policyrun-gvisor") == 0;
  if (by_name && flag == 0)
    return fail (err, "--gvisor=false contradicts the name policyrun-gvisor, which always "
                      "uses gVisor; run policyrun instead");
  out->gvisor = by_name || flag == 1;
  if (out->gvisor && out->delegate != NULL)
    return fail (err, "--gvisor and --delegate both choose the delegate%s; give one of them",
                 by_name && flag != 1 ? " (policyrun-gvisor means --gvisor)" : "");
  return 0;
}

static const struct command_def *
find_command (const char *name)
{
  for (size_t i = 0; i < cli_ncommands; i++)
    if (strcmp (cli_commands[i].name, name) == 0
        || (cli_commands[i].alias != NULL && strcmp (cli_commands[i].alias, name) == 0))
      return &cli_commands[i];
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

  int gvisor = -1;
  int start = parse_own_flags (argc, argv, out, &gvisor, err);
  if (start < 0)
    return -1;
  if (choose_gvisor (argv[0], gvisor, out, err) < 0)
    return -1;
  out->runc_start = start;
  if (start < argc && strcmp (argv[start], "check") == 0)
    return parse_check (argc, argv, start, out, err);

  /* runc's global flags: Go's flag package, no reordering.  */
  /* runsc's own global flags may stand among them (Docker puts a
     runtime's runtimeArgs there); runc's name wins where both have one.  */
  struct flag_set gset = { .defs = cli_global_flags, .with_engine = true };
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
  store_engine_flags (out, &g);
  if (ret < 0)
    {
      ret = fail (err, "%s", g.err);
      parse_result_free (&g);
      return ret;
    }
  bool help = is_true (last_of (&g, find_def (cli_global_flags, "help")));
  bool version = is_true (last_of (&g, find_def (cli_global_flags, "version")));
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
  free (c->engine_flags);
  c->flags = NULL;
  c->args = NULL;
  c->engine_flags = NULL;
  c->nflags = 0;
  c->nargs = 0;
  c->nengine_flags = 0;
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
          /* Skip the value of the other globals that take one: runc's,
             policyrun's own, and runsc's that are not booleans.  */
          static const char *const valued[] = { "root", "criu", "rootless", "policy", "delegate" };
          bool takes_value = false;
          for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
            if (strlen (valued[k]) == n && strncmp (name, valued[k], n) == 0)
              takes_value = true;
          const struct engine_flag_def *e = runsc_global_flag (name, n);
          if (e != NULL && e->verdict != EV_RUNC && e->def.type != FT_BOOL)
            takes_value = true;
          if (takes_value && !eq)
            i++;
          continue;
        }
      if (eq)
        *slot = eq + 1;
      else if (i + 1 < argc)
        *slot = argv[++i];
    }
}
