/* Unit tests for the private bundle's lock (src/bundle.c): its path, one
   holder at a time, and a lock file unlinked by its holder never trusted.  */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "policy.h"
#include "tap.h"
#include "util.h"

static void
test_lock_path (const struct policy *p)
{
  cleanup_free char *path = bundle_lock_path (p, "/run/x", "abc");
  cleanup_free char *want = xasprintf ("%s/%%2Frun%%2Fx/abc@lock", p->state_dir);
  is_str (path, want, "the lock of abc under root /run/x is STATE/%%2Frun%%2Fx/abc@lock");
  cleanup_free char *dir = bundle_private_dir (p, "/run/x", "abc");
  ok (strcmp (dir, path) != 0 && strncmp (path, dir, strlen (dir)) == 0,
      "the lock sits beside the private bundle, never inside it or in its place");
}

static void
test_one_holder (const struct policy *p)
{
  bool busy = true;
  cleanup_free char *err = NULL;
  ok (bundle_lock (p, "/run/y", "id1", false, &busy, &err) < 0 && !busy && err == NULL,
      "without for_create, a root with no state yet has nothing to lock (no error)");

  int first = bundle_lock (p, "/run/y", "id1", true, &busy, &err);
  ok (first >= 0 && !busy, "the first lock of id1 is taken");
  cleanup_free char *path = bundle_lock_path (p, "/run/y", "id1");
  struct stat st;
  ok (stat (path, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0777) == 0600,
      "the lock file is a 0600 regular file");

  free (err);
  err = NULL;
  int second = bundle_lock (p, "/run/y", "id1", false, &busy, &err);
  ok (second < 0 && busy && err != NULL && strstr (err, "is in use") != NULL,
      "a second lock of id1 is refused while the first is held: %s", err ? err : "(none)");

  free (err);
  err = NULL;
  int other = bundle_lock (p, "/run/y", "id2", false, &busy, &err);
  ok (other >= 0 && !busy, "another id is locked independently");
  close (other);

  /* The holder unlinks its file: the next lock is a new file, not the
     unlinked one a waiter may still hold open.  */
  ino_t old = st.st_ino;
  bundle_lock_unlink (p, "/run/y", "id1", first);
  ok (stat (path, &st) < 0, "bundle_lock_unlink removes the holder's lock file");
  int again = bundle_lock (p, "/run/y", "id1", false, &busy, &err);
  ok (again >= 0 && !busy && stat (path, &st) == 0 && st.st_ino != old,
      "a lock taken after the unlink is a new file, though the old one is still held");
  close (again);
  close (first);
}

int
main (void)
{
  char tmpl[] = "/tmp/policyrun-test-bundle.XXXXXX";
  char *top = mkdtemp (tmpl);
  if (top == NULL)
    {
      printf ("Bail out! mkdtemp failed\n");
      return 1;
    }
  chmod (top, 0700);
  struct policy p;
  policy_defaults (&p);
  free (p.state_dir);
  p.state_dir = xasprintf ("%s/state", top);

  test_lock_path (&p);
  test_one_holder (&p);

  policy_free (&p);
  cleanup_free char *rm = xasprintf ("rm -rf '%s'", top);
  if (system (rm) != 0)
    diag ("could not remove %s", top);
  return done_testing ();
}
