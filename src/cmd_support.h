/* policyrun: what the commands share.  */
#ifndef POLICYRUN_CMD_SUPPORT_H
#define POLICYRUN_CMD_SUPPORT_H
#endif
