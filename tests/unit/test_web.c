/* Unit tests for the web's model functions and helpers: password logins that share the IPMI
 * bad-password lockout (bmc/accounts.c), account changes persisted in the user table, and the
 * JSON depth scanner the Redfish router uses before parsing a body (web/json.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bmc/accounts.h"
#include "bmc/bmc.h"
#include "core/log.h"
#include "fixture.h"
#include "web/auth.h"
#include "web/json.h"
#include "web/server_int.h"

#define SEC USEC_PER_SEC

struct fixture {
	char dir[64];
	struct store *store;
	struct bmc bmc;
};

static void bmc_restart(struct fixture *fx)
{
	test_bmc_wire(&fx->bmc, fx->store, NULL, NULL);
	for (int i = 0; i < 16; i++)
		fx->bmc.system_guid[i] = (uint8_t)(0xB0 + i);
	fx->bmc.lan_sec.auth_md5_enabled = true;
	assert_true(bmc_users_load(&fx->bmc.users, fx->store) > 0);
	assert_int_equal(bmc_lanconf_init(&fx->bmc), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	assert_non_null(fx);
	test_env_setup(fx->dir, sizeof(fx->dir), "test_web", &fx->store);
	assert_int_equal(bmc_users_create_default(&fx->bmc.users, fx->store, "Admin-pw-1"), 0);
	bmc_restart(fx);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	test_env_teardown(fx->store, fx->dir);
	free(fx);
	return 0;
}

static enum bmc_login_result login(struct fixture *fx, const char *user, const char *pw,
				   usec_t now)
{
	struct bmc_login l;
	bmc_login_password(&fx->bmc, user, pw, BMC_CHANNEL_LAN, now, &l);
	return l.result;
}

static void t_login(void **state)
{
	struct fixture *fx = *state;
	struct bmc_login l;
	bmc_login_password(&fx->bmc, "admin", "Admin-pw-1", BMC_CHANNEL_LAN, SEC, &l);
	assert_int_equal(l.result, BMC_LOGIN_OK);
	assert_int_equal(l.uid, 2);
	assert_int_equal(l.priv, BMC_PRIV_ADMIN);
	assert_int_equal(login(fx, "admin", "Admin-pw-", SEC), BMC_LOGIN_BAD);  /* prefix */
	assert_int_equal(login(fx, "admin", "Admin-pw-12", SEC), BMC_LOGIN_BAD); /* longer */
	assert_int_equal(login(fx, "nobody", "Admin-pw-1", SEC), BMC_LOGIN_BAD);
	assert_int_equal(login(fx, "", "", SEC), BMC_LOGIN_BAD); /* the null user is disabled */
	/* no privilege on the channel asked for */
	bmc_login_password(&fx->bmc, "admin", "Admin-pw-1", 3, SEC, &l);
	assert_int_equal(l.result, BMC_LOGIN_NO_ACCESS);
}

/* Web failures count toward the lockout of LAN parameter 26, as IPMI's do. */
static void t_lockout_shared_with_ipmi(void **state)
{
	struct fixture *fx = *state;
	struct bmc_lan_params p = *bmc_lanconf_view(&fx->bmc);
	p.bad_password = (struct bmc_lan_bad_password){ .threshold = 3, .reset_interval = 0,
							.lockout_interval = 6 }; /* 60 s */
	assert_int_equal(bmc_lanconf_update(&fx->bmc, BMC_LANP_BAD_PASSWORD, &p), 0);
	usec_t t = 100 * SEC;
	assert_int_equal(login(fx, "admin", "wrong", t), BMC_LOGIN_BAD);
	/* an IPMI failure (RAKP) in between counts toward the same total */
	assert_int_equal(bmc_lanconf_login_failed(&fx->bmc, 2, t + 1, t + 1, NULL),
			 BMC_LOCKOUT_COUNTED);
	struct bmc_login l;
	bmc_login_password(&fx->bmc, "admin", "wrong", BMC_CHANNEL_LAN, t + 2, &l);
	assert_int_equal(l.result, BMC_LOGIN_BAD);
	assert_int_equal(l.lockout, BMC_LOCKOUT_LOCKED);
	assert_int_equal(l.failures, 3);
	assert_int_equal(login(fx, "admin", "Admin-pw-1", t + 3), BMC_LOGIN_LOCKED);
	assert_true(bmc_lanconf_user_locked(&fx->bmc, 2, t + 3, NULL)); /* IPMI sees it too */
	assert_int_equal(login(fx, "admin", "Admin-pw-1", t + 61 * SEC), BMC_LOGIN_OK);
	/* a success resets the count */
	assert_int_equal(login(fx, "admin", "wrong", t + 62 * SEC), BMC_LOGIN_BAD);
	assert_false(bmc_lanconf_user_locked(&fx->bmc, 2, t + 62 * SEC, NULL));
}

