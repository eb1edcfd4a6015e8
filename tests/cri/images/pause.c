/* The pod sandbox's process for the CRI test rig: it holds the pod's
   namespaces open and does nothing else until it is told to stop, as
   Kubernetes' pause does.  Built with gcc -static so the image needs no
   libc of its own.  */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_stop (int sig)
{
  (void)sig;
  stop = 1;
}

/* As PID 1 of a shared PID namespace it must reap orphans, or they stay
   zombies for the pod's life.  */
static void
on_child (int sig)
{
  (void)sig;
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
}

int
main (void)
{
  struct sigaction sa = { 0 };
  sigset_t block, old;

  sa.sa_handler = on_stop;
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  sa.sa_handler = on_child;
  sa.sa_flags = SA_NOCLDSTOP;
  sigaction (SIGCHLD, &sa, NULL);

  /* sigsuspend with the stop signals blocked in between checks, so a
     signal arriving between the test and the wait is not lost.  */
  sigemptyset (&block);
  sigaddset (&block, SIGTERM);
  sigaddset (&block, SIGINT);
  sigprocmask (SIG_BLOCK, &block, &old);
  while (!stop)
    sigsuspend (&old);
  return 0;
}
