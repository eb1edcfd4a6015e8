/* policyrun: start-time network attestation.  No config field tells
   "--network none" from a bridged network (both are a fresh network
   namespace); what tells them apart is what the engine put into that
   namespace after create.  */
#ifndef POLICYRUN_ATTEST_H
#define POLICYRUN_ATTEST_H

/* The network interfaces other than "lo" in the network namespace of the
   process whose /proc directory is procfd, as a malloc'd comma-separated
   list in *found (NULL when there are none).  Also fails when it shares
   policyrun's own (the host's) namespace.  Returns 0 when the namespace
   holds loopback only, 1 when it holds more (with *found), -1 when it
   cannot be inspected.  */
int attest_network_namespace (int procfd, char **found, char **err);

/* The refusal of a container whose network namespace holds found (the
   container has been killed), as users read it: "refused by floor (1
   violation): network: ...".  Returns a malloc'd message.  */
char *attest_refusal (const char *found);

#endif
