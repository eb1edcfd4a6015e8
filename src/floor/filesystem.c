/* policyrun floor: the filesystem.  A read-only root, read-only binds of
   nothing that exposes the host, no propagation back to the host, exactly
   the kernel filesystems Docker mounts, and tmpfs mounts that hold no
   programs and have a size.

   Mount options are read the way runc reads them (libcontainer/specconv's
   flag table): options are matched exactly, applied in order, so a later
   "rw" clears an earlier "ro", and anything not in the table is data for the
   filesystem (a bind ignores it).  Paths are compared after lexical
   cleaning ("//", ".", ".."), and bind sources and root.path also after
   resolving symbolic links on this host, so that neither "/srv/../etc" nor
   a link to /etc reads as harmless.  */
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
#include "view.h"

static const char *const readonly_root_fix = "run with --read-only";
static const char *const readonly_bind_fix = "mount it read-only (-v SRC:DST:ro)";
static const char *const remove_bind_fix = "remove the -v/--mount of this source";
static const char *const tmpfs_fix = "use --tmpfs DST:noexec,size=64m";
static const char *const propagation_fix = "remove the shared/rshared propagation from -v/--mount";
/* What Podman's tmpfs mounts (and, in harden mode, any tmpfs) get when
   they have no size: Docker's --tmpfs advice, and Podman's own /dev/shm is
   64000k.  */
static const char *const tmpfs_floor_size = "size=64m";

/* ---- paths -------------------------------------------------------------- */

