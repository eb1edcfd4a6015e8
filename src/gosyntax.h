/* policyrun: values read the way runc (Go) reads them, in one place.  A
   value that policyrun and runc could read differently must be refused, not
   guessed: each parser accepts exactly what its Go counterpart accepts, or
   less (and says so).  Each returns 0 and the value, or -1.  */
#ifndef POLICYRUN_GOSYNTAX_H
#define POLICYRUN_GOSYNTAX_H

#include <stdbool.h>
#include <stdint.h>

/* strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False.  */
int go_parse_bool (const char *s, bool *out);

/* strconv.Atoi (ParseInt base 10, 64 bits): an optional sign and decimal
   digits, nothing else (no spaces, no "0x", no "_").  */
int go_atoi (const char *s, int64_t *out);

/* strconv.ParseUint base 10, 64 bits: decimal digits only (no sign).  */
int go_parse_uint (const char *s, uint64_t *out);

/* A decimal int64 that every reader agrees on (Go's base-0 IntFlag,
   base-10 Int64SliceFlag, and C's strtoll): an optional sign, then "0" or
   digits without a leading zero.  Stricter than any of them on purpose.  */
bool go_plain_decimal_int64 (const char *s);

/* docker/go-units RAMInBytes as runc uses it for update's sizes: a decimal
   number, an optional space, an optional k/m/g/t/p (binary multiples), an
   optional "i" and "b", case-insensitive; "-1" is unlimited.  */
int go_ram_in_bytes (const char *s, int64_t *out);

#endif
