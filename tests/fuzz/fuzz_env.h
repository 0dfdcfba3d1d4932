/* The live model the libFuzzer targets run against: a struct bmc on a store in a temporary
 * directory ($FUZZ_TMPDIR, else /dev/shm when it exists), the simulated platform on a libuv
 * loop, and a LAN server whose replies are captured instead of sent. Every input starts from the same state:
 * the store files are restored from a template made once at start-up (a first start with a
 * known admin password), and the model, the platform and the session table are rebuilt.
 *
 * Plus the console side of the two LAN handshakes (IPMI 1.5 MD5 and RMCP+ RAKP), so that a
 * target can reach the in-session paths with real keys and let the input decide what comes
 * after. The client reuses the project's own crypto (lan/crypto.h). */
#pragma once
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "bmc/bmc.h"
#include "config.h"
#include "lan/lan.h"
#include "store/store.h"

#define FUZZ_ADMIN_NAME "admin"
#define FUZZ_ADMIN_PASSWORD "fuzz-Pa55word"

/* Model options chosen per input. */
enum {
	/* Cipher suite 0 and IPMI 1.5 auth types none and straight are enabled too (they are
	 * off by default, so otherwise their code is unreachable). */
	FUZZ_ENV_PERMISSIVE = 1 << 0,
};

struct fuzz_env {
	uv_loop_t loop;
	char dir[128];                 /* the state dir */
	struct fuzz_file *template_files;
	size_t n_template_files;
	struct softbmc_config cfg;
	struct store *store;
	struct platform *platform;
	struct bmc bmc;
	struct lan_server *lan;        /* NULL unless fuzz_env_init was asked for one */
	struct sockaddr_in peer;       /* where the "console" is: 127.0.0.1:40000 */
	/* The last datagram the LAN server sent, and how many it sent for this input. */
	uint8_t reply[LAN_MAX_PACKET];
	size_t reply_len;
	unsigned n_replies;
};

/* Where the targets keep scratch files: $FUZZ_TMPDIR, else /dev/shm, else /tmp. */
const char *fuzz_tmp_base(void);

/* Once per process (LLVMFuzzerInitialize): builds the template state. Aborts on failure (a
 * broken harness must not look like a clean run). */
void fuzz_env_init(struct fuzz_env *e, bool with_lan);
/* The same with the model of a configuration file (a profile in config/profiles: its physics,
 * sensors, FRU and identity). A process may hold up to 4 environments. */
void fuzz_env_init_config(struct fuzz_env *e, const char *config_path);
/* Before each input: a fresh model from the template, options from FUZZ_ENV_*. */
void fuzz_env_begin(struct fuzz_env *e, unsigned flags);
/* After each input: runs due loop callbacks, tears the model down (sessions included). */
void fuzz_env_end(struct fuzz_env *e);

/* What the server's once-a-second timer does, as if `seconds` had passed since now: abandoned
 * RAKP handshakes count as failed logins, idle sessions and half-open ones are reaped. */
void fuzz_lan_sweep(struct fuzz_env *e, unsigned seconds);
/* Sends one datagram to the LAN server from e->peer. Returns the number of replies. */
unsigned fuzz_lan_send(struct fuzz_env *e, const uint8_t *pkt, size_t len);

/* ---- the console side ---------------------------------------------------------------------- */

/* An RMCP+ session from the console's point of view. */
struct fuzz_rmcpp {
	uint8_t suite;
	uint8_t auth, integ, conf;
	uint32_t console_sid, bmc_sid;
	struct rakp_params rakp;
	uint8_t sik[RAKP_MAX_DIGEST], k1[RAKP_MAX_DIGEST], k2[RAKP_MAX_DIGEST];
	size_t key_len;
	uint32_t seq;  /* last in-session sequence number sent */
	int stage;     /* 0 none, 1 opened, 2 RAKP 2 received, 3 active */
};

/* Runs the handshake with cipher suite `suite` up to `stage` (1 = Open Session, 2 = RAKP 1/2,
 * 3 = RAKP 3/4: an active session with ADMINISTRATOR as its maximum privilege). Returns the
 * stage reached. */
int fuzz_rmcpp_handshake(struct fuzz_env *e, struct fuzz_rmcpp *c, uint8_t suite, int stage);
/* Wraps payload as an in-session packet (encrypted and integrity-protected as the session's
 * suite says) and sends it. */
void fuzz_rmcpp_send(struct fuzz_env *e, struct fuzz_rmcpp *c, uint8_t ptype,
		     const uint8_t *payload, size_t len);

/* An IPMI 1.5 session from the console's point of view. */
struct fuzz_v15 {
	uint8_t authtype;
	uint32_t sid;
	uint32_t seq;   /* next inbound (to the BMC) sequence number */
	uint8_t password[16];
	bool active;
};

/* Get Session Challenge + Activate Session with auth type `authtype` (2 = MD5; 0 and 4 only
 * with FUZZ_ENV_PERMISSIVE) for the admin user at ADMINISTRATOR. Returns 0 if active. */
int fuzz_v15_activate(struct fuzz_env *e, struct fuzz_v15 *c, uint8_t authtype);
/* Wraps an IPMI message as an authenticated IPMI 1.5 in-session packet and sends it. */
void fuzz_v15_send(struct fuzz_env *e, struct fuzz_v15 *c, const uint8_t *msg, size_t len);

/* Frames an IPMI request (§13.8 with both checksums) into out; returns its length. */
size_t fuzz_ipmi_request(uint8_t *out, size_t cap, uint8_t netfn, uint8_t cmd, uint8_t rq_seq,
			 const uint8_t *data, size_t len);

/* Splits an input into records [kind][len lo][len hi][len bytes]; returns false at the end
 * or on a truncated record. */
struct fuzz_reader {
	const uint8_t *p;
	size_t len, off;
};
bool fuzz_next_record(struct fuzz_reader *r, uint8_t *ret_kind, const uint8_t **ret_data,
		      size_t *ret_len);
