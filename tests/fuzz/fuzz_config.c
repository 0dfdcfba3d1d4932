/* Fuzz target: the YAML configuration (config.c: libyaml/libcyaml, the field checks, the
 * error messages that name a line). Input: the file's text.
 *
 * A configuration that loads must be usable: its FRU section builds into an image that passes
 * the FRU checker and decodes to the same fields (a one-character field comes back with the
 * trailing space fru.c adds to it). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "core/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_ERR);
	return 0;
}

static void fru_round_trip(const struct softbmc_config *cfg)
{
	static const uint8_t guid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct bmc_fru_info info, back;
	uint8_t img[BMC_FRU_SIZE];
	bmc_fru_config_resolve(&cfg->fru, guid, 1700000000ULL * USEC_PER_SEC, &info);
	int n = bmc_fru_build(&info, img, sizeof(img));
	if (n < 0)
		abort(); /* config.c accepted a FRU section that cannot be built */
	if (bmc_fru_image_check(img, sizeof(img)) < 0 || bmc_fru_decode(img, sizeof(img), &back) < 0)
		abort();
	for (int f = 0; f < BMC_FRU_FIELD_MAX; f++) {
		char want[BMC_FRU_TEXT_CAP + 1];
		/* one character is stored with a trailing space (0xC1 would be the end marker) */
		snprintf(want, sizeof(want), "%s%s", info.field[f], strlen(info.field[f]) == 1 ? " " : "");
		if (strcmp(want, back.field[f]) != 0) {
			fprintf(stderr, "FRU field %d: built '%s', decoded '%s'\n", f, info.field[f],
				back.field[f]);
			abort();
		}
	}
	if (info.chassis_type != back.chassis_type ||
	    info.board_mfg_minutes != back.board_mfg_minutes) {
		fprintf(stderr, "FRU chassis type %u/%u, mfg minutes %u/%u (built/decoded)\n",
			info.chassis_type, back.chassis_type, info.board_mfg_minutes,
			back.board_mfg_minutes);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct softbmc_config cfg;
	char err[512];
	config_defaults(&cfg);
	/* A copy of exactly the input's size: ASan sees any read past its end. */
	char *text = malloc(size ? size : 1);
	memcpy(text, data, size);
	int r = config_load_buffer("fuzz.yaml", text, size, &cfg, err, sizeof(err));
	free(text);
	if (r == 0)
		fru_round_trip(&cfg);
	else if (!memchr(err, '\0', sizeof(err)) || err[0] == '\0')
		abort(); /* every refusal says why */
	return 0;
}
