/* The fuzz targets' live model and console side; see fuzz_env.h. */
#include "fuzz_env.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "core/log.h"
#include "ipmi/msg.h"
#include "lan/rmcpp_wire.h"
#include "platform/sim/sim.h"

struct fuzz_file {
	char name[64];
	uint8_t *data;
	size_t len;
};

static void on_exit_cleanup(void);

static void die(const char *what, int err)
{
	fprintf(stderr, "fuzz_env: %s: %s\n", what, strerror(err < 0 ? -err : err));
	on_exit_cleanup();
	abort();
}

/* ---- files ------------------------------------------------------------------------------ */

static void dir_clear(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		die(dir, errno);
	struct dirent *de;
	char path[300];
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
}

static void file_read(const char *path, struct fuzz_file *f)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		die(path, errno);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	f->data = malloc(n > 0 ? (size_t)n : 1);
	f->len = fread(f->data, 1, (size_t)n, fp);
	fclose(fp);
}

static void file_write(const char *path, const struct fuzz_file *f)
{
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(f->data, 1, f->len, fp) != f->len)
		die(path, errno);
	fclose(fp);
	chmod(path, 0600);
}

/* Keeps every file the first start left in the state dir. */
static void template_take(struct fuzz_env *e)
{
	DIR *d = opendir(e->dir);
	if (!d)
		die(e->dir, errno);
	struct dirent *de;
	char path[300];
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		e->template_files = realloc(e->template_files,
					    (e->n_template_files + 1) * sizeof(struct fuzz_file));
		struct fuzz_file *f = &e->template_files[e->n_template_files++];
		snprintf(f->name, sizeof(f->name), "%s", de->d_name);
		snprintf(path, sizeof(path), "%s/%s", e->dir, de->d_name);
		file_read(path, f);
	}
	closedir(d);
}

static void template_restore(struct fuzz_env *e)
{
	char path[300];
	dir_clear(e->dir);
	for (size_t i = 0; i < e->n_template_files; i++) {
		snprintf(path, sizeof(path), "%s/%s", e->dir, e->template_files[i].name);
		file_write(path, &e->template_files[i]);
	}
}

/* ---- the model -------------------------------------------------------------------------- */

static void on_send(void *arg, const struct sockaddr *peer, const uint8_t *p, size_t n)
{
	struct fuzz_env *e = arg;
	(void)peer;
	if (n > sizeof(e->reply))
		abort(); /* the server never builds a datagram larger than its own limit */
	memcpy(e->reply, p, n);
	e->reply_len = n;
	e->n_replies++;
}

static void model_open(struct fuzz_env *e, bool first, unsigned flags)
{
	bool was_first = false;
	int r = store_open(e->dir, &e->store, &was_first);
	if (r < 0)
		die("store_open", r);
	struct platform_sim_config sc = PLATFORM_SIM_CONFIG_DEFAULT;
	sc.model = &e->cfg.sim_model; /* the profile's physics and sensors, as main.c wires them */
	sc.seed = e->cfg.sim_seed;
	sc.speed = e->cfg.sim_speed;
	memset(&e->bmc, 0, sizeof(e->bmc));
	if (e->cfg.n_sensors) {
		e->bmc.sensors.defs = e->cfg.sensors;
		e->bmc.sensors.n_defs = e->cfg.n_sensors;
	}
	e->platform = platform_sim_new(&e->loop, &sc, bmc_platform_callbacks(&e->bmc));
	if (!e->platform)
		die("platform_sim_new", ENOMEM);
	snprintf(e->bmc.name, sizeof(e->bmc.name), "fuzz");
	e->bmc.identity = (struct bmc_identity){ .device_id = 0x20, .device_rev = 1,
						  .manufacturer_id = e->cfg.manufacturer_id,
						  .product_id = e->cfg.product_id };
	bool permissive = flags & FUZZ_ENV_PERMISSIVE;
	e->bmc.lan_sec = (struct bmc_lan_security){
		.cipher_suites_enabled = e->cfg.cipher_suites | (permissive ? 1u : 0u),
		.auth_none_enabled = permissive,
		.auth_straight_enabled = permissive,
		.auth_md5_enabled = true,
	};
	e->bmc.sel.capacity = 64; /* small enough that inputs can fill it */
	e->bmc.fru.config = &e->cfg.fru;
	char generated[17];
	r = bmc_init(&e->bmc, e->store, e->platform, FUZZ_ADMIN_PASSWORD, generated, first);
	if (r < 0)
		die("bmc_init", r);
	if (e->lan) {
		e->lan->bmc = &e->bmc;
		e->bmc.max_sessions = (uint8_t)e->lan->sessions.n_slots;
		bmc_lanconf_set_rmcp_port(&e->bmc, 623);
	}
}

