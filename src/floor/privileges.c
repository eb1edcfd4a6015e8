/* policyrun floor: the privileges of the container's process (Process
   rules: config.json's "process" or exec's process.json): no new
   privileges, a non-root user outside the host's privileged groups (with
   the supplementary groups runc will really set), and the process settings
   that reach past the container (negative OOM score, realtime scheduling,
   rlimits, a working directory in the host's /proc, no AppArmor or SELinux
   confinement).  */
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
#include "util.h"

static const char *intern_fix (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* Findings keep their fix as a static string.  A fix that names a value of
   the policy ("--ulimit nice=20:20") is made once and kept here for the
   life of the process; when the table is full the finding goes without a
   fix rather than with a wrong one.  */
static const char *
intern_fix (const char *fmt, ...)
{
  static char *kept[64];
  va_list ap;
  va_start (ap, fmt);
  cleanup_free char *s = xvasprintf (fmt, ap);
  va_end (ap);
  size_t i = 0;
  for (; i < sizeof kept / sizeof kept[0] && kept[i] != NULL; i++)
    if (strcmp (kept[i], s) == 0)
      return kept[i];
  if (i == sizeof kept / sizeof kept[0])
    return NULL;
  kept[i] = s;
  s = NULL;
  return kept[i];
}

/* ---- no-new-privileges ---------------------------------------------------- */

/* Rule "no-new-privileges".
   process.noNewPrivileges: true.  Absent, null and false all leave setuid
   binaries and file capabilities able to raise the process's privileges.
   Docker: --security-opt no-new-privileges.  */
void
floor_check_no_new_privs (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --security-opt no-new-privileges";
  bool nnp = false;
  spec_status s = spec_get_bool (ctx->config, "noNewPrivileges", &nnp);
  switch (s)
    {
    case SPEC_OK:
      if (!nnp)
        floor_violation (ctx, "no-new-privileges", "noNewPrivileges", fix, "is false");
      break;
    case SPEC_ABSENT:
      floor_violation (ctx, "no-new-privileges", "noNewPrivileges", fix, "is absent (false)");
      break;
    case SPEC_NULL:
      floor_violation (ctx, "no-new-privileges", "noNewPrivileges", fix, "is null (false)");
      break;
    case SPEC_BAD_TYPE:
      floor_report_unusable (ctx, "no-new-privileges", "noNewPrivileges", fix, s, "a boolean");
      break;
    }
}

/* ---- privileged groups of the host ---------------------------------------- */

/* The gids of the policy's privileged groups on this host, and the uids of
   their members (listed, or by primary group).  Names the host does not
   know are skipped: a group that does not exist grants nothing.  */
struct host_groups
{
  gid_t *gids;
  const char **gid_names; /* the policy's strings */
  size_t ngids;
  uid_t *uids;
  const char **uid_groups; /* the group that makes the uid privileged */
  size_t nuids;
};

static void
host_groups_free (struct host_groups *h)
{
  free (h->gids);
  free (h->gid_names);
  free (h->uids);
  free (h->uid_groups);
}

static void
host_groups_add_uid (struct host_groups *h, uid_t uid, const char *group)
{
  h->uids = xrealloc (h->uids, (h->nuids + 1) * sizeof *h->uids);
  h->uid_groups = xrealloc (h->uid_groups, (h->nuids + 1) * sizeof *h->uid_groups);
  h->uids[h->nuids] = uid;
  h->uid_groups[h->nuids++] = group;
}

/* getgrnam_r/getpwnam_r with a buffer that grows until the entry fits.  */
static bool
host_group_lookup (const char *name, struct group *gr, char **buf)
{
  struct group *res = NULL;
  for (size_t size = 4096; size <= (1u << 24); size *= 2)
    {
      free (*buf);
      *buf = xmalloc (size);
      int e = getgrnam_r (name, gr, *buf, size, &res);
      if (e != ERANGE)
        return e == 0 && res != NULL;
    }
  return false;
}

static bool
host_user_lookup (const char *name, uid_t *uid)
{
  struct passwd pw, *res = NULL;
  for (size_t size = 4096; size <= (1u << 24); size *= 2)
    {
      cleanup_free char *buf = xmalloc (size);
      int e = getpwnam_r (name, &pw, buf, size, &res);
      if (e == ERANGE)
        continue;
      if (e == 0 && res != NULL)
        *uid = pw.pw_uid;
      return e == 0 && res != NULL;
    }
  return false;
}

static void
host_groups_load (const struct string_list *names, struct host_groups *h)
{
  memset (h, 0, sizeof *h);
  for (size_t i = 0; i < names->len; i++)
    {
      struct group gr;
      cleanup_free char *buf = NULL;
      if (!host_group_lookup (names->items[i], &gr, &buf))
        continue;
      h->gids = xrealloc (h->gids, (h->ngids + 1) * sizeof *h->gids);
      h->gid_names = xrealloc (h->gid_names, (h->ngids + 1) * sizeof *h->gid_names);
      h->gids[h->ngids] = gr.gr_gid;
      h->gid_names[h->ngids++] = names->items[i];
      for (char **m = gr.gr_mem; m != NULL && *m != NULL; m++)
        {
          uid_t uid;
          if (host_user_lookup (*m, &uid))
            host_groups_add_uid (h, uid, names->items[i]);
        }
    }
  if (h->ngids == 0)
    return;
  /* Members by primary group are not listed in the group: every user.  */
  setpwent ();
  struct passwd *pw;
  while ((pw = getpwent ()) != NULL)
    for (size_t k = 0; k < h->ngids; k++)
      if (pw->pw_gid == h->gids[k])
        {
          host_groups_add_uid (h, pw->pw_uid, h->gid_names[k]);
          break;
        }
  endpwent ();
}

static const char *
host_group_of_gid (const struct host_groups *h, int64_t gid)
{
  for (size_t k = 0; k < h->ngids; k++)
    if ((int64_t)h->gids[k] == gid)
      return h->gid_names[k];
  return NULL;
}

static const char *
host_group_of_uid (const struct host_groups *h, int64_t uid)
{
  for (size_t k = 0; k < h->nuids; k++)
    if ((int64_t)h->uids[k] == uid)
      return h->uid_groups[k];
  return NULL;
}

/* ---- the container's view of a path --------------------------------------- */

/* What provides a path inside the container once runc has mounted
   everything (runc mounts config.json's mounts in order, each destination
   followed through the symlinks of what is mounted before it).  */
enum provider
{
  PROVIDER_BIND,    /* a bind mount: its host source */
  PROVIDER_TMPFS,   /* empty when mounted */
  PROVIDER_KERNEL,  /* sysfs, cgroup, cgroup2, devpts, mqueue: no link out, content unknown */
  PROVIDER_UNKNOWN, /* proc (magic links) and anything else */
};

struct view_mount
{
  char *dest; /* where runc mounts it */
  enum provider kind;
  const char *source; /* PROVIDER_BIND */
};

struct view
{
  const char *root; /* root.path: the image */
  struct view_mount *mounts;
  size_t len;
};

/* More mounts than this and /etc/group is not followed through them (the
   walk is quadratic in the mounts): refused when additionalGids is set.  */
#define VIEW_MAX_MOUNTS 1024

enum lookup
{
  LOOKUP_FOUND,      /* host: the host path that holds it */
  LOOKUP_ABSENT,     /* nothing there, or a non-directory on the way */
  LOOKUP_UNRELIABLE, /* why: what policyrun cannot see */
};

struct lookup_result
{
  enum lookup status;
  char *landed;  /* the path inside the container, links followed */
  char *host;    /* LOOKUP_FOUND */
  bool in_tmpfs; /* LOOKUP_ABSENT inside a tmpfs */
  const char *why;
};

static void
lookup_result_free (struct lookup_result *r)
{
  free (r->landed);
  free (r->host);
  memset (r, 0, sizeof *r);
}

static bool
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
static void
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

static void
view_free (struct view *v)
{
  for (size_t i = 0; i < v->len; i++)
    free (v->mounts[i].dest);
  free (v->mounts);
  memset (v, 0, sizeof *v);
}

/* Place spec's mounts as runc will.  Returns NULL, or why it cannot
   (*why_buf holds a message that names the mount).  */
static const char *
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

/* ---- /etc/group as runc reads it (libcontainer/user) ------------------------ */

/* Go's unicode.IsSpace at the start of s: the length of the space, or 0.  */
static size_t
go_space_at (const unsigned char *s, size_t n)
{
  if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
    return 1;
  if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
    return 2;
  if (n >= 3
      && ((s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
          || (s[0] == 0xe2 && s[1] == 0x80
              && (s[2] <= 0x8a || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf) && s[2] >= 0x80)
          || (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
          || (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)))
    return 3;
  return 0;
}

/* bytes.TrimSpace.  */
static void
go_trim_space (const char **s, size_t *n)
{
  const unsigned char *p = (const unsigned char *)*s;
  size_t len = *n, k;
  while (len > 0 && (k = go_space_at (p, len)) > 0)
    {
      p += k;
      len -= k;
    }
  for (bool again = true; again && len > 0;)
    {
      again = false;
      for (size_t w = 1; w <= 3 && w <= len; w++)
        if (go_space_at (p + len - w, w) == w)
          {
            len -= w;
            again = true;
            break;
          }
    }
  *s = (const char *)p;
  *n = len;
}

/* strconv.Atoi on a 64-bit host with the error ignored, as parseLine does:
   a syntax error reads as 0, a value out of range as the nearest end.  */
static int64_t
go_atoi (const char *s, size_t n)
{
  size_t i = 0;
  bool neg = false;
  if (n > 0 && (s[0] == '+' || s[0] == '-'))
    {
      neg = s[0] == '-';
      i = 1;
    }
  if (i == n)
    return 0;
  uint64_t acc = 0;
  for (; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return 0;
      unsigned d = (unsigned)(s[i] - '0');
      if (acc > (UINT64_MAX - d) / 10)
        return neg ? INT64_MIN : INT64_MAX;
      acc = acc * 10 + d;
    }
  if (!neg)
    return acc > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)acc;
  if (acc > (uint64_t)INT64_MAX)
    return INT64_MIN;
  return -(int64_t)acc;
}

struct group_line
{
  const char *name;
  size_t name_len;
  int64_t gid;
  size_t line; /* 1-based */
};

/* One gid runc will set for an additionalGids entry.  */
struct resolved_gid
{
  size_t index; /* in additionalGids */
  int64_t gid;
  size_t line; /* the /etc/group line it came from; 0: the number as given */
};

static bool
name_is (const struct group_line *g, const char *text)
{
  return g->name_len == strlen (text) && memcmp (g->name, text, g->name_len) == 0;
}

/* The lines of data (ParseGroupFilter) that match one of the wanted gids
   by name or by number, in file order.  */
static struct group_line *
group_lines (const char *data, size_t len, const int64_t *want, char (*want_text)[24], size_t nwant,
             size_t *count)
{
  struct group_line *out = NULL;
  size_t n = 0, lineno = 0;
  for (const char *p = data, *stop = data + len; p < stop;)
    {
      const char *nl = memchr (p, '\n', (size_t)(stop - p));
      const char *line = p;
      size_t line_len = (size_t)((nl ? nl : stop) - p);
      p = nl ? nl + 1 : stop;
      lineno++;
      go_trim_space (&line, &line_len);
      if (line_len == 0 || line[0] == '#')
        continue;
      /* name:password:GID:user_list; fields that are missing stay 0.  */
      const char *fields[3] = { NULL, NULL, NULL };
      size_t flen[3] = { 0, 0, 0 };
      const char *f = line, *lend = line + line_len;
      for (size_t k = 0; k < 3 && f <= lend; k++)
        {
          const char *colon = memchr (f, ':', (size_t)(lend - f));
          fields[k] = f;
          flen[k] = (size_t)((colon ? colon : lend) - f);
          if (colon == NULL)
            break;
          f = colon + 1;
        }
      struct group_line g = { .name = fields[0],
                              .name_len = flen[0],
                              .gid = fields[2] ? go_atoi (fields[2], flen[2]) : 0,
                              .line = lineno };
      bool match = false;
      for (size_t w = 0; w < nwant && !match; w++)
        match = name_is (&g, want_text[w]) || g.gid == want[w];
      if (!match)
        continue;
      out = xrealloc (out, (n + 1) * sizeof *out);
      out[n++] = g;
    }
  *count = n;
  return out;
}

/* GetAdditionalGroups: for each wanted gid, the first line that matches it
   by name or number and whose gid is not taken yet; else the number
   itself.  */
static struct resolved_gid *
resolve_additional (const struct group_line *lines, size_t nlines, const int64_t *want,
                    char (*want_text)[24], const size_t *index, size_t nwant, size_t *count)
{
  struct resolved_gid *out = xcalloc (nwant + 1, sizeof *out);
  size_t n = 0;
  for (size_t w = 0; w < nwant; w++)
    {
      bool found = false;
      for (size_t l = 0; l < nlines && !found; l++)
        {
          if (!name_is (&lines[l], want_text[w]) && lines[l].gid != want[w])
            continue;
          bool taken = false;
          for (size_t k = 0; k < n && !taken; k++)
            taken = out[k].gid == lines[l].gid;
          if (taken)
            continue;
          out[n++] = (struct resolved_gid){ index[w], lines[l].gid, lines[l].line };
          found = true;
        }
      if (found)
        continue;
      bool taken = false;
      for (size_t k = 0; k < n && !taken; k++)
        taken = out[k].gid == want[w];
      if (!taken)
        out[n++] = (struct resolved_gid){ index[w], want[w], 0 };
    }
  *count = n;
  return out;
}

/* Largest /etc/group read; runc reads any size, so a larger file refuses.  */
#define GROUP_FILE_MAX (16u << 20)

/* ---- user --------------------------------------------------------------- */

/* Read the container's /etc/group as runc will: through the image's
   symlinks and the mounts over it.  Returns NULL with *data the file
   (NULL when there is none: runc then takes every gid as a number), or why
   it cannot be known.  */
static const char *
container_group_file (const struct floor_ctx *ctx, char **data, size_t *len, char **where,
                      char **why_buf)
{
  *data = NULL;
  if (ctx->spec == NULL)
    return "the container's config.json is unknown here, so its /etc/group cannot be read";
  /* exec: the container has been running; what it wrote into its own
     tmpfs is out of policyrun's sight (the image and binds are read live).  */
  bool running = ctx->spec == ctx->host->container_config;
  struct view v;
  const char *why = view_build (ctx->spec, &v, why_buf);
  struct lookup_result r = { 0 };
  if (why == NULL)
    view_resolve (&v, v.len, "/etc/group", true, &r);
  view_free (&v);
  if (why != NULL)
    return why;
  switch (r.status)
    {
    case LOOKUP_UNRELIABLE:
      *why_buf = xasprintf ("the container's /etc/group (%s) cannot be read: %s", r.landed, r.why);
      lookup_result_free (&r);
      return *why_buf;
    case LOOKUP_ABSENT:
      why = running && r.in_tmpfs
                ? "the container's /etc/group would be in a tmpfs the running container may "
                  "have written"
                : NULL;
      lookup_result_free (&r);
      return why;
    case LOOKUP_FOUND:
      break;
    }
  cleanup_close int fd = open (r.host, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  struct stat st;
  cleanup_free char *err = NULL;
  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    *why_buf = xasprintf ("the container's /etc/group (%s on the host) is not a readable "
                          "regular file",
                          r.host);
  else if (read_all_fd (fd, GROUP_FILE_MAX, data, len, &err) < 0)
    *why_buf
        = xasprintf ("the container's /etc/group (%s on the host) cannot be read: %s", r.host, err);
  else
    {
      *where = r.host;
      r.host = NULL;
    }
  lookup_result_free (&r);
  return *data != NULL ? NULL : *why_buf;
}

static const char *
user_fix_for (struct floor_ctx *ctx, int64_t gid)
{
  int64_t primary = -1;
  spec_get_int (ctx->config, "user.gid", 0, SPEC_UINT32_MAX, &primary);
  /* Docker repeats the primary gid in additionalGids.  */
  if (gid == primary)
    return "run with --user 65534:65534";
  return intern_fix ("remove --group-add %" PRId64, gid);
}

/* Hold each gid runc will set for additionalGids to the floor.  */
static void
check_resolved_gid (struct floor_ctx *ctx, const struct host_groups *hg,
                    const struct resolved_gid *r, int64_t asked, const char *where)
{
  cleanup_free char *field = xasprintf ("user.additionalGids[%zu]", r->index);
  cleanup_free char *via
      = r->line == 0 ? xstrdup ("")
                     : xasprintf (", which the container's /etc/group (%s, line %zu) makes group "
                                  "%" PRId64,
                                  where, r->line, r->gid);
  /* A name resolved to another gid: only another image or bind fixes it.  */
  const char *fix = r->line != 0 && r->gid != asked ? NULL : user_fix_for (ctx, asked);
  const char *group = NULL;
  if (r->gid < 0 || r->gid > SPEC_UINT32_MAX)
    floor_violation (ctx, "user", field, fix,
                     "is %" PRId64 "%s, outside 0..4294967295 (runc would truncate it)", asked,
                     via);
  else if (r->gid == 0)
    floor_violation (ctx, "user", field, fix, "is %" PRId64 "%s (the root group)", asked, via);
  else if ((group = host_group_of_gid (hg, r->gid)) != NULL)
    floor_violation (ctx, "user", field, fix,
                     "is %" PRId64 "%s, the host's privileged group \"%s\"", asked, via, group);
}

static void
check_additional_gids (struct floor_ctx *ctx, const struct host_groups *hg)
{
  json_value *gids = NULL;
  spec_status s = spec_get (ctx->config, "user.additionalGids", JSON_ARRAY, &gids);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "user", "user.additionalGids", "run with --user 65534:65534", s,
                           "an array");
  if (s != SPEC_OK || gids->u.array.len == 0)
    return;
  size_t n = gids->u.array.len, nwant = 0;
  cleanup_free int64_t *want = xcalloc (n, sizeof *want);
  cleanup_free size_t *index = xcalloc (n, sizeof *index);
  cleanup_free char (*text)[24] = xcalloc (n, sizeof *text);
  for (size_t i = 0; i < n; i++)
    {
      const json_value *g = gids->u.array.items[i];
      if (g->type != JSON_NUMBER || !g->u.number.is_int || g->u.number.i < 0
          || g->u.number.i > SPEC_UINT32_MAX)
        {
          cleanup_free char *field = xasprintf ("user.additionalGids[%zu]", i);
          floor_violation (ctx, "user", field, "run with --user 65534:65534", "is not a group id");
          continue;
        }
      want[nwant] = g->u.number.i;
      index[nwant] = i;
      snprintf (text[nwant], sizeof text[nwant], "%" PRId64, want[nwant]);
      nwant++;
    }

  /* runc looks every entry up in the container's /etc/group, by name
     first (libcontainer/user GetAdditionalGroups).  */
  cleanup_free char *data = NULL, *where = NULL, *why_buf = NULL;
  size_t len = 0;
  const char *why = nwant ? container_group_file (ctx, &data, &len, &where, &why_buf) : NULL;
  if (why != NULL)
    floor_violation (ctx, "user", "user.additionalGids", NULL,
                     "cannot be checked as runc will resolve it: %s", why);
  size_t nlines = 0, nres = 0;
  cleanup_free struct group_line *lines
      = data ? group_lines (data, len, want, text, nwant, &nlines) : NULL;
  cleanup_free struct resolved_gid *res
      = resolve_additional (lines, nlines, want, text, index, nwant, &nres);
  for (size_t k = 0; k < nres; k++)
    {
      int64_t asked = 0;
      for (size_t w = 0; w < nwant; w++)
        if (index[w] == res[k].index)
          asked = want[w];
      check_resolved_gid (ctx, hg, &res[k], asked, where);
    }
}

static void
check_id (struct floor_ctx *ctx, const struct host_groups *hg, const char *path, bool is_uid)
{
  static const char fix[] = "run with --user 65534:65534";
  const char *what = is_uid ? "root" : "the root group";
  int64_t id = -1;
  spec_status s = spec_get_int (ctx->config, path, 0, SPEC_UINT32_MAX, &id);
  const char *group = NULL;
  switch (s)
    {
    case SPEC_OK:
      /* runc 1.1 passes "uid:gid" to GetExecUser, which never takes a
         number for a name: the ids are used as they are.  */
      if (id == 0)
        floor_violation (ctx, "user", path, fix, "is 0 (%s)", what);
      else if (is_uid && (group = host_group_of_uid (hg, id)) != NULL)
        floor_violation (ctx, "user", path, fix,
                         "is %" PRId64 ", a member of the host's privileged group \"%s\"", id,
                         group);
      else if (!is_uid && (group = host_group_of_gid (hg, id)) != NULL)
        floor_violation (ctx, "user", path, fix,
                         "is %" PRId64 ", the host's privileged group \"%s\"", id, group);
      break;
    case SPEC_ABSENT:
      floor_violation (ctx, "user", path, fix, "is absent (0: %s)", what);
      break;
    case SPEC_NULL:
      /* Go leaves a uint32 untouched by null: 0.  */
      floor_violation (ctx, "user", path, fix, "is null (0: %s)", what);
      break;
    case SPEC_BAD_TYPE:
      floor_report_unusable (ctx, "user", path, fix, s, "an integer from 0 to 4294967295");
      break;
    }
}

/* Rule "user" (when the policy's require_non_root is set).
   process.user.uid, process.user.gid: present, not 0 (absent and null are
   0 to runc), not a privileged group of the host (policy
   privileged_groups, looked up on the host) nor a member of one.
   process.user.additionalGids: each gid runc will really set, after looking
   it up by name and number in the container's own /etc/group (through the
   image's symlinks and the mounts over it), not 0 and not a privileged
   host group; when that file cannot be known (a lone process file, a
   kernel filesystem or an unreadable file on the way), refused.  A process
   at uid 0 may always setuid(0), whatever its capabilities.
   user.username (Windows) and user.umask: fine.
   Docker: --user 65534:65534, no --group-add 0 (or of a host group).  */
void
floor_check_user (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --user 65534:65534";
  if (!ctx->policy->require_non_root)
    return;
  json_value *user = NULL;
  spec_status s = spec_get (ctx->config, "user", JSON_OBJECT, &user);
  if (s == SPEC_ABSENT || s == SPEC_NULL)
    {
      floor_violation (ctx, "user", "user", fix, "is %s (the process would run as root)",
                       spec_status_text (s));
      return;
    }
  if (s != SPEC_OK)
    {
      floor_report_unusable (ctx, "user", "user", fix, s, "an object");
      return;
    }
  struct host_groups hg;
  host_groups_load (&ctx->policy->privileged_groups, &hg);
  check_id (ctx, &hg, "user.uid", true);
  check_id (ctx, &hg, "user.gid", false);
  check_additional_gids (ctx, &hg);
  host_groups_free (&hg);
}

/* ---- the rest of the process -------------------------------------------- */

/* The tree of the host that a working directory (clean, absolute) lies in,
   or NULL.  CVE-2024-21626: a working directory in /proc (/proc/self/fd/N)
   can be a directory of the host that runc left open; /sys and /dev reach
   the host's kernel and devices.  /dev/shm and /dev/mqueue are the
   container's own (its IPC namespace's tmpfs and mqueue): Docker users run
   there with --workdir /dev/shm.  */
static const char *
cwd_host_tree (const char *clean)
{
  static const char *const own[] = { "/dev/shm", "/dev/mqueue" };
  static const char *const host_trees[] = { "/proc", "/sys", "/dev" };
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
    if (path_at_or_under (clean, own[i]))
      return NULL;
  for (size_t i = 0; i < sizeof host_trees / sizeof host_trees[0]; i++)
    if (path_at_or_under (clean, host_trees[i]))
      return host_trees[i];
  return NULL;
}

/* Rule "process", field process.cwd: absolute, and after lexical
   normalisation not /proc, /sys or /dev (but /dev/shm and /dev/mqueue) or
   below them.  Docker: --workdir inside the image.  */
static void
check_cwd (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --workdir inside the image";
  const char *cwd = NULL;
  spec_status s = spec_get_string (ctx->config, "cwd", &cwd);
  if (s == SPEC_ABSENT || s == SPEC_NULL || (s == SPEC_OK && cwd[0] == '\0'))
    {
      floor_violation (ctx, "process", "cwd", fix, "is %s (runc needs an absolute directory)",
                       s == SPEC_OK ? "empty" : spec_status_text (s));
      return;
    }
  if (s != SPEC_OK)
    {
      floor_report_unusable (ctx, "process", "cwd", fix, s, "a string");
      return;
    }
  json_value *v = NULL;
  spec_get (ctx->config, "cwd", JSON_STRING, &v);
  cleanup_free char *shown = spec_describe (v);
  if (cwd[0] != '/')
    {
      floor_violation (ctx, "process", "cwd", fix, "is %s, not an absolute path", shown);
      return;
    }
  cleanup_free char *clean = path_clean (cwd);
  const char *tree = cwd_host_tree (clean);
  if (tree != NULL)
    floor_violation (ctx, "process", "cwd", fix, "is %s, inside %s", shown, tree);
}

static void
check_scheduler (struct floor_ctx *ctx)
{
  static const char *const allowed[] = { "SCHED_OTHER", "SCHED_BATCH", "SCHED_IDLE" };
  static const char *const realtime[] = { "SCHED_FIFO", "SCHED_RR", "SCHED_DEADLINE" };
  json_value *sched = NULL;
  spec_status s = spec_get (ctx->config, "scheduler", JSON_OBJECT, &sched);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "scheduler", NULL, s, "an object");
  if (s != SPEC_OK)
    return;

  const char *policy = NULL;
  s = spec_get_string (ctx->config, "scheduler.policy", &policy);
  if (s != SPEC_OK)
    floor_violation (ctx, "process", "scheduler.policy", NULL, "is %s", spec_status_text (s));
  else
    {
      bool ok = false, rt = false;
      for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        ok = ok || strcmp (policy, allowed[i]) == 0;
      for (size_t i = 0; i < sizeof realtime / sizeof realtime[0]; i++)
        rt = rt || strcmp (policy, realtime[i]) == 0;
      json_value *v = NULL;
      spec_get (ctx->config, "scheduler.policy", JSON_STRING, &v);
      cleanup_free char *shown = spec_describe (v);
      if (rt)
        floor_violation (ctx, "process", "scheduler.policy", NULL,
                         "is %s (realtime: it can starve the host)", shown);
      else if (!ok)
        floor_violation (ctx, "process", "scheduler.policy", NULL,
                         "is %s, not a known scheduling policy", shown);
    }

  int64_t nice = 0;
  s = spec_get_int (ctx->config, "scheduler.nice", SPEC_INT32_MIN, SPEC_INT32_MAX, &nice);
  if (s == SPEC_OK && nice < 0)
    floor_violation (ctx, "process", "scheduler.nice", NULL,
                     "is %" PRId64 " (above the host's normal priority)", nice);
  else if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "scheduler.nice", NULL, s, "an integer");
}

