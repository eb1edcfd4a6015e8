/* policyrun-exec-seccomp: the first program of a process that policyrun
   execs into a gVisor container.  runsc (before 2026) starts an exec'd
   process without the container's seccomp filter; policyrun therefore runs
   this loader, bound read-only into the container at create, as the
   process's program:

     policyrun-exec-seccomp HEX -- COMMAND [ARG...]

   HEX is the container's checked filter, compiled by policyrun
   (seccomp-bpf.c) into classic BPF and written as lower-case hex, 16 digits
   per instruction in memory order.  The loader sets no_new_privs, installs
   the filter and execs COMMAND (looked up in PATH as execvp does), so the
   command runs filtered from its first instruction.  Anything unexpected
   fails closed: one line on stderr, exit status 127, and COMMAND never
   runs.

   It is linked statically (the container may have no C library) and uses
   nothing but libc.  */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOADER_FAILED 127

static void __attribute__ ((noreturn, format (printf, 1, 2))) refuse (const char *fmt, ...)
{
  char line[512];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (line, sizeof line, fmt, ap);
  va_end (ap);
  dprintf (STDERR_FILENO, "policyrun-exec-seccomp: %s\n", line);
  _exit (LOADER_FAILED);
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* The program in hex, whole instructions only, 1 to BPF_MAXINSNS of them.  */
static struct sock_filter *
decode_program (const char *hex, unsigned short *len)
{
  size_t n = strlen (hex);
  size_t size = n / 2;
  if (n == 0 || n % (2 * sizeof (struct sock_filter)) != 0
      || size / sizeof (struct sock_filter) > BPF_MAXINSNS)
    refuse ("the filter is not a whole number of 1 to %d BPF instructions", BPF_MAXINSNS);
  unsigned char *bytes = malloc (size);
  if (bytes == NULL)
    refuse ("out of memory");
  for (size_t i = 0; i < size; i++)
    {
      int hi = hex_digit (hex[2 * i]), lo = hex_digit (hex[2 * i + 1]);
      if (hi < 0 || lo < 0)
        refuse ("the filter is not lower-case hex");
      bytes[i] = (unsigned char)(hi << 4 | lo);
    }
  *len = (unsigned short)(size / sizeof (struct sock_filter));
  return (struct sock_filter *)bytes;
}

/* seccomp(2) where it exists, prctl(2) otherwise: the same filter mode.  */
static int
install (const struct sock_fprog *prog)
{
#ifdef SYS_seccomp
  if (syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) == 0)
    return 0;
  if (errno != ENOSYS)
    return -1;
#endif
  return prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0);
}

/* Messages without the phrases engines map to exit codes.  */
static const char *
describe_exec_error (int e)
{
  switch (e)
    {
    case ENOENT:
      return "not found";
    case EACCES:
      return "not executable (access refused)";
    default:
      return strerror (e);
    }
}

int
main (int argc, char **argv)
{
  if (argc < 4 || strcmp (argv[2], "--") != 0)
    refuse ("usage: policyrun-exec-seccomp HEX -- COMMAND [ARG...]");
  struct sock_fprog prog = { 0 };
  prog.filter = decode_program (argv[1], &prog.len);
  /* Needed to install a filter without CAP_SYS_ADMIN, and what runc sets
     for a process whose config asks for it; a process that must gain
     privileges through set-id files is not one the floor lets run.  */
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    refuse ("cannot set no_new_privs: %s", strerror (errno));
  if (install (&prog) < 0)
    refuse ("cannot install the seccomp filter: %s", strerror (errno));
  free (prog.filter);
  execvp (argv[3], argv + 3);
  refuse ("cannot run %s: %s", argv[3], describe_exec_error (errno));
}
