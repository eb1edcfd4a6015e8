/* policyrun: the private bundle handed to the delegate.  */
#include "config.h"
#include "bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spec.h"
#include "util.h"

/* One path becomes one directory name: '%' -> "%25", '/' -> "%2F".  */
static char *
root_key (const char *root)
{
  struct strbuf b = { 0 };
  strbuf_add (&b, "");
  for (const char *p = root; *p; p++)
    {
      if (*p == '%')
        strbuf_add (&b, "%25");
      else if (*p == '/')
        strbuf_add (&b, "%2F");
      else
        {
          char c[2] = { *p, 0 };
          strbuf_add (&b, c);
        }
    }
  return b.s;
}

/* The delegate's root as runc takes it (filepath.Abs: joined to the working
   directory and cleaned), so that every spelling of one root is one key and
   no spelling ("..", ".") leads out of the state directory.  */
static char *
canonical_root (const char *root)
{
  if (root == NULL || *root == '\0')
    return xstrdup (RUNC_DEFAULT_ROOT);
  if (root[0] == '/')
    return path_clean (root);
  cleanup_free char *cwd = getcwd (NULL, 0);
  cleanup_free char *joined = xasprintf ("%s/%s", cwd ? cwd : "/", root);
  return path_clean (joined);
}

static char *
root_key_of (const char *root)
{
  cleanup_free char *canon = canonical_root (root);
  return root_key (canon);
}

char *
bundle_private_dir (const struct policy *p, const char *root, const char *id)
{
  cleanup_free char *key = root_key_of (root);
  return xasprintf ("%s/%s/%s", p->state_dir, key, id);
}

/* Open (creating if needed) a directory that must belong to us and be
   writable by nobody else: anyone who could write here could swap the
   config.json that the delegate reads.  */