static void
check_io_priority (struct floor_ctx *ctx)
{
  json_value *prio = NULL;
  spec_status s = spec_get (ctx->config, "ioPriority", JSON_OBJECT, &prio);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "ioPriority", NULL, s, "an object");
  if (s != SPEC_OK)
    return;
  const char *cls = NULL;
  s = spec_get_string (ctx->config, "ioPriority.class", &cls);
  if (s != SPEC_OK)
    {
      floor_violation (ctx, "process", "ioPriority.class", NULL, "is %s", spec_status_text (s));
      return;
    }
  json_value *v = NULL;
  spec_get (ctx->config, "ioPriority.class", JSON_STRING, &v);
  cleanup_free char *shown = spec_describe (v);
  if (strcmp (cls, "IOPRIO_CLASS_RT") == 0)
    floor_violation (ctx, "process", "ioPriority.class", NULL,
                     "is %s (realtime I/O: it can starve the host's disks)", shown);
  else if (strcmp (cls, "IOPRIO_CLASS_BE") != 0 && strcmp (cls, "IOPRIO_CLASS_IDLE") != 0)
    floor_violation (ctx, "process", "ioPriority.class", NULL,
                     "is %s, not a known I/O priority class", shown);
}

/* An rlimit's bound as runc decodes it (Go uint64): absent and null are 0.
   false when it is not a uint64.  */