static void model_close(struct fuzz_env *e)
{
	if (e->lan) {
		for (unsigned i = 0; i < e->lan->sessions.n_slots; i++)
			session_free(&e->lan->sessions.slot[i]);
	}
	platform_free(e->platform);
	e->platform = NULL;
	e->bmc.platform = NULL;
	uv_run(&e->loop, UV_RUN_NOWAIT); /* the platform's timer close callback frees it */
	bmc_fini(&e->bmc);
	store_close(e->store);
	e->store = NULL;
}

/* $FUZZ_TMPDIR (tests/fuzz/run.sh sets one per run and removes it, so a crash that skips the
 * exit handler leaves nothing behind), else /dev/shm (no disk syncs), else /tmp. */
const char *fuzz_tmp_base(void)
{
	struct stat st;
	const char *env = getenv("FUZZ_TMPDIR");
	if (env && *env)
		return env;
	return stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
}

#define FUZZ_ENVS_MAX 4
static struct fuzz_env *cleanup_envs[FUZZ_ENVS_MAX];

/* A free UDP port on 127.0.0.1 for the server's socket (which never receives: replies go to
 * the send hook and packets come from fuzz_lan_send). */
static void free_port_listen(char *out, size_t cap)
{
	uv_udp_t u;
	struct sockaddr_in sa;
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	uv_ip4_addr("127.0.0.1", 0, &sa);
	if (uv_udp_init(uv_default_loop(), &u) < 0 ||
	    uv_udp_bind(&u, (const struct sockaddr *)&sa, 0) < 0 ||
	    uv_udp_getsockname(&u, (struct sockaddr *)&ss, &len) < 0)
		die("udp port", EADDRNOTAVAIL);
	snprintf(out, cap, "127.0.0.1:%u", ntohs(((struct sockaddr_in *)&ss)->sin_port));
	uv_close((uv_handle_t *)&u, NULL);
	uv_run(uv_default_loop(), UV_RUN_NOWAIT);
}

