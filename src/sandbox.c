/* policyrun: the record of attested CRI pod sandboxes (see sandbox.h).  */
#include "config.h"
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bundle.h"
#include "spec.h"
#include "util.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* The record's name in the sandbox's private bundle.  The bundle holds
   flat files only, and bundle.c removes the whole directory with it.  */
#define RECORD_NAME "sandbox"

static const struct
{
  const char *type; /* runtime-spec */
  const char *proc; /* /proc/PID/ns/NAME */
} ns_names[SANDBOX_NS_COUNT] = {
  [SANDBOX_NS_NET] = { "network", "net" },
  [SANDBOX_NS_IPC] = { "ipc", "ipc" },
  [SANDBOX_NS_UTS] = { "uts", "uts" },
  [SANDBOX_NS_PID] = { "pid", "pid" },
};

const char *
sandbox_ns_type (enum sandbox_ns k)
{
  return ns_names[k].type;
}

int
sandbox_ns_of_type (const char *type)
{
  for (int k = 0; k < SANDBOX_NS_COUNT; k++)
    if (strcmp (ns_names[k].type, type) == 0)
      return k;
  return -1;
}

/* errno in words, without the phrases Docker maps to exit codes 126 and
   127 ("no such file or directory", "permission denied").  */
static const char *
errno_text (int e)
{
  if (e == ENOENT)
    return "it does not exist";
  if (e == EACCES || e == EPERM)
    return "not allowed";
  return strerror (e);
}

/* A reason for a "no" (returns 1), as fail() gives one for an error.  */
static int __attribute__ ((format (printf, 2, 3))) refuse (char **why, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  free (*why);
  *why = xvasprintf (fmt, ap);
  va_end (ap);
  return 1;
}

static const char *
annotation (const json_value *config, const char *key)
{
  json_value *annotations = NULL;
  if (spec_get ((json_value *)config, "annotations", JSON_OBJECT, &annotations) != SPEC_OK)
    return NULL;
  /* A map: Go matches its keys exactly.  floor_check_annotations refuses
     values that are not strings.  */
  for (size_t i = 0; i < annotations->u.object.len; i++)
    {
      const struct json_member *m = &annotations->u.object.members[i];
      if (strcmp (m->key, key) == 0 && m->value->type == JSON_STRING)
        return m->value->u.string.s;
    }
  return NULL;
}

const char *
sandbox_cri_type (const json_value *config)
{
  return annotation (config, "io.kubernetes.cri.container-type");
}

const char *
sandbox_cri_sandbox_id (const json_value *config)
{
  return annotation (config, "io.kubernetes.cri.sandbox-id");
}

static bool
same (const struct stat *st, const struct ns_identity *id)
{
  return (uint64_t)st->st_dev == id->dev && (uint64_t)st->st_ino == id->ino;
}

/* Field 22 of /proc/PID/stat, after the command name's closing ')' (the
   name may hold spaces and parentheses), and field 3, the state, in
   *state when state is not NULL.  */
