/* Unit tests for store/: open and first start, key/value rows, persistence across reopen,
 * nested transactions and rollback, a committed change surviving kill -9, sealed secrets (round trip, never plaintext on disk,
 * tamper and move detection), and the sealing key file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"

#define PLAIN_SECRET "Sw0rdf1sh-plaintext-canary"

struct fixture {
	char dir[64];
	struct store *s;
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void path_in(const struct fixture *f, const char *name, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s", f->dir, name);
}

static void reopen(struct fixture *f, bool want_first_start)
{
	bool first = !want_first_start;
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(f->dir, &f->s, &first), 0);
	assert_int_equal(first, want_first_start);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/softbmc-store-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Reads a whole file; an absent file reads as empty. */
static uint8_t *slurp(const char *path, size_t *ret_len)
{
	FILE *fp = fopen(path, "rb");
	*ret_len = 0;
	if (!fp)
		return NULL;
	uint8_t *p = NULL;
	uint8_t chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		p = realloc(p, *ret_len + n);
		assert_non_null(p);
		memcpy(p + *ret_len, chunk, n);
		*ret_len += n;
	}
	fclose(fp);
	return p;
}

static bool file_contains(const struct fixture *f, const char *name, const char *needle)
{
	char path[128];
	size_t len;
	path_in(f, name, path, sizeof(path));
	uint8_t *p = slurp(path, &len);
	bool found = p && memmem(p, len, needle, strlen(needle)) != NULL;
	free(p);
	return found;
}

static bool db_contains(const struct fixture *f, const char *needle)
{
	return file_contains(f, "softbmc.db", needle) ||
	       file_contains(f, "softbmc.db-wal", needle);
}

static void t_open_missing_dir(void **state)
{
	struct store *s = (struct store *)0x1;
	bool first = false;
	assert_int_equal(store_open("/tmp/softbmc-no-such-dir/x", &s, &first), -ENOENT);
	assert_ptr_equal(s, (struct store *)0x1); /* untouched on failure */
	store_close(NULL);
}

static void t_first_start(void **state)
{
	struct fixture *f = *state;
	bool first = false;
	assert_int_equal(store_open(f->dir, &f->s, &first), 0);
	assert_true(first);
	reopen(f, false);
}

