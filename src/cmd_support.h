/* policyrun: what the commands share.  The invocation every command
   receives (struct context), turning a verdict into a refusal, the
   container id, the checked config of a bundle, and the hand-off to the
   delegate.  Nothing here knows any one command; no command calls another's
   functions.  */
#ifndef POLICYRUN_CMD_SUPPORT_H
#define POLICYRUN_CMD_SUPPORT_H

#include <stdbool.h>

#include "cli.h"
#include "delegate.h"
#include "floor/floor.h"
#include "json.h"
#include "policy.h"

/* One invocation of policyrun, built by main.c and handed to the command.  */
struct context
{
  struct command_line *cl;
  struct policy policy;
  struct host_facts host;
  char *delegate;                /* resolved path of the real runtime */
  enum delegate_dialect dialect; /* runc's command line, or runsc's (runsc.c) */
  char *root_abs; /* --root made absolute, when it was relative (cl->root points here) */
  int exit_code;  /* for commands that finish without the delegate (check) */
};

/* What the invocation knows before its command runs: the delegate's
   dialect (runsc: its own flags judged, --root always set, the gVisor
   rules on), the host's facts (for
   the commands that check anything), --root made absolute (the delegate
   resolves it against the working directory, policyrun's watchdog runs in
   "/"), and whether the caller is containerd's CRI.  Returns 0 or -1.  */
int context_prepare (struct context *ctx, char **err);

/* Free v; if it holds violations, set *err to the refusal and return -1.  */
int verdict_settle (struct verdict *v, char **err);
/* The same for a command that checked config (NULL: none; exec and update
   read the container's through ctx->host.container_config): a refusal in
   the pod's words when the caller is the CRI, and an accepted verdict's
   tightened findings said in one "info" line of the caller's --log, in its
   --log-format (nothing on stderr, which engines take for an error).  */
int verdict_settle_in (const struct context *ctx, json_value *config, struct verdict *v,
                       char **err);
/* verdict_settle_in's judgement alone (the refusal, the trail), v kept and
   nothing said on --log: for create, which says what it tightened only once
   the steps that may still fail after the verdict have passed, so that a
   failed create leaves one error line.  */
int verdict_judge (const struct context *ctx, json_value *config, struct verdict *v, char **err);

/* A command refused before its configuration could be judged (a
   config.json that does not load, a refused restore): the refusal goes to
   the trail like any other decision (rule "config" for a file that does not
   load), then the command fails with *err.  Takes v (verdict_free).  */
int verdict_refuse_unjudged (const struct context *ctx, struct verdict *v, char **err);
int config_refuse_unread (const struct context *ctx, char **err);

/* The container id, validated as runc validates it (it becomes a path).  */
int require_container_id (struct context *ctx, const char **id, char **err);

/* BUNDLE_DIR's config at config_path loaded strictly, type-checked and made
   self-contained (root.path and bind sources absolute against the bundle):
   what create hands to the floor and what check judges.  */
int command_load_config (const char *bundle_dir, const char *config_path, json_value **out,
                         char **err);

/* ------------------------------------------------------------------------ */
/* The delegate hand-off from a command's context: delegate.c knows
   argv and the delegate's globals, not the context, so the adapters live
   here.  */

/* execve the delegate with the caller's runc words as they are.  */
int exec_delegate_unchanged (struct context *ctx, char **err);

/* runsc only: the caller's words in runsc's syntax (runsc_argv), with
   the swapped flags' values replaced.  NULL with *err when runsc has no
   equivalent for the call.  Free with cleanup_strv.  */
struct runsc_swap;
char **delegate_argv_runsc (struct context *ctx, const struct runsc_swap *swaps, size_t n,
                            char **err);

/* What the delegate's helper calls (state, kill, --version) get of the
   caller's command line: the delegate and the globals that select its
   containers.  */
struct delegate_globals delegate_globals_of (const struct context *ctx);

/* The caller's argv for the delegate, with every occurrence of the flags
   for which swapped() is true removed and "FLAG VALUE" placed right after
   the command (runc takes the last occurrence of a flag, and the caller's
   are gone); replace[i], when given and not NULL, stands for word i.  For
   runsc the same words are written in runsc's syntax (runsc_argv).  The
   vector and its words are malloc'd (cleanup_strv).  NULL with *err when
   runsc has no equivalent for the call.  */
char **delegate_argv_swapping (struct context *ctx, bool (*swapped) (const char *flag),
                               const char *flag, const char *value, const char **replace,
                               char **err);

/* ------------------------------------------------------------------------ */
/* How runc reads the commands' flags, one reading shared by each command
   and by audit mode (cmd_audit.c), which judges what enforce mode would.  */

/* The facts of create, run and restore that the floor's invocation rules
   read, into *inv (its words point into ctx->cl).  */
void create_invocation (struct context *ctx, struct invocation *inv);

/* exec's flags (--cwd, --cap, --no-new-privs, --user, --additional-gids)
   applied to process as runc's getProcess does.  --apparmor,
   --process-label and --cgroup are not applied: the floor refuses them
   (invocation.c).  -1 with *err (no command prefix) for a value runc
   would not read.  */
int apply_exec_flags (struct context *ctx, json_value *process, char **err);

/* Whether NAME is one of update's resource flags (-r, --resources, or a
   flag that sets one limit).  */
bool update_is_resource_flag (const char *name);

/* The LinuxResources object update's flags ask for, read as runc reads
   them: sizes as Go's RAMInBytes, numbers base 10, an empty or zero value
   leaves the field alone; other flags are ignored.  -1 with *err (no
   command prefix) for a value runc would not read.  Free with
   cleanup_json.  */
int resources_from_flags (struct context *ctx, json_value **out, char **err);

#endif
