/* Fuzz target: RMCP+ packets (lan/rmcpplus.c): Open Session, RAKP 1 and 3, sessionless IPMI,
 * and authenticated/encrypted in-session packets, with the LAN session commands behind them.
 *
 * Input: one option byte, then records [kind][len lo][len hi][bytes] (fuzz_env.h).
 *   option bit 0     FUZZ_ENV_PERMISSIVE (cipher suite 0 enabled too)
 *   option bits 1-2  how far a real handshake as the admin user goes first: 0 none,
 *                    1 Open Session, 2 RAKP 1/2 (the BMC waits for RAKP 3), 3 active session
 *   option bits 3-5  its cipher suite: 17, 3, 0, 1, 2, 15, 16, 17
 *   kind % 6 == 0    a raw datagram
 *   kind % 6 == 1    a raw datagram with the BMC's session ID patched in: the header's
 *                    (offset 6) and, in RAKP 1/3, the payload's (offset 20)
 *   kind % 6 == 2    an IPMI message sent in the session (encrypted, integrity trailer)
 *   kind % 6 == 3    netFn, cmd, data: framed with checksums, then as kind 2
 *   kind % 6 == 4    payload type, payload: any payload type sent in the session
 *   kind % 6 == 5    time passes: bytes[0] seconds, then the server's sweep runs */
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

static void patch_sid(uint8_t *buf, size_t n, uint32_t sid)
{
	if (n >= 10)
		memcpy(buf + 6, &sid, 4);
	uint8_t ptype = n >= 6 ? buf[5] & 0x3F : 0;
	if ((ptype == 0x12 || ptype == 0x14) && n >= 24) {
		memset(buf + 6, 0, 8); /* session setup travels outside a session */
		memcpy(buf + 20, &sid, 4);
	}
}

static void one_record(struct fuzz_rmcpp *c, uint8_t kind, const uint8_t *p, size_t n,
		       uint8_t *rq_seq)
{
	uint8_t buf[LAN_MAX_PACKET + 64];
	if (n > LAN_MAX_PACKET + 16)
		n = LAN_MAX_PACKET + 16;
	bool active = c->stage == 3;
	switch (kind % 6) {
	case 0:
		fuzz_lan_send(&env, p, n);
		break;
	case 1:
		memcpy(buf, p, n);
		patch_sid(buf, n, c->bmc_sid);
		fuzz_lan_send(&env, buf, n);
		break;
	case 2:
		if (active)
			fuzz_rmcpp_send(&env, c, 0x00, p, n);
		break;
	case 3:
		if (active && n >= 2) {
			size_t m = fuzz_ipmi_request(buf, sizeof(buf), p[0] & 0x3F, p[1], (*rq_seq)++,
						     p + 2, n - 2);
			if (m)
				fuzz_rmcpp_send(&env, c, 0x00, buf, m);
		}
		break;
	case 4:
		if (active && n >= 1)
			fuzz_rmcpp_send(&env, c, p[0], p + 1, n - 1);
		break;
	default:
		fuzz_lan_sweep(&env, n >= 1 ? p[0] : 1);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const uint8_t suites[] = { 17, 3, 0, 1, 2, 15, 16, 17 };
	uint8_t opt = data[0];
	fuzz_env_begin(&env, opt & 1 ? FUZZ_ENV_PERMISSIVE : 0);
	struct fuzz_rmcpp c;
	uint8_t suite = suites[(opt >> 3) & 7];
	int want = (opt >> 1) & 3;
	/* The admin's handshake with the right password must succeed on every enabled suite. */
	if (fuzz_rmcpp_handshake(&env, &c, suite, want) != want && (suite != 0 || (opt & 1)))
		abort();
	struct fuzz_reader r = { .p = data + 1, .len = size - 1 };
	uint8_t kind, rq_seq = 1;
	const uint8_t *p;
	size_t n;
	for (unsigned i = 0; i < 32 && fuzz_next_record(&r, &kind, &p, &n); i++)
		one_record(&c, kind, p, n, &rq_seq);
	fuzz_env_end(&env);
	return 0;
}
