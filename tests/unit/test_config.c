/* Unit tests for config.c: defaults, a full file, the shipped example, and refusals whose
 * messages name the file, the line and the field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#include "fixture.h"

static void assert_defaults(const struct softbmc_config *c)
{
	assert_int_equal(c->session_timeout_s, 60);
	assert_int_equal(c->half_open_timeout_s, 5);
	assert_int_equal(c->max_sessions, 32);
	assert_int_equal(c->cipher_suites, 1u << 1 | 1u << 2 | 1u << 3 | 1u << 15 | 1u << 16 |
			 1u << 17);
	assert_false(c->auth_none);
	assert_false(c->auth_straight);
	assert_true(c->auth_md5);
	assert_int_equal(c->manufacturer_id, 0);
	assert_int_equal(c->product_id, 0x0b5c);
	assert_int_equal(c->sim_soft_off_delay_ms, 3000);
	assert_int_equal(c->sim_cycle_off_interval_ms, 2000);
	assert_string_equal(c->http.listen, "");
	assert_int_equal(c->http.max_sessions, 16);
	assert_int_equal(c->http.session_timeout_s, 600);
	assert_int_equal(c->http.max_body, 65536);
}

static void t_defaults(void **state)
{
	struct test_cfg *f = *state;
	assert_defaults(&f->cfg);
	/* no file is not a configuration: the caller decides whether to load one */
	assert_int_equal(config_load(f->path, &f->cfg, f->err, sizeof(f->err)), -ENOENT);
	assert_non_null(strstr(f->err, "softbmc.yaml"));
	assert_defaults(&f->cfg);
	/* an empty file, comments only, and empty sections are all the defaults */
	assert_int_equal(test_cfg_load(f, ""), 0);
	assert_int_equal(test_cfg_load(f, "# nothing here\n"), 0);
	assert_int_equal(test_cfg_load(f, "lan:\nidentity:\nplatform:\n  sim:\n"), 0);
	assert_defaults(&f->cfg);
}

static void t_full_file(void **state)
{
	struct test_cfg *f = *state;
	assert_int_equal(test_cfg_load(f,
		"lan:\n"
		"  session_timeout: 120\n"
		"  half_open_timeout: 10\n"
		"  max_sessions: 63\n"
		"  cipher_suites:\n"
		"    - 0\n"
		"    - 3\n"
		"    - 17\n"
		"  ipmi15_auth_types: [none, straight]\n"
		"identity:\n"
		"  manufacturer_id: 0xFFFFF\n"
		"  product_id: 0x1234\n"
		"platform:\n"
		"  type: sim\n"
		"  sim:\n"
		"    soft_off_delay_ms: 0\n"
		"    cycle_off_interval_ms: 5000\n"), 0);
	assert_string_equal(f->err, "");
	assert_int_equal(f->cfg.session_timeout_s, 120);
	assert_int_equal(f->cfg.half_open_timeout_s, 10);
	assert_int_equal(f->cfg.max_sessions, 63);
	assert_int_equal(f->cfg.cipher_suites, 1u << 0 | 1u << 3 | 1u << 17);
	assert_true(f->cfg.auth_none);
	assert_true(f->cfg.auth_straight);
	assert_false(f->cfg.auth_md5);
	assert_int_equal(f->cfg.manufacturer_id, 0xfffff);
	assert_int_equal(f->cfg.product_id, 0x1234);
	assert_int_equal(f->cfg.sim_soft_off_delay_ms, 0);
	assert_int_equal(f->cfg.sim_cycle_off_interval_ms, 5000);
}

static void t_partial_file(void **state)
{
	struct test_cfg *f = *state;
	assert_int_equal(test_cfg_load(f, "lan: {max_sessions: 4, ipmi15_auth_types: []}\n"), 0);
	assert_int_equal(f->cfg.max_sessions, 4);
	assert_false(f->cfg.auth_md5);
	assert_int_equal(f->cfg.session_timeout_s, 60);
	assert_int_equal(f->cfg.product_id, 0x0b5c);
}

/* The shipped example lists every key with its default. */
static void t_example_is_defaults(void **state)
{
	struct test_cfg *f = *state;
	char path[512];
	snprintf(path, sizeof(path), "%s/config/softbmc.yaml", SOURCE_ROOT);
	assert_int_equal(access(path, R_OK), 0);
	struct softbmc_config c;
	config_defaults(&c);
	c.max_sessions = 1; /* proves the file was read */
	assert_int_equal(config_load(path, &c, f->err, sizeof(f->err)), 0);
	assert_defaults(&c);
}

