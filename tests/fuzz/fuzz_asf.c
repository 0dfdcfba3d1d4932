/* Fuzz target: one datagram into the LAN server's front door (RMCP header, ASF presence ping,
 * and whatever else the RMCP class routes to, without a session). Input: the datagram. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_env.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_env env;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_env_init(&env, true);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_env_begin(&env, 0);
	unsigned replies = fuzz_lan_send(&env, data, size);
	/* An ASF ping gets exactly one 28-byte pong; nothing else in RMCP class 6 is answered. */
	if (size >= 4 && data[0] == RMCP_VERSION && data[3] == RMCP_CLASS_ASF && replies &&
	    env.reply_len != 28)
		abort();
	fuzz_env_end(&env);
	return 0;
}
