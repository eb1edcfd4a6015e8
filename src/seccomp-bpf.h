/* policyrun: the container's seccomp filter as a classic BPF program, for
   the processes policyrun execs into a gVisor container.  runsc (before
   2026) starts an exec'd process without the container's filter; policyrun
   starts it through a loader of its own (exec-seccomp.c), bound read-only
   into the container at create, which installs this program and then
   execs the command.  */
#ifndef POLICYRUN_SECCOMP_BPF_H
#define POLICYRUN_SECCOMP_BPF_H

#include <stddef.h>

#include "json.h"

/* The loader's file name, beside policyrun's executable or in
   POLICYRUN_PKGLIBEXECDIR, and where create binds it in the container:
   straight in /dev, which gVisor always mounts writable (Docker's tmpfs, or
   gVisor's own devtmpfs when the config has no /dev), so the mount point is
   made without writing to the image; /dev is root's 0755 directory and a
   mount point cannot be renamed or removed, so the container's user cannot
   put another program in its place.  */
#define EXEC_SECCOMP_LOADER_NAME "policyrun-exec-seccomp"
#define EXEC_SECCOMP_LOADER_IN_CONTAINER "/dev/.policyrun-exec-seccomp"

struct seccomp_bpf
{
  unsigned char *program; /* struct sock_filter[], native byte order */
  size_t len;             /* in bytes, a multiple of 8 */
  size_t skipped;         /* names libseccomp does not know, skipped as runc skips them */
};

/* Compile seccomp (a linux.seccomp object, as the floor left it) the way
   runc 1.1 loads it: libseccomp with the default action and
   defaultErrnoRet, every listed architecture added, each name of each rule
   resolved for the native architecture (unknown names skipped), a rule
   whose action equals the default skipped, conditions repeated on one
   argument each a rule of their own (OR), otherwise all in one (AND).
   runc's ENOSYS stub for calls newer than the profile (patchbpf) is not
   added: such calls get the default action.  Fails closed on anything
   libseccomp or runc would refuse.  Returns 0, or -1 with *err.  */
int seccomp_bpf_compile (const json_value *seccomp, struct seccomp_bpf *out, char **err);
void seccomp_bpf_free (struct seccomp_bpf *b);

/* The program as the loader reads it: lower-case hex, two digits per byte
   in memory order (malloc'd).  */
char *seccomp_bpf_hex (const struct seccomp_bpf *b);

/* The loader on the host: beside policyrun's own executable, else in
   POLICYRUN_PKGLIBEXECDIR when it was compiled in.  It must be a regular
   executable file of root's (or policyrun's user's) that nobody else can
   write: it runs first in every exec'd process.  Returns 0 and a malloc'd
   path, or -1 with *err.  */
int exec_seccomp_loader (char **path, char **err);

#endif
