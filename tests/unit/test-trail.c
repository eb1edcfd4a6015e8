/* Unit tests for src/trail.c: the record's shape, the file's safety checks,
   whole lines under concurrent writers, a short write undone, and the
   syslog message (caught on a private /dev/log).  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "spec.h"
#include "tap.h"
#include "trail.h"
#include "util.h"

static char tmpdir[] = "/tmp/policyrun-test-trail-XXXXXX";

static void
add (struct verdict *v, enum finding_kind k, const char *rule, const char *field,
     const char *detail, const char *fix)
{
  verdict_add (v, k, rule, field, fix, detail);
}

static void
two_findings (struct verdict *v)
{
  add (v, FINDING_VIOLATION, "memory", "linux.resources.memory.limit", "is 209715200",
       "run with --memory 100m");
  add (v, FINDING_VIOLATION, "memory", "linux.resources.memory.swap", "is 209715200",
       "run with --memory 100m");
  add (v, FINDING_TIGHTENED, "pids", "linux.resources.pids.limit", "was absent; set to 256", NULL);
}

static struct trail_decision
decision (const struct verdict *v)
{
  return (struct trail_decision){ .command = "create",
                                  .id = "c1",
                                  .root = "/run/docker/runtime-runc/moby",
                                  .bundle = "/b",
                                  .config = "/b/config.json",
                                  .mode = MODE_ENFORCE,
                                  .dialect = DIALECT_RUNC,
                                  .delegate = "/usr/sbin/runc",
                                  .caller = "docker",
                                  .policy = "built-in",
                                  .verdict = v };
}

static const char *
member_string (const json_value *o, const char *key)
{
  const json_value *m = json_object_get_exact (o, key);
  return m != NULL && m->type == JSON_STRING ? m->u.string.s : NULL;
}

static json_value *
parse (const char *s)
{
  json_value *o = NULL;
  cleanup_free char *err = NULL;
  if (s == NULL || json_parse (s, strlen (s), &o, &err) < 0)
    return NULL;
  return o;
}

static void
test_record_shape (void)
{
  struct verdict v = { 0 };
  two_findings (&v);
  struct trail_decision d = decision (&v);
  cleanup_json json_value *o = trail_record (&d, "2026-11-28T05:40:12.123456Z");
  static const char *const keys[]
      = { "time",    "command", "id",       "root",   "bundle", "config",     "mode",
          "verdict", "dialect", "delegate", "caller", "policy", "violations", "tightened" };
  size_t present = 0;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    present += json_object_get_exact (o, keys[i]) != NULL;
  ok (present == sizeof keys / sizeof keys[0] && o->u.object.len == present,
      "the record has exactly its %zu members", present);
  is_str (member_string (o, "verdict"), "refused", "violations: refused");
  is_str (member_string (o, "mode"), "enforce", "mode enforce");
  is_str (member_string (o, "dialect"), "runc", "dialect runc");
  is_str (member_string (o, "root"), "/run/docker/runtime-runc/moby", "root as given");
  const json_value *viol = json_object_get_exact (o, "violations");
  const json_value *tight = json_object_get_exact (o, "tightened");
  ok (viol->u.array.len == 2 && tight->u.array.len == 1, "every finding, each once");
  const json_value *f = viol->u.array.items[1];
  is_str (member_string (f, "kind"), "violation", "a violation's kind");
  is_str (member_string (f, "field"), "linux.resources.memory.swap", "its field");
  is_str (member_string (f, "detail"), "is 209715200", "its detail (the value)");
  is_str (member_string (f, "fix"), "run with --memory 100m", "its fix");
  const json_value *c = json_object_get_exact (f, "changed");
  ok (c && c->type == JSON_BOOL && !c->u.boolean, "a violation was not changed (enforce)");
  const json_value *t = tight->u.array.items[0];
  is_str (member_string (t, "kind"), "tightened", "a tightening's kind");
  const json_value *fix = json_object_get_exact (t, "fix");
  ok (fix && fix->type == JSON_NULL, "no fix: null, not absent");
  c = json_object_get_exact (t, "changed");
  ok (c && c->type == JSON_BOOL && c->u.boolean, "a tightening is what policyrun changed");
  verdict_free (&v);

  struct verdict empty = { 0 };
  d = decision (&empty);
  d.id = NULL;
  d.root = NULL;
  d.dialect = DIALECT_RUNSC;
  d.mode = MODE_AUDIT;
  cleanup_json json_value *a = trail_record (&d, "t");
  is_str (member_string (a, "verdict"), "accepted", "no violation: accepted");
  is_str (member_string (a, "dialect"), "runsc", "dialect runsc");
  is_str (member_string (a, "mode"), "audit", "room for audit");
  const json_value *id = json_object_get_exact (a, "id");
  ok (id && id->type == JSON_NULL, "no id: null");
}

static void
test_time_and_line (void)
{
  char t[40];
  trail_time (t, sizeof t);
  regex_t re;
  regcomp (&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$",
           REG_EXTENDED | REG_NOSUB);
  ok (regexec (&re, t, 0, NULL, 0) == 0, "RFC 3339 UTC with fractions: %s", t);
  regfree (&re);

  struct verdict v = { 0 };
  add (&v, FINDING_VIOLATION, "args", "process.args[0]", "has a newline\nand \"quotes\"", NULL);
  struct trail_decision d = decision (&v);
  cleanup_free char *err = NULL;
  cleanup_free char *line = trail_line (&d, &err);
  size_t len = line ? strlen (line) : 0;
  ok (line && line[len - 1] == '\n' && strchr (line, '\n') == line + len - 1,
      "one line, newline last, none inside (values escaped)");
  cleanup_json json_value *o = parse (line);
  ok (o != NULL, "the line is one JSON document");
  verdict_free (&v);
}

static size_t
count_lines (const char *path, size_t *bad)
{
  cleanup_free char *buf = NULL;
  size_t len = 0;
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  cleanup_free char *err = NULL;
  if (fd < 0 || read_all_fd (fd, 1u << 30, &buf, &len, &err) < 0)
    return 0;
  size_t n = 0;
  *bad = 0;
  for (char *p = buf, *nl; p < buf + len; p = nl + 1)
    {
      nl = memchr (p, '\n', (size_t)(buf + len - p));
      if (nl == NULL)
        {
          (*bad)++;
          break;
        }
      json_value *o = NULL;
      cleanup_free char *perr = NULL;
      if (json_parse (p, (size_t)(nl - p), &o, &perr) < 0)
        (*bad)++;
      json_free (o);
      n++;
    }
  return n;
}

static void
test_append_creates (void)
{
  cleanup_free char *path = xasprintf ("%s/new/decisions.jsonl", tmpdir);
  cleanup_free char *err = NULL;
  ok (trail_append (path, "{\"a\":1}\n", &err) == 0, "a missing directory is created");
  ok (trail_append (path, "{\"a\":2}\n", &err) == 0, "a second line appends");
  struct stat st, dst;
  cleanup_free char *dir = xasprintf ("%s/new", tmpdir);
  ok (stat (dir, &dst) == 0 && (dst.st_mode & 07777) == 0700, "the directory is 0700");
  ok (stat (path, &st) == 0 && (st.st_mode & 07777) == 0600, "the file is 0600");
  size_t bad = 0;
  ok (count_lines (path, &bad) == 2 && bad == 0, "two whole lines");
}

/* trail_append (path) fails, and its reason names the file and has want.  */
static void
refused (const char *path, const char *want, const char *what)
{
  cleanup_free char *err = NULL;
  int r = trail_append (path, "{}\n", &err);
  ok (r < 0, "refused: %s", what);
  has_str (err, path, "  the reason names the file");
  has_str (err, want, "  and says: %s", want);
  ok (err && strstr (err, "No such file") == NULL && strstr (err, "Permission denied") == NULL,
      "  in words Docker does not map to an exit code");
}

