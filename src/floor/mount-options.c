/* policyrun floor: mount options read the way runc reads them
   (libcontainer/specconv's flag table): matched exactly, applied in order,
   so a later "rw" clears an earlier "ro"; anything not in the table is data
   for the filesystem.  */
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

/* ---- mount options, as runc parses them ---------------------------------- */

struct flag_opt
{
  const char *name;
  bool clear;
  unsigned long flag;
};

/* runc's table (libcontainer/specconv), in strcmp order for bsearch.  */
static const struct flag_opt flag_opts[] = {
  { "acl", false, MS_POSIXACL },
  { "async", true, MS_SYNCHRONOUS },
  { "atime", true, MS_NOATIME },
  { "bind", false, MS_BIND },
  { "defaults", false, 0 },
  { "dev", true, MS_NODEV },
  { "diratime", true, MS_NODIRATIME },
  { "dirsync", false, MS_DIRSYNC },
  { "exec", true, MS_NOEXEC },
  { "iversion", false, MS_I_VERSION },
  { "lazytime", false, MS_LAZYTIME },
  { "loud", true, MS_SILENT },
  { "mand", false, MS_MANDLOCK },
  { "noacl", true, MS_POSIXACL },
  { "noatime", false, MS_NOATIME },
  { "nodev", false, MS_NODEV },
  { "nodiratime", false, MS_NODIRATIME },
  { "noexec", false, MS_NOEXEC },
  { "noiversion", true, MS_I_VERSION },
  { "nolazytime", true, MS_LAZYTIME },
  { "nomand", true, MS_MANDLOCK },
  { "norelatime", true, MS_RELATIME },
  { "nostrictatime", true, MS_STRICTATIME },
  { "nosuid", false, MS_NOSUID },
  { "rbind", false, MS_BIND | MS_REC },
  { "relatime", false, MS_RELATIME },
  { "remount", false, MS_REMOUNT },
  { "ro", false, MS_RDONLY },
  { "rw", true, MS_RDONLY },
  { "silent", false, MS_SILENT },
  { "strictatime", false, MS_STRICTATIME },
  { "suid", true, MS_NOSUID },
  { "sync", false, MS_SYNCHRONOUS },
};

struct rec_opt
{
  const char *name;
  bool clear;
  unsigned attr;
};

static const struct rec_opt rec_opts[] = {
  { "rro", false, REC_RDONLY },         { "rrw", true, REC_RDONLY },
  { "rnoexec", false, REC_NOEXEC },     { "rexec", true, REC_NOEXEC },
  { "rnosuid", false, REC_OTHER },      { "rsuid", true, REC_OTHER },
  { "rnodev", false, REC_OTHER },       { "rdev", true, REC_OTHER },
  { "rnoatime", false, REC_OTHER },     { "ratime", true, REC_OTHER },
  { "rnodiratime", false, REC_OTHER },  { "rdiratime", true, REC_OTHER },
  { "rrelatime", false, REC_OTHER },    { "rnorelatime", true, REC_OTHER },
  { "rstrictatime", false, REC_OTHER }, { "rnostrictatime", true, REC_OTHER },
};

static int
flag_opt_cmp (const void *a, const void *b)
{
  return strcmp (((const struct flag_opt *)a)->name, ((const struct flag_opt *)b)->name);
}

/* Whether the value v (up to a comma) is exactly want.  */
static bool
data_value_is (const char *v, const char *want)
{
  size_t n = strcspn (v, ",");
  return n == strlen (want) && strncmp (v, want, n) == 0;
}

/* One option runc does not know: data for the filesystem, which runc joins
   with the others by commas and the kernel reads left to right, the last
   value winning.  An option holding commas is several to the kernel
   ("mode=1777,size=0"), so each part counts, in order.  A value read here
   runs on to the end of the option: one followed by a comma never reads
   as bounded, root-only or root-owned, which fails closed.  */
static void
parse_data_options (struct mount_opts *o, const char *opt)
{
  for (const char *p = opt; p != NULL; p = strchr (p, ','), p = p != NULL ? p + 1 : NULL)
    {
      if (strncmp (p, "size=", 5) == 0 || strncmp (p, "nr_blocks=", 10) == 0)
        o->size = p;
      if (strncmp (p, "mode=", 5) == 0)
        o->mode = p + 5;
      if ((strncmp (p, "uid=", 4) == 0 && !data_value_is (p + 4, "0"))
          || (strncmp (p, "gid=", 4) == 0 && !data_value_is (p + 4, "0")))
        o->owner = true;
    }
}

void
parse_option (struct mount_opts *o, const char *opt)
{
  const struct flag_opt key = { .name = opt };
  const struct flag_opt *f = bsearch (&key, flag_opts, sizeof flag_opts / sizeof flag_opts[0],
                                      sizeof flag_opts[0], flag_opt_cmp);
  if (f != NULL)
    {
      if (f->clear)
        o->flags &= ~f->flag;
      else
        o->flags |= f->flag;
      if (f->flag == MS_REMOUNT)
        o->remount = true;
      return;
    }
  if (strcmp (opt, "shared") == 0 || strcmp (opt, "rshared") == 0)
    {
      if (o->shared == NULL)
        o->shared = opt;
      return;
    }
  for (size_t i = 0; i < sizeof rec_opts / sizeof rec_opts[0]; i++)
    if (strcmp (rec_opts[i].name, opt) == 0)
      {
        if (rec_opts[i].clear)
          {
            o->rec_clr |= rec_opts[i].attr;
            o->rec_set &= ~rec_opts[i].attr;
          }
        else
          {
            o->rec_set |= rec_opts[i].attr;
            o->rec_clr &= ~rec_opts[i].attr;
          }
        return;
      }
  parse_data_options (o, opt);
}

bool
opts_readonly (const struct mount_opts *o)
{
  /* "ro" itself is required: "rro" alone is data to a runtime that
     predates it, which then leaves the bind writable.  */
  return (o->flags & MS_RDONLY) && !(o->rec_clr & REC_RDONLY);
}

bool
opts_noexec (const struct mount_opts *o)
{
  if (o->rec_clr & REC_NOEXEC)
    return false;
  return (o->flags & MS_NOEXEC) || (o->rec_set & REC_NOEXEC);
}

/* A tmpfs size the kernel bounds: size=N[kmgtpe%] or nr_blocks=N with N
   a positive number (0 means unlimited).  */
bool
tmpfs_size_bounded (const char *opt)
{
  const char *v = strchr (opt, '=') + 1;
  if (*v < '0' || *v > '9')
    return false;
  errno = 0;
  char *end = NULL;
  unsigned long long n = strtoull (v, &end, 0);
  if (errno != 0 || n == 0)
    return false;
  const char *suffixes = strncmp (opt, "nr_blocks=", 10) == 0 ? "kKmMgGtTpPeE" : "kKmMgGtTpPeE%";
  return *end == '\0' || (strchr (suffixes, *end) != NULL && end[1] == '\0');
}

/* A tmpfs only root may write to: "mode=" in octal without write
   permission for group and others, and no uid=/gid= but 0.  */
bool
tmpfs_root_only (const struct mount_opts *o)
{
  if (o->mode == NULL || o->owner || *o->mode < '0' || *o->mode > '7')
    return false;
  char *end = NULL;
  errno = 0;
  unsigned long mode = strtoul (o->mode, &end, 8);
  return errno == 0 && *end == '\0' && mode <= 07777 && (mode & 022) == 0;
}
