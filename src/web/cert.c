/* The server certificate: the configured PEM files, or a self-signed certificate created at
 * first start in the state dir (https.crt, https.key with mode 0600): an EC P-256 key, ten
 * years, subject CN = host name, subject alternative names = the host name, "localhost",
 * 127.0.0.1, ::1 and the listen address. It is reused on later starts. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/log.h"
#include "web/server_int.h"

#define CERT_DAYS 3650

static int add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -EINVAL;
	int ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -ENOMEM;
}

static void san_list(const char *host, const char *listen_host, char *out, size_t cap)
{
	int n = snprintf(out, cap, "DNS:%s,DNS:localhost,IP:127.0.0.1,IP:::1", host);
	bool is_default = !strcmp(listen_host, "127.0.0.1") || !strcmp(listen_host, "::1") ||
			  !strcmp(listen_host, "0.0.0.0") || !strcmp(listen_host, "::");
	if (!is_default && n > 0 && (size_t)n < cap) {
		bool ip = strspn(listen_host, "0123456789.:abcdefABCDEF") == strlen(listen_host);
		snprintf(out + n, cap - (size_t)n, ",%s:%s", ip ? "IP" : "DNS", listen_host);
	}
}

static X509 *cert_build(EVP_PKEY *key, const char *host, const char *listen_host)
{
	X509 *x = X509_new();
	if (!x)
		return NULL;
	uint8_t serial[16];
	char san[512];
	BIGNUM *bn = NULL;
	X509_NAME *name = X509_get_subject_name(x);
	bool ok = X509_set_version(x, 2) &&
		  RAND_bytes(serial, sizeof(serial)) == 1 &&
		  (serial[0] &= 0x7F, bn = BN_bin2bn(serial, sizeof(serial), NULL)) &&
		  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) &&
		  X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
		  X509_gmtime_adj(X509_getm_notAfter(x), 60L * 60 * 24 * CERT_DAYS) &&
		  X509_set_pubkey(x, key) &&
		  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const uint8_t *)"softbmc",
					     -1, -1, 0) &&
		  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const uint8_t *)host, -1,
					     -1, 0) &&
		  X509_set_issuer_name(x, name);
	BN_free(bn);
	san_list(host, listen_host, san, sizeof(san));
	ok = ok && add_ext(x, NID_subject_alt_name, san) == 0 &&
	     add_ext(x, NID_basic_constraints, "critical,CA:FALSE") == 0 &&
	     add_ext(x, NID_key_usage, "critical,digitalSignature,keyEncipherment") == 0 &&
	     add_ext(x, NID_ext_key_usage, "serverAuth") == 0 &&
	     X509_sign(x, key, EVP_sha256()) > 0;
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static int write_pem(const char *path, mode_t mode, EVP_PKEY *key, X509 *x)
{
	char tmp[600];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -errno;
	}
	bool ok = key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) :
			PEM_write_X509(f, x);
	ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) < 0) {
		unlink(tmp);
		return -EIO;
	}
	return 0;
}

static int cert_generate(const char *cert, const char *key_path, const char *listen_host)
{
	char host[256] = "softbmc";
	if (gethostname(host, sizeof(host) - 1) < 0 || !host[0])
		snprintf(host, sizeof(host), "softbmc");
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = key ? cert_build(key, host, listen_host) : NULL;
	int r = x ? write_pem(key_path, 0600, key, NULL) : -EIO;
	if (r == 0)
		r = write_pem(cert, 0644, NULL, x);
	X509_free(x);
	EVP_PKEY_free(key);
	if (r == 0)
		log_info("web: created a self-signed certificate for %s in %s", host, cert);
	return r;
}

int web_cert_ensure(const struct web_options *o, const char *listen_host, char *ret_cert,
		    char *ret_key, size_t cap)
{
	if (o->cert_file || o->key_file) {
		if (!o->cert_file || !o->key_file) {
			log_err("web: a certificate needs both cert and key");
			return -EINVAL;
		}
		snprintf(ret_cert, cap, "%s", o->cert_file);
		snprintf(ret_key, cap, "%s", o->key_file);
		return 0;
	}
	snprintf(ret_cert, cap, "%s/https.crt", o->state_dir);
	snprintf(ret_key, cap, "%s/https.key", o->state_dir);
	struct stat st;
	if (stat(ret_cert, &st) == 0 && stat(ret_key, &st) == 0)
		return 0;
	int r = cert_generate(ret_cert, ret_key, listen_host);
	if (r < 0)
		log_err("web: cannot create a certificate in %s: %s", o->state_dir, strerror(-r));
	return r;
}
