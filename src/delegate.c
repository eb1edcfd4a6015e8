/* policyrun: finding and calling the real runtime.  */
#include "config.h"
#include "delegate.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "spec.h"
#include "runsc.h"
#include "util.h"

extern char **environ;

static bool
same_file (const char *a, const char *b)
{
  struct stat sa, sb;
  return stat (a, &sa) == 0 && stat (b, &sb) == 0 && sa.st_dev == sb.st_dev
         && sa.st_ino == sb.st_ino;
}

/* Whoever can replace the delegate, or a directory above it, runs code as
   root at the next container: it must belong to root (or to policyrun's own
   user) and be writable by no one else; a sticky directory such as /tmp
   keeps others from replacing what root put there.  */
static int
check_trusted (const char *path, char **err)
{
  cleanup_free char *real = realpath (path, NULL);
  if (real == NULL)
    return fail (err, "delegate runtime %s cannot be resolved: %s", path, strerror (errno));
  uid_t me = geteuid ();
  bool file = true;
  for (;;)
    {
      struct stat st;
      if (stat (real, &st) < 0)
        return fail (err, "delegate runtime %s: cannot inspect %s: %s", path, real,
                     strerror (errno));
      if (st.st_uid != 0 && st.st_uid != me)
        return fail (err, "delegate runtime %s is not trusted: %s is owned by uid %u, not by root",
                     path, real, (unsigned)st.st_uid);
      bool sticky_dir = !file && (st.st_mode & S_ISVTX) != 0;
      if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && !sticky_dir)
        return fail (err, "delegate runtime %s is not trusted: %s is writable by %s (mode %04o)",
                     path, real, (st.st_mode & S_IWOTH) ? "others" : "its group",
                     (unsigned)(st.st_mode & 07777));
      if (strcmp (real, "/") == 0)
        return 0;
      char *slash = strrchr (real, '/');
      if (slash == real)
        slash[1] = '\0';
      else
        *slash = '\0';
      file = false;
    }
}

static int
check_executable (const char *path, char **err)
{
  struct stat st;
  if (stat (path, &st) < 0)
    return fail (err, "delegate runtime %s cannot be used: %s", path,
                 errno == ENOENT ? "it does not exist" : strerror (errno));
  if (!S_ISREG (st.st_mode))
    return fail (err, "delegate runtime %s is not a regular file", path);
  if (access (path, X_OK) < 0)
    return fail (err, "delegate runtime %s is not executable", path);
  if (same_file (path, "/proc/self/exe"))
    return fail (err,
                 "delegate runtime %s is policyrun itself; name the real runtime with "
                 "--delegate or \"delegate\" in the policy",
                 path);
  return check_trusted (path, err);
}

enum delegate_dialect
delegate_dialect_of (const char *path)
{
  const char *base = strrchr (path, '/');
  base = base != NULL ? base + 1 : path;
  return strncmp (base, "runsc", 5) == 0 ? DIALECT_RUNSC : DIALECT_RUNC;
}

