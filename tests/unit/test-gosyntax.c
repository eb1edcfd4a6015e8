/* Unit tests for src/gosyntax.c: values read as Go reads them.  */
#include "config.h"

#include "gosyntax.h"
#include "tap.h"

int
main (void)
{
  bool b = false;
  ok (go_parse_bool ("True", &b) == 0 && b, "strconv.ParseBool reads True");
  return done_testing ();
}
