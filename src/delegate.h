/* policyrun: the real runtime.  Its main call is always an execve() so the
   caller keeps the pid, the exit status, signals, the terminal and every
   inherited descriptor exactly as with runc.  */
#ifndef POLICYRUN_DELEGATE_H
#define POLICYRUN_DELEGATE_H

#include <stdbool.h>
#include <stddef.h>

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

/* execve(path, argv, environ).  Returns only on failure (-1, *err).  */
int delegate_exec (const char *path, char **argv, char **err);

/* Run the delegate as a helper (never for the main call) and capture its
   stdout (at most max bytes); its stdin and stderr are /dev/null.  Returns its exit status (>= 0),
   or -1.  */
int delegate_capture (const char *path, char **argv, size_t max, char **out, char **err);

#endif