static bool
rlimit_bound (const json_value *v, uint64_t *out)
{
  *out = 0;
  if (v == NULL || v->type == JSON_NULL)
    return true;
  if (v->type != JSON_NUMBER)
    return false;
  const char *t = v->u.number.text;
  if (*t == '\0')
    return false;
  uint64_t acc = 0;
  for (; *t; t++)
    {
      if (*t < '0' || *t > '9')
        return false;
      unsigned d = (unsigned)(*t - '0');
      if (acc > (UINT64_MAX - d) / 10)
        return false;
      acc = acc * 10 + d;
    }
  *out = acc;
  return true;
}

/* One process.rlimits entry: a type runc knows, hard and soft within the
   policy's ceiling.  Returns the type's index, or -1.  */
static int
check_rlimit_entry (struct floor_ctx *ctx, const json_value *entry, size_t i)
{
  cleanup_free char *field = xasprintf ("rlimits[%zu]", i);
  if (entry->type != JSON_OBJECT)
    {
      floor_violation (ctx, "process", field, NULL, "is %s, not an object",
                       json_type_name (entry->type));
      return -1;
    }
  cleanup_free char *tfield = xasprintf ("rlimits[%zu].type", i);
  const json_value *type = json_object_get (entry, "type");
  if (type != NULL && type->type != JSON_NULL && type->type != JSON_STRING)
    {
      floor_violation (ctx, "process", tfield, NULL, "is not a string");
      return -1;
    }
  const char *name = type != NULL && type->type == JSON_STRING ? type->u.string.s : "";
  int idx = policy_rlimit_index (name);
  if (idx < 0)
    {
      /* runc refuses it too ("wrong rlimit value"), after policyrun.  */
      cleanup_free char *shown = type ? spec_describe (type) : xstrdup ("absent");
      floor_violation (ctx, "process", tfield, NULL, "is %s, not an rlimit runc knows", shown);
      return -1;
    }
  uint64_t ceiling = policy_rlimit_ceiling (ctx->policy, idx);
  const char *ulimit = policy_rlimit_info[idx].ulimit;
  static const char *const bounds[] = { "hard", "soft" };
  for (size_t k = 0; k < 2; k++)
    {
      cleanup_free char *bfield = xasprintf ("rlimits[%zu].%s", i, bounds[k]);
      const json_value *v = json_object_get (entry, bounds[k]);
      uint64_t value;
      if (!rlimit_bound (v, &value))
        {
          cleanup_free char *shown = spec_describe (v);
          floor_violation (ctx, "process", bfield, NULL, "is %s, not an integer from 0 to %" PRIu64,
                           shown, UINT64_MAX);
        }
      else if (value > ceiling)
        floor_violation (
            ctx, "process", bfield,
            intern_fix ("run with --ulimit %s=%" PRIu64 ":%" PRIu64, ulimit, ceiling, ceiling),
            "is %s for %s, above the floor of %" PRIu64,
            value == UINT64_MAX ? "unlimited" : v->u.number.text, name, ceiling);
    }
  return idx;
}