/* p is dir or below it; both clean and absolute.  */
bool
path_within (const char *p, const char *dir)
{
  if (strcmp (dir, "/") == 0)
    return true;
  size_t n = strlen (dir);
  return strncmp (p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/* Kernel interfaces, never a root filesystem: a root.path within them is
   a window onto the host (/proc/1/root is the host's /).  */
static const char *const kernel_dirs[] = { "/proc", "/sys", "/dev" };

static const char *
within_kernel_dir (const char *p)
{
  for (size_t i = 0; i < sizeof kernel_dirs / sizeof kernel_dirs[0]; i++)
    if (path_within (p, kernel_dirs[i]))
      return kernel_dirs[i];
  return NULL;
}

static void
denylist_load (struct denylist *d, const struct policy *policy)
{
  d->len = policy->mount_denylist.len;
  d->items = xcalloc (d->len + 1, sizeof *d->items);
  for (size_t i = 0; i < d->len; i++)
    d->items[i] = path_clean (policy->mount_denylist.items[i]);
}

static void
denylist_free (struct denylist *d)
{
  for (size_t i = 0; i < d->len; i++)
    free (d->items[i]);
  free (d->items);
  d->items = NULL;
  d->len = 0;
}

/* The deny-listed path that binding src (clean, absolute) would expose, or
   NULL: src itself, anything above it (binding /var exposes
   /var/lib/docker), or, when below_counts, anything below it ("/" on the
   list stands for itself only, not for every path).  */
static const char *
denylist_hit (const struct denylist *deny, const char *src, bool below_counts)
{
  for (size_t i = 0; i < deny->len; i++)
    {
      const char *d = deny->items[i];
      if (path_within (d, src) || (below_counts && strcmp (d, "/") != 0 && path_within (src, d)))
        return d;
    }
  return NULL;
}

/* The path the kernel reaches from p, every symbolic and /proc magic link
   followed as mount(2) follows them, when it exists on this host; NULL
   otherwise.  *sb (when not NULL) gets what it is, st_mode 0 when it does
   not exist.  The kernel's own lookup (an O_PATH descriptor, named back
   through /proc/self/fd) costs three calls however deep the path is.  */
static char *
resolve (const char *p, struct stat *sb)
{
  if (sb != NULL)
    sb->st_mode = 0;
  if (p[0] != '/')
    return NULL;
  cleanup_close int fd = open (p, O_PATH | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  if (sb != NULL && fstat (fd, sb) < 0)
    sb->st_mode = 0;
  char link[64], target[PATH_MAX];
  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink (link, target, sizeof target);
  if (n > 0 && (size_t)n < sizeof target && target[0] == '/')
    {
      target[n] = '\0';
      return xstrdup (target);
    }
  /* No /proc here: the C library's walk.  */
  return realpath (p, NULL);
}

/* ---- rro: read-only all the way down ------------------------------------- */

/* "ro" on an rbind makes the bind itself read-only, but not the mounts
   below its source.  runc 1.1+ and crun apply "rro" with mount_setattr
   (Linux 5.12+); runsc and older runtimes do not know it.  */
static bool
rro_supported (const struct floor_ctx *ctx)
{
  /* gVisor's gofer serves a read-only bind as one mount of the sentry's:
     nothing below it is writable, and runsc refuses "rro".  */
  if (ctx->host->gvisor)
    return false;
  const struct policy *policy = ctx->policy;
  const char *d = policy->delegate ? last_component (policy->delegate) : "runc";
  if (strncmp (d, "runc", 4) != 0 && strncmp (d, "crun", 4) != 0)
    return false;
#ifdef SYS_mount_setattr
  /* An invalid call: ENOSYS only when the kernel lacks mount_setattr.  */
  errno = 0;
  long r = syscall (SYS_mount_setattr, -1, "", 0, NULL, (size_t)0);
  return !(r < 0 && errno == ENOSYS);
#else
  return false;
#endif
}

/* ---- root ------------------------------------------------------------------ */

static void
check_root_path (struct floor_ctx *ctx, const char *field, const char *path)
{
  cleanup_free char *clean = path_clean (path);
  if (path[0] != '/')
    {
      /* Relative to the bundle, which the caller chose; climbing out of
         it reaches wherever the caller's cwd allowed.  */
      if (strncmp (clean, "..", 2) == 0 && (clean[2] == '\0' || clean[2] == '/'))
        floor_violation (ctx, RULE_ROOT, field, NULL, "is \"%s\", which climbs out of the bundle",
                         path);
      return;
    }
  cleanup_free char *resolved = resolve (clean, NULL);
  const char *views[2] = { clean, resolved };
  struct denylist deny;
  denylist_load (&deny, ctx->policy);
  for (size_t v = 0; v < 2; v++)
    {
      const char *p = views[v];
      if (p == NULL || (v == 1 && strcmp (p, clean) == 0))
        continue;
      const char *how = v == 0 ? "is" : "resolves to";
      const char *kdir = within_kernel_dir (p);
      const char *entry = NULL;
      if (kdir != NULL)
        floor_violation (ctx, RULE_ROOT, field, NULL,
                         "%s \"%s\", inside %s, which is no root filesystem", how, p, kdir);
      else if ((entry = denylist_hit (&deny, p, false)) != NULL)
        floor_violation (ctx, RULE_ROOT, field, NULL,
                         "%s \"%s\", which would show the container %s", how, p, entry);
    }
  denylist_free (&deny);
}

/* Rule ROOT ("filesystem").
   Fields: root, root.path, root.readonly.
   Refused: root absent or not an object; root.path absent, not a string,
   empty, a relative path that climbs out of the bundle, inside /proc, /sys or
   /dev, or a directory that holds a deny-listed path (/, /var, ...), also
   after resolving links on this host; root.readonly absent (Docker leaves it
   out without --read-only), false, null or not a boolean.
   Filled in: nothing.
   Docker flag: --read-only.  */
void
floor_check_root (struct floor_ctx *ctx)
{
  json_value *root = NULL;
  spec_status st = spec_get (ctx->config, "root", JSON_OBJECT, &root);
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_ROOT, "root", readonly_root_fix, "is %s", spec_status_text (st));
      return;
    }

  const char *path = NULL;
  st = spec_get_string (root, "path", &path);
  if (st != SPEC_OK)
    floor_violation (ctx, RULE_ROOT, "root.path", NULL, "is %s", spec_status_text (st));
  else if (path[0] == '\0')
    floor_violation (ctx, RULE_ROOT, "root.path", NULL, "is empty");
  else
    check_root_path (ctx, "root.path", path);

  bool readonly = false;
  st = spec_get_bool (root, "readonly", &readonly);
  if (st == SPEC_ABSENT)
    floor_violation (ctx, RULE_ROOT, "root.readonly", readonly_root_fix,
                     "is absent; the root filesystem would be writable");
  else if (st != SPEC_OK)
    floor_violation (ctx, RULE_ROOT, "root.readonly", readonly_root_fix, "is %s",
                     spec_status_text (st));
  else if (!readonly)
    floor_violation (ctx, RULE_ROOT, "root.readonly", readonly_root_fix,
                     "is false; the root filesystem would be writable");
}

/* ---- mounts ---------------------------------------------------------------- */

/* Mount types the floor knows.  Anything else (overlay, ext4, nfs, fuse...)
   mounts a host device or a remote or user-controlled filesystem.  */
struct fs_kind
{
  const char *type;
  const char *destination; /* where it may go; NULL: anywhere allowed */
  bool readonly;           /* must be "ro" */
};

static const struct fs_kind fs_kinds[] = {
  { "proc", "/proc", false },
  { "sysfs", "/sys", true },
  { "cgroup", "/sys/fs/cgroup", true },
  { "cgroup2", "/sys/fs/cgroup", true },
  { "devpts", "/dev/pts", false },
  { "mqueue", "/dev/mqueue", false },
  { "tmpfs", NULL, false },
};
#define N_FS_KINDS (sizeof fs_kinds / sizeof fs_kinds[0])

struct mounts_state
{
  size_t count[N_FS_KINDS]; /* cgroup and cgroup2 share the cgroup slot */
  bool dev_tmpfs;
  bool rro_checked, rro_ok;
  struct denylist deny;
};

static const struct fs_kind *
fs_kind_find (const char *type, size_t *slot)
{
  for (size_t i = 0; i < N_FS_KINDS; i++)
    if (strcmp (fs_kinds[i].type, type) == 0)
      {
        *slot = strcmp (type, "cgroup2") == 0 ? 2 : i;
        return &fs_kinds[i];
      }
  return NULL;
}

/* Mount-level ID mappings (idmapped mounts, runtime-spec 1.1): a range
   starting at host id 0 shows root's files as the container's own.  */
static void
check_mount_mappings (struct floor_ctx *ctx, const json_value *m, size_t i, const char *name)
{
  json_value *maps = json_object_get (m, name);
  if (maps == NULL)
    return;
  char field[80];
  snprintf (field, sizeof field, "mounts[%zu].%s", i, name);
  if (maps->type != JSON_ARRAY)
    {
      floor_violation (ctx, RULE_MOUNTS, field, NULL, "is %s, not an array",
                       maps->type == JSON_NULL ? "null" : json_type_name (maps->type));
      return;
    }
  for (size_t k = 0; k < maps->u.array.len; k++)
    {
      int64_t host = 0;
      if (spec_get_int (maps->u.array.items[k], "hostID", 0, SPEC_UINT32_MAX, &host) != SPEC_OK)
        floor_violation (ctx, RULE_MOUNTS, field, NULL, "has an entry without a uint32 hostID");
      else if (host == 0)
        floor_violation (ctx, RULE_MOUNTS, field, NULL, "maps host id 0 (root) into the container");
    }
}

/* The bind of clean (its source, cleaned; resolved: its links followed on
   this host, or NULL) onto destination is the engine's /dev/shm: a
   writable bind of the engine's noexec tmpfs, which the rule accepts.
   When the source is recognised by the deny-listed directory it comes
   from, both views of it must agree.  */
static bool
bind_is_engine_shm (const struct denylist *deny, const char *destination, const char *clean,
                    const char *resolved)
{
  const struct engine_bind *eb
      = clean[0] == '/' ? engine_bind_by_layout (deny, destination, clean) : NULL;
  if (eb != NULL && resolved != NULL && strcmp (resolved, clean) != 0
      && engine_bind_by_layout (deny, destination, resolved) == NULL)
    eb = NULL;
  return (eb != NULL && eb->shm) || shm_is_engine_tmpfs (destination, resolved);
}

/* The options o of a bind of the engine's /dev/shm tmpfs would make it
   executable.  The engine's tmpfs is noexec; runc remounts a bind with
   exactly the flags of the options whenever they set any beyond
   bind/rbind, which would drop noexec unless the options carry it too.  */
static bool
shm_bind_executable (const struct mount_opts *o)
{
  bool remounts = (o->flags & ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT)) != 0;
  return (o->rec_clr & REC_NOEXEC) || (remounts && !opts_noexec (o));
}

