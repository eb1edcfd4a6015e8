/* policyrun floor: host unix sockets in binds (rule BIND_SOCKETS, id
   "mounts").  A read-only bind does not stop connect(): a socket anywhere
   in a bound tree hands the container the daemon behind it.  */
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

/* ---- host unix sockets -------------------------------------------------- */

/* One directory being read in the socket scan, and how long the path
   was when it was entered.  */
struct scan_level
{
  DIR *dir;
  size_t path_len;
};

/* Look through the tree at resolved (a directory, symbolic links already
   followed to it) for a unix socket, without following any link inside it
   (a link resolves in the container's mount namespace, not here) and
   without recursion: an explicit stack of open directories.  Reading more
   than policy->bind_scan_max_entries entries refuses the bind: its tree is
   too large to check.  A read-only bind does not stop connect(), so a
   socket in the tree hands the container the daemon behind it.  */
void
check_bind_sockets (struct floor_ctx *ctx, const char *field, const char *source,
                    const char *resolved)
{
  int64_t max = ctx->policy->bind_scan_max_entries;
  struct strbuf path = { 0 };
  strbuf_add (&path, strcmp (resolved, "/") == 0 ? "" : resolved);
  struct scan_level *stack = NULL;
  size_t depth = 0, cap = 0;
  int64_t seen = 0;
  const char *problem = NULL;
  int err = 0;

  int fd = open (resolved, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  DIR *top = fd >= 0 ? fdopendir (fd) : NULL;
  if (top == NULL)
    {
      err = errno;
      if (fd >= 0)
        close (fd);
      problem = "open";
    }
  else
    {
      cap = 16;
      stack = xmalloc (cap * sizeof *stack);
      stack[depth++] = (struct scan_level){ top, path.len };
    }

  while (depth > 0 && problem == NULL)
    {
      struct scan_level *lv = &stack[depth - 1];
      errno = 0;
      struct dirent *e = readdir (lv->dir);
      if (e == NULL)
        {
          if (errno != 0)
            {
              err = errno;
              problem = "read";
              break;
            }
          closedir (lv->dir);
          depth--;
          if (depth > 0)
            {
              path.len = stack[depth - 1].path_len;
              path.s[path.len] = '\0';
            }
          continue;
        }
      if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
        continue;
      if (++seen > max)
        {
          problem = "large";
          break;
        }
      unsigned char type = e->d_type;
      if (type == DT_UNKNOWN)
        {
          struct stat sb;
          if (fstatat (dirfd (lv->dir), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
            {
              err = errno;
              problem = "stat";
              break;
            }
          type = S_ISSOCK (sb.st_mode)   ? DT_SOCK
                 : S_ISFIFO (sb.st_mode) ? DT_FIFO
                 : S_ISDIR (sb.st_mode)  ? DT_DIR
                                         : DT_REG;
        }
      if (type != DT_SOCK && type != DT_FIFO && type != DT_DIR)
        continue;
      path.len = lv->path_len;
      path.s[path.len] = '\0';
      strbuf_addf (&path, "/%s", e->d_name);
      if (type == DT_SOCK || type == DT_FIFO)
        {
          problem = type == DT_SOCK ? "socket" : "fifo";
          break;
        }
      int cfd
          = openat (dirfd (lv->dir), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      DIR *child = cfd >= 0 ? fdopendir (cfd) : NULL;
      if (child == NULL)
        {
          err = errno;
          if (cfd >= 0)
            close (cfd);
          problem = "open";
          break;
        }
      if (depth == cap)
        {
          cap *= 2;
          stack = xrealloc (stack, cap * sizeof *stack);
        }
      stack[depth++] = (struct scan_level){ child, path.len };
    }
  while (depth > 0)
    closedir (stack[--depth].dir);
  free (stack);

  if (problem == NULL)
    ;
  else if (strcmp (problem, "socket") == 0)
    floor_violation (ctx, RULE_BIND_SOCKETS, field, "remove the -v/--mount of this source",
                     "is \"%s\", which holds the unix socket \"%s\": a read-only bind does not "
                     "stop connect()",
                     source, path.s);
  else if (strcmp (problem, "fifo") == 0)
    floor_violation (ctx, RULE_BIND_SOCKETS, field, "remove the -v/--mount of this source",
                     "is \"%s\", which holds the named pipe \"%s\": a read-only bind does not "
                     "stop writing to it, and a host process may read it",
                     source, path.s);
  else if (strcmp (problem, "large") == 0)
    floor_violation (ctx, RULE_BIND_SOCKETS, field, "remove the -v/--mount of this source",
                     "is \"%s\", whose tree has more than %" PRId64 " entries, too many to check "
                     "for unix sockets (the policy's bind_scan_max_entries raises the bound)",
                     source, max);
  else
    floor_violation (ctx, RULE_BIND_SOCKETS, field, "remove the -v/--mount of this source",
                     "is \"%s\"; \"%s\" cannot be %s to check it for unix sockets (%s)", source,
                     path.s, strcmp (problem, "open") == 0 ? "opened" : "read", strerror (err));
  strbuf_free (&path);
}