/* Rule "process", field process.rlimits.
   runc sets every entry while still privileged, in order: each entry's
   type must be one runc knows (runc 1.1 rlimit_linux.go) and its hard and
   soft within the policy's ceiling ("rlimits", and "nofile" for
   RLIMIT_NOFILE): RLIMIT_RTPRIO above 0 gives an unprivileged process
   SCHED_FIFO, RLIMIT_NICE above 20 negative nice.  RLIMIT_NOFILE is filled
   in with the policy's nofile when absent: without it the process inherits
   the runtime's, which under Docker is typically 1048576.
   Docker: --ulimit NAME=SOFT:HARD within the ceiling.  */
static void
check_rlimits (struct floor_ctx *ctx)
{
  json_value *rlimits = NULL;
  spec_status s = spec_get (ctx->config, "rlimits", JSON_ARRAY, &rlimits);
  if (s == SPEC_BAD_TYPE)
    {
      floor_report_unusable (ctx, "process", "rlimits", NULL, s, "an array");
      return;
    }
  bool nofile_present = false;
  int nofile_idx = policy_rlimit_index ("RLIMIT_NOFILE");
  if (s == SPEC_OK)
    for (size_t i = 0; i < rlimits->u.array.len; i++)
      if (check_rlimit_entry (ctx, rlimits->u.array.items[i], i) == nofile_idx)
        nofile_present = true;
  int64_t nofile = ctx->policy->nofile;
  if (nofile_present || nofile <= 0)
    return;
  if (s != SPEC_OK)
    /* absent or null (no rlimits at all, to Go) */
    rlimits = json_object_set (ctx->config, "rlimits", json_new_array ());
  json_value *limit = json_new_object ();
  json_object_set (limit, "type", json_new_string ("RLIMIT_NOFILE"));
  json_object_set (limit, "hard", json_new_int (nofile));
  json_object_set (limit, "soft", json_new_int (nofile));
  json_array_append (rlimits, limit);
  floor_tightened (ctx, "process", "rlimits", "had no RLIMIT_NOFILE; set soft and hard to %" PRId64,
                   nofile);
}