/* The checks of a bind's source, in one view of it (as written, cleaned, or
   resolved on this host).  An engine's own bind is no deny-list hit.  */
static void
check_bind_source_view (struct floor_ctx *ctx, const struct denylist *deny, const char *field,
                        const char *destination, const char *view, const char *how)
{
  const struct engine_bind *eb = engine_bind_by_layout (deny, destination, view);
  const char *entry = NULL;
  if (eb == NULL && (entry = denylist_hit (deny, view, true)) != NULL)
    {
      if (strcmp (view, entry) == 0)
        floor_violation (ctx, RULE_MOUNTS, field, remove_bind_fix,
                         "%s \"%s\", which is on the mount deny-list", how, view);
      else if (path_within (entry, view))
        floor_violation (ctx, RULE_MOUNTS, field, remove_bind_fix,
                         "%s \"%s\", which holds %s (on the mount deny-list)", how, view, entry);
      else
        floor_violation (ctx, RULE_MOUNTS, field, remove_bind_fix,
                         "%s \"%s\", inside %s (on the mount deny-list)", how, view, entry);
    }
}

static void
check_bind (struct floor_ctx *ctx, json_value *m, size_t i, const char *destination,
            const struct mount_opts *o, struct mounts_state *state)
{
  char sfield[80];
  snprintf (sfield, sizeof sfield, "mounts[%zu].source", i);
  char ofield[80];
  snprintf (ofield, sizeof ofield, "mounts[%zu].options", i);
  const char *source = NULL;
  spec_status st = spec_get_string (m, "source", &source);
  if (st != SPEC_OK || source[0] == '\0')
    {
      floor_violation (ctx, RULE_MOUNTS, sfield, NULL, "is %s; a bind needs a source",
                       st == SPEC_OK ? "empty" : spec_status_text (st));
      return;
    }

  size_t refused_before = verdict_violations (ctx->verdict);
  cleanup_free char *clean = path_clean (source);
  cleanup_free char *resolved = NULL;
  struct stat sb = { 0 };
  if (source[0] != '/')
    {
      /* Relative to the bundle; the private bundle gets it made absolute.  */
      if (strncmp (clean, "..", 2) == 0 && (clean[2] == '\0' || clean[2] == '/'))
        floor_violation (ctx, RULE_MOUNTS, sfield, remove_bind_fix,
                         "is \"%s\", which climbs out of the bundle", source);
    }
  else
    {
      check_bind_source_view (ctx, &state->deny, sfield, destination, clean, "is");
      resolved = resolve (clean, &sb);
      if (resolved != NULL && strcmp (resolved, clean) != 0)
        check_bind_source_view (ctx, &state->deny, sfield, destination, resolved, "resolves to");
      if (S_ISSOCK (sb.st_mode))
        floor_violation (ctx, RULE_MOUNTS, sfield, remove_bind_fix,
                         "is \"%s\", a socket: a read-only bind does not stop connect()", source);
      else if (S_ISFIFO (sb.st_mode))
        floor_violation (ctx, RULE_MOUNTS, sfield, remove_bind_fix,
                         "is \"%s\", a named pipe: a read-only bind does not stop writing to "
                         "it, and a host process may read it",
                         source);
    }

  bool shm = bind_is_engine_shm (&state->deny, destination, clean, resolved);
  /* The engine's /dev/shm tmpfs holds only what containers put there; a
     source already refused (deny-listed) needs no scan.  */
  if (!shm && S_ISDIR (sb.st_mode) && resolved != NULL
      && verdict_violations (ctx->verdict) == refused_before)
    check_bind_sockets (ctx, sfield, source, resolved);
  if (shm)
    {
      if (shm_bind_executable (o))
        floor_violation (ctx, RULE_MOUNTS, ofield, NULL,
                         "would make the engine's /dev/shm executable; add \"noexec\"");
    }
  else if (!opts_readonly (o))
    {
      /* Docker makes its /etc/hosts, /etc/hostname and /etc/resolv.conf
         binds read-only with --read-only only.  */
      const struct engine_bind *look = engine_bind_by_tail (destination, clean);
      if (look != NULL && !look->shm)
        floor_violation (ctx, RULE_MOUNTS, ofield, readonly_root_fix,
                         "make a writable bind of the engine's %s", destination);
      else
        floor_violation (ctx, RULE_MOUNTS, ofield, readonly_bind_fix,
                         "make a writable bind of \"%s\"", source);
    }
  else if ((o->flags & MS_REC) && !(o->rec_set & REC_RDONLY))
    {
      if (!state->rro_checked)
        {
          state->rro_ok = rro_supported (ctx);
          state->rro_checked = true;
        }
      /* A file has nothing mounted below it.  */
      bool file = sb.st_mode != 0 && !S_ISDIR (sb.st_mode);
      json_value *options = json_object_get (m, "options");
      if (state->rro_ok && !file && options != NULL && options->type == JSON_ARRAY)
        {
          json_array_append (options, json_new_string ("rro"));
          floor_tightened (ctx, RULE_MOUNTS, ofield,
                           "had \"ro\" on an rbind; added \"rro\" so that mounts below the "
                           "source are read-only too");
        }
    }
}