int
delegate_resolve (const char *name, char **path, char **err)
{
  if (name == NULL || *name == '\0')
    return fail (err, "no delegate runtime is configured");
  if (strchr (name, '/') != NULL)
    {
      if (check_executable (name, err) < 0)
        return -1;
      *path = xstrdup (name);
      return 0;
    }
  const char *env = getenv ("PATH");
  cleanup_free char *dirs = xstrdup (
      env && *env ? env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  char *save = NULL;
  for (char *d = strtok_r (dirs, ":", &save); d != NULL; d = strtok_r (NULL, ":", &save))
    {
      if (*d != '/')
        continue; /* a relative PATH entry would depend on the caller's cwd */
      cleanup_free char *cand = xasprintf ("%s/%s", d, name);
      struct stat st;
      if (stat (cand, &st) == 0 && S_ISREG (st.st_mode) && access (cand, X_OK) == 0
          && !same_file (cand, "/proc/self/exe"))
        {
          if (check_trusted (cand, err) < 0)
            return -1;
          *path = cand;
          cand = NULL;
          return 0;
        }
    }
  return fail (err,
               "delegate runtime \"%s\" was not found in PATH; install it or name it with "
               "--delegate PATH",
               name);
}

char **
delegate_argv (const struct argv_edit *e)
{
  char **out = xcalloc ((size_t)e->argc + e->ninsert + 2, sizeof *out);
  size_t n = 0;
  out[n++] = (char *)e->delegate;
  if (e->after < e->from)
    for (size_t k = 0; k < e->ninsert; k++)
      out[n++] = (char *)e->insert[k];
  for (int i = e->from; i < e->argc; i++)
    {
      if (e->drop == NULL || !e->drop[i])
        out[n++] = (char *)(e->replace && e->replace[i] ? e->replace[i] : e->argv[i]);
      if (i == e->after)
        for (size_t k = 0; k < e->ninsert; k++)
          out[n++] = (char *)e->insert[k];
    }
  out[n] = NULL;
  return out;
}

int
delegate_exec (const char *path, char **argv, char **err)
{
  /* runc hands the caller's descriptors 3..3+LISTEN_FDS-1 to the container
     (systemd socket activation): a host socket or directory handle would go
     around the network and filesystem floors.  */
  unsetenv ("LISTEN_FDS");
  unsetenv ("LISTEN_PID");
  unsetenv ("LISTEN_FDNAMES");
  return delegate_exec_as_given (path, argv, err);
}

/* The null device's numbers (Documentation/admin-guide/devices.txt).  */
#define NULL_MAJOR 1
#define NULL_MINOR 3

static bool
is_null_device (int fd)
{
  struct stat st;
  return fstat (fd, &st) == 0 && S_ISCHR (st.st_mode)
         && st.st_rdev == makedev (NULL_MAJOR, NULL_MINOR);
}

/* A null device of policyrun's own: a node made on /dev (devtmpfs, where
   device nodes open), opened and unlinked at once, so that whatever is
   done to its inode touches no other process's /dev/null.  */
static int
private_null (char **err)
{
  char path[64];
  snprintf (path, sizeof path, "/dev/.policyrun-null-%ld", (long)getpid ());
  if (mknod (path, S_IFCHR | 0600, makedev (NULL_MAJOR, NULL_MINOR)) < 0
      && (errno != EEXIST || unlink (path) < 0
          || mknod (path, S_IFCHR | 0600, makedev (NULL_MAJOR, NULL_MINOR)) < 0))
    return fail (err, "cannot make a private null device %s: %s", path, strerror (errno));
  int fd = open (path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  int e = errno;
  unlink (path);
  if (fd < 0)
    return fail (err, "cannot open the private null device %s: %s", path, strerror (e));
  /* Readable and writable by anyone, as /dev/null is, whoever owns it.  */
  if (fchmod (fd, 0666) < 0)
    {
      e = errno;
      close (fd);
      return fail (err, "cannot open the private null device %s: %s", path, strerror (e));
    }
  return fd;
}

/* runsc's subcommand in an argv policyrun built (runsc.c writes every
   global flag as one word, --name or --name=value, before it).  */
static const char *
runsc_command (char **argv)
{
  for (size_t i = 1; argv[i] != NULL; i++)
    if (argv[i][0] != '-')
      return argv[i];
  return "";
}

/* A terminal or another device as a stream of a process runsc starts
   (create, run, exec) would be given to nobody as well: refused.  Engines
   hand runsc pipes, or a console socket for a terminal.  */
static int
refuse_device_streams (char **argv, char **err)
{
  const char *cmd = runsc_command (argv);
  if (strcmp (cmd, "create") != 0 && strcmp (cmd, "run") != 0 && strcmp (cmd, "exec") != 0)
    return 0;
  for (int fd = 0; fd < 3; fd++)
    {
      struct stat st;
      if (fstat (fd, &st) == 0 && S_ISCHR (st.st_mode) && !is_null_device (fd))
        return fail (err,
                     "under gVisor, descriptor %d may not be a terminal or device (%u:%u): runsc "
                     "would give it to the sandbox's user 65534; give it a pipe or "
                     "/dev/null, or a console socket (-t)",
                     fd, major (st.st_rdev), minor (st.st_rdev));
    }
  return 0;
}

int
delegate_shield_null_streams (char **err)
{
  int mine = -1;
  for (int fd = 0; fd < 3; fd++)
    {
      if (!is_null_device (fd))
        continue;
      if (mine < 0 && (mine = private_null (err)) < 0)
        return -1;
      if (dup3 (mine, fd, 0) < 0)
        {
          close (mine);
          return fail (err, "cannot replace descriptor %d: %s", fd, strerror (errno));
        }
    }
  if (mine >= 0)
    close (mine);
  return 0;
}

int
delegate_exec_as_given (const char *path, char **argv, char **err)
{
  if (delegate_dialect_of (path) == DIALECT_RUNSC
      && (refuse_device_streams (argv, err) < 0 || delegate_shield_null_streams (err) < 0))
    return -1;
  fflush (NULL);
  execve (path, argv, environ);
  return fail (err, "cannot run delegate runtime %s: %s", path, strerror (errno));
}

int
delegate_capture (const char *path, char **argv, size_t max, char **out, char **err)
{
  int p[2];
  if (pipe2 (p, O_CLOEXEC) < 0)
    return fail (err, "pipe: %s", strerror (errno));
  pid_t pid = fork ();
  if (pid < 0)
    {
      close (p[0]);
      close (p[1]);
      return fail (err, "fork: %s", strerror (errno));
    }
  if (pid == 0)
    {
      int devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
      if (dup2 (p[1], 1) < 0 || (devnull >= 0 && (dup2 (devnull, 0) < 0 || dup2 (devnull, 2) < 0)))
        _exit (127);
      cleanup_free char *serr = NULL;
      if (delegate_dialect_of (path) == DIALECT_RUNSC && delegate_shield_null_streams (&serr) < 0)
        _exit (127);
      execve (path, argv, environ);
      _exit (127);
    }
  close (p[1]);
  size_t len = 0;
  int r = read_all_fd (p[0], max, out, &len, err);
  close (p[0]);
  int status;
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return fail (err, "waitpid: %s", strerror (errno));
  if (r < 0)
    return -1;
  if (!WIFEXITED (status))
    {
      free (*out);
      *out = NULL;
      return fail (err, "delegate runtime %s was killed by signal %d", path, WTERMSIG (status));
    }
  return WEXITSTATUS (status);
}

char **
delegate_call_argv (const struct delegate_globals *g, const char *const *words, size_t n)
{
  size_t nforced = 0;
  while (runsc_forced_globals[nforced] != NULL)
    nforced++;
  /* The vector and the one word built here ("--root=R") are one block, so
     that freeing the vector frees everything.  */
  size_t slots = n + nforced + 8;
  const char *root = g->root != NULL ? g->root : RUNSC_DEFAULT_ROOT;
  char **argv = xcalloc (1, slots * sizeof *argv + strlen ("--root=") + strlen (root) + 1);
  size_t k = 0;
  argv[k++] = (char *)g->path;
  if (g->dialect == DIALECT_RUNSC)
    {
      /* runsc reads its flags afresh on every command: the root and every
         forced setting go on each call.  The caller's --rootless never
         reaches runsc (runsc.c refuses it).  */
      char *word = (char *)(argv + slots);
      strcpy (stpcpy (word, "--root="), root);
      argv[k++] = word;
      if (g->systemd_cgroup)
        argv[k++] = (char *)"--systemd-cgroup";
      for (size_t i = 0; i < nforced; i++)
        argv[k++] = (char *)runsc_forced_globals[i];
    }
  else
    {
      if (g->root != NULL)
        {
          argv[k++] = (char *)"--root";
          argv[k++] = (char *)g->root;
        }
      if (g->systemd_cgroup)
        argv[k++] = (char *)"--systemd-cgroup";
      if (g->rootless != NULL)
        {
          argv[k++] = (char *)"--rootless";
          argv[k++] = (char *)g->rootless;
        }
    }
  for (size_t i = 0; i < n; i++)
    argv[k++] = (char *)words[i];
  argv[k] = NULL;
  return argv;
}

void
container_state_release (struct container_state *st)
{
  if (st->pidfd >= 0)
    close (st->pidfd);
  if (st->procfd >= 0)
    close (st->procfd);
  st->pidfd = st->procfd = -1;
}

static void
set_stopped (struct container_state *st)
{
  container_state_release (st);
  snprintf (st->status, sizeof st->status, "stopped");
  st->pid = 0;
}

/* Field 3 (state) and field 22 (start time, in clock ticks since boot) of
   /proc/PID/stat read through procfd.  The command name (field 2) may hold
   spaces and parentheses: the fields after it start after the last ')'.
   Returns 0, or -1 when the process is gone or the file cannot be read.  */
static int
proc_stat (int procfd, char *state, unsigned long long *start)
{
  int fd = openat (procfd, "stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  char buf[1024];
  ssize_t n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  char *p = strrchr (buf, ')');
  if (p == NULL || p[1] != ' ')
    return -1;
  p += 2;
  *state = *p;
  /* p is at field 3; field 22 is 19 spaces further.  */
  for (int field = 3; field < 22; field++)
    {
      p = strchr (p, ' ');
      if (p == NULL)
        return -1;
      p++;
    }
  char *end = NULL;
  errno = 0;
  *start = strtoull (p, &end, 10);
  return errno == 0 && end != p && (*end == ' ' || *end == '\n' || *end == '\0') ? 0 : -1;
}

/* pidfd and procfd of pid, opened and then checked to be the process that
   started at start (runc's record) or, with start 0, just alive.  The
   procfd keeps naming the process it was opened for (a later process of
   the same pid gets another /proc entry), so a successful check after both
   are open proves that both name the process that was checked.  Returns 1
   with both set, 0 when pid is not that live process, -1 on error.  */
static int
open_verified (long pid, unsigned long long start, struct container_state *st)
{
  cleanup_free char *path = xasprintf ("/proc/%ld", pid);
  int procfd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (procfd < 0)
    return errno == ENOENT || errno == ESRCH ? 0 : -1;
  int pidfd = (int)syscall (SYS_pidfd_open, (pid_t)pid, 0);
  char state = 0;
  unsigned long long started = 0;
  if (pidfd < 0 || proc_stat (procfd, &state, &started) < 0 || (start != 0 && started != start)
      || state == 'Z' || state == 'X' || state == 'x')
    {
      int saved = pidfd < 0 && errno != ESRCH ? -1 : 0;
      if (pidfd >= 0)
        close (pidfd);
      close (procfd);
      return saved;
    }
  st->pidfd = pidfd;
  st->procfd = procfd;
  st->pid = pid;
  return 1;
}

/* Whether the container's cgroup is frozen: 0 no, 1 yes, -1 cannot be told
   (then the delegate is asked).  runc reads freezer.state (cgroup v1) or
   cgroup.freeze (v2) the same way.  */
static int
frozen (const json_value *state)
{
  const char *dir = NULL, *file = NULL, *thawed = NULL;
  json_value *paths = NULL;
  if (spec_get (state, "cgroup_paths", JSON_OBJECT, &paths) != SPEC_OK)
    return -1;
  const json_value *v1 = json_object_get_exact (paths, "freezer");
  const json_value *v2 = json_object_get_exact (paths, "");
  if (v1 != NULL && v1->type == JSON_STRING)
    dir = v1->u.string.s, file = "freezer.state", thawed = "THAWED";
  else if (v2 != NULL && v2->type == JSON_STRING)
    dir = v2->u.string.s, file = "cgroup.freeze", thawed = "0";
  else
    return -1;
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  char buf[32];
  ssize_t n = fd < 0 ? -1 : read (fd, buf, sizeof buf - 1);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return strcmp (buf, thawed) == 0 ? 0 : 1;
}

/* Whether the cgroup of the process behind procfd (/proc/PID) is frozen,
   read from its own /proc/PID/cgroup on the standard mounts: 1 frozen,
   0 not, -1 cannot be told this way.  */
static int
frozen_of_process (int procfd)
{
  cleanup_close int fd = openat (procfd, "cgroup", O_RDONLY | O_CLOEXEC);
  cleanup_fclose FILE *f = fd < 0 ? NULL : fdopen (fd, "re");
  if (f == NULL)
    return -1;
  fd = -1; /* the FILE owns it now */
  char line[4096];
  cleanup_free char *path = NULL;
  while (path == NULL && fgets (line, sizeof line, f) != NULL)
    {
      line[strcspn (line, "\n")] = '\0';
      char *ctrl = strchr (line, ':');
      char *cg = ctrl ? strchr (ctrl + 1, ':') : NULL;
      if (cg == NULL)
        continue;
      *cg++ = '\0';
      ctrl++;
      /* v1: the freezer hierarchy; v2: the one unified line.  */
      bool freezer = false;
      for (char *c = strtok (ctrl, ","); c != NULL; c = strtok (NULL, ","))
        freezer = freezer || strcmp (c, "freezer") == 0;
      if (freezer)
        path = xasprintf ("/sys/fs/cgroup/freezer%s/freezer.state", cg);
      else if (*ctrl == '\0' && access ("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
        path = xasprintf ("/sys/fs/cgroup%s/cgroup.freeze", cg);
    }
  if (path == NULL)
    return -1;
  bool v1 = strstr (path, "/freezer.state") != NULL;
  cleanup_close int sfd = open (path, O_RDONLY | O_CLOEXEC);
  char buf[32];
  ssize_t n = sfd < 0 ? -1 : read (sfd, buf, sizeof buf - 1);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return strcmp (buf, v1 ? "THAWED" : "0") == 0 ? 0 : 1;
}

/* runc's record of id: 1 answered (st filled), 0 no record that can be
   trusted here (ask the delegate), -1 error.  The record is trusted as
   runc trusts it, and only if it is a regular file that nobody but root
   (or policyrun's user) could have written.  */
int
delegate_runc_record (const char *root, const char *id, struct container_state *st)
{
  if (root == NULL)
    root = RUNC_DEFAULT_ROOT;
  if (root[0] != '/')
    return 0;
  cleanup_free char *dir = xasprintf ("%s/%s", root, id);
  cleanup_close int dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dirfd < 0)
    return 0;
  cleanup_close int fd = openat (dirfd, "state.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  struct stat sb;
  if (fd < 0 || fstat (fd, &sb) < 0 || !S_ISREG (sb.st_mode)
      || (sb.st_uid != 0 && sb.st_uid != geteuid ()) || (sb.st_mode & 022) != 0)
    return 0;
  cleanup_free char *text = NULL;
  cleanup_free char *rerr = NULL;
  size_t len = 0;
  if (read_all_fd (fd, 64u << 20, &text, &len, &rerr) < 0)
    return 0;
  /* runc writes its init's pid and start time first: read those alone, not
     the whole record (it holds the container's whole configuration).  */
  static const char *const keys[] = { "init_process_pid", "init_process_start" };
  int64_t v[2] = { 0, 0 };
  if (json_scan_top_ints (text, len, keys, 2, v) < 0 || v[0] < 1 || v[0] > INT32_MAX || v[1] < 1)
    return 0;
  int alive = open_verified ((long)v[0], (unsigned long long)v[1], st);
  if (alive < 0)
    return -1;
  if (alive == 0)
    {
      set_stopped (st);
      return 1;
    }
  int paused = frozen_of_process (st->procfd);
  if (paused < 0)
    {
      /* Not on the standard mounts: the freezer runc recorded.  */
      cleanup_json json_value *state = NULL;
      if (json_parse (text, len, &state, &rerr) == 0)
        paused = frozen (state);
    }
  if (paused < 0)
    {
      container_state_release (st);
      return 0;
    }
  /* runc's created state is its exec fifo: start opens it and removes it.  */
  bool created = faccessat (dirfd, "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
  snprintf (st->status, sizeof st->status, "%s",
            paused    ? "paused"
            : created ? "created"
                      : "running");
  return 1;
}

/* The delegate's own "state ID": status and pid.  */
static int
ask_state (const struct delegate_globals *g, const char *id, char *status, size_t size, long *pid,
           char **err)
{
  const char *words[] = { "state", id };
  cleanup_free char **argv = delegate_call_argv (g, words, 2);
  cleanup_free char *out = NULL;
  int rc = delegate_capture (g->path, argv, 1 << 20, &out, err);
  if (rc < 0)
    return -1;
  if (rc != 0)
    return fail (err, "the delegate runtime knows no container \"%s\"", id);
  cleanup_json json_value *state = NULL;
  cleanup_free char *perr = NULL;
  if (json_parse (out, strlen (out), &state, &perr) < 0)
    return fail (err, "cannot read the state of container \"%s\": %s", id, perr);
  const char *s = NULL;
  int64_t p = 0;
  if (spec_get_string (state, "status", &s) != SPEC_OK)
    return fail (err, "the state of container \"%s\" has no status", id);
  if (spec_get_int (state, "pid", 0, INT32_MAX, &p) != SPEC_OK)
    p = 0;
  snprintf (status, size, "%s", s);
  *pid = (long)p;
  return 0;
}

int
delegate_container_state (const struct delegate_globals *g, const char *id,
                          struct container_state *st, char **err)
{
  *st = (struct container_state){ .pidfd = -1, .procfd = -1 };
  int r = g->dialect == DIALECT_RUNC ? delegate_runc_record (g->root, id, st) : 0;
  if (r != 0)
    return r < 0 ? fail (err, "cannot inspect container \"%s\": %s", id, strerror (errno)) : 0;
  long pid = 0;
  if (ask_state (g, id, st->status, sizeof st->status, &pid, err) < 0)
    return -1;
  if (strcmp (st->status, "stopped") == 0 || pid <= 0)
    {
      set_stopped (st);
      return 0;
    }
  /* No start time to check against: open the handles, then ask again; the
     same pid after they were opened means they name the init.  */
  cleanup_free char *status = xstrdup (st->status);
  long again = 0;
  if (open_verified (pid, 0, st) <= 0
      || ask_state (g, id, st->status, sizeof st->status, &again, err) < 0 || again != pid
      || strcmp (st->status, status) != 0)
    {
      container_state_release (st);
      return fail (err, "cannot inspect container \"%s\": its process changed", id);
    }
  return 0;
}

int
delegate_knows_container (const struct delegate_globals *g, const char *id)
{
  const char *root = g->root ? g->root : RUNC_DEFAULT_ROOT;
  cleanup_free char *dir = xasprintf ("%s/%s", root, id);
  if (root[0] == '/' && access (dir, F_OK) == 0)
    return 1;
  /* runc's knowledge of a container is that directory: without it runc
     answers "does not exist", so asking would only cost a whole runc
     process (the cleaner asks after every foreground run).  Any other
     delegate is asked.  */
  const char *base = strrchr (g->path, '/');
  if (g->dialect == DIALECT_RUNC && root[0] == '/'
      && strcmp (base ? base + 1 : g->path, "runc") == 0)
    return 0;
  const char *words[] = { "state", id };
  cleanup_free char **argv = delegate_call_argv (g, words, 2);
  cleanup_free char *out = NULL;
  cleanup_free char *err = NULL;
  int rc = delegate_capture (g->path, argv, 1 << 20, &out, &err);
  return rc < 0 ? -1 : rc == 0;
}

void
delegate_kill_container (const struct delegate_globals *g, const char *id)
{
  const char *words[] = { "kill", id, "KILL" };
  cleanup_free char **argv = delegate_call_argv (g, words, 3);
  cleanup_free char *out = NULL;
  cleanup_free char *err = NULL;
  delegate_capture (g->path, argv, 1 << 16, &out, &err);
}