/* Rule "process", fields apparmorProfile and selinuxLabel.
   "unconfined" is refused everywhere.  Where the host confines with
   AppArmor, an absent or empty profile means no confinement: it is set to
   Docker's "docker-default" when that profile is loaded, and refused when
   not.  Where SELinux is enforcing, a process without a label keeps the
   runtime's: refused (a label cannot be invented).
   Docker: no --security-opt apparmor=unconfined; dockerd --selinux-enabled.  */
static void
check_lsm (struct floor_ctx *ctx)
{
  static const char unconfined_fix[] = "remove --security-opt apparmor=unconfined";
  const char *profile = NULL;
  spec_status s = spec_get_string (ctx->config, "apparmorProfile", &profile);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "apparmorProfile", unconfined_fix, s, "a string");
  else if (s == SPEC_OK && strcmp (profile, "unconfined") == 0)
    floor_violation (ctx, "process", "apparmorProfile", unconfined_fix, "is \"unconfined\"");
  else if (ctx->host->apparmor_enabled && (s != SPEC_OK || profile[0] == '\0'))
    {
      const char *was = s == SPEC_OK ? "empty" : spec_status_text (s);
      if (ctx->host->apparmor_docker_default)
        {
          json_object_set (ctx->config, "apparmorProfile", json_new_string ("docker-default"));
          floor_tightened (ctx, "process", "apparmorProfile",
                           "was %s (no AppArmor confinement); set to \"docker-default\"", was);
        }
      else
        floor_violation (ctx, "process", "apparmorProfile",
                         "run with --security-opt apparmor=docker-default",
                         "is %s: no AppArmor confinement on a host that confines with AppArmor, "
                         "and docker-default is not loaded to supply",
                         was);
    }

  const char *label = NULL;
  s = spec_get_string (ctx->config, "selinuxLabel", &label);
  if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "selinuxLabel", NULL, s, "a string");
  else if (ctx->host->selinux_enforcing && (s != SPEC_OK || label[0] == '\0'))
    floor_violation (ctx, "process", "selinuxLabel",
                     "enable SELinux in the engine (dockerd --selinux-enabled)",
                     "is %s: the process would keep the runtime's SELinux label on a host that "
                     "enforces SELinux",
                     s == SPEC_OK ? "empty" : spec_status_text (s));
}