static void
test_append_refuses (void)
{
  cleanup_free char *d = xasprintf ("%s/isdir", tmpdir);
  mkdir (d, 0700);
  refused (d, "it is a directory", "a directory in the file's place");

  cleanup_free char *target = xasprintf ("%s/target", tmpdir);
  cleanup_free char *slink = xasprintf ("%s/link", tmpdir);
  close (open (target, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  ok (symlink (target, slink) == 0, "made a symlink");
  refused (slink, "symbolic link", "a symbolic link");

  cleanup_free char *hard = xasprintf ("%s/hard", tmpdir);
  ok (link (target, hard) == 0, "made a hard link");
  refused (hard, "more than one link", "a hard link to another file");

  cleanup_free char *ww = xasprintf ("%s/ww", tmpdir);
  close (open (ww, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  chmod (ww, 0622);
  refused (ww, "writable by others", "a file others may write");

  cleanup_free char *fifo = xasprintf ("%s/fifo", tmpdir);
  ok (mkfifo (fifo, 0600) == 0, "made a FIFO");
  /* Without a reader, opening it for writing would block policyrun.  */
  refused (fifo, "not a regular file", "a FIFO, without blocking");

  cleanup_free char *owned = xasprintf ("%s/owned", tmpdir);
  close (open (owned, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  if (geteuid () == 0 && chown (owned, 65534, 65534) == 0)
    refused (owned, "not owned", "a file of another user");
  else
    ok (0, "could not give a file to another user (needs root)");

  cleanup_free char *open_dir = xasprintf ("%s/open", tmpdir);
  mkdir (open_dir, 0700);
  chmod (open_dir, 0777);
  cleanup_free char *in_open = xasprintf ("%s/decisions.jsonl", open_dir);
  refused (in_open, "writable by others", "a directory others may write");

  cleanup_free char *no_parent = xasprintf ("%s/missing/deeper/decisions.jsonl", tmpdir);
  refused (no_parent, "its parent does not exist", "a missing parent is not built");

  refused ("relative.jsonl", "not an absolute file name", "a relative name");
}

/* Children append at once; each line must come back whole.  Lines of
   64 KiB and more, so that an unlocked writer would be seen tearing.  */
static void
test_concurrent (void)
{
  enum
  {
    WRITERS = 16,
    LINES = 20
  };
  cleanup_free char *path = xasprintf ("%s/many.jsonl", tmpdir);
  for (int w = 0; w < WRITERS; w++)
    {
      pid_t pid = fork ();
      if (pid == 0)
        {
          size_t n = 65536 + (size_t)w * 4099;
          char *line = xmalloc (n + 16);
          memset (line, 'a' + w, n + 16);
          memcpy (line, "{\"x\":\"", 6);
          strcpy (line + n, "\"}\n");
          int failed = 0;
          for (int i = 0; i < LINES; i++)
            {
              char *err = NULL;
              failed |= trail_append (path, line, &err) < 0;
              free (err);
            }
          free (line);
          _exit (failed);
        }
    }
  int failures = 0, status;
  while (wait (&status) > 0)
    failures += !WIFEXITED (status) || WEXITSTATUS (status) != 0;
  size_t bad = 0;
  size_t n = count_lines (path, &bad);
  ok (failures == 0, "%d writers, every append succeeded", WRITERS);
  ok (n == WRITERS * LINES && bad == 0, "%zu whole lines of %d, %zu torn", n, WRITERS * LINES, bad);
}

/* RLIMIT_FSIZE makes the kernel write part of the line: the append fails
   and the part is cut off again.  */
static void
test_short_write (void)
{
  cleanup_free char *path = xasprintf ("%s/short.jsonl", tmpdir);
  cleanup_free char *err = NULL;
  trail_append (path, "{\"first\":1}\n", &err);
  int p[2];
  if (pipe (p) < 0)
    return;
  pid_t pid = fork ();
  if (pid == 0)
    {
      close (p[0]);
      signal (SIGXFSZ, SIG_IGN);
      struct rlimit rl = { 20, 20 };
      setrlimit (RLIMIT_FSIZE, &rl);
      char *cerr = NULL;
      int r = trail_append (path, "{\"second\":\"longer than the limit\"}\n", &cerr);
      dprintf (p[1], "%d %s", r, cerr ? cerr : "");
      _exit (0);
    }
  close (p[1]);
  char buf[512] = "";
  ssize_t n = read (p[0], buf, sizeof buf - 1);
  close (p[0]);
  waitpid (pid, NULL, 0);
  buf[n > 0 ? n : 0] = '\0';
  ok (strncmp (buf, "-1 ", 3) == 0, "a short write fails");
  has_str (buf, "short write (8 of 35 bytes)", "and says how short");
  struct stat st;
  ok (stat (path, &st) == 0 && st.st_size == 12, "the part is cut off: the first line only");
}

static void
test_write_failure_modes (void)
{
  struct verdict v = { 0 };
  struct trail_decision d = decision (&v);
  cleanup_free char *isdir = xasprintf ("%s/isdir", tmpdir);
  char *err = NULL;
  ok (trail_write (isdir, &d, TRAIL_FAILURE_REFUSES, &err) == -1, "enforce: refused");
  has_str (err, "cannot write the decision trail", "  with a one-line reason");
  ok (err && strchr (err, '\n') == NULL, "  on one line");
  free (err);
  err = NULL;
  ok (trail_write (isdir, &d, TRAIL_FAILURE_REPORTED, &err) == 1 && err != NULL,
      "audit: reported, not refused");
  free (err);
  err = NULL;
  ok (trail_write ("", &d, TRAIL_FAILURE_REFUSES, &err) == 0 && err == NULL,
      "\"\": no file, nothing to fail");
  cleanup_free char *path = xasprintf ("%s/w.jsonl", tmpdir);
  ok (trail_write (path, &d, TRAIL_FAILURE_REFUSES, &err) == 0, "written");
  size_t bad = 0;
  ok (count_lines (path, &bad) == 1 && bad == 0, "one line");
}

static void
test_syslog_line (void)
{
  struct verdict v = { 0 };
  two_findings (&v);
  struct trail_decision d = decision (&v);
  cleanup_json json_value *o = trail_record (&d, "t");
  cleanup_free char *s = trail_syslog_line (o, "/var/log/policyrun/decisions.jsonl");
  has_str (s, "\"violations\":2,\"tightened\":1", "counts, not the findings' words");
  has_str (s, "\"rules\":[\"memory\",\"pids\"]", "each rule once");
  has_str (s, "\"trail\":\"/var/log/policyrun/decisions.jsonl\"", "where the record is");
  ok (s && strstr (s, "209715200") == NULL, "no detail");
  verdict_free (&v);
}

static void
test_caller (void)
{
  struct host_facts h = { 0 };
  is_str (trail_caller (&h, NULL), "other", "no root: other");
  h.runtime_root = "/run/docker/runtime-runc/moby";
  is_str (trail_caller (&h, NULL), "docker", "the moby namespace: docker");
  h.runtime_root = "/run/containerd/runc/default";
  is_str (trail_caller (&h, NULL), "containerd", "containerd's root: containerd");
  h.cri_caller = true;
  is_str (trail_caller (&h, NULL), "cri", "k8s.io: cri");
  h.cri_caller = false;
  h.podman_caller = true;
  is_str (trail_caller (&h, NULL), "podman", "conmon: podman");
}

/* The syslog message, caught on a /dev/log of the test's own (a tmpfs
   on /dev in a private mount namespace, in a child).  */
static void
test_syslog_sent (void)
{
  int p[2];
  if (geteuid () != 0 || pipe (p) < 0)
    {
      ok (0, "the syslog test needs root");
      return;
    }
  pid_t pid = fork ();
  if (pid == 0)
    {
      close (p[0]);
      char buf[4096] = "";
      int s = -1;
      struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
      if (unshare (CLONE_NEWNS) == 0 && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0
          && mount ("tmpfs", "/dev", "tmpfs", 0, NULL) == 0
          && (s = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) >= 0
          && bind (s, (struct sockaddr *)&a, sizeof a) == 0)
        {
          struct verdict v = { 0 };
          two_findings (&v);
          struct trail_decision d = decision (&v);
          char *err = NULL;
          trail_write ("", &d, TRAIL_FAILURE_REFUSES, &err);
          ssize_t n = recv (s, buf, sizeof buf - 1, MSG_DONTWAIT);
          buf[n > 0 ? n : 0] = '\0';
          verdict_free (&v);
        }
      ssize_t w = write (p[1], buf, strlen (buf));
      (void)w;
      _exit (0);
    }
  close (p[1]);
  char got[4096] = "";
  ssize_t n = read (p[0], got, sizeof got - 1);
  got[n > 0 ? n : 0] = '\0';
  close (p[0]);
  waitpid (pid, NULL, 0);
  /* <PRI>: LOG_AUTHPRIV (10 << 3) | LOG_WARNING (4) = 84.  */
  has_str (got, "<84>", "sent to LOG_AUTHPRIV at warning (refused)");
  has_str (got, "policyrun[", "tagged policyrun[PID]");
  has_str (got, "decision {\"time\":", "the short form");
}

int
main (void)
{
  if (mkdtemp (tmpdir) == NULL)
    {
      printf ("Bail out! mkdtemp: %s\n", strerror (errno));
      return 1;
    }
  test_record_shape ();
  test_time_and_line ();
  test_append_creates ();
  test_append_refuses ();
  test_concurrent ();
  test_short_write ();
  test_write_failure_modes ();
  test_syslog_line ();
  test_caller ();
  test_syslog_sent ();
  cleanup_free char *rm = xasprintf ("rm -rf '%s'", tmpdir);
  int r = system (rm);
  (void)r;
  return done_testing ();
}
