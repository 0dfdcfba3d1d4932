/* Fuzz target: the in-band path of a QEMU guest. The input is the byte stream QEMU's
 * ipmi-bmc-extern chardev would send (platform/qemu/vmcodec.c frames it); every message frame
 * runs through the system interface transport (ipmi/sysif.c) and the whole command table on a
 * live model, and its response must encode back into a frame QEMU accepts (at most 302
 * unescaped bytes). A byte 0xFE after a command-end terminator stands for a second passing
 * (bmc_tick: watchdog pre-timeouts set message flags) — it is also an unknown opcode to the
 * decoder, so the stream stays what QEMU could send. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_env.h"
#include "ipmi/sysif.h"
#include "platform/qemu/vmcodec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_env env;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_env_init(&env, false);
	return 0;
}

static void on_message(const uint8_t *frame, size_t len)
{
	uint8_t rsp[VM_FRAME_MAX - 1], wire[VM_WIRE_MAX];
	if (len < 3)
		abort(); /* the decoder promised seq, netFn and cmd */
	/* A copy of exactly the message's size, so ASan sees any read past it. */
	uint8_t *copy = malloc(len - 1);
	memcpy(copy, frame + 1, len - 1);
	rsp[0] = frame[0];
	size_t n = ipmi_sysif_handle(&env.bmc, copy, len - 1, rsp + 1, sizeof(rsp) - 1);
	free(copy);
	if (n < 3 || n > sizeof(rsp) - 1)
		abort(); /* every request of at least netFn and cmd gets an answer */
	if (vm_encode_msg(wire, sizeof(wire), rsp, n + 1) == 0)
		abort();
	uv_run(&env.loop, UV_RUN_NOWAIT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_decoder dec;
	fuzz_env_begin(&env, 0);
	vm_decoder_init(&dec);
	for (size_t i = 0; i < size; i++) {
		const uint8_t *frame;
		size_t len;
		enum vm_frame k = vm_decoder_feed(&dec, data[i], &frame, &len);
		if (k == VM_FRAME_MSG)
			on_message(frame, len);
		else if (k == VM_FRAME_CMD && frame[0] == 0xFE)
			bmc_tick(&env.bmc, now_monotonic() + (usec_t)i * USEC_PER_SEC);
	}
	fuzz_env_end(&env);
	return 0;
}
