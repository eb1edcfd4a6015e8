/* policyrun: finding and calling the real runtime.  */
#include "config.h"
#include "delegate.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
