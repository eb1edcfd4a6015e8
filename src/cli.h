/* policyrun: the command line, read exactly as runc 1.1-1.5 read it.

   runc parses with Go's flag package through urfave/cli v1: "-x" is "--x",
   "--x=v" and "--x v" both work, a boolean never takes the next word (only
   "--x=false"), the last repeat of a flag wins (slice flags such as --cap and
   --env collect every repeat), "--" ends the flags, and a command's flags may
   also follow the container id (urfave's argument reordering), except for
   exec and ps.  policyrun's own global flags (--policy, --delegate, and the
   Go boolean --gvisor) come first.  runsc's own global flags (runsc 20221219,
   plain Go flags) are read among runc's global flags and kept apart in
   engine_flags; runc's name wins where both have one.  Anything unknown is
   refused, never guessed.  */
#ifndef POLICYRUN_CLI_H
#define POLICYRUN_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "gosyntax.h"

enum cmd_kind
{
  CMD_PASSTHROUGH, /* creates nothing and grants nothing: execve at once */
  CMD_CREATE,
  CMD_RUN,
  CMD_RESTORE,
  CMD_EXEC,
  CMD_UPDATE,
  CMD_START,
  CMD_DELETE,  /* passthrough after removing the private bundle */
  CMD_CHECK,   /* policyrun's own: check [--json] BUNDLE_OR_CONFIG */
  CMD_VERSION, /* --version / -v, no command */
  CMD_HELP,    /* no command, --help/-h, or "help": the delegate's help */
};

/* One occurrence of a flag on the command line.  */
struct cli_flag
{
  const char *name;  /* canonical name as runc spells it, e.g. "bundle" */
  const char *value; /* the value; for booleans "true" or "false" */
  int name_index;    /* argv index of the flag word */
  int value_index;   /* argv index of a separate value word, or -1 (inline or boolean) */
};

struct command_line
{
  int argc;
  char **argv;

  /* policyrun's own global flags (NULL when not given).  */
  const char *policy;
  const char *delegate;
  bool gvisor;    /* --gvisor, or invoked as "policyrun-gvisor": the policy's gvisor_delegate */
  int runc_start; /* argv index of the first word that belongs to runc (after own flags) */

  /* runsc's own global flags among runc's (Docker's runtimeArgs put them
     there), canonical name without dashes; booleans "true"/"false".  Only
     a runsc delegate may receive them, and only those runsc.c allows.  */
  struct cli_flag *engine_flags;
  size_t nengine_flags;

  /* runc's global flags (last value wins; NULL/false when not given).  */
  bool debug;
  const char *log;
  const char *log_format;
  const char *root;
  bool systemd_cgroup;
  const char *rootless;
  const char *criu;

  enum cmd_kind kind;
  const char *command; /* the subcommand as runc names it ("create"), NULL if none */
  int command_index;   /* argv index of the subcommand, or -1 */

  struct cli_flag *flags; /* the command's flags in the order runc applies them */
  size_t nflags;

  /* Positional arguments after flag parsing (after reordering, as runc sees
     them): for most commands args[0] is the container id.  For exec and ps,
     args[1..] are the command's own words.  Pointers into argv.  */
  const char **args;
  size_t nargs;

  bool check_json; /* check --json */
};

/* Parse argv.  Returns 0, or -1 with *err ("unknown flag --frobnicate for
   create") for anything runc would refuse or policyrun does not know.  */
int cli_parse (int argc, char **argv, struct command_line *out, char **err);
void cli_free (struct command_line *c);

/* The value of the last occurrence of a command flag, or NULL.  */
const char *cli_flag_value (const struct command_line *c, const char *name);
/* The last occurrence, or NULL.  */
const struct cli_flag *cli_flag_last (const struct command_line *c, const char *name);
/* For booleans: true only if the flag's effective value is true.  */
bool cli_flag_true (const struct command_line *c, const char *name);
/* Whether the flag occurs at all.  */
bool cli_flag_set (const struct command_line *c, const char *name);

/* The container id (args[0]) or NULL.  */
const char *cli_container_id (const struct command_line *c);

/* --log and --log-format as far as they can be found when cli_parse
   refused the command line (it may stop before them), read the plain way:
   runc's globals come before the command.  *log and *format are left alone
   when not found.  */
void cli_prescan_log_flags (int argc, char **argv, const char **log, const char **format);

/* runc's container id rule: ^[\w+\-\.]+$ and not "." or "..".  */
bool cli_valid_container_id (const char *id);

/* The longest id policyrun takes.  runc has no limit of its own, but the id
   is a file name (in runc's --root, in policyrun's state directory, with
   suffixes beside it) and, with --systemd-cgroup, part of a unit name:
   engines use 64 bytes.  */
#define CLI_MAX_ID_LEN 200

/* Refuse (*err, -1) an id that is empty, too long or not runc's rule,
   saying which; COMMAND leads the message.  */
int cli_check_container_id (const char *command, const char *id, char **err);

#endif