/* http: (issue 5) */
static void t_http(void **state)
{
	struct test_cfg *f = *state;
	assert_int_equal(test_cfg_load(f, "http:\n  listen: 127.0.0.1:8443\n  cert: /c.pem\n"
				   "  key: /k.pem\n  max_sessions: 4\n  session_timeout: 60\n"
				   "  max_body: 2048\n"), 0);
	assert_string_equal(f->cfg.http.listen, "127.0.0.1:8443");
	assert_string_equal(f->cfg.http.cert, "/c.pem");
	assert_string_equal(f->cfg.http.key, "/k.pem");
	assert_int_equal(f->cfg.http.max_sessions, 4);
	assert_int_equal(f->cfg.http.session_timeout_s, 60);
	assert_int_equal(f->cfg.http.max_body, 2048);
	test_cfg_refused(f, "http:\n  max_sessions: 65\n", "softbmc.yaml:2:", "http.max_sessions",
		"out of range");
	test_cfg_refused(f, "http:\n  cert: /c.pem\n", "softbmc.yaml:", "http.cert", "go together");
	test_cfg_refused(f, "http:\n  listen: localhost\n", "softbmc.yaml:2:", "http.listen",
		"not ADDR:PORT");
}

static void t_unknown_key(void **state)
{
	struct test_cfg *f = *state;
	test_cfg_refused(f, "lan:\n  max_sessions: 4\n  # a comment\n  max_session: 5\n",
		"softbmc.yaml:4:", "lan.max_session", "unknown key");
	test_cfg_refused(f, "lan:\n  max_sessions: 4\nbogus: 1\n",
		"softbmc.yaml:3:", "bogus", "unknown key");
	test_cfg_refused(f, "platform:\n  sim:\n    soft_off_delay: 1\n",
		"softbmc.yaml:3:", "platform.sim.soft_off_delay", "unknown key");
}

static void t_wrong_type(void **state)
{
	struct test_cfg *f = *state;
	test_cfg_refused(f, "lan:\n  session_timeout: 30\n  max_sessions: [1, 2]\n",
		"softbmc.yaml:3:", "lan.max_sessions", "expected a single value, found a list");
	test_cfg_refused(f, "identity: 5\n", "softbmc.yaml:1:", "identity", "expected a mapping");
	test_cfg_refused(f, "lan:\n  max_sessions: twelve\n",
		"softbmc.yaml:2:", "lan.max_sessions", "'twelve' is not a whole number");
	/* libcyaml alone would read these as 12, 1 and 10 */
	test_cfg_refused(f, "lan:\n  max_sessions: 12abc\n", "softbmc.yaml:2:", "lan.max_sessions",
		"not a whole number");
	test_cfg_refused(f, "lan:\n  max_sessions: 1.5\n", "softbmc.yaml:2:", "lan.max_sessions",
		"not a whole number");
	test_cfg_refused(f, "lan:\n  max_sessions: -1\n", "softbmc.yaml:2:", "lan.max_sessions",
		"not a whole number");
	test_cfg_refused(f, "lan:\n  ipmi15_auth_types: [md5, md4]\n", "softbmc.yaml:2:",
		"lan.ipmi15_auth_types", "'md4' is not one of: none, straight, md5");
	test_cfg_refused(f, "platform:\n  type: vmware\n", "softbmc.yaml:2:", "platform.type",
		"'vmware' is not one of: sim, qemu");
}

/* platform.type qemu needs a command; kill_wait is bounded; sim stays the default. */
static void t_qemu(void **state)
{
	struct test_cfg *f = *state;
	assert_int_equal(f->cfg.platform_type, CONFIG_PLATFORM_SIM);
	assert_int_equal(f->cfg.qemu.kill_wait_s, 10);
	test_cfg_refused(f, "platform:\n  type: qemu\n", "softbmc.yaml", "platform.qemu.command",
		"is needed when platform.type is qemu");
	test_cfg_refused(f, "platform:\n  type: qemu\n  qemu:\n    command: q\n    kill_wait: 0\n",
		"softbmc.yaml:5:", "platform.qemu.kill_wait", "0 is out of range (1..600)");
	assert_int_equal(f->cfg.platform_type, CONFIG_PLATFORM_SIM); /* refused: unchanged */
	assert_int_equal(test_cfg_load(f, "platform:\n  type: qemu\n  qemu:\n"
				      "    command: qemu-system-x86_64 -m 256\n    kill_wait: 3\n"
				      "  sim:\n    cycle_off_interval_ms: 500\n"), 0);
	assert_int_equal(f->cfg.platform_type, CONFIG_PLATFORM_QEMU);
	assert_string_equal(f->cfg.qemu.command, "qemu-system-x86_64 -m 256");
	assert_int_equal(f->cfg.qemu.kill_wait_s, 3);
	assert_int_equal(f->cfg.sim_cycle_off_interval_ms, 500);
}