/* The options array of m names opt itself.  */
static bool
options_name (const json_value *m, const char *opt)
{
  const json_value *options = json_object_get (m, "options");
  if (options == NULL || options->type != JSON_ARRAY)
    return false;
  for (size_t k = 0; k < options->u.array.len; k++)
    {
      const json_value *v = options->u.array.items[k];
      if (v->type == JSON_STRING && strcmp (v->u.string.s, opt) == 0)
        return true;
    }
  return false;
}

/* Podman's tmpfs mounts carry neither noexec nor a size unless the user
   writes them: the three that --read-only adds (/run, /tmp, /var/tmp:
   "rw,rprivate,nosuid,nodev,tmpcopyup") and a plain --tmpfs DST.  What
   was not asked for is filled in, as an absent limit is: "noexec" (unless
   "exec" or "rexec" asks for programs) and "size=64m" (unless a size is
   given).  An explicit exec or unbounded size is left to the checks that
   follow.  Returns true when the mount now holds the floor.  */
static bool
podman_tmpfs_fill (struct floor_ctx *ctx, json_value *m, struct mount_opts *o, const char *ofield,
                   const char *destination)
{
  json_value *options = json_object_get (m, "options");
  if (options == NULL || options->type != JSON_ARRAY)
    return false;
  bool exec_asked = options_name (m, "exec") || options_name (m, "rexec");
  const char *added[2];
  size_t n = 0;
  if (!opts_noexec (o) && !exec_asked)
    added[n++] = "noexec";
  if (o->size == NULL)
    added[n++] = tmpfs_floor_size;
  for (size_t k = 0; k < n; k++)
    {
      json_array_append (options, json_new_string (added[k]));
      parse_option (o, added[k]);
    }
  if (n > 0)
    floor_tightened (ctx, RULE_MOUNTS, ofield,
                     "made Podman's tmpfs at \"%s\" without %s; added %s%s%s", destination,
                     n == 2                    ? "\"noexec\" or a size"
                     : n && added[0][0] == 'n' ? "\"noexec\""
                                               : "a size",
                     added[0], n == 2 ? ", " : "", n == 2 ? added[1] : "");
  return opts_noexec (o) && tmpfs_size_bounded (o->size);
}

/* Whether mounts[i], a tmpfs at /dev whose options make it root-only,
   stays root-only once runc has mounted it.  runc 1.1 chmods a tmpfs, once
   mounted, to the mode its mount point had (rootfs_linux.go, case
   "tmpfs"), so mode= holds only where the image's /dev, reached as runc
   reaches it, is absent (runc makes it 0755 and leaves it) or a directory
   only root may write to; and where no mount before this one lands on
   /dev, whose mode policyrun cannot see.  What cannot be followed fails
   closed: the tmpfs is then judged as any other.  */
static bool
dev_tmpfs_stays_root_only (const struct floor_ctx *ctx, size_t i)
{
  struct view v = { 0 };
  cleanup_free char *why = NULL;
  bool ok = false;
  /* Only the mounts up to this one matter: a later one the view cannot
     place (view_build stops there, v.len counting those placed) changes
     nothing here.  */
  view_build (ctx->config, &v, &why);
  if (i >= v.len || strcmp (v.mounts[i].dest, "/dev") != 0)
    goto out;
  for (size_t j = 0; j < i; j++)
    if (strcmp (v.mounts[j].dest, "/dev") == 0)
      goto out;
  struct lookup_result r;
  view_resolve (&v, i, "/dev", false, &r);
  struct stat st;
  if (r.status == LOOKUP_ABSENT)
    ok = !r.in_tmpfs;
  else if (r.status == LOOKUP_FOUND && r.host != NULL && strcmp (r.landed, "/dev") == 0)
    ok = stat (r.host, &st) == 0 && S_ISDIR (st.st_mode) && (st.st_mode & 022) == 0;
  lookup_result_free (&r);
out:
  view_free (&v);
  return ok;
}