static void t_accounts(void **state)
{
	struct fixture *fx = *state;
	uint8_t uid = 0;
	assert_int_equal(bmc_account_create(&fx->bmc, "oper", "Oper-pw-12345678901", BMC_PRIV_OPERATOR,
					    true, &uid), 0);
	assert_int_equal(uid, 3);
	assert_int_equal(bmc_account_create(&fx->bmc, "oper", "x", BMC_PRIV_USER, true, &uid),
			 -EEXIST);
	assert_int_equal(bmc_account_create(&fx->bmc, "bad name", "x", BMC_PRIV_USER, true, &uid),
			 -EINVAL);
	assert_int_equal(bmc_account_create(&fx->bmc, "long", "123456789012345678901",
					    BMC_PRIV_USER, true, &uid), -EINVAL);
	assert_int_equal(bmc_account_create(&fx->bmc, "cb", "x", BMC_PRIV_CALLBACK, true, &uid),
			 -EINVAL);
	/* a 19-character password is kept in the 20-byte form */
	assert_int_equal(fx->bmc.users.user[3].pw_size, 20);
	assert_int_equal(bmc_account_set_password(&fx->bmc, 3, "short"), 0);
	assert_int_equal(fx->bmc.users.user[3].pw_size, 16);
	assert_int_equal(bmc_account_set_priv(&fx->bmc, 3, BMC_CHANNEL_LAN, BMC_PRIV_USER), 0);
	assert_int_equal(bmc_account_set_enabled(&fx->bmc, 3, false), 0);
	assert_int_equal(bmc_account_set_name(&fx->bmc, 3, "admin"), -EEXIST);
	assert_int_equal(bmc_account_set_name(&fx->bmc, 1, "x"), -EPERM);
	assert_int_equal(bmc_account_set_password(&fx->bmc, 9, "x"), -ENOENT);
	/* persisted: a restarted BMC has the same table */
	bmc_restart(fx);
	const struct bmc_user *u = &fx->bmc.users.user[3];
	assert_string_equal(u->name, "oper");
	assert_false(bmc_user_is_enabled(u));
	assert_int_equal(u->access[BMC_CHANNEL_LAN].priv_limit, BMC_PRIV_USER);
	assert_true(bmc_user_password_matches(u, (const uint8_t *)"short", 5));
	assert_int_equal(login(fx, "oper", "short", SEC), BMC_LOGIN_BAD); /* disabled */
	assert_int_equal(bmc_account_set_enabled(&fx->bmc, 3, true), 0);
	assert_int_equal(login(fx, "oper", "short", SEC), BMC_LOGIN_OK);
	assert_int_equal(bmc_account_delete(&fx->bmc, 3), 0);
	assert_false(bmc_account_exists(&fx->bmc, 3));
	bmc_restart(fx);
	assert_false(bmc_account_exists(&fx->bmc, 3));
	assert_int_equal(login(fx, "oper", "short", SEC), BMC_LOGIN_BAD);
	/* the table fills up at 16 users (IDs 3..16 for new accounts) */
	for (int i = 3; i <= 16; i++) {
		char name[8];
		snprintf(name, sizeof(name), "u%d", i);
		assert_int_equal(bmc_account_create(&fx->bmc, name, "pw", BMC_PRIV_USER, true, &uid),
				 0);
	}
	assert_int_equal(bmc_account_create(&fx->bmc, "one-more", "pw", BMC_PRIV_USER, true, &uid),
			 -ENOSPC);
}

static int depth(const char *s)
{
	return web_json_depth(s, strlen(s));
}

static void t_json_depth(void **state)
{
	(void)state;
	assert_int_equal(depth("1"), 0);
	assert_int_equal(depth("{}"), 1);
	assert_int_equal(depth("{\"a\": [1, {\"b\": []}]}"), 4);
	assert_int_equal(depth("{\"a\": \"[[[{{{\"}"), 1);      /* brackets in strings */
	assert_int_equal(depth("{\"a\": \"\\\"[[\"}"), 1);      /* escaped quote */
	assert_int_equal(depth("{\"a\": 1"), -EBADMSG);
	assert_int_equal(depth("}{"), -EBADMSG);
	assert_int_equal(depth("{\"a\": \"open}"), -EBADMSG);
	assert_int_equal(depth("\"\\"), -EBADMSG);              /* escape at the very end */
}

