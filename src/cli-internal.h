/* policyrun: the parts of the command line reader that its three files
   share, and nothing else includes: runc's flag and command tables
   (runc-flags.c), Go's flag package and urfave/cli's reordering
   (goflag.c), and the command line they make (cli.c).  */
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

/* ---- Go's flag package (goflag.c) ---------------------------------------- */

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

/* A flag set: a command's table, plus urfave's help flag.  */
struct flag_set
{
  const struct flag_def *defs;
  bool with_help;
  const char *where; /* "create", or NULL for the global flags */
};

void parse_result_free (struct parse_result *r);
int goflag_parse (const struct flag_set *set, char **argv, const int *words, size_t n,
                  struct parse_result *r);
bool help_requested (const struct parse_result *r);
int parse_command_words (const struct command_def *cmd, char **argv, int first, int argc,
                         struct parse_result *r);

#endif