static void
check_mount (struct floor_ctx *ctx, json_value *m, size_t i, struct mounts_state *state)
{
  char field[80];
  snprintf (field, sizeof field, "mounts[%zu]", i);
  if (m->type != JSON_OBJECT)
    {
      cleanup_free char *value = spec_describe (m);
      floor_violation (ctx, RULE_MOUNTS, field, NULL, "is %s, not a mount", value);
      return;
    }

  /* Options first: they decide whether this is a bind.  */
  struct mount_opts o = { 0 };
  char ofield[80];
  snprintf (ofield, sizeof ofield, "mounts[%zu].options", i);
  json_value *options = NULL;
  spec_status st = spec_get (m, "options", JSON_ARRAY, &options);
  if (st == SPEC_NULL || st == SPEC_BAD_TYPE)
    floor_violation (ctx, RULE_MOUNTS, ofield, NULL, "is %s", spec_status_text (st));
  else if (st == SPEC_OK)
    for (size_t k = 0; k < options->u.array.len; k++)
      {
        const json_value *opt = options->u.array.items[k];
        if (opt->type != JSON_STRING)
          {
            cleanup_free char *value = spec_describe (opt);
            floor_violation (ctx, RULE_MOUNTS, ofield, NULL, "has %s, not a string", value);
            continue;
          }
        parse_option (&o, opt->u.string.s);
      }
  if (o.shared != NULL)
    floor_violation (ctx, RULE_MOUNTS, ofield, propagation_fix,
                     "has \"%s\": mounts would propagate between the container and the host",
                     o.shared);
  if (o.remount)
    floor_violation (ctx, RULE_MOUNTS, ofield, NULL,
                     "has \"remount\", which changes a mount that is already there");
  check_mount_mappings (ctx, m, i, "uidMappings");
  check_mount_mappings (ctx, m, i, "gidMappings");

  char dfield[80];
  snprintf (dfield, sizeof dfield, "mounts[%zu].destination", i);
  const char *destination = NULL;
  st = spec_get_string (m, "destination", &destination);
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_MOUNTS, dfield, NULL, "is %s", spec_status_text (st));
      return;
    }
  if (destination[0] != '/')
    {
      floor_violation (ctx, RULE_MOUNTS, dfield, NULL, "is \"%s\", not an absolute path",
                       destination);
      return;
    }
  cleanup_free char *dest = path_clean (destination);
  if (strcmp (dest, "/") == 0)
    {
      floor_violation (ctx, RULE_MOUNTS, dfield, NULL,
                       "is \"%s\": a mount over the root filesystem replaces it", destination);
      return;
    }

  char tfield[80];
  snprintf (tfield, sizeof tfield, "mounts[%zu].type", i);
  const char *type = "";
  st = spec_get_string (m, "type", &type);
  if (st == SPEC_NULL || st == SPEC_BAD_TYPE)
    {
      floor_violation (ctx, RULE_MOUNTS, tfield, NULL, "is %s", spec_status_text (st));
      return;
    }
  bool bind = (o.flags & MS_BIND) || strcmp (type, "bind") == 0;

  /* Only the kernel filesystems Docker puts there may go into /proc and
     /sys: anything else over them would stand in for the kernel's files.  */
  const char *kdir = path_within (dest, "/proc")  ? "/proc"
                     : path_within (dest, "/sys") ? "/sys"
                                                  : NULL;
  size_t slot = 0;
  const struct fs_kind *kind = bind ? NULL : fs_kind_find (type, &slot);
  if (kdir != NULL && (kind == NULL || kind->destination == NULL))
    {
      floor_violation (ctx, RULE_MOUNTS, dfield, bind ? remove_bind_fix : NULL,
                       "is \"%s\", inside %s, where only the kernel's own filesystem may be "
                       "mounted",
                       destination, kdir);
      return;
    }

  if (bind)
    {
      check_bind (ctx, m, i, dest, &o, state);
      return;
    }

  if (kind == NULL)
    {
      if (type[0] == '\0')
        floor_violation (ctx, RULE_MOUNTS, tfield, NULL, "is absent, and the options make no bind");
      else
        floor_violation (ctx, RULE_MOUNTS, tfield, NULL,
                         "is \"%s\"; only bind, tmpfs, proc, sysfs, cgroup, cgroup2, devpts and "
                         "mqueue mounts are allowed",
                         type);
      return;
    }

  if (kind->destination != NULL)
    {
      if (strcmp (dest, kind->destination) != 0)
        floor_violation (ctx, RULE_MOUNTS, dfield, NULL, "is \"%s\"; a %s mount may only go to %s",
                         destination, type, kind->destination);
      else if (state->count[slot]++ > 0)
        floor_violation (ctx, RULE_MOUNTS, field, NULL, "is a second %s mount at %s", type,
                         kind->destination);
      if (kind->readonly && !opts_readonly (&o))
        floor_violation (ctx, RULE_MOUNTS, ofield, "remove --privileged",
                         "make %s writable; it must be \"ro\"", kind->destination);
      return;
    }

  /* tmpfs.  Docker's own /dev (mode=755, size=65536k) holds the device
     nodes and cannot be noexec; it is safe as long as only root may write
     to it: an explicit mode without group or other write (tmpfs defaults
     to 1777), owned by root, and kept by runc.  */
  if (strcmp (dest, "/dev") == 0 && !state->dev_tmpfs && tmpfs_root_only (&o)
      && dev_tmpfs_stays_root_only (ctx, i))
    {
      state->dev_tmpfs = true;
      return;
    }
  if (floor_caller_podman (ctx) && podman_tmpfs_fill (ctx, m, &o, ofield, destination))
    return;
  if (!opts_noexec (&o))
    floor_violation (ctx, RULE_MOUNTS, ofield, tmpfs_fix,
                     "make a tmpfs at \"%s\" without \"noexec\": programs could be written and "
                     "run there",
                     destination);
  if (o.size == NULL)
    floor_violation (ctx, RULE_MOUNTS, ofield, tmpfs_fix,
                     "make a tmpfs at \"%s\" without \"size=\"", destination);
  else if (!tmpfs_size_bounded (o.size))
    floor_violation (ctx, RULE_MOUNTS, ofield, tmpfs_fix,
                     "make a tmpfs at \"%s\" with \"%s\", which does not bound it", destination,
                     o.size);
}