/* Rule "process", field oomScoreAdj: < 0 refused (the host's OOM killer
   would pick host processes first).  Docker: no --oom-score-adj below 0.  */
static void
check_oom_score (struct floor_ctx *ctx)
{
  int64_t adj = 0;
  spec_status s = spec_get_int (ctx->config, "oomScoreAdj", INT64_MIN, INT64_MAX, &adj);
  if (s == SPEC_OK && adj < 0)
    floor_violation (ctx, "process", "oomScoreAdj", "remove --oom-score-adj",
                     "is %" PRId64 " (the host's processes would be killed first)", adj);
  else if (s == SPEC_BAD_TYPE)
    floor_report_unusable (ctx, "process", "oomScoreAdj", "remove --oom-score-adj", s,
                           "an integer");
}

static void
check_args (struct floor_ctx *ctx)
{
  json_value *args = NULL;
  spec_status s = spec_get (ctx->config, "args", JSON_ARRAY, &args);
  if (s == SPEC_ABSENT || s == SPEC_NULL)
    {
      floor_violation (ctx, "process", "args", NULL, "is %s (nothing to run)",
                       spec_status_text (s));
      return;
    }
  if (s != SPEC_OK)
    {
      floor_report_unusable (ctx, "process", "args", NULL, s, "an array");
      return;
    }
  if (args->u.array.len == 0)
    floor_violation (ctx, "process", "args", NULL, "is empty (nothing to run)");
  for (size_t i = 0; i < args->u.array.len; i++)
    if (args->u.array.items[i]->type != JSON_STRING)
      {
        cleanup_free char *field = xasprintf ("args[%zu]", i);
        floor_violation (ctx, "process", field, NULL, "is %s, not a string",
                         json_type_name (args->u.array.items[i]->type));
      }
}

