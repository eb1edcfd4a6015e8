/* policyrun: the cgroup hierarchies of a mountinfo file (v1 and v2), as
   both the cgroupsPath floor rule and the gVisor sandbox attestation read
   them: where each is mounted, which cgroup it shows as its top, and its
   super options (a v1 hierarchy's controllers).  */
#ifndef POLICYRUN_CGROUPFS_H
#define POLICYRUN_CGROUPFS_H

#include <stdbool.h>
#include <stddef.h>

/* One cgroup or cgroup2 mount.  Paths have the kernel's octal escapes
   (\040 for a space) undone.  */
struct cg_mount
{
  char *mountpoint;
  char *root;      /* the cgroup the mount shows as its top ("/" on the host) */
  char *superopts; /* as written: v1 "rw,memory", "rw,cpu,cpuacct", "rw,xattr,name=systemd" */
  bool v2;         /* cgroup2 */
};

struct cg_mounts
{
  struct cg_mount *items;
  size_t len;
};

/* Free every mount of m and leave it empty.  */
void cg_mounts_free (struct cg_mounts *m);
#define cleanup_cg_mounts __attribute__ ((cleanup (cg_mounts_free)))

/* Every cgroup and cgroup2 mount of the mountinfo file at path, in the
   file's order, appended to *out (which starts empty).  Returns 0, or -1
   with *err when the file cannot be read or any line is not a mountinfo
   line (fields separated by single spaces, five before " - ", three after
   it): a hierarchy policyrun cannot see is one it cannot check.  On
   failure *out is left empty.  */
int cg_mounts_load (const char *path, struct cg_mounts *out, char **err);

/* Whether the comma-separated list (list_len bytes at list) has an item of
   exactly the word_len bytes at word ("cpu" is in "rw,cpu,cpuacct",
   "cpuacct" is, "cpua" is not; an empty word matches an empty item).  */
bool cg_list_has (const char *list, size_t list_len, const char *word, size_t word_len);

#endif