/* Rule MOUNTS ("mounts").
   Fields: mounts[i] (destination, type, source, options, uidMappings,
   gidMappings).
   Refused: mounts null or not an array; an entry that is not an object; a
   destination that is absent, relative, "/", or inside /proc or /sys
   (except the one proc at /proc, sysfs at /sys, cgroup at /sys/fs/cgroup);
   a bind (type "bind" or a bind/rbind option) that is not "ro" after every
   option is applied (a later "rw" or "rrw" undoes it), of a deny-listed
   path, of a directory holding one, of a path inside one, of a socket, or of
   a relative path that climbs out of the bundle; "shared"/"rshared"
   propagation; "remount"; idmapped mounts of host id 0; types other than
   bind, tmpfs, proc, sysfs, cgroup, cgroup2, devpts, mqueue; a second proc,
   sysfs, cgroup, devpts or mqueue, or one elsewhere than its place; sysfs
   or cgroup without "ro"; a tmpfs without "noexec" or without a bounding
   "size=".
   Allowed as the engine makes them: the read-only file binds of
   /etc/hosts, /etc/hostname, /etc/resolv.conf from an engine's state
   directory, the writable /dev/shm bind of the engine's noexec tmpfs, and
   Docker's /dev tmpfs.
   Tightened: "rro" added to read-only rbinds when the delegate applies it,
   so mounts below the source are read-only too.
   Docker flags: -v SRC:DST:ro, --tmpfs DST:noexec,size=N, no --privileged.  */
void
floor_check_mounts (struct floor_ctx *ctx)
{
  json_value *mounts = NULL;
  spec_status st = spec_get (ctx->config, "mounts", JSON_ARRAY, &mounts);
  if (st == SPEC_ABSENT)
    return;
  if (st != SPEC_OK)
    {
      floor_violation (ctx, RULE_MOUNTS, "mounts", NULL, "is %s", spec_status_text (st));
      return;
    }
  struct mounts_state state = { 0 };
  denylist_load (&state.deny, ctx->policy);
  for (size_t i = 0; i < mounts->u.array.len; i++)
    check_mount (ctx, mounts->u.array.items[i], i, &state);
  denylist_free (&state.deny);
}

/* ---- harden ---------------------------------------------------------------- */

/* Rule ROOT, hardened: root.readonly absent or false becomes true (what
   --read-only sends).  Left to refuse: root or root.readonly null or
   mistyped, and every root.path the rule refuses (no other root exists).  */
void
floor_harden_root (struct floor_ctx *ctx)
{
  json_value *root = NULL;
  if (spec_get (ctx->config, "root", JSON_OBJECT, &root) != SPEC_OK)
    return;
  bool readonly = false;
  spec_status st = spec_get_bool (root, "readonly", &readonly);
  if ((st != SPEC_ABSENT && st != SPEC_OK) || readonly)
    return;
  json_object_set (root, "readonly", json_new_bool (true));
  floor_tightened (ctx, RULE_ROOT, "root.readonly", "was %s, now true (a read-only root)",
                   st == SPEC_ABSENT ? "absent" : "false");
}

/* The options of m read as runc reads them into *o, with *options the
   array (NULL when absent).  False when options is null, mistyped or holds
   a value that is not a string: the rule refuses those as they are.  */
static bool
options_read (const json_value *m, json_value **options, struct mount_opts *o)
{
  *o = (struct mount_opts){ 0 };
  *options = NULL;
  spec_status st = spec_get (m, "options", JSON_ARRAY, options);
  if (st == SPEC_ABSENT)
    return true;
  if (st != SPEC_OK)
    return false;
  for (size_t k = 0; k < (*options)->u.array.len; k++)
    {
      const json_value *opt = (*options)->u.array.items[k];
      if (opt->type != JSON_STRING)
        return false;
      parse_option (o, opt->u.string.s);
    }
  return true;
}

