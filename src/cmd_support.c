/* policyrun: what the commands share (see cmd_support.h).  */
#include "config.h"
#include "cmd_support.h"
