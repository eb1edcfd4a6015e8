/* policyrun's benchmark: figures, not assertions.
     bench-check POLICYRUN CONFIG
     bench-check lifecycle N RUNC POLICYRUN POLICY ROOT BUNDLE
     bench-check exec PROGRAM ARGS...    (a bare execv wrapper, for scale)
   The first form
   prints, for a Docker-shaped config.json: the cost of one check in-process
   (load + type check + floor + canonical write), the cost of the whole
   `policyrun check` process, the time a passthrough command adds over
   calling the delegate directly, peak RSS, how the check grows with the
   config's size (extra env and binds, and a profile-heavy config of 0.5 to
   4 MB of seccomp rules run through `policyrun check`), and how fast an
   oversized (64 MiB) config is refused.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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

/* The container lifecycle, runc against policyrun, in paired runs.  This
   process is a child subreaper, so the container's init and whatever
   policyrun leaves detached (the cleaner, the deadline's watchdogs) are
   reaped here, and their CPU time counts in RUSAGE_CHILDREN.  */

struct lifecycle
{
  const char *runc, *policyrun, *policy, *root, *bundle, *self;
  char pid_file[4096], err_file[4096];
  sigset_t old_mask;
  int failures;
};

static double
children_cpu_ms (void)
{
  struct rusage ru;
  getrusage (RUSAGE_CHILDREN, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3
         + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* Run argv with stdin and stdout on /dev/null and stderr in the error file;
   true when it exited 0.  */
static bool
run_step (struct lifecycle *l, char **argv)
{
  pid_t pid = fork ();
  if (pid == 0)
    {
      sigprocmask (SIG_SETMASK, &l->old_mask, NULL);
      int devnull = open ("/dev/null", O_RDWR);
      int errfd = open (l->err_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (devnull < 0 || errfd < 0 || dup2 (devnull, 0) < 0 || dup2 (devnull, 1) < 0
          || dup2 (errfd, 2) < 0)
        _exit (127);
      execv (argv[0], argv);
      _exit (127);
    }
  int status = 0;
  while (pid > 0 && waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return false;
  return pid > 0 && WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* Reap children until target (or, with target 0, every child) is gone, or
   until no child has left for timeout_ms.  True when target was reaped.  */
static bool
reap_until (pid_t target, int timeout_ms)
{
  sigset_t chld;
  sigemptyset (&chld);
  sigaddset (&chld, SIGCHLD);
  for (;;)
    {
      int status;
      pid_t p = waitpid (-1, &status, WNOHANG);
      if (p > 0)
        {
          if (p == target)
            return true;
          continue;
        }
      if (p < 0)
        return target == 0; /* no child left */
      struct timespec ts
          = { .tv_sec = timeout_ms / 1000, .tv_nsec = (timeout_ms % 1000) * 1000000L };
      if (sigtimedwait (&chld, NULL, &ts) < 0 && errno == EAGAIN)
        return false;
    }
}

static long
read_pid_file (const char *path)
{
  FILE *f = fopen (path, "re");
  long pid = 0;
  if (f != NULL)
    {
      if (fscanf (f, "%ld", &pid) != 1)
        pid = 0;
      fclose (f);
    }
  return pid;
}

/* argv for one runtime: runc, or policyrun with its policy.  */
static char **
runtime_argv (struct lifecycle *l, bool through, char *const *words)
{
  char **argv = xcalloc (16, sizeof *argv);
  size_t n = 0;
  argv[n++] = (char *)(through ? l->policyrun : l->runc);
  if (through)
    {
      argv[n++] = (char *)"--policy";
      argv[n++] = (char *)l->policy;
    }
  argv[n++] = (char *)"--root";
  argv[n++] = (char *)l->root;
  for (size_t i = 0; words[i] != NULL; i++)
    argv[n++] = words[i];
  return argv;
}

static bool
step (struct lifecycle *l, bool through, char *const *words)
{
  char **argv = runtime_argv (l, through, words);
  bool ok = run_step (l, argv);
  free (argv);
  return ok;
}

static void
report_failure (struct lifecycle *l, const char *what, const char *id)
{
  l->failures++;
  fprintf (stderr, "bench-check: %s of %s failed:", what, id);
  FILE *f = fopen (l->err_file, "re");
  char line[512];
  while (f != NULL && fgets (line, sizeof line, f) != NULL)
    fprintf (stderr, " %s", line);
  if (f != NULL)
    fclose (f);
  fputc ('\n', stderr);
}

/* One container: create, start, wait for its init, delete (Docker's
   lifecycle), or run and delete.  Wall in *wall_ms; CPU of every process
   involved, helpers included, in *cpu_ms.  */
static bool
lifecycle_once (struct lifecycle *l, bool through, bool use_run, int i, double *wall_ms,
                double *cpu_ms)
{
  char id[64];
  snprintf (id, sizeof id, "bench-%s-%s-%d", through ? "pr" : "runc", use_run ? "run" : "cs", i);
  unlink (l->pid_file);
  double cpu0 = children_cpu_ms ();
  double t0 = now_us ();
  bool ok;
  const char *what = "create";
  if (use_run)
    {
      char *run[] = { "run", "--bundle", (char *)l->bundle, id, NULL };
      what = "run";
      ok = step (l, through, run);
    }
  else
    {
      char *create[]
          = { "create", "--bundle", (char *)l->bundle, "--pid-file", l->pid_file, id, NULL };
      char *start[] = { "start", id, NULL };
      ok = step (l, through, create);
      long init = ok ? read_pid_file (l->pid_file) : 0;
      if (ok)
        {
          what = "start";
          ok = init > 0 && step (l, through, start);
        }
      if (ok)
        {
          what = "wait";
          ok = reap_until ((pid_t)init, 10000);
        }
    }
  char *del[] = { "delete", id, NULL };
  if (ok)
    {
      /* A foreground run has removed the container itself by now: its
         delete, the call an engine makes all the same, is refused by runc
         ("does not exist") and only the time counts.  */
      what = "delete";
      ok = step (l, through, del) || use_run;
    }
  *wall_ms = (now_us () - t0) / 1e3;
  if (!ok)
    {
      report_failure (l, what, id);
      char *force[] = { "delete", "--force", id, NULL };
      step (l, false, force);
    }
  reap_until (0, 5000);
  *cpu_ms = children_cpu_ms () - cpu0;
  return ok;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The median of v[0..n), which is left as it was (the samples stay in
   the order they were paired in).  */
static double
median (const double *v, int n)
{
  if (n == 0)
    return 0;
  double *c = xcalloc ((size_t)n, sizeof *c);
  memcpy (c, v, (size_t)n * sizeof *c);
  qsort (c, (size_t)n, sizeof *c, compare_double);
  double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  free (c);
  return m;
}

/* Medians of paired samples: [0] runc, [1] policyrun (and [2] the bare
   wrapper for state).  */
struct series
{
  double *wall[3], *cpu[3];
  int n[3];
};

static void
series_add (struct series *s, int k, double wall, double cpu)
{
  s->wall[k][s->n[k]] = wall;
  s->cpu[k][s->n[k]] = cpu;
  s->n[k]++;
}

/* The median of the ratios of sample k to sample base, pair by pair: each
   pair ran back to back, so what drifts on the machine between pairs (and
   it does, by more than the difference measured) cancels out.  */
static double
paired_ratio (double *const *v, int k, int base, int n)
{
  double *r = xcalloc ((size_t)n + 1, sizeof *r);
  int m = 0;
  for (int i = 0; i < n; i++)
    if (v[base][i] > 0)
      r[m++] = v[k][i] / v[base][i];
  double x = median (r, m);
  free (r);
  return x;
}

static void
print_row (const char *name, struct series *s, int k, int base)
{
  int n = s->n[k] < s->n[base] ? s->n[k] : s->n[base];
  double pw = paired_ratio (s->wall, k, base, n), pc = paired_ratio (s->cpu, k, base, n);
  double w = median (s->wall[k], s->n[k]), c = median (s->cpu[k], s->n[k]);
  double bw = median (s->wall[base], s->n[base]), bc = median (s->cpu[base], s->n[base]);
  if (k == base)
    printf ("  %-34s %8.2f ms wall %8.2f ms CPU   (n=%d)\n", name, w, c, s->n[k]);
  else
    printf ("  %-34s %8.2f ms wall %8.2f ms CPU   x%.3f wall  x%.3f CPU  (n=%d)\n"
            "  %-34s median of the per-pair ratios:  x%.3f wall  x%.3f CPU\n",
            name, w, c, bw > 0 ? w / bw : 0, bc > 0 ? c / bc : 0, s->n[k], "", pw, pc);
}

static struct series
series_new (int n)
{
  struct series s = { 0 };
  for (int k = 0; k < 3; k++)
    {
      s.wall[k] = xcalloc ((size_t)n, sizeof (double));
      s.cpu[k] = xcalloc ((size_t)n, sizeof (double));
    }
  return s;
}

static void
series_free (struct series *s)
{
  for (int k = 0; k < 3; k++)
    {
      free (s->wall[k]);
      free (s->cpu[k]);
    }
}

static void
bench_lifecycle (struct lifecycle *l, bool use_run, int n)
{
  struct series s = series_new (n);
  /* One warm-up each, then pairs whose order alternates, so that drift
     and caches favour neither.  */
  for (int i = -1; i < n; i++)
    for (int j = 0; j < 2; j++)
      {
        bool through = (i + j) % 2 != 0;
        double wall, cpu;
        if (lifecycle_once (l, through, use_run, i + 1, &wall, &cpu) && i >= 0)
          series_add (&s, through, wall, cpu);
      }
  const char *name = use_run ? "run+delete" : "create+start+wait+delete";
  printf ("%s:\n", name);
  print_row ("runc", &s, 0, 0);
  print_row ("policyrun", &s, 1, 0);
  series_free (&s);
}

/* state of a created container: runc, a bare execv wrapper around runc,
   and policyrun (which passes state through).  */
static void
bench_state (struct lifecycle *l, int n)
{
  const char *id = "bench-state";
  char *create[] = { "create", "--bundle", (char *)l->bundle, (char *)id, NULL };
  if (!step (l, false, create))
    {
      report_failure (l, "create", id);
      return;
    }
  struct series s = series_new (n);
  char *state[] = { "state", (char *)id, NULL };
  for (int i = -1; i < n; i++)
    for (int j = 0; j < 3; j++)
      {
        int k = (i + 3 + j) % 3;
        char **argv = runtime_argv (l, k == 1, state);
        char **wrapped = xcalloc (20, sizeof *wrapped);
        wrapped[0] = (char *)l->self;
        wrapped[1] = (char *)"exec";
        for (size_t w = 0; argv[w] != NULL; w++)
          wrapped[w + 2] = argv[w];
        double cpu0 = children_cpu_ms (), t0 = now_us ();
        bool ok = run_step (l, k == 2 ? wrapped : argv);
        double wall = (now_us () - t0) / 1e3, cpu = children_cpu_ms () - cpu0;
        free (argv);
        free (wrapped);
        if (!ok)
          report_failure (l, "state", id);
        else if (i >= 0)
          series_add (&s, k, wall, cpu);
      }
  char *force[] = { "delete", "--force", (char *)id, NULL };
  step (l, false, force);
  reap_until (0, 5000);
  printf ("state (passthrough):\n");
  print_row ("runc", &s, 0, 0);
  print_row ("bare execv wrapper around runc", &s, 2, 0);
  print_row ("policyrun", &s, 1, 0);
  series_free (&s);
}

static int
main_lifecycle (int argc, char **argv)
{
  if (argc != 9)
    {
      fprintf (stderr,
               "usage: bench-check lifecycle N RUNC POLICYRUN POLICY ROOT BUNDLE WORKDIR\n");
      return 2;
    }
  int n = atoi (argv[2]);
  if (n < 1)
    n = 20;
  struct lifecycle l = { .runc = argv[3],
                         .policyrun = argv[4],
                         .policy = argv[5],
                         .root = argv[6],
                         .bundle = argv[7],
                         .self = "/proc/self/exe" };
  static char self[4096];
  ssize_t sl = readlink ("/proc/self/exe", self, sizeof self - 1);
  if (sl > 0)
    {
      self[sl] = '\0';
      l.self = self;
    }
  snprintf (l.pid_file, sizeof l.pid_file, "%s/init.pid", argv[8]);
  snprintf (l.err_file, sizeof l.err_file, "%s/stderr", argv[8]);
  if (prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
    perror ("bench-check: PR_SET_CHILD_SUBREAPER");
  sigset_t chld;
  sigemptyset (&chld);
  sigaddset (&chld, SIGCHLD);
  sigprocmask (SIG_BLOCK, &chld, &l.old_mask);
  printf ("container lifecycle, %d paired runs each (runc and policyrun alternating), medians;\n"
          "CPU is user+system time of every process involved, detached helpers included:\n",
          n);
  bench_lifecycle (&l, false, n);
  bench_lifecycle (&l, true, n);
  bench_state (&l, n);
  fflush (stdout);
  if (l.failures > 0)
    fprintf (stderr, "bench-check: %d runs failed\n", l.failures);
  return l.failures > 0 ? 1 : 0;
}

int
main (int argc, char **argv)
{
  if (argc >= 3 && strcmp (argv[1], "exec") == 0)
    {
      execv (argv[2], argv + 2);
      return 127;
    }
  if (argc >= 2 && strcmp (argv[1], "lifecycle") == 0)
    return main_lifecycle (argc, argv);
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
