/* policyrun: placeholder, written by its layer.  */
#include "config.h"
