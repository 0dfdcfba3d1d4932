/* Dropping root: a daemon started as root binds its privileged ports, then becomes an
 * unprivileged user for good (docs/security.md). The state dir and everything in it is handed
 * to that user first (mode 0700), supplementary groups are dropped (all but one the caller
 * names, e.g. "kvm" for the QEMU platform), then setgid, then setuid; the switch is verified
 * (regaining root must fail). */
#pragma once

/* The user to run as when none is configured: PRIVDROP_DEFAULT_USER if it exists, else
 * PRIVDROP_FALLBACK_USER. */
#define PRIVDROP_DEFAULT_USER "softbmc"
#define PRIVDROP_FALLBACK_USER "nobody"

/* If the process is root: becomes `user` (NULL or "": the default above), after giving it
 * state_dir, keeping the supplementary group keep_group if it is not NULL and exists. "root" keeps root (and says so in the log). If the process is not root, a `user`
 * other than the current one is an error; otherwise nothing changes. Logs what it did or why it
 * failed. Returns 0 or a negative errno; any failure must be fatal to the caller. */
int privdrop_become(const char *user, const char *state_dir, const char *keep_group);
