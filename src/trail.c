/* policyrun: the decision trail (see trail.h).  */
#include "config.h"
#include "trail.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

const char *
trail_mode_name (enum policy_mode m)
{
  switch (m)
    {
    case MODE_HARDEN:
      return "harden";
    case MODE_AUDIT:
      return "audit";
    case MODE_ENFORCE:
    default:
      return "enforce";
    }
}

const char *
trail_verdict_name (enum policy_mode m, bool refused)
{
  if (!refused)
    return "accepted";
  return m == MODE_AUDIT ? "would be refused" : "refused";
}

static bool
path_has_prefix (const char *path, const char *dir)
{
  size_t n = strlen (dir);
  return strncmp (path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

const char *
trail_caller (const struct host_facts *h, const json_value *config)
{
  struct floor_ctx fc = { .config = (json_value *)config, .spec = config, .host = h };
  if (floor_caller_cri (&fc))
    return "cri";
  if (floor_caller_podman (&fc))
    return "podman";
  const char *root = h != NULL ? h->runtime_root : NULL;
  if (root == NULL)
    return "other";
  /* Docker's containerd shim keeps its containers in the "moby"
     namespace, under dockerd's exec root (/run/docker/runtime-NAME/moby);
     containerd's own clients under /run/containerd/runc/NAMESPACE.  */
  const char *last = strrchr (root, '/');
  if ((last != NULL && strcmp (last + 1, "moby") == 0) || path_has_prefix (root, "/run/docker")
      || path_has_prefix (root, "/var/run/docker"))
    return "docker";
  if (path_has_prefix (root, "/run/containerd") || path_has_prefix (root, "/var/run/containerd"))
    return "containerd";
  return "other";
}

void
trail_time (char *buf, size_t len)
{
  struct timespec ts;
  clock_gettime (CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r (&ts.tv_sec, &tm);
  char secs[32];
  strftime (secs, sizeof secs, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf (buf, len, "%s.%06ldZ", secs, ts.tv_nsec / 1000);
}

static json_value *
string_or_null (const char *s)
{
  return s != NULL ? json_new_string (s) : json_new_null ();
}

/* One finding: every member always present (fix null when there is
   none), so a reader needs no schema for absent keys.  */
static json_value *
finding_record (const struct finding *f, bool changed)
{
  json_value *o = json_new_object ();
  json_object_set (o, "rule", json_new_string (f->rule));
  json_object_set (o, "kind",
                   json_new_string (f->kind == FINDING_VIOLATION ? "violation" : "tightened"));
  json_object_set (o, "field", string_or_null (f->field));
  json_object_set (o, "detail", string_or_null (f->detail));
  json_object_set (o, "fix", string_or_null (f->fix));
  json_object_set (o, "changed", json_new_bool (changed));
  return o;
}

/* Whether policyrun changed the configuration for f: in enforce mode the
   tightened findings are the changes; audit changes nothing.  Harden will
   add the violations it rewrote (a member of struct finding, then).  */
static bool
finding_changed (const struct finding *f, enum policy_mode mode)
{
  return mode != MODE_AUDIT && f->kind == FINDING_TIGHTENED;
}

static void
record_findings (json_value *o, const struct verdict *v, enum policy_mode mode)
{
  json_value *viol = json_object_set (o, "violations", json_new_array ());
  json_value *tight = json_object_set (o, "tightened", json_new_array ());
  for (size_t i = 0; v != NULL && i < v->len; i++)
    {
      const struct finding *f = &v->items[i];
      json_array_append (f->kind == FINDING_VIOLATION ? viol : tight,
                         finding_record (f, finding_changed (f, mode)));
    }
}

json_value *
trail_record (const struct trail_decision *d, const char *time)
{
  json_value *o = json_new_object ();
  json_object_set (o, "time", json_new_string (time));
  json_object_set (o, "command", string_or_null (d->command));
  json_object_set (o, "id", string_or_null (d->id));
  json_object_set (o, "root", string_or_null (d->root));
  json_object_set (o, "bundle", string_or_null (d->bundle));
  json_object_set (o, "config", string_or_null (d->config));
  json_object_set (o, "mode", json_new_string (trail_mode_name (d->mode)));
  bool refused = d->verdict != NULL && verdict_violations (d->verdict) > 0;
  json_object_set (o, "verdict", json_new_string (trail_verdict_name (d->mode, refused)));
  json_object_set (o, "dialect", json_new_string (d->dialect == DIALECT_RUNSC ? "runsc" : "runc"));
  json_object_set (o, "delegate", string_or_null (d->delegate));
  json_object_set (o, "caller", string_or_null (d->caller));
  json_object_set (o, "policy", string_or_null (d->policy));
  record_findings (o, d->verdict, d->mode);
  return o;
}

/* v as one line with its newline, or NULL with *err.  */
static char *
json_line (const json_value *v, char **err)
{
  cleanup_free char *out = NULL;
  size_t len;
  if (json_write (v, &out, &len, err) < 0)
    return NULL;
  return xasprintf ("%s\n", out);
}

char *
trail_line (const struct trail_decision *d, char **err)
{
  char now[40];
  trail_time (now, sizeof now);
  cleanup_json json_value *o = trail_record (d, now);
  return json_line (o, err);
}

/* ---- the file ----------------------------------------------------------- */

/* errno in words, without the C library's phrases for ENOENT and EACCES,
   which Docker maps to exit codes 126 and 127.  */
static const char *
errno_words (int e)
{
  if (e == ENOENT)
    return "it does not exist";
  if (e == EACCES || e == EPERM)
    return "not allowed";
  return strerror (e);
}

/* st belongs to policyrun's user and nobody else may write to it: anyone
   who could would forge or remove lines.  */
static const char *
owner_problem (const struct stat *st)
{
  if (st->st_uid != geteuid ())
    return "it is not owned by policyrun's user (root)";
  if (st->st_mode & (S_IWGRP | S_IWOTH))
    return "it is writable by others";
  return NULL;
}

/* The trail's directory, created 0700 when missing.  Only the last level
   is created: a missing parent is a mistake in the policy, not something
   to build.  */
static int
open_trail_dir (const char *dir, char **err)
{
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return fail (err, "cannot create its directory: %s",
                 errno == ENOENT ? "its parent does not exist" : errno_words (errno));
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return fail (err, "cannot open its directory: %s",
                 errno == ENOTDIR || errno == ELOOP ? "not a directory" : errno_words (errno));
  struct stat st;
  const char *problem = fstat (fd, &st) < 0 ? errno_words (errno) : owner_problem (&st);
  if (problem != NULL)
    {
      close (fd);
      return fail (err, "its directory %s: %s", dir, problem);
    }
  return fd;
}

/* The trail file itself, opened for appending in dirfd.  O_NONBLOCK: a
   FIFO in its place must not block policyrun until someone reads it (it
   has no effect on a regular file's writes).  */
static int
open_trail_file (int dirfd, const char *base, char **err)
{
  int fd = openat (dirfd, base,
                   O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK,
                   0600);
  if (fd < 0)
    return fail (err, "cannot open it: %s",
                 errno == ELOOP    ? "it is a symbolic link"
                 : errno == EISDIR ? "it is a directory"
                 : errno == ENXIO  ? "it is not a regular file (a FIFO or socket)"
                                   : errno_words (errno));
  struct stat st;
  const char *problem = NULL;
  if (fstat (fd, &st) < 0)
    problem = errno_words (errno);
  else if (!S_ISREG (st.st_mode))
    problem = "it is not a regular file";
  else if (st.st_nlink != 1)
    problem = "it has more than one link"; /* a hard link to another file of root's */
  else
    problem = owner_problem (&st);
  if (problem != NULL)
    {
      close (fd);
      return fail (err, "%s", problem);
    }
  return fd;
}

/* Write line in one write(2) under the exclusive lock: every writer of
   the trail takes it, so lines never interleave.  A short write leaves
   part of a line: it is cut off again, so the file stays one record per
   line.  */
static int
append_locked (int fd, const char *line, char **err)
{
  int r;
  do
    r = flock (fd, LOCK_EX);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return fail (err, "cannot lock it: %s", errno_words (errno));
  struct stat st;
  if (fstat (fd, &st) < 0)
    return fail (err, "cannot read its size: %s", errno_words (errno));
  size_t len = strlen (line);
  ssize_t n = write (fd, line, len);
  if (n == (ssize_t)len)
    return 0;
  int saved = errno;
  if (n > 0 && ftruncate (fd, st.st_size) < 0)
    return fail (err, "a short write (%zd of %zu bytes) could not be undone", n, len);
  if (n < 0)
    return fail (err, "cannot write it: %s", errno_words (saved));
  return fail (err, "a short write (%zd of %zu bytes)", n, len);
}

int
trail_append (const char *path, const char *line, char **err)
{
  cleanup_free char *lerr = NULL;
  cleanup_free char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');
  if (path[0] != '/' || slash == NULL || slash[1] == '\0')
    return fail (err, "cannot write the decision trail %s: not an absolute file name", path);
  *slash = '\0';
  const char *base = slash + 1;
  cleanup_close int dirfd = open_trail_dir (dir[0] != '\0' ? dir : "/", &lerr);
  if (dirfd < 0)
    return fail (err, "cannot write the decision trail %s: %s", path, lerr);
  cleanup_close int fd = open_trail_file (dirfd, base, &lerr);
  if (fd < 0 || append_locked (fd, line, &lerr) < 0)
    return fail (err, "cannot write the decision trail %s: %s", path, lerr);
  return 0;
}

/* ---- syslog --------------------------------------------------------------- */

static void
copy_member (json_value *to, const json_value *from, const char *key)
{
  const json_value *m = json_object_get_exact (from, key);
  json_object_set (to, key, m != NULL ? json_clone (m) : json_new_null ());
}

static size_t
array_len (const json_value *o, const char *key)
{
  const json_value *a = json_object_get_exact (o, key);
  return a != NULL && a->type == JSON_ARRAY ? a->u.array.len : 0;
}

static bool
array_has_string (const json_value *a, const char *s)
{
  for (size_t i = 0; i < a->u.array.len; i++)
    if (strcmp (a->u.array.items[i]->u.string.s, s) == 0)
      return true;
  return false;
}

/* The rule ids of the findings under key, each once, added to rules.  */
static void
add_rules (json_value *rules, const json_value *record, const char *key)
{
  const json_value *a = json_object_get_exact (record, key);
  for (size_t i = 0; a != NULL && a->type == JSON_ARRAY && i < a->u.array.len; i++)
    {
      const json_value *r = json_object_get_exact (a->u.array.items[i], "rule");
      if (r != NULL && r->type == JSON_STRING && !array_has_string (rules, r->u.string.s))
        json_array_append (rules, json_new_string (r->u.string.s));
    }
}

char *
trail_syslog_line (const json_value *record, const char *path)
{
  static const char *const keys[]
      = { "time", "command", "id", "root", "mode", "verdict", "caller" };
  cleanup_json json_value *o = json_new_object ();
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    copy_member (o, record, keys[i]);
  json_object_set (o, "violations", json_new_int ((int64_t)array_len (record, "violations")));
  json_object_set (o, "tightened", json_new_int ((int64_t)array_len (record, "tightened")));
  json_value *rules = json_object_set (o, "rules", json_new_array ());
  add_rules (rules, record, "violations");
  add_rules (rules, record, "tightened");
  json_object_set (o, "trail",
                   path != NULL && *path != '\0' ? json_new_string (path) : json_new_null ());
  if (json_object_get_exact (record, "trail_error") != NULL)
    copy_member (o, record, "trail_error");
  cleanup_free char *err = NULL;
  cleanup_free char *out = NULL;
  size_t len;
  if (json_write (o, &out, &len, &err) < 0)
    return NULL;
  char *r = out;
  out = NULL;
  return r;
}

static int
record_priority (const json_value *record)
{
  const json_value *v = json_object_get_exact (record, "verdict");
  bool refused = v != NULL && v->type == JSON_STRING
                 && (strcmp (v->u.string.s, "refused") == 0
                     || strcmp (v->u.string.s, "would be refused") == 0);
  return refused ? LOG_WARNING : LOG_NOTICE;
}

void
trail_syslog (const json_value *record, const char *path)
{
  cleanup_free char *line = trail_syslog_line (record, path);
  /* LOG_NDELAY|LOG_PID, never LOG_CONS or LOG_PERROR: nothing on the
     console or on stderr, which engines take for an error.  */
  openlog ("policyrun", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
  syslog (LOG_AUTHPRIV | record_priority (record), "decision %s",
          line != NULL ? line : "(could not be encoded)");
  closelog ();
}

/* The record says what became of the command when its line could not be
   written: refused (enforce, harden), or let through with the failure
   noted (audit).  Only syslog carries it then.  */
static void
record_trail_failure (json_value *record, enum trail_failure failure, const char *why)
{
  if (failure == TRAIL_FAILURE_REFUSES)
    json_object_set (record, "verdict", json_new_string ("refused"));
  json_object_set (record, "trail_error", json_new_string (why));
}

int
trail_write (const char *path, const struct trail_decision *d, enum trail_failure failure,
             char **err)
{
  char now[40];
  trail_time (now, sizeof now);
  cleanup_json json_value *record = trail_record (d, now);
  if (path == NULL || *path == '\0')
    {
      trail_syslog (record, path);
      return 0;
    }
  cleanup_free char *lerr = NULL;
  cleanup_free char *line = json_line (record, &lerr);
  int r = line != NULL ? trail_append (path, line, err)
                       : fail (err, "cannot write the decision trail %s: %s", path, lerr);
  if (r < 0)
    record_trail_failure (record, failure, *err);
  trail_syslog (record, path);
  if (r == 0)
    return 0;
  return failure == TRAIL_FAILURE_REFUSES ? -1 : 1;
}
