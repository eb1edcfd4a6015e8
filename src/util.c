/* policyrun: the helpers of util.h that only src/ uses.  */
#include "config.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int
read_all_fd (int fd, size_t max, char **out, size_t *len, char **err)
{
  size_t cap = 4096, used = 0;
  char *buf = xmalloc (cap + 1);
  for (;;)
    {
      if (used == cap)
        {
          if (cap > max)
            break;
          cap *= 2;
          buf = xrealloc (buf, cap + 1);
        }
      ssize_t r = read (fd, buf + used, cap - used);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          free (buf);
          return fail (err, "read failed: %s", strerror (errno));
        }
      if (r == 0)
        break;
      used += (size_t)r;
      if (used > max)
        break;
    }
  if (used > max)
    {
      free (buf);
      return fail (err, "larger than the limit of %zu bytes", max);
    }
  buf[used] = '\0';
  *out = buf;
  *len = used;
  return 0;
}

int
open_regular_file (const char *path, char **err)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    return fail (err, "%s", errno == ENOENT ? "it does not exist" : strerror (errno));
  struct stat st;
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      return fail (err, "it is not a regular file");
    }
  return fd;
}

/* p cleaned lexically: no empty or "." components, ".." removes the
   previous component (and stays at "/" for absolute paths; leading ".."
   components are kept for relative ones).  "/" and "." for the empty
   results.  */
char *
path_clean (const char *p)
{
  bool absolute = p[0] == '/';
  char *out = xmalloc (strlen (p) + 2);
  size_t len = 0;
  if (absolute)
    out[len++] = '/';
  /* out[0..keep) cannot be removed by "..": the root, or a relative
     path's leading ".." components.  */
  size_t keep = len;
  const char *s = p;
  while (*s != '\0')
    {
      while (*s == '/')
        s++;
      const char *e = s;
      while (*e != '\0' && *e != '/')
        e++;
      size_t n = (size_t)(e - s);
      bool dot = n == 1 && s[0] == '.';
      bool dotdot = n == 2 && s[0] == '.' && s[1] == '.';
      if (n == 0 || dot)
        ;
      else if (dotdot && len > keep)
        {
          while (len > keep && out[len - 1] != '/')
            len--;
          if (len > keep)
            len--;
        }
      else if (dotdot && absolute)
        ;
      else
        {
          if (len > 0 && out[len - 1] != '/')
            out[len++] = '/';
          memcpy (out + len, s, n);
          len += n;
          if (dotdot)
            keep = len;
        }
      s = e;
    }
  if (len == 0)
    out[len++] = '.';
  out[len] = '\0';
  return out;
}

void
strv_free (char **v)
{
  if (v == NULL)
    return;
  for (size_t i = 0; v[i] != NULL; i++)
    free (v[i]);
  free (v);
}

char **
strv_dup (char *const *v)
{
  size_t n = 0;
  while (v[n] != NULL)
    n++;
  char **copy = xcalloc (n + 1, sizeof *copy);
  for (size_t i = 0; i < n; i++)
    copy[i] = xstrdup (v[i]);
  return copy;
}

void
cleanup_strvp (char ***v)
{
  strv_free (*v);
  *v = NULL;
}