/* m's options array, created empty when absent.  */
static json_value *
options_of (json_value *m)
{
  json_value *options = json_object_get (m, "options");
  return options != NULL ? options : json_object_set (m, "options", json_new_array ());
}

/* Drop every option named name from options; the number dropped.  */
static size_t
options_drop (json_value *options, const char *name)
{
  size_t n = 0;
  for (size_t k = options->u.array.len; k-- > 0;)
    if (strcmp (options->u.array.items[k]->u.string.s, name) == 0)
      {
        json_array_remove (options, k);
        n++;
      }
  return n;
}

/* Append opt to m's options and apply it to o: runc applies options in
   order, so an appended one has the last word.  */
static void
options_append (json_value *m, struct mount_opts *o, const char *opt)
{
  json_array_append (options_of (m), json_new_string (opt));
  parse_option (o, opt);
}

/* Re-read o after options were dropped.  */
static void
options_reread (const json_value *m, struct mount_opts *o)
{
  json_value *options = NULL;
  options_read (m, &options, o);
}

/* "shared" and "rshared" made "private" and "rprivate" (the rule refuses
   propagation between the container and the host); "remount" dropped (the
   mount is then made afresh and judged as such).  */
static void
harden_propagation (struct floor_ctx *ctx, json_value *m, json_value *options, struct mount_opts *o,
                    const char *ofield)
{
  if (options == NULL)
    return;
  if (o->shared != NULL)
    for (size_t k = 0; k < options->u.array.len; k++)
      {
        json_value **v = &options->u.array.items[k];
        bool rec = strcmp ((*v)->u.string.s, "rshared") == 0;
        if (!rec && strcmp ((*v)->u.string.s, "shared") != 0)
          continue;
        floor_tightened (ctx, RULE_MOUNTS, ofield, "had \"%s\", now \"%s\"", (*v)->u.string.s,
                         rec ? "rprivate" : "private");
        json_free (*v);
        *v = json_new_string (rec ? "rprivate" : "private");
      }
  if (o->remount && options_drop (options, "remount") > 0)
    floor_tightened (ctx, RULE_MOUNTS, ofield,
                     "had \"remount\" (changes a mount already there); dropped it");
  options_reread (m, o);
}

/* A bind made what the rule accepts: read-only ("rrw" dropped, "ro"
   appended; the rule then adds "rro" where the delegate applies it), or,
   for the engine's /dev/shm tmpfs, which stays writable, noexec.  A source
   the rule refuses (deny-listed, a socket, host sockets below it) is left
   to refuse: no option makes those safe.  */
static void
harden_bind (struct floor_ctx *ctx, json_value *m, struct mount_opts *o, const char *ofield,
             const char *destination, const struct denylist *deny)
{
  const char *source = NULL;
  if (spec_get_string (m, "source", &source) != SPEC_OK || source[0] == '\0')
    return;
  cleanup_free char *clean = path_clean (source);
  cleanup_free char *resolved = source[0] == '/' ? resolve (clean, NULL) : NULL;
  if (bind_is_engine_shm (deny, destination, clean, resolved))
    {
      if (!shm_bind_executable (o))
        return;
      if (o->rec_clr & REC_NOEXEC)
        options_drop (options_of (m), "rexec");
      options_reread (m, o);
      /* A CRI pod's gets what the kubelet binds rule gives it in enforce
         mode (noexec, nosuid, nodev): the same bytes either way, and they
         hold once harden has dropped a CRI annotation a caller had no
         right to.  */
      if (floor_caller_cri (ctx) && !opts_noexec (o))
        pod_shm_tighten (options_of (m), o);
      else if (shm_bind_executable (o))
        options_append (m, o, "noexec");
      floor_tightened (ctx, RULE_MOUNTS, ofield,
                       "would make the engine's /dev/shm executable; now noexec");
      return;
    }
  if (opts_readonly (o))
    return;
  if (o->rec_clr & REC_RDONLY)
    options_drop (options_of (m), "rrw");
  options_reread (m, o);
  if (!opts_readonly (o))
    options_append (m, o, "ro");
  floor_tightened (ctx, RULE_MOUNTS, ofield, "made a writable bind of \"%s\"; now \"ro\"", source);
}

/* A tmpfs made noexec ("rexec" dropped, "noexec" appended) and bounded
   ("size=64m" appended when there is no size or one that bounds
   nothing), as --tmpfs DST:noexec,size=64m.  */
static void
harden_tmpfs (struct floor_ctx *ctx, json_value *m, struct mount_opts *o, const char *ofield,
              const char *destination)
{
  struct strbuf added = { 0 };
  if (!opts_noexec (o))
    {
      if (o->rec_clr & REC_NOEXEC)
        options_drop (options_of (m), "rexec");
      options_reread (m, o);
      if (!opts_noexec (o))
        options_append (m, o, "noexec");
      strbuf_add (&added, "\"noexec\"");
    }
  if (o->size == NULL || !tmpfs_size_bounded (o->size))
    {
      strbuf_addf (&added, "%s\"%s\" (was %s%s%s)", added.len ? ", " : "", tmpfs_floor_size,
                   o->size ? "\"" : "", o->size ? o->size : "unbounded", o->size ? "\"" : "");
      options_append (m, o, tmpfs_floor_size);
    }
  if (added.len > 0)
    floor_tightened (ctx, RULE_MOUNTS, ofield, "made a tmpfs at \"%s\"; now %s", destination,
                     added.s);
  strbuf_free (&added);
}

