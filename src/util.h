/* policyrun: small helpers shared by every file of src/: allocation that
   aborts on failure, cleanup attributes so early returns never leak, and the
   error convention (a failing function returns a negative number and sets
   *err to a malloc'd one-line reason; only main decides how to print it).
   The generic part of these lives in oci-spec/ospec-util.h, so that oci-spec
   needs nothing from src/; this file adds what only src/ uses.  */
#ifndef POLICYRUN_UTIL_H
#define POLICYRUN_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Allocation (x*), fail(), cleanup_free/close/fclose and struct strbuf come
   from oci-spec, the layer below: one implementation for the whole tree.  */
#include "ospec-util.h"

/* A NULL-terminated vector of malloc'd strings (an argv built for the
   delegate), freed with every string in it.  */
void strv_free (char **v);
/* A copy of the NULL-terminated vector v, each word copied too.  */
char **strv_dup (char *const *v);
void cleanup_strvp (char ***v);
#define cleanup_strv __attribute__ ((cleanup (cleanup_strvp)))

/* Open path for reading only if it is a regular file: a FIFO or a device
   in its place must not block policyrun or feed it endless data.  Returns
   the descriptor (O_CLOEXEC), or -1 with *err saying why ("it does not
   exist", "not a regular file", ...).  */
int open_regular_file (const char *path, char **err);

/* Read everything from fd (a file or a pipe), refusing more than max bytes.
   Returns 0 and a NUL-terminated malloc'd buffer, or -1 with *err.  */
int read_all_fd (int fd, size_t max, char **out, size_t *len, char **err);

/* p cleaned lexically, as Go's filepath.Clean: no empty or "." components,
   ".." removes the previous one (and stays at "/" for absolute paths).  */
char *path_clean (const char *p);

#endif
