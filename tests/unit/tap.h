/* A minimal TAP producer for the unit tests (automake's tap-driver).  */
#ifndef POLICYRUN_TAP_H
#define POLICYRUN_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n;
static int tap_failed;

static void __attribute__ ((format (printf, 2, 3), unused)) ok (int cond, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  printf ("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
  vprintf (fmt, ap);
  printf ("\n");
  va_end (ap);
  if (!cond)
    tap_failed++;
  fflush (stdout);
}

static void __attribute__ ((format (printf, 1, 2), unused)) diag (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  printf ("# ");
  vprintf (fmt, ap);
  printf ("\n");
  va_end (ap);
}

/* Strings equal (NULL-safe); prints both on failure.  */
#define is_str(got, want, ...)                                                                     \
  do                                                                                               \
    {                                                                                              \
      const char *g_ = (got), *w_ = (want);                                                        \
      int c_ = (g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp (g_, w_) == 0);                   \
      ok (c_, __VA_ARGS__);                                                                        \
      if (!c_)                                                                                     \
        diag ("got '%s', want '%s'", g_ ? g_ : "(null)", w_ ? w_ : "(null)");                      \
    }                                                                                              \
  while (0)

/* Substring present (NULL-safe).  */
#define has_str(hay, needle, ...)                                                                  \
  do                                                                                               \
    {                                                                                              \
      const char *h_ = (hay), *n_ = (needle);                                                      \
      int c_ = h_ && n_ && strstr (h_, n_) != NULL;                                                \
      ok (c_, __VA_ARGS__);                                                                        \
      if (!c_)                                                                                     \
        diag ("'%s' does not contain '%s'", h_ ? h_ : "(null)", n_ ? n_ : "(null)");               \
    }                                                                                              \
  while (0)

static int __attribute__ ((unused)) done_testing (void)
{
  printf ("1..%d\n", tap_n);
  return tap_failed ? 1 : 0;
}

#endif