/* One mount hardened, read as check_mount reads it; whatever check_mount
   refuses and no option can make safe (a destination that is relative,
   "/" or in /proc or /sys, an unknown type, a second or misplaced kernel
   filesystem, malformed fields, idmapped mounts of host id 0) is left as it
   is.  */
/* Docker's --ipc host binds the host's /dev/shm (deny-listed: every host
   process's shared memory).  Harden has already given the container an
   ipc namespace of its own (namespaces.c), so a private tmpfs there, as
   Docker mounts by default, serves it: the rewrite that makes --ipc host
   safe.  */
static bool
harden_host_shm (struct floor_ctx *ctx, json_value *m, size_t i, const char *dest)
{
  const char *source = NULL;
  if (strcmp (dest, "/dev/shm") != 0 || spec_get_string (m, "source", &source) != SPEC_OK)
    return false;
  cleanup_free char *src = realpath (source, NULL);
  cleanup_free char *shm = realpath ("/dev/shm", NULL);
  if (src == NULL || shm == NULL || strcmp (src, shm) != 0)
    return false;
  json_object_set (m, "type", json_new_string ("tmpfs"));
  json_object_set (m, "source", json_new_string ("shm"));
  json_value *options = json_object_set (m, "options", json_new_array ());
  static const char *const private_shm[]
      = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" };
  for (size_t k = 0; k < sizeof private_shm / sizeof private_shm[0]; k++)
    json_array_append (options, json_new_string (private_shm[k]));
  char field[64];
  snprintf (field, sizeof field, "mounts[%zu]", i);
  floor_tightened (ctx, RULE_MOUNTS, field,
                   "bound the host's /dev/shm (--ipc host); now a private tmpfs "
                   "(nosuid,noexec,nodev,mode=1777,size=65536k) in the container's own ipc "
                   "namespace");
  return true;
}

static void
harden_mount (struct floor_ctx *ctx, json_value *m, size_t i, struct mounts_state *state)
{
  struct mount_opts o;
  json_value *options = NULL;
  if (m->type != JSON_OBJECT || !options_read (m, &options, &o))
    return;
  char ofield[80];
  snprintf (ofield, sizeof ofield, "mounts[%zu].options", i);
  harden_propagation (ctx, m, options, &o, ofield);

  const char *destination = NULL;
  if (spec_get_string (m, "destination", &destination) != SPEC_OK || destination[0] != '/')
    return;
  cleanup_free char *dest = path_clean (destination);
  const char *type = "";
  spec_status st = spec_get_string (m, "type", &type);
  if (strcmp (dest, "/") == 0 || (st != SPEC_OK && st != SPEC_ABSENT))
    return;
  bool bind = (o.flags & MS_BIND) || strcmp (type, "bind") == 0;
  size_t slot = 0;
  const struct fs_kind *kind = bind ? NULL : fs_kind_find (type, &slot);
  bool in_kernel_dir = path_within (dest, "/proc") || path_within (dest, "/sys");
  if (in_kernel_dir && (kind == NULL || kind->destination == NULL))
    return;
  if (bind)
    {
      if (!harden_host_shm (ctx, m, i, dest))
        harden_bind (ctx, m, &o, ofield, dest, &state->deny);
      return;
    }
  if (kind == NULL)
    return;
  if (kind->destination != NULL)
    {
      if (strcmp (dest, kind->destination) != 0 || state->count[slot]++ > 0 || !kind->readonly
          || opts_readonly (&o))
        return;
      if (o.rec_clr & REC_RDONLY)
        options_drop (options_of (m), "rrw");
      options_reread (m, &o);
      if (!opts_readonly (&o))
        options_append (m, &o, "ro");
      floor_tightened (ctx, RULE_MOUNTS, ofield, "made %s writable; now \"ro\"", kind->destination);
      return;
    }
  /* tmpfs; Docker's root-only /dev is accepted as it is.  */
  if (strcmp (dest, "/dev") == 0 && !state->dev_tmpfs && tmpfs_root_only (&o)
      && dev_tmpfs_stays_root_only (ctx, i))
    {
      state->dev_tmpfs = true;
      return;
    }
  harden_tmpfs (ctx, m, &o, ofield, destination);
}

/* Rule MOUNTS, hardened: every bind read-only (the engine's /dev/shm
   noexec), sysfs and cgroup "ro", every tmpfs noexec with a size,
   shared propagation private, "remount" dropped.  Left to refuse: binds of
   deny-listed paths, sockets and trees with host sockets (nothing mounted
   read-only stops connect()), mounts of kinds the rule does not know or
   where they may not go, malformed entries.  */
void
floor_harden_mounts (struct floor_ctx *ctx)
{
  json_value *mounts = NULL;
  if (spec_get (ctx->config, "mounts", JSON_ARRAY, &mounts) != SPEC_OK)
    return;
  struct mounts_state state = { 0 };
  denylist_load (&state.deny, ctx->policy);
  for (size_t i = 0; i < mounts->u.array.len; i++)
    harden_mount (ctx, mounts->u.array.items[i], i, &state);
  denylist_free (&state.deny);
}
