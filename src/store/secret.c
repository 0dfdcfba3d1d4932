/* The state dir's sealing key and AES-256-GCM sealing of secrets (see secret.h).
 *
 * The key is 32 bytes from RAND_bytes in DIR/secret.key, mode 0600. It is written to a
 * temporary file (O_CREAT|O_EXCL, 0600), fsynced, and published with link(), which never
 * replaces an existing key, then the directory is fsynced: a crash leaves either no key or a
 * whole one, never a short file that would make every sealed secret unreadable. */
#include "store/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#define KEY_FILE     "secret.key"
#define KEY_FILE_NEW "secret.key.new"

static int path_join(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

static int read_full(int fd, uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t k = read(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			return -EINVAL; /* shrank under us */
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int write_full(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return r;
}

/* Returns -ENOENT if there is no key file, -EINVAL if it is not exactly one key. */
static int key_read(const char *path, uint8_t key[static SECRET_KEY_LEN])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	struct stat st;
	int r = fstat(fd, &st) < 0 ? -errno : 0;
	if (r == 0 && (!S_ISREG(st.st_mode) || st.st_size != SECRET_KEY_LEN))
		r = -EINVAL;
	if (r == 0)
		r = read_full(fd, key, SECRET_KEY_LEN);
	close(fd);
	return r;
}

static int key_write_new(const char *tmp, const uint8_t key[static SECRET_KEY_LEN])
{
	if (unlink(tmp) < 0 && errno != ENOENT)
		return -errno;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	int r = write_full(fd, key, SECRET_KEY_LEN);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

/* Returns -EEXIST if another process published a key first; the caller then reads that one. */
static int key_create(const char *dir, const char *path, uint8_t key[static SECRET_KEY_LEN])
{
	char tmp[PATH_MAX];
	int r = path_join(tmp, sizeof(tmp), dir, KEY_FILE_NEW);
	if (r < 0)
		return r;
	if (RAND_bytes(key, SECRET_KEY_LEN) != 1)
		return -EIO;
	r = key_write_new(tmp, key);
	if (r == 0 && link(tmp, path) < 0)
		r = -errno;
	(void)unlink(tmp);
	if (r == 0)
		r = fsync_dir(dir);
	return r;
}

int secret_key_load(const char *dir, bool may_create, uint8_t key[static SECRET_KEY_LEN])
{
	char path[PATH_MAX];
	uint8_t k[SECRET_KEY_LEN];
	int r = path_join(path, sizeof(path), dir, KEY_FILE);
	if (r < 0)
		return r;
	r = key_read(path, k);
	if (r == -ENOENT)
		r = may_create ? key_create(dir, path, k) : -ENOKEY;
	if (r == -EEXIST)
		r = key_read(path, k);
	if (r == 0)
		memcpy(key, k, SECRET_KEY_LEN);
	OPENSSL_cleanse(k, sizeof(k));
	return r;
}

int secret_seal(const uint8_t key[static SECRET_KEY_LEN], const char *name,
		const void *pt, size_t len, uint8_t *out, size_t cap, size_t *ret_len)
{
	size_t aad_len = strlen(name);
	if (len > SECRET_MAX_LEN || aad_len > INT_MAX)
		return -EMSGSIZE;
	if (cap < len + SECRET_OVERHEAD)
		return -ENOBUFS;
	uint8_t *nonce = out + 1, *ct = nonce + SECRET_NONCE_LEN, *tag = ct + len;
	if (RAND_bytes(nonce, SECRET_NONCE_LEN) != 1)
		return -EIO;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	int n = 0, fin = 0;
	/* The default GCM IV length is the 12 bytes used here. */
	bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) == 1 &&
		EVP_EncryptUpdate(ctx, NULL, &n, (const uint8_t *)name, (int)aad_len) == 1 &&
		EVP_EncryptUpdate(ctx, ct, &n, pt, (int)len) == 1 &&
		EVP_EncryptFinal_ex(ctx, ct + n, &fin) == 1 &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SECRET_TAG_LEN, tag) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return -EIO;
	out[0] = SECRET_VERSION;
	*ret_len = len + SECRET_OVERHEAD;
	return 0;
}

int secret_open(const uint8_t key[static SECRET_KEY_LEN], const char *name,
		const uint8_t *in, size_t len, void *out, size_t cap, size_t *ret_len)
{
	size_t aad_len = strlen(name);
	if (len < SECRET_OVERHEAD || in[0] != SECRET_VERSION || aad_len > INT_MAX)
		return -EBADMSG;
	size_t ct_len = len - SECRET_OVERHEAD;
	if (ct_len > SECRET_MAX_LEN)
		return -EBADMSG;
	if (ct_len > cap)
		return -ENOBUFS;
	const uint8_t *nonce = in + 1, *ct = nonce + SECRET_NONCE_LEN;
	uint8_t tag[SECRET_TAG_LEN];
	memcpy(tag, ct + ct_len, sizeof(tag));
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	int n = 0, fin = 0;
	bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) == 1 &&
		EVP_DecryptUpdate(ctx, NULL, &n, (const uint8_t *)name, (int)aad_len) == 1 &&
		EVP_DecryptUpdate(ctx, out, &n, ct, (int)ct_len) == 1 &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SECRET_TAG_LEN, tag) == 1 &&
		EVP_DecryptFinal_ex(ctx, (uint8_t *)out + n, &fin) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok) {
		/* Unauthenticated plaintext must not reach the caller. */
		OPENSSL_cleanse(out, ct_len);
		return -EBADMSG;
	}
	*ret_len = ct_len;
	return 0;
}
