/* policyrun: the private bundle.  The delegate is never handed the caller's
   config.json: it gets the checked tree, re-emitted, in a directory that
   only policyrun can write: STATE/ROOTKEY/ID/, where STATE is the policy's
   state_dir and ROOTKEY the delegate's --root, escaped into one name.  */
#ifndef POLICYRUN_BUNDLE_H
#define POLICYRUN_BUNDLE_H

#include <stdbool.h>

#include "delegate.h"
#include "json.h"
#include "policy.h"

/* STATE/ROOTKEY/ID (malloc'd); root NULL means RUNC_DEFAULT_ROOT.  */
char *bundle_private_dir (const struct policy *p, const char *root, const char *id);

/* The lock of id: STATE/ROOTKEY/ID@lock ('@' is never in a container id,
   so no private bundle can have that name).  create holds it (flock,
   exclusive) from before it looks for the private bundle until the
   delegate's create has exited: the descriptor is left to the delegate.
   Whoever holds it may write or remove the private bundle of id.  */
char *bundle_lock_path (const struct policy *p, const char *root, const char *id);

/* Take the lock of id.  Returns the descriptor (close-on-exec); -1 with
   *busy set when another process holds it, -1 with *err on any other
   failure.  A lock file that was unlinked while this process waited for it
   is never trusted: the descriptor must name the file at the path.  With
   for_create, missing state directories are created and a held lock is
   waited for a few seconds (the holder is a create whose delegate is at
   work, or a cleaner about to let go); without, the lock is tried once and
   a missing state directory is not created (*err is NULL and *busy false
   then: there is nothing to lock).  */
/* Remove the private bundle of id under its lock, and the lock file.  The
   lock is tried once, or with wait, waited for as a create waits (the
   holder is a create's cleaner finishing its work).  Returns 1 when
   removed (or there was no state to remove), 0 when the lock is held by
   another process, -1 with *err when removal failed.  */
int bundle_remove_private_locked (const struct policy *p, const char *root, const char *id,
                                  bool wait, char **err);

int bundle_lock (const struct policy *p, const char *root, const char *id, bool for_create,
                 bool *busy, char **err);

/* Unlink the lock file of id; lockfd must hold it.  Processes that still
   wait on the old file see it is gone and take a new one.  */
void bundle_lock_unlink (const struct policy *p, const char *root, const char *id, int lockfd);

/* Whether a private bundle of id exists.  */
bool bundle_private_exists (const struct policy *p, const char *root, const char *id);

/* Whether anything of id is left in the state directory: its private
   bundle or its lock file.  */
bool bundle_private_left (const struct policy *p, const char *root, const char *id);

/* Whether runc keeps state for id under root (ROOT/ID exists): the cheap
   answer that needs no call of the delegate.  */
bool bundle_delegate_has_dir (const char *root, const char *id);

/* Create the private bundle and write config (0600) into it, atomically.
   The caller holds the lock of id and has removed any leftover; a directory
   that exists all the same is refused.  Nothing is left behind on failure.
   Returns 0 and the directory in *dir.  */
int bundle_write_private (const struct policy *p, const char *root, const char *id,
                          const json_value *config, char **dir, char **err);

/* Write another file (exec's process, update's resources) into an existing
   private bundle under a fresh name; returns its path.  */
int bundle_write_file (const struct policy *p, const char *root, const char *id, const char *prefix,
                       const json_value *v, char **path, char **err);

/* The private bundle's directory (close-on-exec) when it exists and is
   policyrun's own, else -1.  */
int bundle_open_private (const struct policy *p, const char *root, const char *id);

/* Load the private bundle's config.json.  */
int bundle_load_private (const struct policy *p, const char *root, const char *id,
                         json_value **config, char **err);

/* Remove the private bundle of id, if any.  */
int bundle_remove_private (const struct policy *p, const char *root, const char *id, char **err);

/* Make the caller's config self-contained before it is checked: root.path
   and relative bind sources become absolute against bundle (the caller's
   bundle directory, absolute), and existing bind sources are resolved
   through symlinks so that the floor checks the path the kernel mounts.  */
int bundle_absolutize (json_value *config, const char *bundle, char **err);

/* Harden's user namespace under runc.  runc's init bind-mounts the root
   onto itself as the namespace's root (host id policy->userns_host_id),
   which must search every directory on the way; Docker's, containerd's and
   Podman's storage is root-only.  create then binds the root, in a mount
   namespace of its own that runc inherits, onto bundle_relocation_dir and
   hands runc that path (the private config's root.path; the original is
   kept beside it in the private bundle).  The directory itself stays an
   empty, root-owned mount point on the host: runc exec and the later
   commands chdir(2) to root.path in the host's mount namespace.  */
extern const char *bundle_relocation_dir; /* "/run/policyrun-userns"; a seam for the tests */

/* Every directory from / to path, path included, may be searched by the
   policy's mapped root (host ids userns_host_id, with its namespace's
   capabilities on inodes whose owner and group are mapped).  */
bool bundle_mapped_root_reaches (const char *path, const struct policy *p);

/* The mapped root could reach root once create relocated it: policyrun
   can mount (it is root), the parents of bundle_relocation_dir and root
   itself are searchable by the mapped root.  */
bool bundle_root_relocatable (const char *root, const struct policy *p);

/* config has a new user namespace with exactly the policy's uid and gid
   mappings (harden's own) and a new mount namespace.  */
bool bundle_policy_userns (const json_value *config, const struct policy *p);

/* config (harden's, after the floor) must be relocated: bundle_policy_userns
   and a root.path the mapped root cannot reach.  */
bool bundle_root_needs_relocation (const json_value *config, const struct policy *p);

/* Make the mount point path (absolute, clean, links already followed, as
   the container sees it) in the image at root, as runc would make it
   without a user namespace: missing directories 0755, the last one a
   directory or (file) an empty file, all root's.  Each step is one name
   opened without following a symlink, so nothing outside root is
   touched; a symlink or a non-directory on the way refuses.  Under harden's
   user namespace runc would make it as the mapped root, which may not
   write the image's directories.  */
int bundle_make_mount_point (const char *root, const char *path, bool file, char **err);

/* Record original, the root.path the floor judged, in the private bundle
   of id (root.json): bundle_load_private gives it back as root.path, so
   exec, update and start read the image where it really is.  */
int bundle_write_root_origin (const struct policy *p, const char *root, const char *id,
                              const char *original, char **err);

/* config, loaded from the private bundle dir: root.path back to what the
   floor judged when create relocated it (dir holds root.json), else
   unchanged.  bundle_load_private does it; for callers that load the
   private config.json themselves.  */
int bundle_restore_root_origin (const char *dir, json_value *config, char **err);

/* Enter a mount namespace of this process's own (the host's mounts its
   slaves: nothing propagates back) and bind original (MS_REC) onto
   bundle_relocation_dir, made 0711 if missing; an existing one must be a
   directory of root's writable by no one else.  Nothing on the host
   changes but that directory's creation.  */
int bundle_enter_relocated_root (const char *original, char **err);

#endif
