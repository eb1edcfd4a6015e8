/* policyrun's benchmark: figures, not assertions.
     bench-check POLICYRUN CONFIG
   prints, for a Docker-shaped config.json: the cost of one check in-process
   (load + type check + floor + canonical write), the cost of the whole
   `policyrun check` process, the time a passthrough command adds over
   calling the delegate directly, peak RSS, how the check grows with the
   config's size (extra env and binds, and a profile-heavy config of 0.5 to
   4 MB of seccomp rules run through `policyrun check`), and how fast an
   oversized (64 MiB) config is refused.  */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "floor/floor.h"
#include "json.h"
#include "policy.h"
#include "spec.h"
#include "util.h"

static double
now_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
check_once (const char *buf, size_t len, const struct policy *p, const struct host_facts *h)
{
  json_value *config = NULL;
  char *err = NULL;
  if (json_parse (buf, len, &config, &err) < 0)
    {
      free (err);
      return -1;
    }
  int ok = spec_check_types_config (config, &err) == 0;
  struct verdict v = { 0 };
  floor_check_config (config, p, h, &v);
  char *out = NULL;
  size_t olen = 0;
  if (json_write (config, &out, &olen, &err) < 0)
    ok = 0;
  free (out);
  free (err);
  verdict_free (&v);
  json_free (config);
  return ok ? 0 : -1;
}

/* Run argv, wait, and return the wall time in microseconds; *maxrss in KiB.
   The child's peak includes the pages it shared with this process before
   execve, so the figures are upper bounds; the process-level measurements run
   before the growth test makes this process large.  */
static double
run_process (char **argv, long *maxrss)
{
  double t0 = now_us ();
  pid_t pid = fork ();
  if (pid == 0)
    {
      int devnull = open ("/dev/null", O_WRONLY);
      dup2 (devnull, 1);
      dup2 (devnull, 2);
      execv (argv[0], argv);
      _exit (127);
    }
  int status;
  struct rusage ru;
  wait4 (pid, &status, 0, &ru);
  if (maxrss)
    *maxrss = ru.ru_maxrss;
  return now_us () - t0;
}

static double
median_process (char **argv, int n, long *maxrss)
{
  double *t = xcalloc ((size_t)n, sizeof *t);
  long peak = 0;
  for (int i = 0; i < n; i++)
    {
      long r = 0;
      t[i] = run_process (argv, &r);
      if (r > peak)
        peak = r;
    }
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && t[j - 1] > t[j]; j--)
      {
        double x = t[j];
        t[j] = t[j - 1];
        t[j - 1] = x;
      }
  double m = t[n / 2];
  free (t);
  if (maxrss)
    *maxrss = peak;
  return m;
}

/* The config with n extra environment variables and n extra read-only binds.  */
static char *
grown_config (const char *buf, size_t n)
{
  json_value *config = NULL;
  char *err = NULL;
  if (json_parse (buf, strlen (buf), &config, &err) < 0)
    return NULL;
  json_value *env = NULL, *mounts = NULL;
  if (spec_get (config, "process.env", JSON_ARRAY, &env) == SPEC_OK
      && spec_get (config, "mounts", JSON_ARRAY, &mounts) == SPEC_OK)
    for (size_t i = 0; i < n; i++)
      {
        char *e = xasprintf ("VAR_%zu=%0100zu", i, i);
        json_array_append (env, json_new_string (e));
        free (e);
        json_value *m = json_new_object ();
        char *d = xasprintf ("/data/%zu", i);
        json_object_set (m, "destination", json_new_string (d));
        free (d);
        json_object_set (m, "type", json_new_string ("bind"));
        json_object_set (m, "source", json_new_string ("/srv"));
        json_value *o = json_new_array ();
        json_array_append (o, json_new_string ("rbind"));
        json_array_append (o, json_new_string ("ro"));
        json_object_set (m, "options", o);
        json_array_append (mounts, m);
      }
  char *out = NULL;
  size_t len = 0;
  json_write (config, &out, &len, &err);
  json_free (config);
  return out;
}

/* The config with linux.seccomp.syscalls grown to about target bytes: one
   rule repeating a deny-listed name (the case that was quadratic) and
   rules letting clone, clone3 and socket run unconditionally (each
   rewritten).  NULL on failure.  */