/* Idle sessions are dropped once they have been idle longer than the timeout. */
static void t_session_idle_timeout(void **state)
{
	(void)state;
	struct web_auth a;
	assert_int_equal(web_auth_init(&a, 2, 30 * SEC), 0);
	a.s[0] = (struct web_session){ .used = true, .id = 1, .last_used = 100 * SEC };
	a.s[1] = (struct web_session){ .used = true, .id = 2, .last_used = 120 * SEC };
	web_sessions_expire(&a, 130 * SEC);
	assert_true(a.s[0].used && a.s[1].used);
	web_sessions_expire(&a, 130 * SEC + 1);
	assert_false(a.s[0].used);
	assert_true(a.s[1].used);
	assert_null(web_session_by_id(&a, 1));
	web_sessions_end_user(&a, 0);
	assert_false(a.s[1].used);
	web_auth_fini(&a);
}

/* The router on a server without lws (what the fuzz target uses): a session login, then the
 * token, the cookie (with and without its CSRF token on a PATCH) and Basic. */
static struct web_response dispatch(struct fixture *fx, struct web_server *srv,
				    struct web_request *rq)
{
	struct web_response res = { .status = 500 };
	snprintf(rq->peer, sizeof(rq->peer), "127.0.0.1");
	web_dispatch(srv, &fx->bmc, rq, &res);
	return res;
}

static void t_dispatch_detached(void **state)
{
	struct fixture *fx = *state;
	struct web_options o = WEB_OPTIONS_DEFAULT;
	struct web_server *srv;
	assert_int_equal(web_server_new_detached(&fx->bmc, &o, &srv), 0);
	static const char login_body[] = "{\"UserName\": \"admin\", \"Password\": \"Admin-pw-1\"}";
	struct web_request rq = { .method = WEB_POST, .body = login_body,
				  .body_len = sizeof(login_body) - 1 };
	snprintf(rq.path, sizeof(rq.path), "/redfish/v1/SessionService/Sessions");
	struct web_response res = dispatch(fx, srv, &rq);
	assert_int_equal(res.status, 201);
	const char *c = json_string_value(json_object_get(json_object_get(json_object_get(
		res.json, "Oem"), "Softbmc"), "CsrfToken"));
	assert_non_null(c);
	char csrf[WEB_TOKEN_LEN + 1];
	snprintf(csrf, sizeof(csrf), "%.32s", c);
	char token[WEB_TOKEN_LEN + 1] = "";
	for (unsigned i = 0; i < res.n_hdr; i++)
		if (strcmp(res.hdr[i].name, "X-Auth-Token:") == 0)
			snprintf(token, sizeof(token), "%.32s", res.hdr[i].value);
	assert_int_equal(strlen(token), WEB_TOKEN_LEN);
	rq = (struct web_request){ .method = WEB_GET };
	snprintf(rq.path, sizeof(rq.path), "/redfish/v1/SessionService/Sessions");
	snprintf(rq.auth_token, sizeof(rq.auth_token), "%s", token);
	json_decref(res.json);
	res = dispatch(fx, srv, &rq);
	assert_int_equal(res.status, 200);
	assert_int_equal(json_integer_value(json_object_get(res.json, "Members@odata.count")), 1);
	/* the cookie: a PATCH without the CSRF token is refused before the handler runs */
	rq = (struct web_request){ .method = WEB_PATCH, .body = "{}", .body_len = 2 };
	snprintf(rq.path, sizeof(rq.path), "/redfish/v1/SessionService");
	snprintf(rq.cookie, sizeof(rq.cookie), "a=b; softbmc_session=%s", token);
	json_decref(res.json);
	res = dispatch(fx, srv, &rq);
	assert_int_equal(res.status, 403);
	snprintf(rq.csrf, sizeof(rq.csrf), "%s", csrf);
	json_decref(res.json);
	res = dispatch(fx, srv, &rq);
	assert_int_equal(res.status, 400); /* past authentication: an empty PATCH */
	rq = (struct web_request){ .method = WEB_GET };
	snprintf(rq.path, sizeof(rq.path), "/redfish/v1/AccountService/Accounts");
	snprintf(rq.authorization, sizeof(rq.authorization), "Basic YWRtaW46QWRtaW4tcHctMQ==");
	json_decref(res.json);
	res = dispatch(fx, srv, &rq);
	assert_int_equal(res.status, 200);
	json_decref(res.json);
	web_server_free(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_login, setup, teardown),
		cmocka_unit_test_setup_teardown(t_lockout_shared_with_ipmi, setup, teardown),
		cmocka_unit_test_setup_teardown(t_accounts, setup, teardown),
		cmocka_unit_test(t_json_depth),
		cmocka_unit_test(t_session_idle_timeout),
		cmocka_unit_test_setup_teardown(t_dispatch_detached, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
