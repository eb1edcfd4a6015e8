/* policyrun: Go-semantics parsing (see gosyntax.h).  */
#include "config.h"
#include "gosyntax.h"

#include <string.h>

int
go_parse_bool (const char *s, bool *out)
{
  static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
  static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
  if (s == NULL)
    return -1;
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    if (strcmp (s, yes[i]) == 0)
      {
        *out = true;
        return 0;
      }
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
    if (strcmp (s, no[i]) == 0)
      {
        *out = false;
        return 0;
      }
  return -1;
}
