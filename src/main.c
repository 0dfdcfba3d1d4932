/* softbmcd: options, configuration and wiring of one BMC on one libuv loop. No logic here. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <uv.h>

#include "bmc/bmc.h"
#include "config.h"
#include "control/control.h"
#include "core/log.h"
#include "core/privdrop.h"
#include "lan/lan.h"
#include "ipmi/sysif.h"
#include "platform/qemu/qemu.h"
#include "platform/sim/sim.h"
#include "store/store.h"
#include "web/web.h"

struct daemon {
	uv_loop_t *loop;
	uv_signal_t sig_term, sig_int;
	uv_timer_t tick;
	struct store *store;
	struct platform *platform;
	struct lan_server *lan;
	struct web_server *web;
	struct control_server *control;
	struct bmc bmc;
	bool stopping;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: softbmcd --state-dir DIR [--listen ADDR:PORT] [--config FILE] [--log-level LEVEL]\n"
		"                [--sim-seed N] [--sim-speed N] [--scenario FILE]\n"
		"\n"
		"A software IPMI 2.0 BMC for a simulated server. Runs in the foreground, logs to stderr.\n"
		"\n"
		"  -s, --state-dir DIR     persistent state (SQLite database, key file); created if missing\n"
		"  -l, --listen ADDR:PORT  IPMI-over-LAN UDP address (default 127.0.0.1:623);\n"
		"                          IPv6 as [::1]:623\n"
		"      --http ADDR:PORT    serve HTTPS (Redfish, web console) there, e.g. 127.0.0.1:8443\n"
		"                          (default: the config's http.listen; none = no HTTPS)\n"
		"  -c, --config FILE       YAML configuration (see docs/config.md)\n"
		"      --log-level LEVEL   debug, info (default), warn, error\n"
		"  -u, --user NAME         started as root: run as NAME once the ports are bound\n"
		"                          (default: daemon.user, else 'softbmc' if it exists,\n"
		"                          else 'nobody'; 'root' keeps root)\n"
		"      --sim-seed N        noise seed of the simulated server (default: the profile's)\n"
		"      --sim-speed N       simulated seconds per real second, 0 = paused (0..1000)\n"
		"      --scenario FILE     run a scenario file from simulated time 0\n"
		"  -h, --help              this text\n"
		"  -V, --version           print the version\n"
		"\n"
		"First start on an empty state dir creates user 2 'admin' (ADMINISTRATOR). Its password is\n"
		"taken from $SOFTBMC_ADMIN_PASSWORD, else generated, printed once and written to\n"
		"DIR/initial-admin-password (mode 0600). SIGTERM or SIGINT stops the daemon cleanly.\n"
		"The `softbmc --state-dir DIR ...` tool talks to it over DIR/control.sock.\n");
}

struct options {
	const char *state_dir;
	const char *listen;
	const char *http;
	const char *config;
	enum log_level log_level;
	const char *user;
	bool have_seed, have_speed;
	unsigned long sim_seed;
	unsigned long sim_speed;
	const char *scenario;
};

/* A whole decimal number in [0, max]. */
static int parse_uint_opt(const char *name, const char *text, unsigned long max,
			  unsigned long *ret)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end || errno || v > max) {
		fprintf(stderr, "softbmcd: --%s: '%s' is not a whole number 0..%lu\n", name, text, max);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

static int parse_log_level(const char *s, enum log_level *ret)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, names[i]) == 0) {
			*ret = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "state-dir", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "http", required_argument, NULL, 'H' },
		{ "config", required_argument, NULL, 'c' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "user", required_argument, NULL, 'u' },
		{ "sim-seed", required_argument, NULL, 'S' },
		{ "sim-speed", required_argument, NULL, 'P' },
		{ "scenario", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	*o = (struct options){ .listen = "127.0.0.1:623", .log_level = LOG_INFO };
	int c;
	while ((c = getopt_long(argc, argv, "s:l:c:u:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->state_dir = optarg; break;
		case 'l': o->listen = optarg; break;
		case 'H': o->http = optarg; break;
		case 'c': o->config = optarg; break;
		case 'u': o->user = optarg; break;
		case 'S':
			if (parse_uint_opt("sim-seed", optarg, 0xFFFFFFFFul, &o->sim_seed) < 0)
				return -EINVAL;
			o->have_seed = true;
			break;
		case 'P':
			if (parse_uint_opt("sim-speed", optarg, PLATFORM_SIM_SPEED_MAX, &o->sim_speed) < 0)
				return -EINVAL;
			o->have_speed = true;
			break;
		case 'C': o->scenario = optarg; break;
		case 'L':
			if (parse_log_level(optarg, &o->log_level) < 0) {
				fprintf(stderr, "softbmcd: unknown log level '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("softbmcd %s\n", SOFTBMC_VERSION); exit(0);
		default: usage(stderr); return -EINVAL;
		}
	}
	if (optind != argc || !o->state_dir) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

static int write_password_file(const char *dir, const char *pw)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/initial-admin-password", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	size_t len = strlen(pw);
	bool ok = write(fd, pw, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	close(fd);
	return ok ? 0 : -EIO;
}

/* "0.1.0" → major 0, minor 0x10 (BCD), aux = remaining digits. */
static void identity_from_config(struct bmc_identity *id, const struct softbmc_config *cfg)
{
	unsigned major = 0, minor = 0, patch = 0;
	sscanf(SOFTBMC_VERSION, "%u.%u.%u", &major, &minor, &patch);
	*id = (struct bmc_identity){
		.device_id = 0x20,
		.device_rev = 0x01,
		.fw_major = (uint8_t)(major & 0x7F),
		.fw_minor = (uint8_t)((minor / 10 % 10) << 4 | minor % 10),
		.manufacturer_id = cfg->manufacturer_id & 0xFFFFF,
		.product_id = cfg->product_id,
		.aux_fw = { (uint8_t)patch, 0, 0, 0 },
	};
}

static void lan_security_from_config(struct bmc_lan_security *sec, const struct softbmc_config *cfg)
{
	sec->cipher_suites_enabled = cfg->cipher_suites;
	sec->auth_none_enabled = cfg->auth_none;
	sec->auth_straight_enabled = cfg->auth_straight;
	sec->auth_md5_enabled = cfg->auth_md5;
}

static void on_tick(uv_timer_t *t)
{
	struct daemon *d = t->data;
	bmc_tick(&d->bmc, now_monotonic());
}

/* The simulated server itself, or the simulated environment of a QEMU VM. */
static struct platform *daemon_sim(struct daemon *d)
{
	struct platform *env = platform_qemu_environment(d->platform);
	return env ? env : d->platform;
}

static int on_control(void *arg, const char *line, char *reply, size_t cap)
{
	struct daemon *d = arg;
	return platform_sim_command(daemon_sim(d), line, reply, cap);
}

/* In-band requests from the managed server (a QEMU guest's KCS) run through the command
 * table on the system interface channel. */
static size_t on_sysif_request(void *arg, const uint8_t *req, size_t len, uint8_t *rsp,
			       size_t cap)
{
	return ipmi_sysif_handle(arg, req, len, rsp, cap);
}

/* The profile's physics, --sim-seed and --sim-speed over the config. */
static void sim_config(const struct options *o, const struct softbmc_config *cfg,
		       struct platform_sim_config *sc)
{
	*sc = PLATFORM_SIM_CONFIG_DEFAULT;
	sc->soft_off_delay = (usec_t)cfg->sim_soft_off_delay_ms * USEC_PER_MSEC;
	sc->cycle_off_interval = (usec_t)cfg->sim_cycle_off_interval_ms * USEC_PER_MSEC;
	sc->model = &cfg->sim_model;
	sc->seed = o->have_seed ? o->sim_seed : cfg->sim_seed;
	sc->speed = o->have_speed ? (uint32_t)o->sim_speed : cfg->sim_speed;
}

static int scenario_start(struct daemon *d, const struct options *o)
{
	char err[512];
	if (o->scenario &&
	    platform_sim_scenario_load(daemon_sim(d), o->scenario, err, sizeof(err)) < 0) {
		log_err("scenario: %s", err);
		return -EINVAL;
	}
	return 0;
}

/* The local control socket for the softbmc tool. */
static int control_start(struct daemon *d, const struct options *o)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/control.sock", o->state_dir);
	int r = control_server_new(d->loop, path, on_control, d, &d->control);
	if (r < 0) /* the BMC works without it; only the softbmc tool cannot reach it */
		log_warn("control socket %s: %s; the softbmc tool will not reach this daemon", path,
			 r == -ENAMETOOLONG ? "path too long for a socket" : uv_strerror(r));
	return 0;
}

static void on_lan_closed(void *arg)
{
	(void)arg;
}

/* Closes everything on the loop; the loop then runs dry. Also the way out of a failed start:
 * every part is NULL-safe, and the tick and signal handles exist from the start of
 * daemon_start (lws must close its own handles, so nothing is closed by walking the loop). */
static void daemon_stop(struct daemon *d)
{
	if (d->stopping)
		return;
	d->stopping = true;
	lan_server_close(d->lan, on_lan_closed, d);
	d->lan = NULL;
	web_server_close(d->web);
	control_server_close(d->control);
	d->control = NULL;
	platform_free(d->platform);
	d->platform = NULL;
	d->bmc.platform = NULL;
	uv_close((uv_handle_t *)&d->tick, NULL);
	uv_close((uv_handle_t *)&d->sig_term, NULL);
	uv_close((uv_handle_t *)&d->sig_int, NULL);
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct daemon *d = h->data;
	if (!d->stopping)
		log_info("%s received, shutting down", signum == SIGTERM ? "SIGTERM" : "SIGINT");
	daemon_stop(d);
}

static int state_dir_prepare(const char *dir)
{
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	struct stat st;
	if (stat(dir, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static int admin_password_from_env(const char **ret)
{
	const char *pw = getenv("SOFTBMC_ADMIN_PASSWORD");
	*ret = NULL;
	if (!pw)
		return 0;
	size_t len = strlen(pw);
	if (len < 1 || len > BMC_PASSWORD_MAX) {
		log_err("SOFTBMC_ADMIN_PASSWORD must be 1 to %d bytes long", BMC_PASSWORD_MAX);
		return -EINVAL;
	}
	*ret = pw;
	return 0;
}

static int web_start(struct daemon *d, const struct options *o, const struct softbmc_config *cfg)
{
	const char *listen = o->http ? o->http : cfg->http.listen[0] ? cfg->http.listen : NULL;
	if (!listen)
		return 0;
	struct web_options wo = WEB_OPTIONS_DEFAULT;
	wo.listen = listen;
	wo.state_dir = o->state_dir;
	wo.cert_file = cfg->http.cert[0] ? cfg->http.cert : NULL;
	wo.key_file = cfg->http.key[0] ? cfg->http.key : NULL;
	wo.ui_dir = cfg->http.ui_dir[0] ? cfg->http.ui_dir : NULL;
	if (!wo.ui_dir && access(SOFTBMC_UI_DIR "/index.html", R_OK) == 0)
		wo.ui_dir = SOFTBMC_UI_DIR; /* the console of the source tree softbmcd was built from */
	wo.max_sessions = cfg->http.max_sessions;
	wo.session_timeout_s = cfg->http.session_timeout_s;
	wo.max_body = cfg->http.max_body;
	int r = web_server_new(d->loop, &d->bmc, &wo, &d->web);
	if (r < 0)
		return r;
	log_info("https listening on %s/ (Redfish at %s/redfish/v1)", web_server_url(d->web),
		 web_server_url(d->web));
	return 0;
}

/* The managed server: the simulated one, or a QEMU VM in a simulated environment. */
static int platform_start(struct daemon *d, const struct options *o,
			  const struct softbmc_config *cfg, const struct platform_sim_config *sc)
{
	struct platform_callbacks cb = bmc_platform_callbacks(&d->bmc);
	if (cfg->platform_type != CONFIG_PLATFORM_QEMU) {
		d->platform = platform_sim_new(d->loop, sc, cb);
		if (!d->platform)
			return -ENOMEM;
		log_info("simulated server: profile %s, seed %llu, speed %u", cfg->profile_name,
			 (unsigned long long)sc->seed, sc->speed);
		return 0;
	}
	char sock[4096], pidfile[4096], qmp[4096];
	snprintf(sock, sizeof(sock), "%s/qemu-ipmi.sock", o->state_dir);
	snprintf(pidfile, sizeof(pidfile), "%s/qemu.pid", o->state_dir);
	snprintf(qmp, sizeof(qmp), "%s/qemu-qmp.sock", o->state_dir);
	struct platform_qemu_config qc = {
		.command = cfg->qemu.command,
		.socket_path = sock,
		.pidfile = pidfile,
		.qmp_path = qmp,
		.kill_wait = (usec_t)cfg->qemu.kill_wait_s * USEC_PER_SEC,
		.cycle_off_interval = sc->cycle_off_interval,
	};
	cb.sysif_request = on_sysif_request; /* arg is the bmc, as for the other callbacks */
	int r = platform_qemu_new(d->loop, &qc, sc, cb, &d->platform);
	if (r < 0)
		return r;
	log_info("qemu virtual machine: ipmi-bmc-extern on %s, environment profile %s", sock,
		 cfg->profile_name);
	return 0;
}

static int daemon_start(struct daemon *d, const struct options *o, const struct softbmc_config *cfg)
{
	uv_timer_init(d->loop, &d->tick);
	d->tick.data = d;
	uv_signal_init(d->loop, &d->sig_term);
	uv_signal_init(d->loop, &d->sig_int);
	d->sig_term.data = d->sig_int.data = d;
	bool first = false;
	int r = store_open(o->state_dir, &d->store, &first);
	if (r < 0) {
		log_err("cannot open the state in %s: %s", o->state_dir, strerror(-r));
		return r;
	}
	struct platform_sim_config sc;
	sim_config(o, cfg, &sc);
	if ((r = platform_start(d, o, cfg, &sc)) < 0)
		return r;
	if (cfg->n_sensors) {
		d->bmc.sensors.defs = cfg->sensors;
		d->bmc.sensors.n_defs = cfg->n_sensors;
	}

	snprintf(d->bmc.name, sizeof(d->bmc.name), "bmc");
	identity_from_config(&d->bmc.identity, cfg);
	lan_security_from_config(&d->bmc.lan_sec, cfg);
	d->bmc.sel.capacity = cfg->sel_capacity;
	d->bmc.fru.config = &cfg->fru; /* read by bmc_init at first start only */
	const char *admin_pw;
	if ((r = admin_password_from_env(&admin_pw)) < 0)
		return r;
	char generated[17];
	r = bmc_init(&d->bmc, d->store, d->platform, admin_pw, generated, first);
	if (r < 0) {
		log_err("cannot initialise the BMC from %s: %s", o->state_dir, strerror(-r));
		return r;
	}
	if (first && generated[0]) {
		r = write_password_file(o->state_dir, generated);
		fprintf(stderr, "softbmcd: first start: user 'admin' created with password: %s\n"
				"softbmcd: (also in %s/initial-admin-password; change it with "
				"'ipmitool user set password 2')\n", generated, o->state_dir);
		OPENSSL_cleanse(generated, sizeof(generated));
		if (r < 0)
			return r;
	} else if (first) {
		log_info("first start: user 'admin' created with the password from SOFTBMC_ADMIN_PASSWORD");
	}

	struct lan_options lo = {
		.max_sessions = cfg->max_sessions,
		.idle_timeout = (usec_t)cfg->session_timeout_s * USEC_PER_SEC,
		.half_open_timeout = (usec_t)cfg->half_open_timeout_s * USEC_PER_SEC,
		.rate_limit = cfg->rate_limit,
		.rate_limit_burst = cfg->rate_limit_burst,
	};
	r = lan_server_new(d->loop, &d->bmc, o->listen, &lo, &d->lan);
	if (r < 0)
		return r;
	if ((r = scenario_start(d, o)) < 0 || (r = control_start(d, o)) < 0)
		return r;
	uv_timer_start(&d->tick, on_tick, 100, 100);
	uv_signal_start(&d->sig_term, on_signal, SIGTERM);
	uv_signal_start(&d->sig_int, on_signal, SIGINT);
	if ((r = web_start(d, o, cfg)) < 0)
		return r;
	return 0;
}

/* OpenSSL initialised before anything uses it. Its error strings (a hash of every reason text:
 * about 450 kB of libcrypto's pages and 50 kB of heap, measured in bench/RESULTS.md) are only
 * ever printed by libwebsockets' TLS code; softbmcd itself never prints an OpenSSL error. So
 * they are loaded as before when HTTPS is configured, and not at all without it. The system's
 * OpenSSL configuration file is read either way, as before. */
static int crypto_init(const struct options *o, const struct softbmc_config *cfg)
{
	bool https = o->http || cfg->http.listen[0];
	uint64_t strings = https ? OPENSSL_INIT_LOAD_CRYPTO_STRINGS :
				   OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS;
	return OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG | strings, NULL) == 1 ? 0 : -EIO;
}

/* The one place root is given up: after daemon_start has bound every listener, before the
 * loop runs any request (docs/security.md). A failure is fatal. */
static int daemon_drop_privileges(const struct options *o, const struct softbmc_config *cfg)
{
	/* QEMU runs as the daemon's user and needs /dev/kvm (group kvm) to use KVM. */
	return privdrop_become(o->user ? o->user : cfg->daemon_user, o->state_dir,
			       cfg->platform_type == CONFIG_PLATFORM_QEMU ? "kvm" : NULL);
}


int main(int argc, char **argv)
{
	struct options o;
	if (parse_options(argc, argv, &o) < 0)
		return 2;
	log_set_level(o.log_level);
	signal(SIGPIPE, SIG_IGN);

	static struct softbmc_config cfg; /* the sensor table lives here for the daemon's life */
	config_defaults(&cfg);
	char err[512];
	if (o.config && config_load(o.config, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "softbmcd: %s\n", err);
		return 2;
	}
	int r = state_dir_prepare(o.state_dir);
	if (r < 0) {
		fprintf(stderr, "softbmcd: state dir %s: %s\n", o.state_dir, strerror(-r));
		return 1;
	}

	if (crypto_init(&o, &cfg) < 0) {
		fprintf(stderr, "softbmcd: cannot initialise OpenSSL\n");
		return 1;
	}
	static struct daemon d;
	d.loop = uv_default_loop();
	r = daemon_start(&d, &o, &cfg);
	if (r == 0)
		r = daemon_drop_privileges(&o, &cfg);
	if (r == 0) {
		log_info("ipmi lan listening on %s ready", o.listen);
		uv_run(d.loop, UV_RUN_DEFAULT);
	} else {
		daemon_stop(&d);
		uv_run(d.loop, UV_RUN_DEFAULT);
	}
	web_server_free(d.web);
	bmc_fini(&d.bmc);
	store_close(d.store);
	uv_loop_close(d.loop);
	if (r == 0)
		log_info("stopped");
	return r == 0 ? 0 : 1;
}
