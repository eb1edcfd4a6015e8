/* policyrun floor: the container's view of a path, for rules that read a
   file as the container will see it (groups.c: /etc/group).  runc mounts
   config.json's mounts in order, each destination followed through the
   symlinks of what is mounted before it.  */
#ifndef POLICYRUN_FLOOR_VIEW_H
#define POLICYRUN_FLOOR_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "floor.h"

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

void lookup_result_free (struct lookup_result *r);

/* path is dir or below it (both clean and absolute).  */
bool path_at_or_under (const char *path, const char *dir);

/* Follow path through the first n mounts of v (see view.c).  */
void view_resolve (const struct view *v, size_t n, const char *path, bool for_file,
                   struct lookup_result *r);

/* Place spec's mounts as runc will.  Returns NULL, or why it cannot
   (*why_buf holds a message that names the mount).  */
const char *view_build (const json_value *spec, struct view *v, char **why_buf);
void view_free (struct view *v);

#endif
