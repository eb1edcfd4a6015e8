/* policyrun: the cgroup hierarchies of a mountinfo file.  One reader for the
   cgroupsPath floor rule and the gVisor sandbox attestation, so that both
   see the same hierarchies and refuse the same malformed files.  */
#include "config.h"
#include "cgroupfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* The largest mountinfo read: far above any real host's, small enough that
   a runaway file cannot exhaust policyrun.  */
#define MOUNTINFO_MAX (16 << 20)

void
cg_mounts_free (struct cg_mounts *m)
{
  for (size_t i = 0; i < m->len; i++)
    {
      free (m->items[i].mountpoint);
      free (m->items[i].root);
      free (m->items[i].superopts);
    }
  free (m->items);
  m->items = NULL;
  m->len = 0;
}

/* The n bytes at s with the kernel's octal escapes (\040, \011, \012,
   \134) undone, as a new string.  */
static char *
unescape (const char *s, size_t n)
{
  char *out = xmalloc (n + 1);
  size_t len = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0'
        && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7')
      {
        out[len++] = (char)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
        i += 3;
      }
    else
      out[len++] = s[i];
  out[len] = '\0';
  return out;
}

/* The i-th field (0-based) of the NUL-terminated line, its length in *n,
   or NULL when the line has fewer.  Fields are separated by one space
   each, as the kernel writes them: two spaces are an empty field (an
   empty mount source), not one separator.  */
static const char *
field_at (const char *line, size_t i, size_t *n)
{
  const char *s = line;
  for (size_t k = 0; k < i; k++)
    {
      s = strchr (s, ' ');
      if (s == NULL)
        return NULL;
      s++;
    }
  *n = strcspn (s, " ");
  return s;
}

/* One line: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE
   SOURCE SUPEROPTS.  Appends it to out when it is a cgroup mount.  */
static int
parse_line (const char *line, const char *path, struct cg_mounts *out, size_t *alloc, char **err)
{
  const char *dash = strstr (line, " - ");
  if (dash == NULL)
    return fail (err, "%s has a line without its separator", path);
  size_t rn = 0, mn = 0, tn = 0, sn = 0;
  const char *root = field_at (line, 3, &rn);
  const char *mnt = field_at (line, 4, &mn);
  const char *type = field_at (dash + 3, 0, &tn);
  const char *super = field_at (dash + 3, 2, &sn);
  if (root == NULL || mnt == NULL || mnt >= dash || rn == 0 || mn == 0 || tn == 0 || super == NULL)
    return fail (err, "%s has a line that cannot be read", path);
  bool v1 = tn == 6 && memcmp (type, "cgroup", 6) == 0;
  bool v2 = tn == 7 && memcmp (type, "cgroup2", 7) == 0;
  if (!v1 && !v2)
    return 0;
  if (out->len == *alloc)
    {
      *alloc = *alloc ? *alloc * 2 : 16;
      out->items = xrealloc (out->items, *alloc * sizeof *out->items);
    }
  out->items[out->len++] = (struct cg_mount){
    .mountpoint = unescape (mnt, mn),
    .root = unescape (root, rn),
    .superopts = xstrndup (super, sn),
    .v2 = v2,
  };
  return 0;
}

int
cg_mounts_load (const char *path, struct cg_mounts *out, char **err)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail (err, "cannot read %s: %s", path, strerror (errno));
  cleanup_free char *text = NULL;
  size_t len = 0;
  if (read_all_fd (fd, MOUNTINFO_MAX, &text, &len, err) < 0)
    return -1;
  if (memchr (text, '\0', len) != NULL)
    return fail (err, "%s has a line that cannot be read", path);
  size_t alloc = 0;
  for (char *line = text; *line != '\0';)
    {
      char *nl = strchr (line, '\n');
      if (nl != NULL)
        *nl = '\0';
      if (parse_line (line, path, out, &alloc, err) < 0)
        {
          cg_mounts_free (out);
          return -1;
        }
      line = nl ? nl + 1 : line + strlen (line);
    }
  return 0;
}

bool
cg_list_has (const char *list, size_t list_len, const char *word, size_t word_len)
{
  const char *end = list + list_len;
  for (const char *s = list;;)
    {
      const char *comma = memchr (s, ',', (size_t)(end - s));
      const char *stop = comma ? comma : end;
      if ((size_t)(stop - s) == word_len && memcmp (s, word, word_len) == 0)
        return true;
      if (comma == NULL)
        return false;
      s = comma + 1;
    }
}
