/* policyrun floor: the container's view of a path (view.h).  */
#include "config.h"
#include "floor.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "spec.h"
#include "view.h"
#include "util.h"

/* More mounts than this and /etc/group is not followed through them (the
   walk is quadratic in the mounts): refused when additionalGids is set.  */
#define VIEW_MAX_MOUNTS 1024

void
lookup_result_free (struct lookup_result *r)
{
  free (r->landed);
  free (r->host);
  memset (r, 0, sizeof *r);
}

bool
path_at_or_under (const char *path, const char *dir)
{
  if (strcmp (dir, "/") == 0)
    return true;
  size_t n = strlen (dir);
  return strncmp (path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The last of the first n mounts whose destination holds path, or NULL for
   the image.  */
static const struct view_mount *
view_provider (const struct view *v, size_t n, const char *path)
{
  for (size_t j = n; j-- > 0;)
    if (path_at_or_under (path, v->mounts[j].dest))
      return &v->mounts[j];
  return NULL;
}

static void
lookup_stop (struct lookup_result *r, enum lookup status, const char *next, const char *rest,
             const char *why)
{
  cleanup_free char *whole = xasprintf ("%s%s", next, rest);
  r->status = status;
  r->landed = path_clean (whole);
  r->why = why;
}

/* Follow path inside the container made of the image and its first n
   mounts, as the kernel will: symlinks in the image and in bind sources are
   followed inside the container.  for_file: path is a file the process will
   read, so what policyrun cannot read is unreliable; otherwise (a mount's
   destination) only where it lands matters.  */
void
view_resolve (const struct view *v, size_t n, const char *path, bool for_file,
              struct lookup_result *r)
{
  memset (r, 0, sizeof *r);
  cleanup_free char *pending = xstrdup (path);
  cleanup_free char *done = xstrdup ("");
  cleanup_free char *host = xstrdup (v->root);
  int hops = 0;
  for (;;)
    {
      char *p = pending;
      while (*p == '/')
        p++;
      if (*p == '\0')
        {
          r->status = LOOKUP_FOUND;
          r->landed = path_clean (*done ? done : "/");
          r->host = host;
          host = NULL;
          return;
        }
      char *end = strchrnul (p, '/');
      cleanup_free char *seg = xstrndup (p, (size_t)(end - p));
      cleanup_free char *rest = xstrdup (end);
      free (pending);
      pending = NULL;
      if (strcmp (seg, ".") == 0 || strcmp (seg, "..") == 0)
        {
          char *slash = seg[1] == '.' ? strrchr (done, '/') : NULL;
          if (slash != NULL)
            *slash = '\0';
          pending = rest;
          rest = NULL;
          continue;
        }
      cleanup_free char *next = xasprintf ("%s/%s", done, seg);
      /* runc creates device nodes and links such as /dev/fd -> /proc/self/fd
         after the mounts.  */
      if (for_file && strncmp (next, "/dev/", 5) == 0)
        return lookup_stop (r, LOOKUP_UNRELIABLE, next, rest,
                            "it leads into /dev, where runc adds devices and links of its own");
      const struct view_mount *m = view_provider (v, n, next);
      cleanup_free char *here = NULL;
      if (m == NULL)
        here = xasprintf ("%s%s", v->root, next);
      else if (m->kind == PROVIDER_BIND)
        here = xasprintf ("%s%s", m->source,
                          strcmp (m->dest, "/") == 0 ? next : next + strlen (m->dest));
      else if (strcmp (next, m->dest) != 0)
        {
          if (m->kind == PROVIDER_TMPFS || (!for_file && m->kind == PROVIDER_KERNEL))
            {
              lookup_stop (r, LOOKUP_ABSENT, next, rest, NULL);
              r->in_tmpfs = m->kind == PROVIDER_TMPFS;
              return;
            }
          return lookup_stop (r, LOOKUP_UNRELIABLE, next, rest,
                              "a filesystem policyrun cannot read (proc, sysfs or another "
                              "kernel filesystem) is mounted on the way");
        }
      if (here == NULL)
        {
          /* The root of a tmpfs or kernel filesystem: a directory.  */
          free (done);
          done = next;
          next = NULL;
          pending = rest;
          rest = NULL;
          continue;
        }
      struct stat st;
      if (lstat (here, &st) < 0)
        {
          if (errno == ENOENT || errno == ENOTDIR)
            return lookup_stop (r, LOOKUP_ABSENT, next, rest, NULL);
          return lookup_stop (r, LOOKUP_UNRELIABLE, next, rest, "it cannot be inspected");
        }
      if (S_ISLNK (st.st_mode))
        {
          char target[PATH_MAX];
          ssize_t len = readlink (here, target, sizeof target - 1);
          if (len < 0 || ++hops > 40)
            return lookup_stop (r, LOOKUP_UNRELIABLE, next, rest,
                                "its symbolic links cannot be followed (a loop?)");
          target[len] = '\0';
          pending = target[0] == '/' ? xasprintf ("%s%s", target, rest)
                                     : xasprintf ("%s/%s%s", done, target, rest);
          free (done);
          done = xstrdup ("");
          continue;
        }
      if (!S_ISDIR (st.st_mode) && rest[strspn (rest, "/")] != '\0')
        return lookup_stop (r, LOOKUP_ABSENT, next, rest, NULL);
      free (done);
      done = next;
      next = NULL;
      free (host);
      host = here;
      here = NULL;
      pending = rest;
      rest = NULL;
    }
}

static bool
mount_is_bind_opts (const json_value *m, const char *type)
{
  if (strcmp (type, "bind") == 0)
    return true;
  const json_value *opts = json_object_get (m, "options");
  if (opts == NULL || opts->type != JSON_ARRAY)
    return false;
  for (size_t i = 0; i < opts->u.array.len; i++)
    {
      const json_value *o = opts->u.array.items[i];
      if (o->type == JSON_STRING
          && (strcmp (o->u.string.s, "bind") == 0 || strcmp (o->u.string.s, "rbind") == 0))
        return true;
    }
  return false;
}

static enum provider
provider_of_type (const char *type)
{
  static const char *const kernel[] = { "sysfs", "cgroup", "cgroup2", "devpts", "mqueue" };
  if (strcmp (type, "tmpfs") == 0)
    return PROVIDER_TMPFS;
  for (size_t i = 0; i < sizeof kernel / sizeof kernel[0]; i++)
    if (strcmp (type, kernel[i]) == 0)
      return PROVIDER_KERNEL;
  return PROVIDER_UNKNOWN;
}

void
view_free (struct view *v)
{
  for (size_t i = 0; i < v->len; i++)
    free (v->mounts[i].dest);
  free (v->mounts);
  memset (v, 0, sizeof *v);
}

/* Place spec's mounts as runc will.  Returns NULL, or why it cannot
   (*why_buf holds a message that names the mount).  */
const char *
view_build (const json_value *spec, struct view *v, char **why_buf)
{
  memset (v, 0, sizeof *v);
  const char *root = NULL;
  if (spec_get_string (spec, "root.path", &root) != SPEC_OK || root[0] != '/')
    return "root.path is not an absolute path";
  v->root = strcmp (root, "/") == 0 ? "" : root;
  json_value *mounts = NULL;
  spec_status s = spec_get (spec, "mounts", JSON_ARRAY, &mounts);
  if (s == SPEC_ABSENT || s == SPEC_NULL)
    return NULL;
  if (s != SPEC_OK)
    return "mounts is not an array";
  if (mounts->u.array.len > VIEW_MAX_MOUNTS)
    {
      *why_buf = xasprintf ("the config has %zu mounts, more than the %d policyrun follows "
                            "/etc/group through",
                            mounts->u.array.len, VIEW_MAX_MOUNTS);
      return *why_buf;
    }
  v->mounts = xcalloc (mounts->u.array.len + 1, sizeof *v->mounts);
  for (size_t i = 0; i < mounts->u.array.len; i++)
    {
      const json_value *m = mounts->u.array.items[i];
      const char *dest = NULL, *type = "", *source = NULL;
      if (m->type != JSON_OBJECT || spec_get_string (m, "destination", &dest) != SPEC_OK
          || dest[0] != '/' || spec_get_string (m, "type", &type) == SPEC_BAD_TYPE)
        {
          *why_buf = xasprintf ("mounts[%zu] has no usable destination", i);
          return *why_buf;
        }
      struct view_mount *vm = &v->mounts[i];
      if (mount_is_bind_opts (m, type))
        {
          if (spec_get_string (m, "source", &source) != SPEC_OK || source[0] != '/')
            {
              *why_buf = xasprintf ("mounts[%zu] is a bind without an absolute source", i);
              return *why_buf;
            }
          vm->kind = PROVIDER_BIND;
          vm->source = strcmp (source, "/") == 0 ? "" : source;
        }
      else
        vm->kind = provider_of_type (type);
      struct lookup_result r;
      view_resolve (v, i, dest, false, &r);
      if (r.status == LOOKUP_UNRELIABLE)
        {
          *why_buf = xasprintf ("the destination of mounts[%zu] (\"%s\") cannot be followed: %s", i,
                                dest, r.why);
          lookup_result_free (&r);
          return *why_buf;
        }
      vm->dest = r.landed;
      r.landed = NULL;
      lookup_result_free (&r);
      v->len = i + 1;
    }
  return NULL;
}