static void t_out_of_range(void **state)
{
	struct test_cfg *f = *state;
	test_cfg_refused(f, "# softbmc\nlan:\n  session_timeout: 60\n  max_sessions: 99\n",
		"softbmc.yaml:4:", "lan.max_sessions", "99 is out of range (1..63)");
	test_cfg_refused(f, "lan:\n  max_sessions: 0\n", "softbmc.yaml:2:", "lan.max_sessions",
		"0 is out of range (1..63)");
	test_cfg_refused(f, "lan:\n  session_timeout: 99999999999\n", "softbmc.yaml:2:",
		"lan.session_timeout", "out of range (10..3600)");
	test_cfg_refused(f, "lan:\n  half_open_timeout: 61\n", "softbmc.yaml:2:",
		"lan.half_open_timeout", "out of range (1..60)");
	test_cfg_refused(f, "identity:\n  manufacturer_id: 0x100000\n", "softbmc.yaml:2:",
		"identity.manufacturer_id", "0x100000 is out of range (0x0..0xfffff)");
	test_cfg_refused(f, "identity:\n  product_id: 65536\n", "softbmc.yaml:2:",
		"identity.product_id", "out of range");
	test_cfg_refused(f, "lan:\n  cipher_suites:\n    - 3\n    - 4\n", "softbmc.yaml:4:",
		"lan.cipher_suites[1]", "4 is not a supported cipher suite");
	test_cfg_refused(f, "lan:\n  cipher_suites: [3, 99]\n", "softbmc.yaml:2:",
		"lan.cipher_suites[1]", "99 is not a supported cipher suite");
	test_cfg_refused(f, "lan:\n  cipher_suites: []\n", "softbmc.yaml:2:", "lan.cipher_suites",
		"at least one");
}

static void t_syntax_error(void **state)
{
	struct test_cfg *f = *state;
	test_cfg_refused(f, "lan:\n  max_sessions: 4\n\tsession_timeout: 60\n",
		"softbmc.yaml:3:", NULL, "invalid YAML");
	test_cfg_refused(f, "lan:\n  max_sessions: 4\n  max_sessions: 5\n",
		"softbmc.yaml:", "lan.max_sessions", "more than once");
}

/* The defence keys (docs/security.md): lan.rate_limit, lan.rate_limit_burst, daemon.user. */
static void t_defence_keys(void **state)
{
	struct test_cfg *f = *state;
	assert_int_equal(f->cfg.rate_limit, 100);
	assert_int_equal(f->cfg.rate_limit_burst, 200);
	assert_string_equal(f->cfg.daemon_user, "");
	assert_int_equal(test_cfg_load(f, "lan:\n  rate_limit: 0\n  rate_limit_burst: 1\n"
				      "daemon:\n  user: softbmc\n"), 0);
	assert_int_equal(f->cfg.rate_limit, 0);
	assert_int_equal(f->cfg.rate_limit_burst, 1);
	assert_string_equal(f->cfg.daemon_user, "softbmc");
	test_cfg_refused(f, "lan:\n  rate_limit_burst: 0\n", ":2", "lan.rate_limit_burst",
		"out of range (1..100000)");
	test_cfg_refused(f, "lan:\n  rate_limit: 1000001\n", ":2", "lan.rate_limit", "out of range");
	test_cfg_refused(f, "daemon:\n  user: \"-x\"\n", ":2", "daemon.user", "not a user name");
	test_cfg_refused(f, "daemon:\n  user: \"a b\"\n", ":2", "daemon.user", "not a user name");
}

/* config_load_buffer (the fuzz target's entry point) parses text that is not NUL-terminated
 * exactly like the file, and names the given name in its messages. */
static void t_buffer(void **state)
{
	struct test_cfg *f = *state;
	static const char text[] = "lan:\n  max_sessions: 7\n  session_timeout: 5";
	const size_t first = sizeof("lan:\n  max_sessions: 7") - 1;
	/* the first two lines in a buffer of exactly their size (ASan sees any read past it) */
	char *copy = malloc(first);
	assert_non_null(copy);
	memcpy(copy, text, first);
	assert_int_equal(config_load_buffer("buf.yaml", copy, first, &f->cfg, f->err,
					    sizeof(f->err)), 0);
	assert_int_equal(f->cfg.max_sessions, 7);
	free(copy);
	/* all of it, again without a terminator: refused, and the message finds line 3 */
	copy = malloc(sizeof(text) - 1);
	assert_non_null(copy);
	memcpy(copy, text, sizeof(text) - 1);
	assert_int_equal(config_load_buffer("buf.yaml", copy, sizeof(text) - 1, &f->cfg, f->err,
					    sizeof(f->err)), -EINVAL);
	assert_int_equal(f->cfg.max_sessions, 7); /* refused: unchanged */
	assert_non_null(strstr(f->err, "buf.yaml:3:"));
	assert_non_null(strstr(f->err, "lan.session_timeout"));
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_defaults, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_full_file, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_partial_file, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_example_is_defaults, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_unknown_key, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_wrong_type, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_http, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_out_of_range, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_syntax_error, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_defence_keys, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_buffer, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_qemu, test_cfg_setup, test_cfg_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
