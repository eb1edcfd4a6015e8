/* policyrun: small helpers shared by every file: allocation that aborts on
   failure, cleanup attributes so early returns never leak, and the error
   convention (a failing function returns a negative number and sets *err to
   a malloc'd one-line reason; only main decides how to print it).  */
#ifndef POLICYRUN_UTIL_H
#define POLICYRUN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

void *xmalloc (size_t size);
void *xcalloc (size_t n, size_t size);
void *xrealloc (void *p, size_t size);
char *xstrdup (const char *s);
char *xstrndup (const char *s, size_t n);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
char *xvasprintf (const char *fmt, va_list ap) __attribute__ ((format (printf, 1, 0)));

/* Set *err (if err is not NULL) and return -1.  */
int fail (char **err, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

void cleanup_freep (void *p);
void cleanup_closep (int *fd);
void cleanup_fclosep (FILE **f);

#define cleanup_free __attribute__ ((cleanup (cleanup_freep)))
#define cleanup_close __attribute__ ((cleanup (cleanup_closep)))
#define cleanup_fclose __attribute__ ((cleanup (cleanup_fclosep)))

/* A NULL-terminated vector of malloc'd strings (an argv built for the
   delegate), freed with every string in it.  */
void strv_free (char **v);
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

/* A growable string.  */
struct strbuf
{
  char *s;
  size_t len, cap;
};
void strbuf_add (struct strbuf *b, const char *s);
void strbuf_addf (struct strbuf *b, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
void strbuf_free (struct strbuf *b);

#endif