/* Rule "process": every rule on the Process that is not capabilities,
   no-new-privileges or user, one function each: oomScoreAdj, scheduler
   (SCHED_FIFO, SCHED_RR, SCHED_DEADLINE, unknown policies and nice < 0
   refused), ioPriority (IOPRIO_CLASS_RT and unknown classes refused), cwd,
   apparmorProfile and selinuxLabel, args (a non-empty array of strings),
   rlimits.  terminal, env, umask: fine.  */
void
floor_check_process_misc (struct floor_ctx *ctx)
{
  check_oom_score (ctx);
  check_scheduler (ctx);
  check_io_priority (ctx);
  check_cwd (ctx);
  check_lsm (ctx);
  check_args (ctx);
  check_rlimits (ctx);
}

/* Follow process.cwd through the symlinks of the root filesystem, as the
   kernel will inside the container, and return where it lands (lexically
   beyond the first component that does not exist).  NULL after too many
   links.  */
static char *
resolve_in_root (const char *root, const char *cwd)
{
  cleanup_free char *pending = xstrdup (cwd);
  cleanup_free char *done = xstrdup ("");
  for (int hops = 0; hops <= 40;)
    {
      char *p = pending;
      while (*p == '/')
        p++;
      if (*p == '\0')
        return path_clean (*done ? done : "/");
      char *end = strchrnul (p, '/');
      cleanup_free char *seg = xstrndup (p, (size_t)(end - p));
      cleanup_free char *rest = xstrdup (end);
      cleanup_free char *next = NULL;
      if (strcmp (seg, ".") == 0)
        next = xstrdup (done);
      else if (strcmp (seg, "..") == 0)
        {
          next = xstrdup (done);
          char *slash = strrchr (next, '/');
          if (slash)
            *slash = '\0';
        }
      else
        next = xasprintf ("%s/%s", done, seg);
      cleanup_free char *host = xasprintf ("%s%s", root, next);
      struct stat st;
      if (strcmp (seg, ".") != 0 && strcmp (seg, "..") != 0 && lstat (host, &st) == 0
          && S_ISLNK (st.st_mode))
        {
          char target[PATH_MAX];
          ssize_t n = readlink (host, target, sizeof target - 1);
          if (n < 0)
            return NULL;
          target[n] = '\0';
          hops++;
          /* Start over from the top with the link's target in its place.  */
          free (pending);
          pending = target[0] == '/' ? xasprintf ("%s%s", target, rest)
                                     : xasprintf ("%s/%s%s", done, target, rest);
          free (done);
          done = xstrdup ("");
          continue;
        }
      if (lstat (host, &st) < 0)
        {
          cleanup_free char *whole = xasprintf ("%s%s", next, rest);
          return path_clean (whole);
        }
      free (done);
      done = next;
      next = NULL;
      free (pending);
      pending = rest;
      rest = NULL;
    }
  return NULL;
}

/* Rule "process", field process.cwd (config level: needs root.path).
   The lexical check above misses a working directory that reaches /proc
   through a symlink in the image ("/work" -> "/proc/self/fd/7",
   CVE-2024-21626 again), so the path is followed through the root
   filesystem's symlinks and checked where it lands.  */
void
floor_check_cwd_in_root (struct floor_ctx *ctx)
{
  static const char fix[] = "run with --workdir inside the image";
  const char *root = NULL, *cwd = NULL;
  if (spec_get_string (ctx->config, "root.path", &root) != SPEC_OK || root[0] != '/'
      || spec_get_string (ctx->config, "process.cwd", &cwd) != SPEC_OK || cwd[0] != '/')
    return; /* reported by the root and process rules */
  cleanup_free char *landed = resolve_in_root (root, cwd);
  if (landed == NULL)
    {
      floor_violation (ctx, "process", "process.cwd", fix,
                       "cannot be followed through the image's symlinks (a loop?)");
      return;
    }
  const char *tree = cwd_host_tree (landed);
  if (tree != NULL)
    floor_violation (ctx, "process", "process.cwd", fix,
                     "is \"%s\", which the image's symlinks turn into %s, inside %s", cwd, landed,
                     tree);
}