static int
proc_start_time (int procfd, unsigned long long *out, char *state, char **err)
{
  cleanup_close int fd = openat (procfd, "stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail (err, "cannot read the process's stat: %s", errno_text (errno));
  cleanup_free char *text = NULL;
  size_t len = 0;
  if (read_all_fd (fd, 1 << 16, &text, &len, err) < 0)
    return -1;
  char *p = strrchr (text, ')');
  if (p == NULL)
    return fail (err, "the process's stat cannot be read");
  p++;
  if (state != NULL)
    *state = p[0] == ' ' ? p[1] : '\0';
  /* After ')' come fields 3 (state) .. 22 (starttime).  */
  for (int field = 3; field < 22; field++)
    {
      p = strchr (p + 1, ' ');
      if (p == NULL)
        return fail (err, "the process's stat is too short");
    }
  char *end = NULL;
  errno = 0;
  *out = strtoull (p + 1, &end, 10);
  if (errno != 0 || end == p + 1 || (*end != ' ' && *end != '\n' && *end != '\0'))
    return fail (err, "the process's start time cannot be read");
  return 0;
}

int
sandbox_record_of_process (int procfd, long pid, struct sandbox_record *r, char **err)
{
  *r = (struct sandbox_record){ .pid = pid };
  for (int k = 0; k < SANDBOX_NS_COUNT; k++)
    {
      cleanup_free char *name = xasprintf ("ns/%s", ns_names[k].proc);
      struct stat st;
      if (fstatat (procfd, name, &st, 0) < 0)
        return fail (err, "cannot read the sandbox process's %s namespace: %s", ns_names[k].proc,
                     errno_text (errno));
      r->ns[k] = (struct ns_identity){ (uint64_t)st.st_dev, (uint64_t)st.st_ino };
    }
  return proc_start_time (procfd, &r->start_time, NULL, err);
}

static char *
record_text (const struct sandbox_record *r)
{
  struct strbuf b = { 0 };
  strbuf_addf (&b, "policyrun-sandbox 1\npid %ld %llu\n", r->pid, r->start_time);
  for (int k = 0; k < SANDBOX_NS_COUNT; k++)
    strbuf_addf (&b, "%s %" PRIu64 " %" PRIu64 "\n", ns_names[k].proc, r->ns[k].dev, r->ns[k].ino);
  return b.s;
}

int
sandbox_record_write (const struct policy *p, const char *root, const char *id,
                      const struct sandbox_record *r, char **err)
{
  cleanup_close int dir = bundle_open_private (p, root, id);
  if (dir < 0)
    return fail (err, "sandbox \"%s\" has no private bundle of policyrun's to record it in", id);
  cleanup_free char *text = record_text (r);
  cleanup_free char *tmp = xasprintf (".%s.tmp.%ld", RECORD_NAME, (long)getpid ());
  unlinkat (dir, tmp, 0);
  int fd = openat (dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail (err, "cannot record sandbox \"%s\": %s", id, errno_text (errno));
  size_t len = strlen (text);
  ssize_t w = write (fd, text, len);
  int saved = errno;
  if (close (fd) < 0 && w == (ssize_t)len)
    {
      saved = errno;
      w = -1;
    }
  if (w != (ssize_t)len || renameat (dir, tmp, dir, RECORD_NAME) < 0)
    {
      if (w == (ssize_t)len)
        saved = errno;
      unlinkat (dir, tmp, 0);
      return fail (err, "cannot record sandbox \"%s\": %s", id,
                   w >= 0 && w != (ssize_t)len ? "short write" : errno_text (saved));
    }
  return 0;
}

static int
parse_record (const char *text, struct sandbox_record *r)
{
  int used = 0;
  if (sscanf (text, "policyrun-sandbox 1\npid %ld %llu\n%n", &r->pid, &r->start_time, &used) != 2
      || used == 0 || r->pid <= 0)
    return -1;
  text += used;
  for (int k = 0; k < SANDBOX_NS_COUNT; k++)
    {
      char name[8];
      uint64_t dev = 0, ino = 0;
      used = 0;
      if (sscanf (text, "%7s %" SCNu64 " %" SCNu64 "\n%n", name, &dev, &ino, &used) != 3
          || used == 0 || strcmp (name, ns_names[k].proc) != 0)
        return -1;
      r->ns[k] = (struct ns_identity){ dev, ino };
      text += used;
    }
  return *text == '\0' ? 0 : -1;
}

int
sandbox_record_read (const struct policy *p, const char *root, const char *id,
                     struct sandbox_record *r, char **why)
{
  if (id == NULL || *id == '\0' || strchr (id, '/') != NULL || strcmp (id, ".") == 0
      || strcmp (id, "..") == 0)
    {
      refuse (why, "no valid io.kubernetes.cri.sandbox-id names the sandbox");
      return 0;
    }
  cleanup_close int dir = bundle_open_private (p, root, id);
  if (dir < 0)
    {
      refuse (why, "policyrun created no sandbox \"%s\" under this --root", id);
      return 0;
    }
  cleanup_close int fd = openat (dir, RECORD_NAME, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      refuse (why, "sandbox \"%s\" was never attested by policyrun (not started through it)", id);
      return 0;
    }
  struct stat st;
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || st.st_uid != geteuid ()
      || (st.st_mode & 077) != 0)
    {
      refuse (why, "the record of sandbox \"%s\" is not policyrun's own", id);
      return -1;
    }
  cleanup_free char *text = NULL;
  cleanup_free char *rerr = NULL;
  size_t len = 0;
  if (read_all_fd (fd, 4096, &text, &len, &rerr) < 0 || parse_record (text, r) < 0)
    {
      refuse (why, "the record of sandbox \"%s\" cannot be read", id);
      return -1;
    }
  return 1;
}

/* The recorded pause process, opened: alive, with its recorded start time.
   Returns its /proc directory, or -1 with *why.  */
static int
open_live_pause (const char *id, const struct sandbox_record *r, char **why)
{
  cleanup_free char *path = xasprintf ("/proc/%ld", r->pid);
  cleanup_close int procfd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  unsigned long long start = 0;
  char state = '\0';
  cleanup_free char *err = NULL;
  /* A zombie (Z) or a dead task (X) is gone too: it is in no namespace.  */
  if (procfd < 0 || proc_start_time (procfd, &start, &state, &err) < 0 || start != r->start_time
      || state == 'Z' || state == 'X')
    {
      refuse (why, "the pause process of sandbox \"%s\" (pid %ld) is gone", id, r->pid);
      return -1;
    }
  int fd = procfd;
  procfd = -1;
  return fd;
}

/* The pause process (procfd) is still in its recorded namespace k.  */
static int
pause_in_recorded (int procfd, const char *id, const struct sandbox_record *r, enum sandbox_ns k,
                   char **why)
{
  cleanup_free char *name = xasprintf ("ns/%s", ns_names[k].proc);
  struct stat st;
  if (fstatat (procfd, name, &st, 0) < 0 || !same (&st, &r->ns[k]))
    return refuse (why, "the pause process of sandbox \"%s\" is no longer in its %s namespace", id,
                   ns_names[k].type);
  return 0;
}

int
sandbox_join_allowed (const struct policy *p, const char *root, const char *sandbox_id,
                      enum sandbox_ns k, const char *path, char **why)
{
  struct sandbox_record r;
  if (sandbox_record_read (p, root, sandbox_id, &r, why) != 1)
    return 1;
  cleanup_close int procfd = open_live_pause (sandbox_id, &r, why);
  if (procfd < 0)
    return 1;
  if (pause_in_recorded (procfd, sandbox_id, &r, k, why))
    return 1;
  struct stat st;
  if (stat (path, &st) < 0)
    return refuse (why, "it cannot be inspected (%s)", errno_text (errno));
  if (!same (&st, &r.ns[k]))
    return refuse (why, "it is not the %s namespace of sandbox \"%s\"", ns_names[k].type,
                   sandbox_id);
  return 0;
}

int
sandbox_joined_check (const struct policy *p, const char *root, const char *sandbox_id, int procfd,
                      const bool joined[SANDBOX_NS_COUNT], char **why)
{
  struct sandbox_record r;
  if (sandbox_record_read (p, root, sandbox_id, &r, why) != 1)
    return 1;
  cleanup_close int pausefd = open_live_pause (sandbox_id, &r, why);
  if (pausefd < 0)
    return 1;
  for (int k = 0; k < SANDBOX_NS_COUNT; k++)
    {
      if (!joined[k])
        continue;
      if (pause_in_recorded (pausefd, sandbox_id, &r, k, why))
        return 1;
      cleanup_free char *name = xasprintf ("ns/%s", ns_names[k].proc);
      struct stat st;
      if (fstatat (procfd, name, &st, 0) < 0)
        return refuse (why, "the container's %s namespace cannot be inspected (%s)",
                       ns_names[k].type, errno_text (errno));
      if (!same (&st, &r.ns[k]))
        return refuse (why, "the container is in a %s namespace that is not sandbox \"%s\"'s",
                       ns_names[k].type, sandbox_id);
    }
  return 0;
}

/* ---- a fresh network namespace --------------------------------------------- */

/* Every task of the host (/proc/PID/task/TID: a thread may be in another
   network namespace than its leader) whose network namespace is id, but
   those of pid `except` (0: none).  Returns the first one's pid, 0 when
   there is none, -1 with *why when /proc cannot be read.  */
static long
task_in_netns (const struct ns_identity *id, long except, char **why)
{
  DIR *proc = opendir ("/proc");
  if (proc == NULL)
    {
      refuse (why, "/proc cannot be read (%s)", errno_text (errno));
      return -1;
    }
  long found = 0;
  struct dirent *e;
  while (found == 0 && (e = readdir (proc)) != NULL)
    {
      char *end = NULL;
      long pid = strtol (e->d_name, &end, 10);
      if (pid <= 0 || *end != '\0' || pid == except)
        continue;
      cleanup_free char *tasks = xasprintf ("%s/task", e->d_name);
      int tfd = openat (dirfd (proc), tasks, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      DIR *td = tfd < 0 ? NULL : fdopendir (tfd);
      if (td == NULL)
        {
          if (tfd >= 0)
            close (tfd);
          continue; /* gone */
        }
      struct dirent *t;
      while ((t = readdir (td)) != NULL)
        {
          if (t->d_name[0] < '0' || t->d_name[0] > '9')
            continue;
          cleanup_free char *ns = xasprintf ("%s/ns/net", t->d_name);
          struct stat st;
          if (fstatat (dirfd (td), ns, &st, 0) == 0)
            {
              if (same (&st, id))
                {
                  found = pid;
                  break;
                }
            }
          else if (errno != ENOENT && errno != ESRCH && errno != EACCES && errno != EPERM)
            {
              refuse (why, "the network namespace of process %ld cannot be inspected (%s)", pid,
                      errno_text (errno));
              found = -1;
              break;
            }
          /* Gone, or a process root may not inspect: one holding
             capabilities policyrun lacks, more privileged than the runtime
             it would be protected from.  */
        }
      closedir (td);
    }
  closedir (proc);
  return found;
}

/* Entries of one of /proc/net's socket tables, read inside the namespace:
   every line after the header is a socket.  */
static int
count_sockets (const char *table)
{
  cleanup_free char *path = xasprintf ("/proc/thread-self/net/%s", table);
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? 0 : -1; /* a protocol the kernel lacks has no sockets */
  cleanup_free char *text = NULL;
  cleanup_free char *err = NULL;
  size_t len = 0;
  if (read_all_fd (fd, 1 << 20, &text, &len, &err) < 0)
    return -1;
  int lines = 0;
  for (const char *c = text; *c != '\0'; c++)
    lines += *c == '\n';
  return lines > 0 ? lines - 1 : 0;
}

/* Inside the namespace nsfd: its interfaces other than "lo" (a
   comma-separated list in *ifaces, NULL when none) and how many sockets it
   holds.  The calling thread enters it and comes back; policyrun is single
   threaded here.  Returns 0, or 1 with *why.  */
static int
look_inside (int nsfd, char **ifaces, int *sockets, char **why)
{
  static const char *const tables[] = { "tcp", "tcp6", "udp",  "udp6",  "udplite", "udplite6",
                                        "raw", "raw6", "icmp", "icmp6", "unix",    "packet" };
  *ifaces = NULL;
  *sockets = 0;
  cleanup_close int own = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (own < 0)
    return refuse (why, "policyrun's own network namespace cannot be opened (%s)",
                   errno_text (errno));
  if (setns (nsfd, CLONE_NEWNET) < 0)
    return refuse (why, "it cannot be entered to be inspected (%s)", errno_text (errno));
  struct if_nameindex *names = if_nameindex ();
  int failed_errno = names == NULL ? errno : 0;
  bool unreadable = false;
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
    {
      int n = count_sockets (tables[i]);
      if (n < 0)
        unreadable = true;
      else
        *sockets += n;
    }
  /* Every later step (the delegate's create among them) must happen in
     policyrun's own namespace.  */
  if (setns (own, CLONE_NEWNET) < 0)
    abort ();
  if (names == NULL)
    return refuse (why, "its interfaces cannot be listed (%s)", errno_text (failed_errno));
  struct strbuf b = { 0 };
  int others = 0;
  for (struct if_nameindex *n = names; n->if_index != 0; n++)
    if (strcmp (n->if_name, "lo") != 0)
      strbuf_addf (&b, "%s%s", others++ ? "," : "", n->if_name);
  if_freenameindex (names);
  *ifaces = b.s;
  if (unreadable)
    {
      free (*ifaces);
      *ifaces = NULL;
      return refuse (why, "its sockets cannot be counted");
    }
  return 0;
}

/* A path under /proc names a process's file; /proc/self is policyrun for
   policyrun and runc's init for runc.  */
static bool
under_proc (const char *path)
{
  return strcmp (path, "/proc") == 0 || strncmp (path, "/proc/", 6) == 0;
}

int
sandbox_netns_fresh (const char *path, char **why)
{
  if (path[0] != '/')
    return refuse (why, "it is not an absolute path");
  cleanup_free char *clean = path_clean (path);
  cleanup_free char *real = under_proc (clean) ? NULL : realpath (path, NULL);
  if (real == NULL && !under_proc (clean))
    return refuse (why, "it cannot be resolved (%s)", errno_text (errno));
  if (real == NULL || under_proc (real))
    return refuse (why,
                   "it lies under /proc (a process's namespace, not one prepared for the pod)");
  cleanup_close int fd = open (real, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return refuse (why, "it cannot be opened (%s)", errno_text (errno));
  struct statfs sfs;
  struct stat st;
  if (fstatfs (fd, &sfs) < 0 || fstat (fd, &st) < 0)
    return refuse (why, "it cannot be inspected (%s)", errno_text (errno));
  if ((unsigned long)sfs.f_type != (unsigned long)NSFS_MAGIC)
    return refuse (why, "it is not a namespace file");
  int type = ioctl (fd, NS_GET_NSTYPE);
  if (type != CLONE_NEWNET)
    return refuse (why, "it is not a network namespace");
  struct ns_identity id = { (uint64_t)st.st_dev, (uint64_t)st.st_ino };
  struct stat h;
  if (stat ("/proc/self/ns/net", &h) < 0)
    return refuse (why, "policyrun's own network namespace cannot be inspected (%s)",
                   errno_text (errno));
  if (same (&h, &id))
    return refuse (why, "it is policyrun's own (the host's) network namespace");
  long pid = task_in_netns (&id, 0, why);
  if (pid < 0)
    return 1;
  if (pid > 0)
    return refuse (why,
                   "process %ld is in it already: a namespace shared with another process "
                   "is a channel out of the pod",
                   pid);
  cleanup_free char *ifaces = NULL;
  int sockets = 0;
  if (look_inside (fd, &ifaces, &sockets, why))
    return 1;
  if (ifaces != NULL)
    return refuse (why, "it has interfaces [%s] besides lo", ifaces);
  if (sockets > 0)
    return refuse (why, "it holds %d socket%s already (whoever holds %s can reach the pod)",
                   sockets, sockets == 1 ? "" : "s", sockets == 1 ? "it" : "them");
  return 0;
}

int
sandbox_netns_alone (int procfd, long pid, char **why)
{
  struct stat st;
  if (fstatat (procfd, "ns/net", &st, 0) < 0)
    {
      refuse (why, "the sandbox's network namespace cannot be inspected (%s)", errno_text (errno));
      return -1;
    }
  struct ns_identity id = { (uint64_t)st.st_dev, (uint64_t)st.st_ino };
  long other = task_in_netns (&id, pid, why);
  if (other < 0)
    return -1;
  if (other > 0)
    return refuse (why, "process %ld shares the sandbox's network namespace", other);
  return 0;
}
