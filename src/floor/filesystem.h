/* policyrun floor: what filesystem.c shares with mount-options.c (mount
   options as runc parses them), engine-binds.c (the engines' own binds) and
   bind-sockets.c (host sockets in binds).  */
#ifndef POLICYRUN_FLOOR_FILESYSTEM_H
#define POLICYRUN_FLOOR_FILESYSTEM_H

#include <stdbool.h>

#include "floor.h"

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

/* Recursive attributes (mount_setattr with AT_RECURSIVE, runc 1.1+).  */
enum
{
  REC_RDONLY = 1 << 0,
  REC_NOEXEC = 1 << 1,
  REC_OTHER = 1 << 2,
};

struct mount_opts
{
  unsigned long flags;       /* MS_* after every set and clear, in order */
  unsigned rec_set, rec_clr; /* REC_* */
  const char *shared;        /* a shared propagation option, if any */
  bool remount;
  const char *size; /* the last size= or nr_blocks= (tmpfs) */
  const char *mode; /* the last mode= (tmpfs) */
  bool owner;       /* a uid= or gid= other than 0 (tmpfs) */
};

/* The policy's mount deny-list, cleaned once per check.  */
struct denylist
{
  char **items;
  size_t len;
};

/* The binds that engines make from their own state directories (which are
   on the deny-list): /etc/hosts, /etc/hostname, /etc/resolv.conf read-only
   files, and /dev/shm, a writable directory on a noexec, sized tmpfs the
   engine mounts for the container.  engine is the last component of the
   deny-listed directory they live in, pattern the path below it, with "*"
   standing for one component (the container or sandbox id).  */
struct engine_bind
{
  const char *engine;
  const char *destination;
  const char *pattern;
  bool shm;
};

/* p is dir or below it; both clean and absolute (filesystem.c).  */
bool path_within (const char *p, const char *dir);

/* engine-binds.c: the last component of p; the engine bind a bind of src
   onto destination is by the deny-listed directory it comes from, or by
   the tail of its path; whether a /dev/shm bind is the engine's tmpfs.  */
const char *last_component (const char *p);
const struct engine_bind *engine_bind_by_layout (const struct denylist *deny,
                                                 const char *destination, const char *src);
const struct engine_bind *engine_bind_by_tail (const char *destination, const char *path);
bool shm_is_engine_tmpfs (const char *destination, const char *resolved);
/* A CRI pod's /dev/shm bind: "noexec", and "nosuid" and "nodev" where
   missing, appended to options (o applied), as the kubelet binds rule
   tightens it.  */
void pod_shm_tighten (json_value *options, struct mount_opts *o);

/* Apply one option of a mount's options array to o, in order.  */
void parse_option (struct mount_opts *o, const char *opt);
bool opts_readonly (const struct mount_opts *o);
bool opts_noexec (const struct mount_opts *o);
/* A tmpfs size the kernel bounds: size=N[kmgtpe%] or nr_blocks=N, N > 0.  */
bool tmpfs_size_bounded (const char *opt);
/* A tmpfs only root may write to.  */
bool tmpfs_root_only (const struct mount_opts *o);

/* Rule BIND_SOCKETS: refuse the bind at field if the tree at resolved (the
   bind's source with its links followed) holds a unix socket, or is larger
   than the policy's bind_scan_max_entries.  */
void check_bind_sockets (struct floor_ctx *ctx, const char *field, const char *source,
                         const char *resolved);

#endif
