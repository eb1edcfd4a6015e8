/* policyrun: the parts of the command line reader that its files share,
   and nothing else includes: runc's flag and command tables
   (runc-flags.c), runsc's global flags (runsc.c, which also translates
   the command line for runsc), Go's flag package and urfave/cli's
   reordering (goflag.c), and the command line they make (cli.c).  */
#ifndef POLICYRUN_CLI_INTERNAL_H
#define POLICYRUN_CLI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

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
  FT_UINT,         /* Go's UintVar (runsc only): strconv.ParseUint (s, 0, 64) */
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

/* The tables (runc-flags.c).  */
extern const struct flag_def cli_help_flag;
extern const struct flag_def cli_global_flags[];
extern const struct command_def cli_commands[];
extern const size_t cli_ncommands;

/* What policyrun does with one of runsc's global flags when the caller
   gives it (runsc.c judges, cli.c only reads).  */
enum engine_verdict
{
  EV_RUNC,   /* runc has a flag of that name: it is runc's, translated by runsc.c */
  EV_PASS,   /* harmless: passed on to runsc as given */
  EV_FORCED, /* policyrun forces it on every call: only the forced value is taken */
  EV_REFUSE, /* refused, saying why */
};

/* One of runsc's global flags (runsc 20221219, `runsc flags`): its Go type
   (the plain Go flag package: no alias, "-x" is "--x", a boolean never
   takes the next word) and policyrun's verdict.  */
struct engine_flag_def
{
  struct flag_def def;
  enum engine_verdict verdict;
  const char *value; /* EV_FORCED: the one value taken ("none", "true") */
  const char *why;   /* EV_REFUSE and EV_FORCED: why, in a few words */
};

/* Every global flag of runsc, one table, ended by def.name == NULL
   (runsc.c).  */
extern const struct engine_flag_def runsc_global_flags[];
const struct engine_flag_def *runsc_global_flag (const char *name, size_t len);

/* ---- Go's flag package (goflag.c) ---------------------------------------- */

struct occurrence
{
  const struct flag_def *def;
  bool engine; /* one of runsc's global flags (runsc_global_flags) */
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

/* A flag set: a command's table, plus urfave's help flag, plus (for the
   global flags) runsc's global flags that runc does not have.  */
struct flag_set
{
  const struct flag_def *defs;
  bool with_help;
  const char *where; /* "create", or NULL for the global flags */
  bool with_engine;  /* also runsc_global_flags (verdict other than EV_RUNC) */
};

void parse_result_free (struct parse_result *r);
int goflag_parse (const struct flag_set *set, char **argv, const int *words, size_t n,
                  struct parse_result *r);
bool help_requested (const struct parse_result *r);
int parse_command_words (const struct command_def *cmd, char **argv, int first, int argc,
                         struct parse_result *r);

#endif
