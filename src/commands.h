/* policyrun: one entry point per intercepted command (cmd_*.c), reached
   from the dispatch table in main.c: this file is that table's contract.
   An entry point that lets the command through ends in execve() and does
   not return; one that refuses returns -1 with *err set to the one-line
   reason.  What the commands share is in cmd_support.h; a command calls
   no other command's functions.  Commands that create nothing and grant
   nothing (CMD_PASSTHROUGH, CMD_HELP) are handed to the delegate unchanged
   (exec_delegate_unchanged).  */
#ifndef POLICYRUN_COMMANDS_H
#define POLICYRUN_COMMANDS_H

#include "cmd_support.h"

int cmd_create (struct context *ctx, char **err); /* create, run, restore */
int cmd_exec (struct context *ctx, char **err);
int cmd_update (struct context *ctx, char **err);
int cmd_start (struct context *ctx, char **err);
int cmd_delete (struct context *ctx, char **err);
int cmd_check (struct context *ctx, char **err);
int cmd_version (struct context *ctx, char **err);
/* "mode": "audit": create, run, restore, exec, update and start judged and
   recorded, then handed to the delegate unchanged (main.c dispatches the
   checked commands here instead of to their own entry points).  */
int cmd_audit (struct context *ctx, char **err);
/* Audit mode, when policyrun's own parser refused the command line: runc's
   to answer (cmd_audit.c says when).  */
int cmd_audit_unparsed (struct context *ctx, char **err);

#endif