static void env_init(struct fuzz_env *e, bool with_lan, const char *config_path)
{
	static FILE *devnull;
	memset(e, 0, sizeof(*e));
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		die("/dev/null", errno);
	log_set_level(LOG_DEBUG);
	log_set_stream(devnull); /* format every line (that is code too), show none */
	config_defaults(&e->cfg);
	char err[512];
	if (config_path && config_load(config_path, &e->cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_env: %s\n", err);
		abort();
	}
	uv_loop_init(&e->loop);
	snprintf(e->dir, sizeof(e->dir), "%s/softbmc-fuzz.XXXXXX", fuzz_tmp_base());
	if (!mkdtemp(e->dir))
		die("mkdtemp", errno);
	size_t slot = 0;
	while (slot < FUZZ_ENVS_MAX && cleanup_envs[slot])
		slot++;
	if (slot == FUZZ_ENVS_MAX)
		die("fuzz_env_init", EMFILE);
	if (slot == 0)
		atexit(on_exit_cleanup);
	cleanup_envs[slot] = e;
	if (with_lan) {
		struct lan_options lo = { .max_sessions = 8,
					  .idle_timeout = 60 * USEC_PER_SEC,
					  .half_open_timeout = 5 * USEC_PER_SEC,
					  /* off: the limiter depends on the clock; inputs must
					   * reproduce (it has its own unit tests) */
					  .rate_limit = 0 };
		/* The model must exist before the server (it reports its port to LAN params). */
		model_open(e, true, 0);
		char listen[32];
		free_port_listen(listen, sizeof(listen));
		int r = lan_server_new(&e->loop, &e->bmc, listen, &lo, &e->lan);
		if (r < 0)
			die("lan_server_new", r);
		uv_timer_stop(&e->lan->sweep); /* time-driven reaping is not the input's doing */
		uv_udp_recv_stop(&e->lan->udp);
		e->lan->send_hook = on_send;
		e->lan->send_hook_arg = e;
	} else {
		model_open(e, true, 0);
	}
	model_close(e);
	template_take(e);
	e->peer.sin_family = AF_INET;
	e->peer.sin_port = htons(40000);
	e->peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

void fuzz_env_init(struct fuzz_env *e, bool with_lan)
{
	env_init(e, with_lan, NULL);
}

void fuzz_env_init_config(struct fuzz_env *e, const char *config_path)
{
	env_init(e, false, config_path);
}

static void on_exit_cleanup(void)
{
	for (size_t i = 0; i < FUZZ_ENVS_MAX; i++) {
		struct fuzz_env *e = cleanup_envs[i];
		if (!e)
			continue;
		cleanup_envs[i] = NULL;
		dir_clear(e->dir);
		rmdir(e->dir);
	}
}

void fuzz_env_begin(struct fuzz_env *e, unsigned flags)
{
	template_restore(e);
	model_open(e, false, flags);
	e->reply_len = 0;
	e->n_replies = 0;
}

void fuzz_env_end(struct fuzz_env *e)
{
	uv_run(&e->loop, UV_RUN_NOWAIT);
	model_close(e);
}

unsigned fuzz_lan_send(struct fuzz_env *e, const uint8_t *pkt, size_t len)
{
	unsigned before = e->n_replies;
	/* Like the UDP receive path: the datagram sits in a buffer of its own size, so reading
	 * past its end is an overflow ASan sees. */
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, pkt, len);
	lan_server_handle_packet(e->lan, copy, len, (const struct sockaddr *)&e->peer);
	free(copy);
	if (e->bmc.reset_requested) /* as lan_after_reply left it, if it did not run */
		(void)bmc_reset(&e->bmc, e->bmc.reset_requested == BMC_RESET_COLD);
	return e->n_replies - before;
}

void fuzz_lan_sweep(struct fuzz_env *e, unsigned seconds)
{
	usec_t now = now_monotonic() + (usec_t)seconds * USEC_PER_SEC;
	rmcpplus_reap_abandoned(e->lan, now);
	session_sweep(&e->lan->sessions, now);
	e->bmc.active_sessions[IPMI_CHANNEL_LAN] = (uint8_t)session_count_active(&e->lan->sessions);
}

/* ---- framing ---------------------------------------------------------------------------- */

size_t fuzz_ipmi_request(uint8_t *out, size_t cap, uint8_t netfn, uint8_t cmd, uint8_t rq_seq,
			 const uint8_t *data, size_t len)
{
	struct wbuf w = wbuf_init(out, cap);
	struct ipmi_msg_hdr h = { .rs_addr = IPMI_BMC_SLAVE_ADDR, .netfn = netfn, .rq_addr = 0x81,
				  .rq_seq = rq_seq & 0x3F, .cmd = cmd };
	ipmi_msg_build_req(&w, &h, data, len);
	return w.err ? 0 : w.len;
}

bool fuzz_next_record(struct fuzz_reader *r, uint8_t *ret_kind, const uint8_t **ret_data,
		      size_t *ret_len)
{
	if (r->len - r->off < 3)
		return false;
	const uint8_t *p = r->p + r->off;
	size_t n = (size_t)p[1] | (size_t)p[2] << 8;
	size_t left = r->len - r->off - 3;
	if (n > left)
		n = left; /* a short last record keeps what there is */
	*ret_kind = p[0];
	*ret_data = p + 3;
	*ret_len = n;
	r->off += 3 + n;
	return true;
}

/* ---- RMCP+ console ---------------------------------------------------------------------- */

static const struct {
	uint8_t id, auth, integ, conf;
} suites[] = {
	{ 0, 0, 0, 0 }, { 1, 1, 0, 0 }, { 2, 1, 1, 0 }, { 3, 1, 1, 1 },
	{ 15, 3, 0, 0 }, { 16, 3, 4, 0 }, { 17, 3, 4, 1 },
};

/* Sends a session-setup payload; returns the reply's payload (or NULL) and its length. */
static const uint8_t *rmcpp_setup(struct fuzz_env *e, uint8_t ptype, uint8_t want,
				  const uint8_t *payload, size_t len, size_t *ret_len)
{
	uint8_t pkt[LAN_MAX_PACKET];
	struct wbuf w = wbuf_init(pkt, sizeof(pkt));
	rmcpp_put_header(&w, ptype, 0, 0);
	wbuf_u16le(&w, (uint16_t)len);
	wbuf_bytes(&w, payload, len);
	if (w.err || fuzz_lan_send(e, pkt, w.len) != 1)
		return NULL;
	struct rbuf r = rbuf_init(e->reply, e->reply_len);
	rbuf_skip(&r, 5);
	uint8_t got = rbuf_u8(&r) & 0x3F;
	rbuf_skip(&r, 8);
	uint16_t plen = rbuf_u16le(&r);
	const uint8_t *p = rbuf_take(&r, plen);
	if (r.err || got != want || plen < 8 || p[1] != 0)
		return NULL;
	*ret_len = plen;
	return p;
}

static bool rmcpp_open(struct fuzz_env *e, struct fuzz_rmcpp *c)
{
	uint8_t p[32];
	struct wbuf w = wbuf_init(p, sizeof(p));
	wbuf_bytes(&w, (uint8_t[]){ 0x01, IPMI_PRIV_ADMIN, 0, 0 }, 4);
	wbuf_u32le(&w, c->console_sid);
	wbuf_bytes(&w, (uint8_t[]){ 0, 0, 0, 8, c->auth, 0, 0, 0 }, 8);
	wbuf_bytes(&w, (uint8_t[]){ 1, 0, 0, 8, c->integ, 0, 0, 0 }, 8);
	wbuf_bytes(&w, (uint8_t[]){ 2, 0, 0, 8, c->conf, 0, 0, 0 }, 8);
	size_t n;
	const uint8_t *rs = rmcpp_setup(e, 0x10, 0x11, p, w.len, &n);
	if (!rs || n < 12)
		return false;
	c->bmc_sid = (uint32_t)rs[8] | (uint32_t)rs[9] << 8 | (uint32_t)rs[10] << 16 |
		     (uint32_t)rs[11] << 24;
	return true;
}

static bool rmcpp_rakp1(struct fuzz_env *e, struct fuzz_rmcpp *c)
{
	struct rakp_params *k = &c->rakp;
	memset(k, 0, sizeof(*k));
	k->auth = c->auth;
	k->console_sid = c->console_sid;
	k->bmc_sid = c->bmc_sid;
	memset(k->rm, 0x5A, sizeof(k->rm)); /* deterministic: the BMC's Rc is random anyway */
	k->role = 0x10 | IPMI_PRIV_ADMIN;   /* name-only lookup */
	k->name_len = sizeof(FUZZ_ADMIN_NAME) - 1;
	memcpy(k->name, FUZZ_ADMIN_NAME, k->name_len);
	memcpy(k->kuid, FUZZ_ADMIN_PASSWORD, sizeof(FUZZ_ADMIN_PASSWORD) - 1);

	uint8_t p[48];
	struct wbuf w = wbuf_init(p, sizeof(p));
	wbuf_bytes(&w, (uint8_t[]){ 0x02, 0, 0, 0 }, 4);
	wbuf_u32le(&w, c->bmc_sid);
	wbuf_bytes(&w, k->rm, 16);
	wbuf_bytes(&w, (uint8_t[]){ k->role, 0, 0, k->name_len }, 4);
	wbuf_bytes(&w, k->name, k->name_len);
	size_t n;
	const uint8_t *rs = rmcpp_setup(e, 0x12, 0x13, p, w.len, &n);
	if (!rs || n < 40)
		return false;
	memcpy(k->rc, rs + 8, 16);
	memcpy(k->guid, rs + 24, 16);
	return true;
}

static bool rmcpp_rakp3(struct fuzz_env *e, struct fuzz_rmcpp *c)
{
	uint8_t p[8 + RAKP_MAX_DIGEST];
	struct wbuf w = wbuf_init(p, sizeof(p));
	wbuf_bytes(&w, (uint8_t[]){ 0x03, 0, 0, 0 }, 4);
	wbuf_u32le(&w, c->bmc_sid);
	uint8_t code[RAKP_MAX_DIGEST];
	wbuf_bytes(&w, code, rakp3_auth_code(&c->rakp, code));
	size_t n;
	if (!rmcpp_setup(e, 0x14, 0x15, p, w.len, &n))
		return false;
	c->key_len = rakp_sik(&c->rakp, c->sik);
	if (c->auth != RAKP_AUTH_NONE) {
		rakp_kn(c->auth, c->sik, 1, c->k1);
		rakp_kn(c->auth, c->sik, 2, c->k2);
	}
	return true;
}

int fuzz_rmcpp_handshake(struct fuzz_env *e, struct fuzz_rmcpp *c, uint8_t suite, int stage)
{
	memset(c, 0, sizeof(*c));
	size_t i = 0;
	while (i < sizeof(suites) / sizeof(suites[0]) - 1 && suites[i].id != suite)
		i++;
	c->suite = suites[i].id;
	c->auth = suites[i].auth;
	c->integ = suites[i].integ;
	c->conf = suites[i].conf;
	c->console_sid = 0xC0DE0001;
	if (stage >= 1 && rmcpp_open(e, c))
		c->stage = 1;
	if (stage >= 2 && c->stage == 1 && rmcpp_rakp1(e, c))
		c->stage = 2;
	if (stage >= 3 && c->stage == 2 && rmcpp_rakp3(e, c))
		c->stage = 3;
	return c->stage;
}

void fuzz_rmcpp_send(struct fuzz_env *e, struct fuzz_rmcpp *c, uint8_t ptype,
		     const uint8_t *payload, size_t len)
{
	uint8_t pkt[LAN_MAX_PACKET + 64];
	struct wbuf w = wbuf_init(pkt, sizeof(pkt));
	const uint8_t *key = c->integ == RMCP_INTEG_MD5_128 ? c->rakp.kuid : c->k1;
	size_t klen = c->integ == RMCP_INTEG_MD5_128 ? sizeof(c->rakp.kuid) : c->key_len;
	if (rmcpp_seal(&w, (uint8_t)(ptype & 0x3F), c->bmc_sid, ++c->seq, payload, len,
		       c->conf != 0, c->k2, c->integ, key, klen) == 0)
		fuzz_lan_send(e, pkt, w.len);
}

/* ---- IPMI 1.5 console ------------------------------------------------------------------- */

static void v15_packet(struct fuzz_env *e, uint8_t authtype, uint32_t seq, uint32_t sid,
		       const uint8_t password[static 16], const uint8_t *msg, size_t len)
{
	uint8_t pkt[LAN_MAX_PACKET];
	struct wbuf w = wbuf_init(pkt, sizeof(pkt));
	wbuf_bytes(&w, (uint8_t[]){ RMCP_VERSION, 0, RMCP_SEQ_NO_ACK, RMCP_CLASS_IPMI }, 4);
	wbuf_u8(&w, authtype);
	wbuf_u32le(&w, seq);
	wbuf_u32le(&w, sid);
	if (authtype != 0) {
		uint8_t *code = wbuf_reserve(&w, 16);
		if (code && ipmi15_auth_code(authtype, password, sid, seq, msg, len, code) < 0)
			return;
	}
	if (len > 255)
		return;
	wbuf_u8(&w, (uint8_t)len);
	wbuf_bytes(&w, msg, len);
	if (!w.err)
		fuzz_lan_send(e, pkt, w.len);
}

/* The IPMI response message in the last IPMI 1.5 reply: its data after the completion code. */
static const uint8_t *v15_reply_data(struct fuzz_env *e, size_t *ret_len)
{
	struct rbuf r = rbuf_init(e->reply, e->reply_len);
	rbuf_skip(&r, 4);
	uint8_t authtype = rbuf_u8(&r);
	rbuf_skip(&r, 8 + (authtype ? 16 : 0));
	uint8_t mlen = rbuf_u8(&r);
	const uint8_t *m = rbuf_take(&r, mlen);
	if (r.err || mlen < 8 || m[6] != 0)
		return NULL;
	*ret_len = mlen - 8u; /* 6 header bytes, completion code, checksum */
	return m + 7;
}

int fuzz_v15_activate(struct fuzz_env *e, struct fuzz_v15 *c, uint8_t authtype)
{
	memset(c, 0, sizeof(*c));
	c->authtype = authtype;
	memcpy(c->password, FUZZ_ADMIN_PASSWORD, sizeof(FUZZ_ADMIN_PASSWORD) - 1);
	uint8_t data[22] = { authtype };
	memcpy(data + 1, FUZZ_ADMIN_NAME, sizeof(FUZZ_ADMIN_NAME) - 1);
	uint8_t msg[64];
	size_t n = fuzz_ipmi_request(msg, sizeof(msg), IPMI_NETFN_APP, 0x39, 1, data, 17);
	v15_packet(e, 0, 0, 0, c->password, msg, n);
	size_t dlen;
	const uint8_t *d = v15_reply_data(e, &dlen);
	if (!d || dlen < 20)
		return -1;
	c->sid = (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
	data[0] = authtype;
	data[1] = IPMI_PRIV_ADMIN;
	memcpy(data + 2, d + 4, 16);
	memcpy(data + 18, (uint8_t[]){ 1, 0, 0, 0 }, 4); /* the BMC's first outbound number */
	n = fuzz_ipmi_request(msg, sizeof(msg), IPMI_NETFN_APP, 0x3A, 2, data, 22);
	e->reply_len = 0;
	v15_packet(e, authtype, 0, c->sid, c->password, msg, n);
	d = v15_reply_data(e, &dlen);
	if (!d || dlen < 10)
		return -1;
	c->sid = (uint32_t)d[1] | (uint32_t)d[2] << 8 | (uint32_t)d[3] << 16 | (uint32_t)d[4] << 24;
	c->seq = (uint32_t)d[5] | (uint32_t)d[6] << 8 | (uint32_t)d[7] << 16 | (uint32_t)d[8] << 24;
	c->active = true;
	return 0;
}

void fuzz_v15_send(struct fuzz_env *e, struct fuzz_v15 *c, const uint8_t *msg, size_t len)
{
	v15_packet(e, c->authtype, c->seq++, c->sid, c->password, msg, len);
}
