/* policyrun: the private bundle.  The delegate is never handed the caller's
   config.json: it gets the checked tree, re-emitted, in a directory that
   only policyrun can write: STATE/ROOTKEY/ID/, where STATE is the policy's
   state_dir and ROOTKEY the delegate's --root, escaped into one name.  */
#ifndef POLICYRUN_BUNDLE_H
#define POLICYRUN_BUNDLE_H

#include "json.h"
#include "policy.h"

/* runc's default --root when none is given (as root).  */
#define RUNC_DEFAULT_ROOT "/run/runc"

/* STATE/ROOTKEY/ID (malloc'd); root NULL means RUNC_DEFAULT_ROOT.  */
char *bundle_private_dir (const struct policy *p, const char *root, const char *id);

/* Create the private bundle and write config (0600) into it, atomically.
   A stale directory for the same id is replaced unless the delegate still
   has a container of that id under root.  Nothing is left behind on
   failure.  Returns 0 and the directory in *dir.  */
int bundle_write_private (const struct policy *p, const char *root, const char *id,
                          const json_value *config, char **dir, char **err);

/* Write another file (exec's process, update's resources) into an existing
   private bundle under a fresh name; returns its path.  */
int bundle_write_file (const struct policy *p, const char *root, const char *id, const char *prefix,
                       const json_value *v, char **path, char **err);

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

#endif
