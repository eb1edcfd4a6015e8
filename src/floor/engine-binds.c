/* policyrun floor: the binds engines make from their own state
   directories, which are on the deny-list yet safe as the engine makes
   them (filesystem.c's mounts rule asks here).  */
#include "config.h"
#include "floor.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "filesystem.h"
#include "spec.h"
#include "util.h"

static const struct engine_bind engine_binds[] = {
  { "docker", "/etc/hosts", "containers/*/hosts", false },
  { "docker", "/etc/hostname", "containers/*/hostname", false },
  { "docker", "/etc/resolv.conf", "containers/*/resolv.conf", false },
  { "docker", "/dev/shm", "containers/*/mounts/shm", true },
  { "containerd", "/etc/hosts", "io.containerd.grpc.v1.cri/sandboxes/*/hosts", false },
  { "containerd", "/etc/hostname", "io.containerd.grpc.v1.cri/sandboxes/*/hostname", false },
  { "containerd", "/etc/resolv.conf", "io.containerd.grpc.v1.cri/sandboxes/*/resolv.conf", false },
  { "containerd", "/dev/shm", "io.containerd.grpc.v1.cri/sandboxes/*/shm", true },
  { "kubelet", "/etc/hosts", "pods/*/etc-hosts", false },
  { "containers", "/etc/hosts", "storage/overlay-containers/*/userdata/hosts", false },
  { "containers", "/etc/hostname", "storage/overlay-containers/*/userdata/hostname", false },
  { "containers", "/etc/resolv.conf", "storage/overlay-containers/*/userdata/resolv.conf", false },
  { "containers", "/dev/shm", "storage/overlay-containers/*/userdata/shm", true },
};

/* rel (clean, relative, no "..") matches pattern component by component.  */
static bool
pattern_match (const char *rel, const char *pattern)
{
  for (;;)
    {
      const char *re = strchrnul (rel, '/');
      const char *pe = strchrnul (pattern, '/');
      size_t rn = (size_t)(re - rel), pn = (size_t)(pe - pattern);
      if (rn == 0)
        return false;
      if (!(pn == 1 && pattern[0] == '*') && (rn != pn || memcmp (rel, pattern, rn) != 0))
        return false;
      if (*re == '\0' || *pe == '\0')
        return *re == '\0' && *pe == '\0';
      rel = re + 1;
      pattern = pe + 1;
    }
}

const char *
last_component (const char *p)
{
  const char *s = strrchr (p, '/');
  return s ? s + 1 : p;
}

/* The engine bind that a bind of src (clean, absolute) onto destination
   (clean) is, judged by where src lies in a deny-listed engine directory;
   NULL when it is none.  */
const struct engine_bind *
engine_bind_by_layout (const struct denylist *deny, const char *destination, const char *src)
{
  for (size_t i = 0; i < deny->len; i++)
    {
      const char *d = deny->items[i];
      if (strcmp (d, "/") == 0 || !path_within (src, d) || strcmp (src, d) == 0)
        continue;
      const char *rel = src + strlen (d) + 1;
      for (size_t k = 0; k < sizeof engine_binds / sizeof engine_binds[0]; k++)
        if (strcmp (engine_binds[k].destination, destination) == 0
            && strcmp (engine_binds[k].engine, last_component (d)) == 0
            && pattern_match (rel, engine_binds[k].pattern))
          return &engine_binds[k];
    }
  return NULL;
}

/* The engine bind that a bind of path onto destination looks like by the
   tail of path alone, wherever the engine keeps its state (docker's
   --data-root); NULL when none.  Not proof that it is the engine's.  */
const struct engine_bind *
engine_bind_by_tail (const char *destination, const char *path)
{
  for (size_t k = 0; k < sizeof engine_binds / sizeof engine_binds[0]; k++)
    {
      if (strcmp (engine_binds[k].destination, destination) != 0)
        continue;
      size_t want = 1;
      for (const char *c = engine_binds[k].pattern; *c; c++)
        want += *c == '/';
      const char *tail = path + strlen (path);
      size_t got = 0;
      while (tail > path && got < want)
        if (*--tail == '/')
          got++;
      if (got == want && pattern_match (tail + 1, engine_binds[k].pattern))
        return &engine_binds[k];
    }
  return NULL;
}

/* An engine whose state lives elsewhere binds /dev/shm from a directory
   that is not on the deny-list; it is still the engine's when it is what
   the engine makes it: a tmpfs mounted right there, noexec, with a size.
   Nobody but root can mount one.  */
bool
shm_is_engine_tmpfs (const char *destination, const char *resolved)
{
  if (resolved == NULL)
    return false;
  const struct engine_bind *eb = engine_bind_by_tail (destination, resolved);
  if (eb == NULL || !eb->shm)
    return false;
  struct statfs sfs;
  struct statvfs svfs;
  struct stat here, parent;
  cleanup_free char *up = xasprintf ("%s/..", resolved);
  return statfs (resolved, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC && statvfs (resolved, &svfs) == 0
         && (svfs.f_flag & ST_NOEXEC) && svfs.f_blocks > 0 && stat (resolved, &here) == 0
         && S_ISDIR (here.st_mode) && stat (up, &parent) == 0 && here.st_dev != parent.st_dev;
}
