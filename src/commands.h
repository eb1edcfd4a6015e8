/* policyrun: one entry point per intercepted command (cmd_*.c), reached
   from the dispatch table in main.c.  An entry point that lets the command
   through ends in execve() and does not return; one that refuses returns -1
   with *err set to the one-line reason.  */
#ifndef POLICYRUN_COMMANDS_H
#define POLICYRUN_COMMANDS_H

#include "cli.h"
#include "floor/floor.h"
#include "json.h"
#include "policy.h"

struct context
{
  struct command_line *cl;
  struct policy policy;
  struct host_facts host;
  char *delegate; /* resolved path of the real runtime */
  char *root_abs; /* --root made absolute, when it was relative (cl->root points here) */
  int exit_code;  /* for commands that finish without the delegate (check) */
};

int cmd_create (struct context *ctx, char **err); /* create, run, restore */
int cmd_exec (struct context *ctx, char **err);
int cmd_update (struct context *ctx, char **err);
int cmd_start (struct context *ctx, char **err);
int cmd_delete (struct context *ctx, char **err);
int cmd_check (struct context *ctx, char **err);
int cmd_version (struct context *ctx, char **err);
/* Anything that creates nothing and grants nothing.  */
int cmd_passthrough (struct context *ctx, char **err);

/* Shared by the commands: execve the delegate with the caller's runc words
   as they are.  */
int exec_delegate_unchanged (struct context *ctx, char **err);

/* Load BUNDLE_DIR's config strictly, type-check it and make it
   self-contained (cmd_create.c).  */
int load_checked_config (const char *bundle_dir, const char *config_path, json_value **out,
                         char **err);

/* Refuse --preserve-fds and standard descriptors that are directories or
   network sockets (cmd_create.c; exec uses it too).  */
void check_inherited_fds (struct context *ctx, json_value *config, struct verdict *v);

/* The delegate's runc global words (everything between policyrun's own
   flags and the command) followed by words[]: for helper calls such as
   "state ID" that must see the same --root.  */
char **delegate_helper_argv (struct context *ctx, const char *const *words, size_t n);

/* The container's state as the delegate reports it: status and init pid.
   Returns 0, or -1 (*err) when the delegate does not know the container.  */
int delegate_state (struct context *ctx, const char *id, char **status, long *pid, char **err);

/* The caller's argv for the delegate, with every occurrence of the flags
   for which swapped() is true removed and "FLAG VALUE" placed right after
   the command (runc takes the last occurrence of a flag, and the caller's
   are gone); replace[i], when given and not NULL, stands for word i.  */
char **delegate_argv_swapping (struct context *ctx, bool (*swapped) (const char *flag),
                               const char *flag, const char *value, const char **replace);

/* Free v; if it holds violations, set *err to the refusal and return -1.  */
int verdict_settle (struct verdict *v, char **err);

/* The container id, validated as runc validates it (it becomes a path).  */
int require_container_id (struct context *ctx, const char **id, char **err);

#endif