static int
open_private_dir_at (int parent, const char *name, const char *shown, char **err)
{
  if (mkdirat (parent, name, 0700) < 0 && errno != EEXIST)
    return fail (err, "cannot create %s: %s", shown, strerror (errno));
  int fd = openat (parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return fail (err, "cannot open %s: %s", shown, strerror (errno));
  struct stat st;
  if (fstat (fd, &st) < 0 || st.st_uid != geteuid () || (st.st_mode & 022) != 0)
    {
      close (fd);
      return fail (err, "%s must be a directory owned by uid %u and writable by no one else", shown,
                   (unsigned)geteuid ());
    }
  return fd;
}

/* mkdir -p for the state directory's parents, then the state directory
   itself as a private directory.  */
static int
open_state_dir (const char *state_dir, char **err)
{
  if (state_dir[0] != '/')
    return fail (err, "state directory %s is not absolute", state_dir);
  cleanup_free char *copy = xstrdup (state_dir);
  size_t len = strlen (copy);
  while (len > 1 && copy[len - 1] == '/')
    copy[--len] = '\0';
  for (char *p = copy + 1; *p; p++)
    if (*p == '/')
      {
        *p = '\0';
        if (mkdir (copy, 0755) < 0 && errno != EEXIST)
          return fail (err, "cannot create %s: %s", copy, strerror (errno));
        *p = '/';
      }
  char *slash = strrchr (copy, '/');
  cleanup_close int parent = -1;
  const char *name;
  if (slash == copy)
    {
      parent = open ("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      name = copy + 1;
    }
  else
    {
      *slash = '\0';
      parent = open (copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      *slash = '/';
      name = slash + 1;
    }
  if (parent < 0)
    return fail (err, "cannot open the parent of %s: %s", state_dir, strerror (errno));
  return open_private_dir_at (parent, name, state_dir, err);
}

/* Open STATE/ROOTKEY, creating what is missing.  */
static int
open_root_dir (const struct policy *p, const char *root, char **err)
{
  cleanup_close int state = open_state_dir (p->state_dir, err);
  if (state < 0)
    return -1;
  cleanup_free char *key = root_key_of (root);
  cleanup_free char *shown = xasprintf ("%s/%s", p->state_dir, key);
  return open_private_dir_at (state, key, shown, err);
}

/* The private bundle holds flat files only; remove them and the directory.  */
static int
remove_flat_dir_at (int parent, const char *name, char **err)
{
  int fd = openat (parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOENT)
        return 0;
      return fail (err, "cannot open private bundle %s: %s", name, strerror (errno));
    }
  DIR *d = fdopendir (fd);
  if (d == NULL)
    {
      close (fd);
      return fail (err, "cannot read private bundle %s: %s", name, strerror (errno));
    }
  struct dirent *e;
  while ((e = readdir (d)) != NULL)
    {
      if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
        continue;
      if (unlinkat (dirfd (d), e->d_name, 0) < 0 && errno != ENOENT)
        {
          closedir (d);
          return fail (err, "cannot remove %s/%s: %s", name, e->d_name, strerror (errno));
        }
    }
  closedir (d);
  if (unlinkat (parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return fail (err, "cannot remove private bundle %s: %s", name, strerror (errno));
  return 0;
}

static int
write_file_at (int dirfd, const char *name, const json_value *v, char **err)
{
  cleanup_free char *buf = NULL;
  size_t len = 0;
  if (json_write (v, &buf, &len, err) < 0)
    return -1;
  cleanup_free char *tmp = xasprintf (".%s.tmp.%ld", name, (long)getpid ());
  unlinkat (dirfd, tmp, 0);
  int fd = openat (dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail (err, "cannot create %s: %s", name, strerror (errno));
  size_t off = 0;
  while (off < len)
    {
      ssize_t w = write (fd, buf + off, len - off);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          int saved = errno;
          close (fd);
          unlinkat (dirfd, tmp, 0);
          return fail (err, "cannot write %s: %s", name, strerror (saved));
        }
      off += (size_t)w;
    }
  /* No fsync: the delegate reads the file moments later through the page
     cache, and it is never needed after a reboot (no container survives
     one); the rename alone makes it appear whole.  */
  if (close (fd) < 0)
    {
      unlinkat (dirfd, tmp, 0);
      return fail (err, "cannot write %s: %s", name, strerror (errno));
    }
  if (renameat (dirfd, tmp, dirfd, name) < 0)
    {
      int saved = errno;
      unlinkat (dirfd, tmp, 0);
      return fail (err, "cannot write %s: %s", name, strerror (saved));
    }
  return 0;
}

bool
bundle_delegate_has_dir (const char *root, const char *id)
{
  cleanup_free char *canon = canonical_root (root);
  cleanup_free char *path = xasprintf ("%s/%s", canon, id);
  return access (path, F_OK) == 0;
}

/* STATE/ROOTKEY when it exists and is policyrun's own, else -1.  */
static int
open_existing_root_dir (const struct policy *p, const char *root)
{
  cleanup_free char *key = root_key_of (root);
  cleanup_free char *rootdir = xasprintf ("%s/%s", p->state_dir, key);
  int fd = open (rootdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (fd >= 0 && (fstat (fd, &st) < 0 || st.st_uid != geteuid () || (st.st_mode & 022) != 0))
    {
      close (fd);
      return -1;
    }
  return fd;
}

static char *
lock_name (const char *id)
{
  return xasprintf ("%s@lock", id);
}

char *
bundle_lock_path (const struct policy *p, const char *root, const char *id)
{
  cleanup_free char *key = root_key_of (root);
  cleanup_free char *name = lock_name (id);
  return xasprintf ("%s/%s/%s", p->state_dir, key, name);
}

/* flock without waiting, or for a create a while: the holder may be a
   cleaner that is about to let go (a create right after a failed one of the
   same id should not fail for it), or a create whose delegate is at work
   (which then has recorded its container when the lock comes free: "in use"
   all the same).  */
static int
take_lock (int fd, bool wait)
{
  for (int round = 0;; round++)
    {
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
      if (errno != EWOULDBLOCK || !wait || round >= 500)
        return -1;
      struct timespec ten_ms = { .tv_nsec = 10 * 1000 * 1000 };
      nanosleep (&ten_ms, NULL);
    }
}

int
bundle_lock (const struct policy *p, const char *root, const char *id, bool for_create, bool *busy,
             char **err)
{
  *busy = false;
  cleanup_close int rootfd
      = for_create ? open_root_dir (p, root, err) : open_existing_root_dir (p, root);
  if (rootfd < 0)
    return -1;
  cleanup_free char *name = lock_name (id);
  cleanup_free char *shown = bundle_lock_path (p, root, id);
  /* Whoever unlinks the file holds its lock; a process that opened it
     before then gets the lock of a file nobody else will ever take, so it
     looks again.  Each round means another process won and left.  */
  for (int round = 0; round < 1000; round++)
    {
      int fd = openat (rootfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0)
        return fail (err, "cannot open the lock %s: %s", shown, strerror (errno));
      struct stat held, named;
      if (fstat (fd, &held) < 0 || !S_ISREG (held.st_mode) || held.st_uid != geteuid ())
        {
          close (fd);
          return fail (err, "the lock %s is not a file of uid %u", shown, (unsigned)geteuid ());
        }
      if (take_lock (fd, for_create) < 0)
        {
          int saved = errno;
          close (fd);
          if (saved == EWOULDBLOCK)
            {
              *busy = true;
              return fail (err,
                           "container id \"%s\" is in use: another create of it is in "
                           "progress or its container holds it",
                           id);
            }
          return fail (err, "cannot take the lock %s: %s", shown, strerror (saved));
        }
      if (fstatat (rootfd, name, &named, AT_SYMLINK_NOFOLLOW) == 0 && named.st_dev == held.st_dev
          && named.st_ino == held.st_ino)
        return fd;
      close (fd);
    }
  return fail (err, "cannot take the lock %s: it keeps being replaced", shown);
}

void
bundle_lock_unlink (const struct policy *p, const char *root, const char *id, int lockfd)
{
  cleanup_close int rootfd = open_existing_root_dir (p, root);
  if (rootfd < 0 || lockfd < 0)
    return;
  cleanup_free char *name = lock_name (id);
  struct stat held, named;
  /* Only the file this descriptor locks.  */
  if (fstat (lockfd, &held) == 0 && fstatat (rootfd, name, &named, AT_SYMLINK_NOFOLLOW) == 0
      && named.st_dev == held.st_dev && named.st_ino == held.st_ino)
    unlinkat (rootfd, name, 0);
}

bool
bundle_private_exists (const struct policy *p, const char *root, const char *id)
{
  cleanup_close int rootfd = open_existing_root_dir (p, root);
  struct stat st;
  return rootfd >= 0 && fstatat (rootfd, id, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

bool
bundle_private_left (const struct policy *p, const char *root, const char *id)
{
  cleanup_close int rootfd = open_existing_root_dir (p, root);
  if (rootfd < 0)
    return false;
  cleanup_free char *lock = xasprintf ("%s@lock", id);
  struct stat st;
  return fstatat (rootfd, id, &st, AT_SYMLINK_NOFOLLOW) == 0
         || fstatat (rootfd, lock, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

int
bundle_write_private (const struct policy *p, const char *root, const char *id,
                      const json_value *config, char **dir, char **err)
{
  cleanup_close int rootfd = open_root_dir (p, root, err);
  if (rootfd < 0)
    return -1;
  cleanup_free char *path = bundle_private_dir (p, root, id);
  /* The caller holds the lock and removed any leftover: a directory here
     now is not ours to reuse.  */
  if (mkdirat (rootfd, id, 0700) < 0)
    return fail (err, "cannot create private bundle %s: %s", path,
                 errno == EEXIST ? "it exists already" : strerror (errno));
  cleanup_close int fd = open_private_dir_at (rootfd, id, path, err);
  if (fd < 0)
    {
      remove_flat_dir_at (rootfd, id, NULL);
      return -1;
    }
  if (write_file_at (fd, "config.json", config, err) < 0)
    {
      remove_flat_dir_at (rootfd, id, NULL);
      return -1;
    }
  *dir = path;
  path = NULL;
  return 0;
}

int
bundle_write_file (const struct policy *p, const char *root, const char *id, const char *prefix,
                   const json_value *v, char **path, char **err)
{
  cleanup_free char *dir = bundle_private_dir (p, root, id);
  cleanup_close int fd = open (dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return fail (err,
                 "container \"%s\" was not created through policyrun (no private bundle "
                 "at %s)",
                 id, dir);
  struct stat st;
  if (fstat (fd, &st) < 0 || st.st_uid != geteuid () || (st.st_mode & 022) != 0)
    return fail (err, "private bundle %s is not private", dir);
  /* Files from earlier calls are not needed once the delegate has read
     them; keep the directory from growing with every exec.  */
  DIR *d = fdopendir (dup (fd));
  if (d != NULL)
    {
      size_t plen = strlen (prefix);
      struct dirent *e;
      while ((e = readdir (d)) != NULL)
        if (strncmp (e->d_name, prefix, plen) == 0 && e->d_name[plen] == '-')
          {
            struct stat fst;
            if (fstatat (dirfd (d), e->d_name, &fst, AT_SYMLINK_NOFOLLOW) == 0
                && time (NULL) - fst.st_mtime > 60)
              unlinkat (dirfd (d), e->d_name, 0);
          }
      closedir (d);
    }
  char rnd[9];
  static unsigned counter;
  snprintf (rnd, sizeof rnd, "%08x", (unsigned)(getpid () * 2654435761u + counter++));
  cleanup_free char *name = xasprintf ("%s-%s.json", prefix, rnd);
  if (write_file_at (fd, name, v, err) < 0)
    return -1;
  *path = xasprintf ("%s/%s", dir, name);
  return 0;
}

int
bundle_open_private (const struct policy *p, const char *root, const char *id)
{
  cleanup_free char *dir = bundle_private_dir (p, root, id);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (fd >= 0 && (fstat (fd, &st) < 0 || st.st_uid != geteuid () || (st.st_mode & 022) != 0))
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* The private bundle's record of a relocated root (bundle_write_root_origin).  */
#define ROOT_ORIGIN "root.json"

int
bundle_restore_root_origin (const char *dir, json_value *config, char **err)
{
  cleanup_free char *path = xasprintf ("%s/" ROOT_ORIGIN, dir);
  cleanup_close int fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      const char *now = NULL;
      /* A relocated root without its record would have exec and update
         judge the empty relocation directory instead of the image.  */
      if (errno == ENOENT
          && (spec_get_string (config, "root.path", &now) != SPEC_OK
              || strcmp (now, bundle_relocation_dir) != 0))
        return 0;
      if (errno == ENOENT)
        return fail (err, "%s is missing: the container's root was relocated", path);
      return fail (err, "cannot open %s: %s", path, strerror (errno));
    }
  json_value *origin = NULL;
  if (json_load_fd (fd, &origin, err) < 0)
    return -1;
  if (origin->type != JSON_STRING || origin->u.string.s[0] != '/')
    {
      json_free (origin);
      return fail (err, "%s does not hold an absolute path", path);
    }
  return spec_set (config, "root.path", origin, err);
}

int
bundle_load_private (const struct policy *p, const char *root, const char *id, json_value **config,
                     char **err)
{
  cleanup_free char *dir = bundle_private_dir (p, root, id);
  cleanup_free char *path = xasprintf ("%s/config.json", dir);
  cleanup_close int fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return fail (err,
                 "container \"%s\" was not created through policyrun (no private bundle "
                 "at %s)",
                 id, dir);
  if (json_load_fd (fd, config, err) < 0)
    return -1;
  if (bundle_restore_root_origin (dir, *config, err) < 0)
    {
      json_free (*config);
      *config = NULL;
      return -1;
    }
  return 0;
}

int
bundle_write_root_origin (const struct policy *p, const char *root, const char *id,
                          const char *original, char **err)
{
  cleanup_free char *dir = bundle_private_dir (p, root, id);
  cleanup_close int fd = bundle_open_private (p, root, id);
  if (fd < 0)
    return fail (err, "private bundle %s is not private", dir);
  cleanup_json json_value *v = json_new_string (original);
  return write_file_at (fd, ROOT_ORIGIN, v, err);
}

const char *bundle_relocation_dir = "/run/policyrun-userns";

/* id lies in [lo, lo + size).  */
static bool
id_in_range (int64_t id, int64_t lo, int64_t size)
{
  return id >= lo && id - lo < size;
}

/* The directory st may be searched by a process whose ids are the policy's
   mapped root (host uid and gid userns_host_id) with the capabilities of
   its own user namespace, which count only on inodes whose owner and group
   are both mapped.  ACLs are not read: they could only allow more.  */
static bool
mapped_root_searches (const struct stat *st, const struct policy *p)
{
  int64_t host = p->userns_host_id, size = p->userns_size;
  if (!S_ISDIR (st->st_mode))
    return false;
  if (id_in_range (st->st_uid, host, size) && id_in_range (st->st_gid, host, size))
    return true;
  if ((int64_t)st->st_uid == host)
    return (st->st_mode & S_IXUSR) != 0;
  if ((int64_t)st->st_gid == host)
    return (st->st_mode & S_IXGRP) != 0;
  return (st->st_mode & S_IXOTH) != 0;
}

bool
bundle_mapped_root_reaches (const char *path, const struct policy *p)
{
  if (path == NULL || path[0] != '/')
    return false;
  cleanup_free char *prefix = xstrdup (path);
  size_t len = strlen (prefix);
  for (size_t i = 1; i <= len; i++)
    {
      if (i < len && prefix[i] != '/')
        continue;
      char saved = prefix[i];
      prefix[i] = '\0';
      struct stat st;
      bool ok = stat (i == 1 ? "/" : prefix, &st) == 0 && mapped_root_searches (&st, p);
      prefix[i] = saved;
      if (!ok)
        return false;
    }
  return true;
}

/* The directory bundle_relocation_dir is in.  */
static char *
relocation_parent (void)
{
  char *parent = xstrdup (bundle_relocation_dir);
  char *slash = strrchr (parent, '/');
  if (slash != NULL)
    slash[slash == parent ? 1 : 0] = '\0';
  return parent;
}

bool
bundle_root_relocatable (const char *root, const struct policy *p)
{
  cleanup_free char *parent = relocation_parent ();
  struct stat st;
  return geteuid () == 0 && bundle_mapped_root_reaches (parent, p) && root != NULL
         && stat (root, &st) == 0 && mapped_root_searches (&st, p);
}

/* maps is one range: container id 0 at the policy's host id, its size.  */
static bool
is_policy_mapping (const json_value *config, const char *name, const struct policy *p)
{
  json_value *maps = NULL;
  int64_t c = -1, h = -1, s = -1;
  return spec_get (config, name, JSON_ARRAY, &maps) == SPEC_OK && maps->u.array.len == 1
         && spec_get_int (maps->u.array.items[0], "containerID", 0, SPEC_UINT32_MAX, &c) == SPEC_OK
         && spec_get_int (maps->u.array.items[0], "hostID", 0, SPEC_UINT32_MAX, &h) == SPEC_OK
         && spec_get_int (maps->u.array.items[0], "size", 0, SPEC_UINT32_MAX, &s) == SPEC_OK
         && c == 0 && h == p->userns_host_id && s == p->userns_size;
}

/* config has a new namespace of type (an entry without a path).  */
static bool
has_new_namespace (const json_value *config, const char *type)
{
  json_value *ns = NULL;
  if (spec_get (config, "linux.namespaces", JSON_ARRAY, &ns) != SPEC_OK)
    return false;
  for (size_t i = 0; i < ns->u.array.len; i++)
    {
      const json_value *e = ns->u.array.items[i];
      const char *t = NULL;
      if (e->type == JSON_OBJECT && spec_get_string (e, "type", &t) == SPEC_OK
          && strcmp (t, type) == 0)
        return json_object_get (e, "path") == NULL;
    }
  return false;
}

bool
bundle_policy_userns (const json_value *config, const struct policy *p)
{
  return has_new_namespace (config, "user") && has_new_namespace (config, "mount")
         && is_policy_mapping (config, "linux.uidMappings", p)
         && is_policy_mapping (config, "linux.gidMappings", p);
}

bool
bundle_root_needs_relocation (const json_value *config, const struct policy *p)
{
  const char *root = NULL;
  return bundle_policy_userns (config, p) && spec_get_string (config, "root.path", &root) == SPEC_OK
         && !bundle_mapped_root_reaches (root, p);
}

int
bundle_make_mount_point (const char *root, const char *path, bool file, char **err)
{
  int dir = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0)
    return fail (err, "cannot make mount point %s: cannot open root %s: %s", path, root,
                 errno == ENOENT ? "it does not exist" : strerror (errno));
  cleanup_free char *copy = xstrdup (path);
  char *save = NULL;
  int r = 0;
  for (char *name = strtok_r (copy, "/", &save); name != NULL && r == 0;)
    {
      char *next = strtok_r (NULL, "/", &save);
      if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
        r = fail (err, "cannot make mount point %s: it is not a clean path", path);
      else if (next == NULL && file)
        {
          /* O_EXCL: an existing inode is never opened (opening a device
             as host root runs its driver); one that appeared since the
             floor looked is runc's to judge.  */
          int fd = openat (dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0755);
          if (fd < 0 && errno != EEXIST)
            r = fail (err, "cannot make mount point %s in root %s: %s", path, root,
                      strerror (errno));
          else if (fd >= 0)
            close (fd);
        }
      else
        {
          if (mkdirat (dir, name, 0755) < 0 && errno != EEXIST)
            r = fail (err, "cannot make mount point %s in root %s: %s", path, root,
                      strerror (errno));
          /* O_NOFOLLOW with O_DIRECTORY: a symlink here is not entered.  */
          int sub = r == 0 ? openat (dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
          if (r == 0 && sub < 0)
            r = fail (err, "cannot make mount point %s in root %s: %s is not a directory", path,
                      root, name);
          close (dir);
          dir = sub;
        }
      name = next;
    }
  if (dir >= 0)
    close (dir);
  return r;
}

/* bundle_relocation_dir, created 0711 if missing, opened O_PATH when it is
   a directory of root's that no one else may write.  */
static int
open_relocation_dir (char **err)
{
  const char *dir = bundle_relocation_dir;
  bool made = mkdir (dir, 0711) == 0;
  if (!made && errno != EEXIST)
    return fail (err, "cannot create %s: %s", dir, strerror (errno));
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0 || st.st_uid != 0 || (st.st_mode & 022) != 0
      || (made && fchmod (fd, 0711) < 0))
    {
      if (fd >= 0)
        close (fd);
      return fail (err, "%s must be a directory owned by root and writable by no one else", dir);
    }
  return fd;
}

int
bundle_enter_relocated_root (const char *original, char **err)
{
  const char *dir = bundle_relocation_dir;
  /* Made and checked before the new namespace, where the mount point is
     opened again (a descriptor of the host's mounts cannot be mounted on
     from another namespace) and must be the same directory.  */
  struct stat want, got, before, after;
  {
    cleanup_close int host = open_relocation_dir (err);
    if (host < 0 || fstat (host, &before) < 0)
      return -1;
  }
  /* The root is bound through a descriptor of the directory checked here
     (opened again in the new namespace, as the mount point is), whatever
     the path names by then; and never the host's own / (the floor refused
     that by path).  */
  struct stat host_root, src_after;
  {
    cleanup_close int src = open (original, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (src < 0 || fstat (src, &want) < 0 || !S_ISDIR (want.st_mode))
      return fail (err, "cannot relocate root %s: it is not a directory", original);
  }
  if (stat ("/", &host_root) < 0
      || (want.st_dev == host_root.st_dev && want.st_ino == host_root.st_ino))
    return fail (err, "cannot relocate root %s: it is the host's /", original);
  if (unshare (CLONE_NEWNS) < 0)
    return fail (err, "cannot relocate root %s: unshare(CLONE_NEWNS): %s", original,
                 strerror (errno));
  /* Slaves: the host's later mounts still reach runc, none of ours leave.  */
  if (mount (NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
    return fail (err, "cannot relocate root %s: making / a slave: %s", original, strerror (errno));
  cleanup_close int target = open_relocation_dir (err);
  if (target < 0)
    return -1;
  if (fstat (target, &after) < 0 || after.st_dev != before.st_dev || after.st_ino != before.st_ino)
    return fail (err, "%s changed while root %s was relocated", dir, original);
  cleanup_close int src = open (original, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (src < 0 || fstat (src, &src_after) < 0 || src_after.st_dev != want.st_dev
      || src_after.st_ino != want.st_ino)
    return fail (err, "root %s changed while it was relocated", original);
  /* From and onto the directories just checked, not whatever the paths
     name now.  */
  cleanup_free char *onto = xasprintf ("/proc/self/fd/%d", target);
  cleanup_free char *from = xasprintf ("/proc/self/fd/%d", src);
  if (mount (from, onto, NULL, MS_BIND | MS_REC, NULL) < 0)
    return fail (err, "cannot bind root %s onto %s: %s", original, dir, strerror (errno));
  if (stat (dir, &got) < 0 || got.st_dev != want.st_dev || got.st_ino != want.st_ino)
    return fail (err, "internal error: %s is not root %s after the bind", dir, original);
  return 0;
}

int
bundle_remove_private (const struct policy *p, const char *root, const char *id, char **err)
{
  cleanup_free char *key = root_key_of (root);
  cleanup_free char *rootdir = xasprintf ("%s/%s", p->state_dir, key);
  cleanup_close int fd = open (rootdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return 0;
  /* Only ever remove inside a directory that is policyrun's own.  */
  struct stat st;
  if (fstat (fd, &st) < 0 || st.st_uid != geteuid () || (st.st_mode & 022) != 0)
    return fail (err, "%s is not a private directory of policyrun", rootdir);
  return remove_flat_dir_at (fd, id, err);
}

/* path joined to base unless absolute; resolved through symlinks when it
   exists, so the floor sees what the kernel will mount.  */
static char *
resolve_against (const char *base, const char *path)
{
  cleanup_free char *joined = path[0] == '/' ? xstrdup (path) : xasprintf ("%s/%s", base, path);
  char *real = realpath (joined, NULL);
  if (real != NULL)
    return real;
  char *r = joined;
  joined = NULL;
  return r;
}

static bool
mount_is_bind (const json_value *m)
{
  const char *type = NULL;
  if (spec_get_string (m, "type", &type) == SPEC_OK && strcmp (type, "bind") == 0)
    return true;
  json_value *opts = NULL;
  if (spec_get (m, "options", JSON_ARRAY, &opts) != SPEC_OK)
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

int
bundle_absolutize (json_value *config, const char *bundle, char **err)
{
  const char *rootpath = NULL;
  if (spec_get_string (config, "root.path", &rootpath) == SPEC_OK)
    {
      if (*rootpath == '\0')
        return fail (err, "root.path is empty");
      cleanup_free char *abs = resolve_against (bundle, rootpath);
      if (spec_set (config, "root.path", json_new_string (abs), err) < 0)
        return -1;
    }
  json_value *mounts = NULL;
  if (spec_get (config, "mounts", JSON_ARRAY, &mounts) != SPEC_OK)
    return 0;
  for (size_t i = 0; i < mounts->u.array.len; i++)
    {
      json_value *m = mounts->u.array.items[i];
      const char *src = NULL;
      if (m->type != JSON_OBJECT || !mount_is_bind (m)
          || spec_get_string (m, "source", &src) != SPEC_OK || *src == '\0')
        continue;
      cleanup_free char *abs = resolve_against (bundle, src);
      json_object_set (m, "source", json_new_string (abs));
    }
  return 0;
}

int
bundle_remove_private_locked (const struct policy *p, const char *root, const char *id, bool wait,
                              char **err)
{
  bool busy = false;
  cleanup_free char *lerr = NULL;
  if (wait && !bundle_private_left (p, root, id))
    return 1;
  cleanup_close int lock = bundle_lock (p, root, id, wait, &busy, &lerr);
  if (lock < 0)
    {
      if (busy)
        return 0;
      if (lerr == NULL)
        return 1; /* no state directory: nothing left */
      return fail (err, "%s", lerr);
    }
  if (bundle_remove_private (p, root, id, err) < 0)
    return -1;
  bundle_lock_unlink (p, root, id, lock);
  return 1;
}