static void t_set_get_delete(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[16];
	size_t len = 99;
	reopen(f, true);
	assert_int_equal(store_get(f->s, "missing", buf, sizeof(buf), &len), -ENOENT);
	assert_int_equal(len, 99);
	assert_int_equal(store_set(f->s, "a", "hello", 5), 0);
	assert_int_equal(store_get(f->s, "a", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(buf, "hello", 5);
	/* overwrite, then a short buffer: the full length is still reported */
	assert_int_equal(store_set(f->s, "a", "hello world", 11), 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(store_get(f->s, "a", buf, 4, &len), 0);
	assert_int_equal(len, 11);
	assert_memory_equal(buf, "hell\0", 5);
	/* empty values are values */
	assert_int_equal(store_set(f->s, "empty", NULL, 0), 0);
	assert_int_equal(store_get(f->s, "empty", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(store_delete(f->s, "a"), 0);
	assert_int_equal(store_get(f->s, "a", buf, sizeof(buf), &len), -ENOENT);
	assert_int_equal(store_delete(f->s, "a"), 0); /* deleting nothing is fine */
}

static void t_reopen_persists(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[16];
	size_t len = 0;
	reopen(f, true);
	assert_int_equal(store_set(f->s, "user.2", "\x01\x02\x03", 3), 0);
	reopen(f, false);
	assert_int_equal(store_get(f->s, "user.2", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "\x01\x02\x03", 3);
}

static void t_nested_transactions(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[8];
	size_t len;
	reopen(f, true);
	assert_int_equal(store_commit(f->s), -EINVAL); /* nothing to commit */

	/* the inner commit does not write: rolling back the outer loses both rows */
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_set(f->s, "outer", "o", 1), 0);
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_set(f->s, "inner", "i", 1), 0);
	assert_int_equal(store_commit(f->s), 0);
	store_rollback(f->s);
	assert_int_equal(store_get(f->s, "outer", buf, sizeof(buf), &len), -ENOENT);
	assert_int_equal(store_get(f->s, "inner", buf, sizeof(buf), &len), -ENOENT);

	/* the outermost commit writes both, and they survive a reopen */
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_set(f->s, "inner", "i", 1), 0);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(store_set(f->s, "outer", "o", 1), 0);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(store_commit(f->s), -EINVAL);
	reopen(f, false);
	assert_int_equal(store_get(f->s, "outer", buf, sizeof(buf), &len), 0);
	assert_int_equal(store_get(f->s, "inner", buf, sizeof(buf), &len), 0);
}

/* What store_commit acknowledged is there after the process dies on the spot. */
static void t_commit_survives_kill(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[8];
	size_t len = 0;
	int status = 0;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *s = NULL;
		if (store_open(f->dir, &s, NULL) < 0 || store_begin(s) < 0 ||
		    store_set(s, "chassis.power", "\x01", 1) < 0 || store_commit(s) < 0)
			_exit(1);
		kill(getpid(), SIGKILL);
		_exit(2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	reopen(f, false);
	assert_int_equal(store_get(f->s, "chassis.power", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 1);
	assert_int_equal(buf[0], 1);
}

static void t_rollback(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[8];
	size_t len;
	reopen(f, true);
	assert_int_equal(store_set(f->s, "k", "old", 3), 0);
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_set(f->s, "k", "new", 3), 0);
	assert_int_equal(store_delete(f->s, "other"), 0);
	assert_int_equal(store_set(f->s, "gone", "x", 1), 0);
	/* a rollback at depth 2 abandons the whole transaction */
	assert_int_equal(store_begin(f->s), 0);
	store_rollback(f->s);
	store_rollback(f->s); /* harmless when nothing is open */
	assert_int_equal(store_get(f->s, "k", buf, sizeof(buf), &len), 0);
	assert_memory_equal(buf, "old", 3);
	assert_int_equal(store_get(f->s, "gone", buf, sizeof(buf), &len), -ENOENT);
	/* closing with a transaction open discards it */
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_set(f->s, "k", "uncommitted", 11), 0);
	reopen(f, false);
	assert_int_equal(store_get(f->s, "k", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 3);
}

static void t_secret_round_trip(void **state)
{
	struct fixture *f = *state;
	char buf[64];
	size_t len = 0;
	reopen(f, true);
	assert_int_equal(store_set_secret(f->s, "user.2.password", PLAIN_SECRET,
					  strlen(PLAIN_SECRET)), 0);
	assert_int_equal(store_get_secret(f->s, "user.2.password", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, strlen(PLAIN_SECRET));
	assert_memory_equal(buf, PLAIN_SECRET, len);
	assert_int_equal(store_get_secret(f->s, "nope", buf, sizeof(buf), &len), -ENOENT);
	/* the same key opens it after a restart */
	reopen(f, false);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(store_get_secret(f->s, "user.2.password", buf, sizeof(buf), &len), 0);
	assert_memory_equal(buf, PLAIN_SECRET, strlen(PLAIN_SECRET));
	/* an empty secret is a secret */
	assert_int_equal(store_set_secret(f->s, "empty", "", 0), 0);
	assert_int_equal(store_get_secret(f->s, "empty", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 0);
}

static void t_no_plaintext_on_disk(void **state)
{
	struct fixture *f = *state;
	reopen(f, true);
	/* Positive control: a plain row is found by the same scan, so the scan sees the data. */
	assert_int_equal(store_set(f->s, "probe", "plain-row-canary", 16), 0);
	assert_true(db_contains(f, "plain-row-canary"));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_begin(f->s), 0);
		assert_int_equal(store_set_secret(f->s, "user.2.password", PLAIN_SECRET,
						  strlen(PLAIN_SECRET)), 0);
		assert_int_equal(store_commit(f->s), 0);
	}
	assert_int_equal(store_set_secret(f->s, "user.3.password", PLAIN_SECRET,
					  strlen(PLAIN_SECRET)), 0);
	assert_false(db_contains(f, PLAIN_SECRET));
	/* after close (checkpoint of the WAL into the main file) as well */
	store_close(f->s);
	f->s = NULL;
	assert_true(file_contains(f, "softbmc.db", "plain-row-canary"));
	assert_false(db_contains(f, PLAIN_SECRET));
}

static void t_tampered_secret(void **state)
{
	struct fixture *f = *state;
	uint8_t sealed[256], out[64];
	size_t len = 0, out_len = 77;
	reopen(f, true);
	assert_int_equal(store_set_secret(f->s, "user.2.password", "pw", 2), 0);
	assert_int_equal(store_get(f->s, "user.2.password", sealed, sizeof(sealed), &len), 0);
	assert_int_equal(len, 1 + 12 + 2 + 16);
	assert_int_equal(sealed[0], 1);

	/* moved under another name: the name is authenticated */
	assert_int_equal(store_set(f->s, "user.3.password", sealed, len), 0);
	assert_int_equal(store_get_secret(f->s, "user.3.password", out, sizeof(out), &out_len),
			 -EBADMSG);
	assert_int_equal(out_len, 77);

	/* every byte matters: version, nonce, ciphertext, tag */
	size_t at[] = { 0, 5, 13, len - 1 };
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		sealed[at[i]] ^= 0x01;
		assert_int_equal(store_set(f->s, "user.2.password", sealed, len), 0);
		assert_int_equal(store_get_secret(f->s, "user.2.password", out, sizeof(out),
						  &out_len), -EBADMSG);
		sealed[at[i]] ^= 0x01;
	}
	/* truncated */
	assert_int_equal(store_set(f->s, "user.2.password", sealed, 10), 0);
	assert_int_equal(store_get_secret(f->s, "user.2.password", out, sizeof(out), &out_len),
			 -EBADMSG);
	/* restored, it opens again */
	assert_int_equal(store_set(f->s, "user.2.password", sealed, len), 0);
	assert_int_equal(store_get_secret(f->s, "user.2.password", out, sizeof(out), &out_len), 0);
	assert_memory_equal(out, "pw", 2);
}

static void t_key_file(void **state)
{
	struct fixture *f = *state;
	char path[128];
	struct stat st;
	reopen(f, true);
	path_in(f, "secret.key", path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 32);
	path_in(f, "softbmc.db", path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
}

static void t_key_file_wrong_size(void **state)
{
	struct fixture *f = *state;
	char path[128];
	struct store *s = NULL;
	path_in(f, "secret.key", path, sizeof(path));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "short", 5), 5);
	close(fd);
	assert_int_equal(store_open(f->dir, &s, NULL), -EINVAL);
	assert_null(s);
}

/* Secrets sealed with a key that is gone cannot be read; refuse rather than start with every
 * password silently broken. */
static void t_key_file_missing_later(void **state)
{
	struct fixture *f = *state;
	char path[128];
	struct store *s = NULL;
	reopen(f, true);
	assert_int_equal(store_set_secret(f->s, "user.2.password", "pw", 2), 0);
	store_close(f->s);
	f->s = NULL;
	path_in(f, "secret.key", path, sizeof(path));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(store_open(f->dir, &s, NULL), -ENOKEY);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_open_missing_dir),
		cmocka_unit_test_setup_teardown(t_first_start, setup, teardown),
		cmocka_unit_test_setup_teardown(t_set_get_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(t_reopen_persists, setup, teardown),
		cmocka_unit_test_setup_teardown(t_nested_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(t_commit_survives_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(t_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(t_secret_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(t_no_plaintext_on_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(t_tampered_secret, setup, teardown),
		cmocka_unit_test_setup_teardown(t_key_file, setup, teardown),
		cmocka_unit_test_setup_teardown(t_key_file_wrong_size, setup, teardown),
		cmocka_unit_test_setup_teardown(t_key_file_missing_later, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