static char *
seccomp_heavy_config (const char *buf, size_t target)
{
  json_value *config = NULL;
  char *err = NULL;
  if (json_parse (buf, strlen (buf), &config, &err) < 0)
    return NULL;
  json_value *syscalls = NULL;
  if (spec_get (config, "linux.seccomp.syscalls", JSON_ARRAY, &syscalls) != SPEC_OK)
    {
      json_free (config);
      return NULL;
    }
  json_value *repeat = json_new_object ();
  json_value *names = json_new_array ();
  json_object_set (repeat, "names", names);
  json_object_set (repeat, "action", json_new_string ("SCMP_ACT_ALLOW"));
  json_array_append (syscalls, repeat);
  size_t size = strlen (buf);
  for (size_t i = 0; size < target / 2; i++, size += 9)
    json_array_append (names, json_new_string ("ptrace"));
  for (size_t i = 0; size < target; i++)
    {
      json_value *r = json_new_object ();
      json_value *n = json_new_array ();
      json_array_append (n, json_new_string ("clone"));
      json_array_append (n, json_new_string ("clone3"));
      json_array_append (n, json_new_string ("socket"));
      json_array_append (n, json_new_string ("getpid"));
      json_object_set (r, "names", n);
      json_object_set (r, "action", json_new_string (i % 2 ? "SCMP_ACT_LOG" : "SCMP_ACT_ALLOW"));
      json_array_append (syscalls, r);
      size += 80;
    }
  char *out = NULL;
  size_t len = 0;
  json_write (config, &out, &len, &err);
  free (err);
  json_free (config);
  return out;
}

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-check POLICYRUN CONFIG\n");
      return 2;
    }
  char *buf = NULL, *err = NULL;
  size_t len = 0;
  int fd = open (argv[2], O_RDONLY | O_CLOEXEC);
  if (fd < 0 || read_all_fd (fd, 64u << 20, &buf, &len, &err) < 0)
    {
      fprintf (stderr, "bench-check: cannot read %s\n", argv[2]);
      return 2;
    }
  close (fd);
  struct policy p;
  policy_defaults (&p);
  struct host_facts h = { .swap_accounting = true };

  const int iters = 2000;
  double t0 = now_us ();
  for (int i = 0; i < iters; i++)
    check_once (buf, len, &p, &h);
  double per = (now_us () - t0) / iters;
  printf ("config: %s (%zu bytes)\n", argv[2], len);
  printf ("check in-process (load+types+floor+write): %.1f us per bundle (%d runs)\n", per, iters);

  char *check_argv[] = { argv[1], (char *)"check", argv[2], NULL };
  long rss = 0;
  double proc = median_process (check_argv, 51, &rss);
  printf ("policyrun check, whole process: %.0f us median; peak RSS %ld KiB\n", proc, rss);

  char *direct[] = { (char *)"/bin/true", (char *)"state", (char *)"x", NULL };
  char *through[]
      = { argv[1], (char *)"--delegate", (char *)"/bin/true", (char *)"state", (char *)"x", NULL };
  double d = median_process (direct, 201, NULL);
  long prss = 0;
  double t = median_process (through, 201, &prss);
  printf ("passthrough (state): delegate alone %.0f us, through policyrun %.0f us, added %.0f us; "
          "peak RSS %ld KiB\n",
          d, t, t - d, prss);

  char big_path[] = "/tmp/policyrun-bench-XXXXXX";
  int bfd = mkstemp (big_path);
  if (bfd >= 0)
    {
      /* 64 MiB: one huge string value.  */
      const char *head = "{\"ociVersion\":\"";
      if (write (bfd, head, strlen (head)) < 0)
        perror ("write");
      char *chunk = xmalloc (1 << 20);
      memset (chunk, 'a', 1 << 20);
      for (int i = 0; i < 64; i++)
        if (write (bfd, chunk, 1 << 20) < 0)
          perror ("write");
      if (write (bfd, "\"}", 2) < 0)
        perror ("write");
      free (chunk);
      close (bfd);
      char *big_argv[] = { argv[1], (char *)"check", big_path, NULL };
      long brss = 0;
      double bt = median_process (big_argv, 5, &brss);
      printf ("64 MiB config refused in %.0f us, peak RSS %ld KiB\n", bt, brss);
      unlink (big_path);
    }
  printf ("growth with config size (extra env entries and read-only binds):\n");
  const size_t sizes[] = { 0, 10, 100, 1000, 5000 };
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
    {
      char *g = grown_config (buf, sizes[k]);
      if (g == NULL)
        continue;
      size_t glen = strlen (g);
      int n = sizes[k] >= 1000 ? 20 : 200;
      double s = now_us ();
      for (int i = 0; i < n; i++)
        check_once (g, glen, &p, &h);
      double us = (now_us () - s) / n;
      printf ("  +%5zu entries: %8zu bytes  %9.1f us  (%.3f us/KiB)\n", sizes[k], glen, us,
              us / (glen / 1024.0));
      free (g);
    }

  printf ("growth with a seccomp-heavy profile (policyrun check, whole process, median of 3):\n");
  const size_t targets[] = { 512u << 10, 1u << 20, 2u << 20, 4000000 };
  for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++)
    {
      char *g = seccomp_heavy_config (buf, targets[k]);
      char path[] = "/tmp/policyrun-bench-seccomp-XXXXXX";
      int gfd = g ? mkstemp (path) : -1;
      if (gfd < 0)
        {
          free (g);
          continue;
        }
      size_t glen = strlen (g);
      bool written = write (gfd, g, glen) == (ssize_t)glen;
      close (gfd);
      free (g);
      if (written)
        {
          char *sargv[] = { argv[1], (char *)"check", path, NULL };
          long srss = 0;
          double st = median_process (sargv, 3, &srss);
          printf ("  %8zu bytes  %9.0f us  (%.3f us/KiB)  peak RSS %ld KiB\n", glen, st,
                  st / (glen / 1024.0), srss);
        }
      unlink (path);
    }

  printf ("budget: check well under 1000 us; peak RSS under 4096 KiB\n");
  free (buf);
  policy_free (&p);
  return 0;
}
