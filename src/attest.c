/* policyrun: look into a created container's network namespace.  */
#include "config.h"
#include "attest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* /proc/PID/net/dev lists the interfaces of PID's network namespace, so
   policyrun never has to enter it.  Two header lines, then "  name: ...".  */
static int
list_interfaces (int procfd, struct strbuf *found, char **err)
{
  cleanup_close int fd = openat (procfd, "net/dev", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail (err, "cannot inspect the network of the container's process: %s",
                 strerror (errno));
  cleanup_free char *text = NULL;
  size_t len = 0;
  if (read_all_fd (fd, 1 << 20, &text, &len, err) < 0)
    return -1;
  int lines = 0, others = 0;
  char *save = NULL;
  for (char *line = strtok_r (text, "\n", &save); line != NULL; line = strtok_r (NULL, "\n", &save))
    {
      if (++lines <= 2)
        continue;
      char *colon = strchr (line, ':');
      if (colon == NULL)
        continue;
      *colon = '\0';
      while (*line == ' ')
        line++;
      if (strcmp (line, "lo") == 0)
        continue;
      strbuf_addf (found, "%s%s", others++ ? "," : "", line);
    }
  return others;
}

int
attest_network_namespace (int procfd, char **found, char **err)
{
  *found = NULL;
  if (procfd < 0)
    return fail (err, "the container has no process to inspect");
  struct stat theirs, ours;
  if (fstatat (procfd, "ns/net", &theirs, 0) < 0)
    return fail (err, "cannot inspect the network namespace of the container's process: %s",
                 strerror (errno));
  if (stat ("/proc/self/ns/net", &ours) < 0)
    return fail (err, "cannot inspect policyrun's own network namespace: %s", strerror (errno));
  if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino)
    {
      *found = xstrdup ("the host's network namespace");
      return 1;
    }
  struct strbuf b = { 0 };
  int n = list_interfaces (procfd, &b, err);
  if (n <= 0)
    {
      strbuf_free (&b);
      return n;
    }
  *found = b.s;
  return 1;
}

/* Until the floor has a rule for it (floor/network.c, rule "network",
   field "the container's network namespace", fix "run with --network
   none"), the message is built here, worded as a floor refusal.  */
char *
attest_refusal (const char *found)
{
  return xasprintf ("refused by floor (1 violation): network: the container's network namespace "
                    "has interfaces [%s]; the container was killed; run with --network none",
                    found);
}
