/* oci-spec: the few generic helpers the JSON and runtime-spec code needs,
   with no dependency outside oci-spec/ (src/util.h builds on this file, not
   the other way round): allocation that aborts on failure, cleanup
   attributes so early returns never leak, the error convention (a failing
   function returns -1 and sets *err to a malloc'd one-line reason), and a
   growable string.  Small enough to be inline; each user gets its copy.  */
#ifndef OCI_SPEC_OSPEC_UTIL_H
#define OCI_SPEC_OSPEC_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline void __attribute__ ((noreturn)) ospec_oom (void)
{
  static const char msg[] = "policyrun: out of memory\n";
  ssize_t r = write (2, msg, sizeof msg - 1);
  (void)r;
  abort ();
}

static inline void *
xmalloc (size_t size)
{
  void *p = malloc (size ? size : 1);
  if (p == NULL)
    ospec_oom ();
  return p;
}

static inline void *
xcalloc (size_t n, size_t size)
{
  void *p = calloc (n ? n : 1, size ? size : 1);
  if (p == NULL)
    ospec_oom ();
  return p;
}

static inline void *
xrealloc (void *p, size_t size)
{
  p = realloc (p, size ? size : 1);
  if (p == NULL)
    ospec_oom ();
  return p;
}

static inline char *
xstrdup (const char *s)
{
  char *p = strdup (s);
  if (p == NULL)
    ospec_oom ();
  return p;
}

static inline char *
xstrndup (const char *s, size_t n)
{
  char *p = strndup (s, n);
  if (p == NULL)
    ospec_oom ();
  return p;
}

static inline char *__attribute__ ((format (printf, 1, 0))) xvasprintf (const char *fmt, va_list ap)
{
  char *s = NULL;
  if (vasprintf (&s, fmt, ap) < 0)
    ospec_oom ();
  return s;
}

static inline char *__attribute__ ((format (printf, 1, 2))) xasprintf (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *s = xvasprintf (fmt, ap);
  va_end (ap);
  return s;
}

/* Set *err (if err is not NULL) and return -1.  */
static inline int __attribute__ ((format (printf, 2, 3))) fail (char **err, const char *fmt, ...)
{
  if (err != NULL)
    {
      va_list ap;
      va_start (ap, fmt);
      free (*err);
      *err = xvasprintf (fmt, ap);
      va_end (ap);
    }
  return -1;
}

static inline void
cleanup_freep (void *p)
{
  void **pp = p;
  free (*pp);
}

static inline void
cleanup_closep (int *fd)
{
  if (*fd >= 0)
    close (*fd);
}

static inline void
cleanup_fclosep (FILE **f)
{
  if (*f != NULL)
    fclose (*f);
}

#define cleanup_free __attribute__ ((cleanup (cleanup_freep)))
#define cleanup_close __attribute__ ((cleanup (cleanup_closep)))
#define cleanup_fclose __attribute__ ((cleanup (cleanup_fclosep)))

/* A growable string.  */
struct strbuf
{
  char *s;
  size_t len, cap;
};

static inline void
strbuf_add (struct strbuf *b, const char *s)
{
  size_t n = strlen (s);
  if (b->len + n + 1 > b->cap)
    {
      b->cap = (b->len + n + 1) * 2;
      b->s = xrealloc (b->s, b->cap);
    }
  memcpy (b->s + b->len, s, n + 1);
  b->len += n;
}

static inline void __attribute__ ((format (printf, 2, 3)))
strbuf_addf (struct strbuf *b, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *s = xvasprintf (fmt, ap);
  va_end (ap);
  strbuf_add (b, s);
  free (s);
}

static inline void
strbuf_free (struct strbuf *b)
{
  free (b->s);
  b->s = NULL;
  b->len = b->cap = 0;
}

#endif
