/* policyrun: the caller's runc command line rewritten for runsc (gVisor
   release 20221219), and runsc's own global flags judged.

   The caller (Docker's, containerd's runc.v2 shim, ctr) always speaks
   runc's language; runsc parses its flags with Go's flag package alone (no
   short aliases, booleans only as --x=false, a command's flags stop at its
   first argument) and lacks several of runc's flags and commands.  Every
   call policyrun makes to runsc, the main one and the helper calls, carries
   runsc_forced_globals after everything of the caller's (runsc's flag
   package takes the last value), so the sandbox never has a network, host
   sockets, host FIFOs, an overlay or shared file access, and seccomp from
   the spec is applied.  A flag whose meaning under runsc is not provably
   the caller's is refused, never guessed.  Messages are one line and start
   with the command ("create: ...").  */
#ifndef POLICYRUN_RUNSC_H
#define POLICYRUN_RUNSC_H

#include <stddef.h>

#include "cli.h"

/* Given to runsc on every call, after the caller's global flags; NULL
   terminated.  */
extern const char *const runsc_forced_globals[];

/* Judge cl->engine_flags (runsc's global flags given by the caller, e.g.
   through Docker's runtimeArgs) by runsc.c's one table: 0 when each is
   passed through or is the forced value of a forced flag, else -1 and *err
   naming the first refused flag and why.  */
int runsc_check_engine_flags (const struct command_line *cl, char **err);

/* The value runsc gets for runc flag `flag` (its canonical runc name, no
   dashes: "bundle", "process", "console-socket", "pid-file") instead of
   the caller's, or in addition when the caller gave none; value NULL drops
   the flag.  Only flags that take a single string value can be swapped.
   When one flag is swapped more than once, the last swap wins.  */
struct runsc_swap
{
  const char *flag;
  const char *value;
};

/* The argv of runsc for cl: argv[0] = path, --root=ROOT (root is never
   NULL), runc's global flags in runsc's syntax, the allowed engine flags,
   runsc_forced_globals, the command, its flags as --name=value, and its
   arguments.  Returns 0 and a NULL-terminated vector of malloc'd strings
   (strv_free), or -1 and *err when anything of the command line cannot be
   given to runsc with runc's meaning.

   exec with a "process" swap whose value is not NULL (the process file
   policyrun built and checked: the container's process as runc would build
   it, with exec's flags already merged in, because runsc exec without one
   runs as uid 0 and without the spec's seccomp) gives runsc only
   --process=FILE, the caller's --console-socket, --detach and --pid-file,
   and the container id: the caller's --user, --cwd, --env, --cap,
   --additional-gids, --tty, --no-new-privs, --apparmor and --process-label
   and the command words after the id are dropped whatever they say, since
   the file carries what policyrun made of them.  --preserve-fds, --cgroup,
   --ignore-paused and --pidfd-socket are still refused when they do
   anything, and an empty FILE is refused.  Without that swap each of
   exec's flags is translated or refused on its own.  */
int runsc_argv (const struct command_line *cl, const char *path, const char *root,
                const struct runsc_swap *swaps, size_t nswaps, char ***argv, char **err);

#endif
