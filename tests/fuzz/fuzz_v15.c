/* Fuzz target: IPMI 1.5 session packets (lan/v15.c) and the LAN session commands behind them.
 *
 * Input: one option byte, then records [kind][len lo][len hi][bytes] (fuzz_env.h).
 *   option bit 0     FUZZ_ENV_PERMISSIVE (auth types none and straight enabled)
 *   option bits 1-2  0: no session; 1: activate an MD5 session first; 2: auth type none;
 *                    3: straight password (2 and 3 need bit 0) -- a real Get Session
 *                    Challenge / Activate Session as the admin user
 *   kind % 5 == 0    a raw datagram
 *   kind % 5 == 1    a raw datagram with the session ID (offset 9) set to the session's
 *   kind % 5 == 2    an IPMI message, sent inside the session with a valid auth code
 *   kind % 5 == 3    netFn, cmd, data: framed with checksums, then as kind 2
 *   kind % 5 == 4    time passes: bytes[0] seconds, then the server's sweep runs */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_env.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_env env;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_env_init(&env, true);
	return 0;
}

static void one_record(struct fuzz_v15 *c, uint8_t kind, const uint8_t *p, size_t n,
		       uint8_t *rq_seq)
{
	uint8_t buf[LAN_MAX_PACKET + 64];
	if (n > LAN_MAX_PACKET + 16)
		n = LAN_MAX_PACKET + 16;
	switch (kind % 5) {
	case 0:
		fuzz_lan_send(&env, p, n);
		break;
	case 1:
		memcpy(buf, p, n);
		if (n >= 13)
			memcpy(buf + 9, &c->sid, 4); /* little endian on the wire and here */
		fuzz_lan_send(&env, buf, n);
		break;
	case 2:
		if (c->active)
			fuzz_v15_send(&env, c, p, n);
		break;
	case 4:
		fuzz_lan_sweep(&env, n >= 1 ? p[0] : 1);
		break;
	default:
		if (c->active && n >= 2) {
			size_t m = fuzz_ipmi_request(buf, sizeof(buf), p[0] & 0x3F, p[1], (*rq_seq)++,
						     p + 2, n - 2);
			if (m)
				fuzz_v15_send(&env, c, buf, m);
		}
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const uint8_t authtypes[] = { 0, 2, 0, 4 };
	uint8_t opt = data[0];
	fuzz_env_begin(&env, opt & 1 ? FUZZ_ENV_PERMISSIVE : 0);
	struct fuzz_v15 c = { 0 };
	uint8_t how = (opt >> 1) & 3;
	/* The admin's activation with the right password must succeed if its type is enabled. */
	if (how && fuzz_v15_activate(&env, &c, authtypes[how]) < 0 && (how == 1 || (opt & 1)))
		abort();
	struct fuzz_reader r = { .p = data + 1, .len = size - 1 };
	uint8_t kind, rq_seq = 3;
	const uint8_t *p;
	size_t n;
	for (unsigned i = 0; i < 32 && fuzz_next_record(&r, &kind, &p, &n); i++)
		one_record(&c, kind, p, n, &rq_seq);
	fuzz_env_end(&env);
	return 0;
}
