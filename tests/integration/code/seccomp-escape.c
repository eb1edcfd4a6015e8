/* Tries, inside a container, the ways out of its namespaces and network
   that the seccomp floor closes, and prints one line per attempt:
     NAME ok | NAME errno N | NAME killed N (signal)
   Each attempt runs in a child of its own, so a filter that kills one does
   not hide the others.  Built static (cc -static -O2); the 32-bit entry
   (int $0x80) needs its pointers below 4 GiB, which static data of a
   non-PIE static binary is.  */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define AF_VSOCK_FAMILY 40
#define NS_FLAGS (CLONE_NEWUSER | CLONE_NEWNET)

/* The result of a raw call: -errno or the value.  */
static long
result (long r)
{
  return r < 0 ? -errno : r;
}

/* A new process by clone (flags) that exits at once; the value is clone's.  */
static long
try_clone (void)
{
  long r = syscall (SYS_clone, NS_FLAGS | SIGCHLD, 0, 0, 0, 0);
  if (r == 0)
    _exit (0);
  if (r > 0)
    waitpid ((pid_t)r, NULL, 0);
  return result (r);
}

static long
try_clone3 (void)
{
  struct clone_args args;
  memset (&args, 0, sizeof args);
  args.flags = NS_FLAGS;
  args.exit_signal = SIGCHLD;
  long r = syscall (SYS_clone3, &args, sizeof args);
  if (r == 0)
    _exit (0);
  if (r > 0)
    waitpid ((pid_t)r, NULL, 0);
  return result (r);
}

static long
try_unshare (void)
{
  return result (syscall (SYS_unshare, CLONE_NEWUSER));
}

static long
try_vsock (void)
{
  return result (syscall (SYS_socket, AF_VSOCK_FAMILY, SOCK_STREAM, 0));
}

/* The kernel reads the family as an int: the upper 32 bits are dropped.  */
static long
try_vsock_high_bits (void)
{
  return result (syscall (SYS_socket, 0x100000000L | AF_VSOCK_FAMILY, SOCK_STREAM, 0));
}

static long
try_socketpair_vsock (void)
{
  int sv[2];
  return result (syscall (SYS_socketpair, AF_VSOCK_FAMILY, SOCK_STREAM, 0, sv));
}

static long
try_fork (void)
{
  pid_t pid = fork ();
  if (pid == 0)
    _exit (0);
  if (pid > 0)
    waitpid (pid, NULL, 0);
  return pid < 0 ? -errno : 0;
}

static void *
thread_main (void *arg)
{
  return arg;
}

/* glibc creates threads with clone3 and falls back to clone on ENOSYS.  */
static long
try_thread (void)
{
  pthread_t t;
  int e = pthread_create (&t, NULL, thread_main, NULL);
  if (e != 0)
    return -e;
  pthread_join (t, NULL);
  return 0;
}

#if defined(__x86_64__)
static long
call32 (long nr, long a, long b, long c)
{
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}

/* i386: clone 120, socketcall 102 (SYS_SOCKET 1), unshare 310, exit 1.  */
static long
try_clone_i386 (void)
{
  long r = call32 (120, NS_FLAGS | SIGCHLD, 0, 0);
  if (r == 0)
    call32 (1, 0, 0, 0);
  if (r > 0)
    waitpid ((pid_t)r, NULL, 0);
  return r;
}

static unsigned int socket_args[3] = { AF_VSOCK_FAMILY, SOCK_STREAM, 0 };

static long
try_socketcall_vsock_i386 (void)
{
  return call32 (102, 1, (long)(uintptr_t)socket_args, 0);
}

static long
try_unshare_i386 (void)
{
  return call32 (310, CLONE_NEWUSER, 0, 0);
}
#endif

static void
attempt (const char *name, long (*fn) (void))
{
  fflush (stdout);
  pid_t pid = fork ();
  if (pid == 0)
    {
      long r = fn ();
      if (r >= 0)
        printf ("%s ok\n", name);
      else
        printf ("%s errno %ld (%s)\n", name, -r, strerror ((int)-r));
      fflush (stdout);
      _exit (0);
    }
  int status = 0;
  if (pid < 0 || waitpid (pid, &status, 0) < 0)
    printf ("%s harness-failed\n", name);
  else if (WIFSIGNALED (status))
    printf ("%s killed %d (%s)\n", name, WTERMSIG (status), strsignal (WTERMSIG (status)));
}

int
main (void)
{
  attempt ("clone_ns", try_clone);
  attempt ("clone3_ns", try_clone3);
  attempt ("unshare_user", try_unshare);
  attempt ("vsock", try_vsock);
  attempt ("vsock_high_bits", try_vsock_high_bits);
  attempt ("socketpair_vsock", try_socketpair_vsock);
  attempt ("fork", try_fork);
  attempt ("thread", try_thread);
#if defined(__x86_64__)
  attempt ("i386_clone_ns", try_clone_i386);
  attempt ("i386_socketcall_vsock", try_socketcall_vsock_i386);
  attempt ("i386_unshare_user", try_unshare_i386);
#endif
  printf ("end\n");
  return 0;
}
