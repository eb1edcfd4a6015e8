/* policyrun: the real runtime.  Its main call is always an execve() so the
   caller keeps the pid, the exit status, signals, the terminal and every
   inherited descriptor exactly as with runc.  */
#ifndef POLICYRUN_DELEGATE_H
#define POLICYRUN_DELEGATE_H

#include <stdbool.h>
#include <stddef.h>

/* runc's default --root when none is given (as root).  */
#define RUNC_DEFAULT_ROOT "/run/runc"
/* runsc's: policyrun always gives runsc an explicit --root, this one when
   the caller gave none.  */
#define RUNSC_DEFAULT_ROOT "/var/run/runsc"

/* The command-line language of the delegate.  The caller always speaks
   runc's; a runsc delegate gets every call translated (runsc.c).  */
enum delegate_dialect
{
  DIALECT_RUNC,
  DIALECT_RUNSC,
};

/* The dialect of the delegate at path: runsc when its file name starts
   with "runsc", runc otherwise.  */
enum delegate_dialect delegate_dialect_of (const char *path);

/* Find the delegate: a path with a '/' is taken as it is, a bare name is
   looked up in PATH.  It must be an executable regular file and must not be
   policyrun itself (that would loop).  Returns 0 and a malloc'd path.  */
int delegate_resolve (const char *name, char **path, char **err);

/* A new argv for the delegate built from the caller's: argv[0] is the
   delegate, then the caller's words from 'from' on, without the words whose
   index is marked in drop[], with replace[i] (when not NULL) instead of word
   i, and with the insert[] words placed right after word 'after' (-1: none).  */
struct argv_edit
{
  int argc;
  char **argv;
  int from;
  const char *delegate;
  bool *drop;           /* argc entries, or NULL */
  const char **replace; /* argc entries, or NULL */
  int after;
  const char **insert;
  size_t ninsert;
};
char **delegate_argv (const struct argv_edit *e);

/* execve(path, argv, environ) less systemd's socket-activation variables.
   Returns only on failure (-1, *err).  */
int delegate_exec (const char *path, char **argv, char **err);

/* runsc 20221219 gives its standard streams to the sandbox's user
   (fchown to 65534) so that the sandbox can use them.  Handed the host's
   /dev/null, it would give the host's /dev/null to nobody, whom every
   gVisor sandbox runs as.  Each stream that is the null device is replaced
   by a private node of the same device: the same reads and writes, an inode
   no one else uses.  Called before runsc is run (delegate_exec,
   delegate_capture).  0, or -1 and *err.  */
int delegate_shield_null_streams (char **err);

/* execve(path, argv, environ) with the caller's environment as it is,
   LISTEN_FDS included: audit mode, where the delegate gets exactly what the
   caller gave.  Returns only on failure (-1, *err).  */
int delegate_exec_as_given (const char *path, char **argv, char **err);

/* Run the delegate as a helper (never for the main call) and capture its
   stdout (at most max bytes); its stdin and stderr are /dev/null.  Returns its exit status (>= 0),
   or -1.  */
int delegate_capture (const char *path, char **argv, size_t max, char **out, char **err);

/* What a helper call (state, kill, --version: never the main call) gets of
   the caller's command line: the delegate and the globals that select its
   containers.  Never --log: a helper's errors are not the caller's, and an
   engine shows the last line of that log to the user.  */
struct delegate_globals
{
  const char *path;
  enum delegate_dialect dialect;
  const char *root; /* NULL: the delegate's default */
  bool systemd_cgroup;
  const char *rootless; /* NULL: not given */
};

/* argv of a helper call: the delegate, its globals, then words[0..n-1].
   For runsc the globals are written runsc's way (--root=R, always given)
   and followed by runsc_forced_globals.  The strings are borrowed; free()
   the vector only.  */
char **delegate_call_argv (const struct delegate_globals *g, const char *const *words, size_t n);

/* A container as the delegate sees it.  When status is "created",
   "running" or "paused", pid is its init and pidfd and procfd (/proc/PID)
   both name that very process: checked against the start time runc
   recorded, or against a second answer of the delegate, after they were
   opened, so a recycled pid is never taken for the init.  */
struct container_state
{
  char status[16]; /* "created", "running", "paused", "stopped" */
  long pid;        /* 0 when stopped */
  int pidfd;       /* -1 when stopped */
  int procfd;      /* -1 when stopped */
};
void container_state_release (struct container_state *st);
#define cleanup_container_state __attribute__ ((cleanup (container_state_release)))

/* The state of container id.  runc's own record (ROOT/ID/state.json, the
   init's start time in /proc, the exec fifo, the freezer) answers without
   running anything, as runc itself derives it; when that record is absent
   or not runc's, the delegate is asked ("state ID").  Returns 0, or -1 with
   *err when the delegate does not know the container or cannot be asked.  */
int delegate_container_state (const struct delegate_globals *g, const char *id,
                              struct container_state *st, char **err);

/* runc's own record of id under root (NULL: runc's default) alone, as
   delegate_container_state reads it, never calling the delegate: 1 answered
   (st filled), 0 no record that can be trusted, -1 error.  */
int delegate_runc_record (const char *root, const char *id, struct container_state *st);

/* Whether the delegate knows container id: 1 yes, 0 no, -1 it cannot be
   told.  runc keeps ROOT/ID while it knows a container, so runc is never
   asked; another delegate is asked when that directory is missing.  */
int delegate_knows_container (const struct delegate_globals *g, const char *id);

/* Kill container id through the delegate ("kill ID KILL"), best effort.  */
void delegate_kill_container (const struct delegate_globals *g, const char *id);

#endif
