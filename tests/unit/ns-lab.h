/* A small namespace lab for the sandbox tests (needs root): real processes
   in namespaces of their own, a network namespace no process is in, and
   bind mounts of namespace files, all in a mount namespace private to the
   test (nothing is left on the host when it exits).  Every step waits for
   what it needs (a pipe, waitpid): no sleeps.  */
#ifndef POLICYRUN_NS_LAB_H
#define POLICYRUN_NS_LAB_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static void __attribute__ ((unused, noreturn)) lab_bail (const char *what)
{
  printf ("Bail out! %s: %s\n", what, strerror (errno));
  exit (1);
}

/* Whether the lab can run here (root, namespaces); else why not.  */
static const char *__attribute__ ((unused)) lab_unavailable (void)
{
  if (geteuid () != 0)
    return "needs root (namespaces and bind mounts)";
  if (access ("/proc/self/ns/net", F_OK) != 0)
    return "needs /proc/PID/ns";
  return NULL;
}

/* Private mounts for the rest of the test process.  */
static void __attribute__ ((unused)) lab_private_mounts (void)
{
  if (unshare (CLONE_NEWNS) < 0)
    lab_bail ("unshare(CLONE_NEWNS)");
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    lab_bail ("mount --make-rprivate /");
}

/* A child that enters the namespaces of join_fd (setns, when >= 0) or
   unshares flags, says so through a pipe and waits to be killed.  */
static pid_t __attribute__ ((unused)) lab_spawn (int flags, int join_fd)
{
  int p[2];
  if (pipe2 (p, O_CLOEXEC) < 0)
    lab_bail ("pipe");
  pid_t pid = fork ();
  if (pid < 0)
    lab_bail ("fork");
  if (pid == 0)
    {
      int r = join_fd >= 0 ? setns (join_fd, 0) : flags ? unshare (flags) : 0;
      char c = r == 0 ? 'y' : 'n';
      if (write (p[1], &c, 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  close (p[1]);
  char c = 'n';
  if (read (p[0], &c, 1) != 1 || c != 'y')
    lab_bail ("lab child could not enter its namespaces");
  close (p[0]);
  return pid;
}

static void __attribute__ ((unused)) lab_kill (pid_t pid)
{
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
}

/* A descriptor of /proc/PID/ns/NAME.  */
static int __attribute__ ((unused)) lab_ns_fd (pid_t pid, const char *name)
{
  char *path = xasprintf ("/proc/%ld/ns/%s", (long)pid, name);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    lab_bail (path);
  free (path);
  return fd;
}

/* A network namespace that no process is in: its only holder is the
   returned descriptor.  */
static int __attribute__ ((unused)) lab_empty_netns (void)
{
  pid_t pid = lab_spawn (CLONE_NEWNET, -1);
  int fd = lab_ns_fd (pid, "net");
  lab_kill (pid);
  return fd;
}

/* dir/name, a file with the namespace behind fd bound onto it (as `ip
   netns add` and CNI pin one).  Returns the path (malloc'd).  */
static char *__attribute__ ((unused)) lab_bind (const char *dir, const char *name, int fd)
{
  char *path = xasprintf ("%s/%s", dir, name);
  int f = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (f < 0)
    lab_bail (path);
  close (f);
  char *src = xasprintf ("/proc/self/fd/%d", fd);
  if (mount (src, path, NULL, MS_BIND, NULL) < 0)
    lab_bail ("bind mount of a namespace");
  free (src);
  return path;
}

#endif
