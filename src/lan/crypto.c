/* RMCP+ and IPMI 1.5 cryptography through OpenSSL 3; see crypto.h.
 *
 * Every value here is a pure function of its inputs. Byte strings that enter a MAC are
 * assembled with the bounded writer exactly as they appear on the wire (notes §8), so the
 * field order in each builder below is the formula. Temporary buffers that held key material
 * or full digests are wiped with OPENSSL_cleanse before returning. */
#include "lan/crypto.h"

#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "core/buf.h"

#define RAKP_NAME_MAX   16
#define RAKP_KN_CONST   20      /* notes §8: K1/K2 constant is 20 bytes for every alg */
#define MD5_128_KEY     20      /* notes §6.1: MD5-128 key is the password padded to 20 */
#define IPMI15_PW_LEN   16

/* Hash behind an authentication algorithm, or NULL for none / unknown. */
static const EVP_MD *rakp_md(enum rakp_auth_alg alg)
{
	switch (alg) {
	case RAKP_AUTH_HMAC_SHA1:
		return EVP_sha1();
	case RAKP_AUTH_HMAC_MD5:
		return EVP_md5();
	case RAKP_AUTH_HMAC_SHA256:
		return EVP_sha256();
	default:
		return NULL;
	}
}

size_t rakp_digest_len(enum rakp_auth_alg alg)
{
	static const size_t len[RAKP_AUTH_MAX] = { 0, 20, 16, 32 };
	return (unsigned)alg < RAKP_AUTH_MAX ? len[alg] : 0;
}

size_t rmcp_integ_len(enum rmcp_integ_alg alg)
{
	static const size_t len[RMCP_INTEG_MAX] = { 0, 12, 16, 16, 16 };
	return (unsigned)alg < RMCP_INTEG_MAX ? len[alg] : 0;
}

/* Notes §8: the RAKP 4 ICV is HMAC-SHA1-96 / HMAC-MD5-128 / HMAC-SHA256-128. */
size_t rakp_icv_len(enum rakp_auth_alg alg)
{
	static const size_t len[RAKP_AUTH_MAX] = { 0, 12, 16, 16 };
	return (unsigned)alg < RAKP_AUTH_MAX ? len[alg] : 0;
}

/* OpenSSL 3 looks an algorithm up by name (locks, string compares, allocations) on every
 * one-shot HMAC() and on every EVP_CipherInit_ex with a legacy EVP_aes_128_cbc(); under load
 * that cost more than the hashing itself (bench/RESULTS.md). So each algorithm is fetched
 * once, and one context per algorithm is kept and re-keyed for every call. The cache is
 * process-wide and holds no BMC state; like the rest of the daemon it is used from one thread.
 * A cached context keeps the last key it was given until the next call re-keys it (the
 * session that owns such a key holds it anyway until the session is freed). */
enum hmac_hash { HMAC_SHA1, HMAC_MD5, HMAC_SHA256, HMAC_HASH_MAX };

static EVP_MAC_CTX *hmac_ctx(const EVP_MD *md)
{
	static EVP_MAC_CTX *cache[HMAC_HASH_MAX];
	static const char *const names[HMAC_HASH_MAX] = { "SHA1", "MD5", "SHA256" };
	enum hmac_hash h;

	switch (EVP_MD_get_type(md)) {
	case NID_sha1: h = HMAC_SHA1; break;
	case NID_md5: h = HMAC_MD5; break;
	case NID_sha256: h = HMAC_SHA256; break;
	default: return NULL;
	}
	if (!cache[h]) {
		EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
		OSSL_PARAM params[] = {
			OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)names[h], 0),
			OSSL_PARAM_construct_end(),
		};

		EVP_MAC_free(mac); /* the context holds its own reference */
		if (!ctx || !EVP_MAC_CTX_set_params(ctx, params)) {
			EVP_MAC_CTX_free(ctx);
			return NULL;
		}
		cache[h] = ctx;
	}
	return cache[h];
}

static size_t hmac_md(const EVP_MD *md, const uint8_t *key, size_t key_len,
		      const uint8_t *data, size_t data_len, uint8_t out[static RAKP_MAX_DIGEST])
{
	static const uint8_t empty_key[1];
	EVP_MAC_CTX *ctx;
	size_t out_len = 0;

	if (!md || key_len > INT_MAX || (size_t)EVP_MD_get_size(md) > RAKP_MAX_DIGEST)
		return 0;
	if (!key || key_len == 0) {
		/* HMAC zero-pads the key, so an empty key equals a zero byte. (A NULL key would
		 * make EVP_MAC_init reuse the previous one.) */
		key = empty_key;
		key_len = 1;
	}
	ctx = hmac_ctx(md);
	if (!ctx || !EVP_MAC_init(ctx, key, key_len, NULL) || !EVP_MAC_update(ctx, data, data_len) ||
	    !EVP_MAC_final(ctx, out, &out_len, RAKP_MAX_DIGEST))
		return 0;
	return out_len;
}

size_t rakp_hmac(enum rakp_auth_alg alg, const uint8_t *key, size_t key_len,
		 const uint8_t *data, size_t data_len, uint8_t out[static RAKP_MAX_DIGEST])
{
	return hmac_md(rakp_md(alg), key, key_len, data, data_len, out);
}

/* ULENm ‖ UNAMEm (RAKP 1 bytes 27.., notes §8). */
static void put_name(struct wbuf *w, const struct rakp_params *p)
{
	if (p->name_len > RAKP_NAME_MAX) {
		w->err = true;
		return;
	}
	wbuf_u8(w, p->name_len);
	wbuf_bytes(w, p->name, p->name_len);
}

/* Notes §8: H(Kuid, SIDm ‖ SIDc ‖ Rm ‖ Rc ‖ GUIDc ‖ ROLEm ‖ ULENm ‖ UNAMEm). */
size_t rakp2_auth_code(const struct rakp_params *p, uint8_t out[static RAKP_MAX_DIGEST])
{
	uint8_t buf[4 + 4 + 16 + 16 + 16 + 1 + 1 + RAKP_NAME_MAX];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	wbuf_u32le(&w, p->console_sid);
	wbuf_u32le(&w, p->bmc_sid);
	wbuf_bytes(&w, p->rm, sizeof(p->rm));
	wbuf_bytes(&w, p->rc, sizeof(p->rc));
	wbuf_bytes(&w, p->guid, sizeof(p->guid));
	wbuf_u8(&w, p->role);
	put_name(&w, p);
	if (w.err)
		return 0;
	return rakp_hmac(p->auth, p->kuid, sizeof(p->kuid), buf, w.len, out);
}

/* Notes §8: H(Kuid, Rc ‖ SIDm ‖ ROLEm ‖ ULENm ‖ UNAMEm). */
size_t rakp3_auth_code(const struct rakp_params *p, uint8_t out[static RAKP_MAX_DIGEST])
{
	uint8_t buf[16 + 4 + 1 + 1 + RAKP_NAME_MAX];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	wbuf_bytes(&w, p->rc, sizeof(p->rc));
	wbuf_u32le(&w, p->console_sid);
	wbuf_u8(&w, p->role);
	put_name(&w, p);
	if (w.err)
		return 0;
	return rakp_hmac(p->auth, p->kuid, sizeof(p->kuid), buf, w.len, out);
}

/* Notes §8: K_g not configured (all zero) means Kuid is used in its place. Constant time so
 * the check says nothing about the key's bytes. */
static bool kg_is_zero(const uint8_t kg[static 20])
{
	uint8_t acc = 0;
	for (size_t i = 0; i < 20; i++)
		acc |= kg[i];
	return acc == 0;
}

/* Notes §8: SIK = H(Kg or Kuid, Rm ‖ Rc ‖ ROLEm ‖ ULENm ‖ UNAMEm). */
size_t rakp_sik(const struct rakp_params *p, uint8_t out[static RAKP_MAX_DIGEST])
{
	uint8_t buf[16 + 16 + 1 + 1 + RAKP_NAME_MAX];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	const uint8_t *key = kg_is_zero(p->kg) ? p->kuid : p->kg;

	wbuf_bytes(&w, p->rm, sizeof(p->rm));
	wbuf_bytes(&w, p->rc, sizeof(p->rc));
	wbuf_u8(&w, p->role);
	put_name(&w, p);
	if (w.err)
		return 0;
	return rakp_hmac(p->auth, key, 20, buf, w.len, out);
}

/* Notes §8: K_n = H(SIK, n × 20), keyed with the whole SIK. */
size_t rakp_kn(enum rakp_auth_alg alg, const uint8_t *sik, uint8_t n,
	       uint8_t out[static RAKP_MAX_DIGEST])
{
	uint8_t c[RAKP_KN_CONST];

	memset(c, n, sizeof(c));
	return rakp_hmac(alg, sik, rakp_digest_len(alg), c, sizeof(c), out);
}

/* Notes §8: RAKP 4 ICV = H(SIK, Rm ‖ SIDc ‖ GUIDc), truncated to rakp_icv_len. */
size_t rakp4_icv(const struct rakp_params *p, const uint8_t *sik,
		 uint8_t out[static RAKP_MAX_DIGEST])
{
	uint8_t buf[16 + 4 + 16];
	uint8_t full[RAKP_MAX_DIGEST];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	size_t n = rakp_icv_len(p->auth);

	wbuf_bytes(&w, p->rm, sizeof(p->rm));
	wbuf_u32le(&w, p->bmc_sid);
	wbuf_bytes(&w, p->guid, sizeof(p->guid));
	if (w.err || n == 0)
		return 0;
	if (rakp_hmac(p->auth, sik, rakp_digest_len(p->auth), buf, w.len, full) < n)
		n = 0;
	memcpy(out, full, n);
	OPENSSL_cleanse(full, sizeof(full));
	return n;
}

/* Plain digest over up to three parts, for the keyed-by-sandwich MD5 constructions. */
static bool md5_parts(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
		      const uint8_t *c, size_t c_len, uint8_t out[static 16])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int out_len = 0;
	bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) &&
		  EVP_DigestUpdate(ctx, a, a_len) && EVP_DigestUpdate(ctx, b, b_len) &&
		  EVP_DigestUpdate(ctx, c, c_len) && EVP_DigestFinal_ex(ctx, out, &out_len) &&
		  out_len == 16;

	EVP_MD_CTX_free(ctx);
	return ok;
}

/* Notes §6.1, alg 0x03: MD5(P20 ‖ data ‖ P20), P20 = password zero-padded to 20 bytes. A
 * shorter key is padded here; a longer one is refused. */
static size_t md5_128(const uint8_t *pw, size_t pw_len, const uint8_t *data, size_t len,
		      uint8_t out[static RAKP_MAX_DIGEST])
{
	uint8_t p20[MD5_128_KEY] = { 0 };
	size_t n = 0;

	if (pw_len > sizeof(p20))
		return 0;
	if (pw_len)
		memcpy(p20, pw, pw_len);
	if (md5_parts(p20, sizeof(p20), data, len, p20, sizeof(p20), out))
		n = 16;
	OPENSSL_cleanse(p20, sizeof(p20));
	return n;
}

/* Notes §6.1: the MAC covers auth type through next header; HMAC algs are keyed with K1
 * and truncated to rmcp_integ_len. */
size_t rmcp_integ_code(enum rmcp_integ_alg alg, const uint8_t *k1, size_t k1_len,
		       const uint8_t *data, size_t len, uint8_t out[static RAKP_MAX_DIGEST])
{
	uint8_t full[RAKP_MAX_DIGEST];
	const EVP_MD *md;
	size_t n = rmcp_integ_len(alg);

	switch (alg) {
	case RMCP_INTEG_HMAC_SHA1_96:
		md = EVP_sha1();
		break;
	case RMCP_INTEG_HMAC_MD5_128:
		md = EVP_md5();
		break;
	case RMCP_INTEG_HMAC_SHA256_128:
		md = EVP_sha256();
		break;
	case RMCP_INTEG_MD5_128:
		return md5_128(k1, k1_len, data, len, out);
	default:
		return 0;
	}
	if (hmac_md(md, k1, k1_len, data, len, full) < n)
		n = 0;
	memcpy(out, full, n);
	OPENSSL_cleanse(full, sizeof(full));
	return n;
}

/* Fails closed: integrity "none" or an OpenSSL error never authenticates a packet. */
bool rmcp_integ_check(enum rmcp_integ_alg alg, const uint8_t *k1, size_t k1_len,
		      const uint8_t *data, size_t len, const uint8_t *code)
{
	uint8_t want[RAKP_MAX_DIGEST];
	size_t n = rmcp_integ_code(alg, k1, k1_len, data, len, want);
	bool ok = n > 0 && CRYPTO_memcmp(want, code, n) == 0;

	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}

/* Notes §6.2: N in 0..15 so that len + N + 1 is a multiple of 16. */
static size_t aes_pad_len(size_t len)
{
	return (RMCP_AES_BLOCK - (len + 1) % RMCP_AES_BLOCK) % RMCP_AES_BLOCK;
}

/* The one cached AES-128-CBC context (see hmac_ctx): the cipher is set and padding turned off
 * once; each call only sets the key, the IV and the direction. */
static EVP_CIPHER_CTX *aes_ctx(const uint8_t key[static 16], const uint8_t iv[static 16],
			       int enc)
{
	static EVP_CIPHER_CTX *ctx;

	if (!ctx) {
		EVP_CIPHER *aes = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
		EVP_CIPHER_CTX *c = aes ? EVP_CIPHER_CTX_new() : NULL;
		bool ok = c && EVP_CipherInit_ex2(c, aes, NULL, NULL, 1, NULL) &&
			  EVP_CIPHER_CTX_set_padding(c, 0);

		EVP_CIPHER_free(aes); /* the context holds its own reference */
		if (!ok) {
			EVP_CIPHER_CTX_free(c);
			return NULL;
		}
		ctx = c;
	}
	if (!EVP_CipherInit_ex2(ctx, NULL, key, iv, enc, NULL))
		return NULL;
	return ctx;
}

/* Runs one cipher pass over in, appending to out at *off (bounded by the caller). */
static bool aes_update(EVP_CIPHER_CTX *ctx, uint8_t *out, size_t *off, const uint8_t *in,
		       size_t len)
{
	int n = 0;

	if (len == 0)
		return true;
	if (!EVP_CipherUpdate(ctx, out + *off, &n, in, (int)len) || n < 0)
		return false;
	*off += (size_t)n;
	return true;
}

/* Notes §6.2: IV ‖ AES-128-CBC(plain ‖ 01 02 .. N ‖ N). The pad is fed to the cipher after
 * the plaintext, so the plaintext is never copied into a temporary buffer. */
int rmcp_aes_encrypt_iv(const uint8_t key[static 16], const uint8_t iv[static 16],
			const uint8_t *plain, size_t len, uint8_t *out, size_t out_cap)
{
	uint8_t pad[RMCP_AES_BLOCK];
	size_t npad = aes_pad_len(len), off = RMCP_AES_BLOCK;
	EVP_CIPHER_CTX *ctx;
	int fin = 0;
	bool ok;

	if (len > INT_MAX - 2 * RMCP_AES_BLOCK ||
	    out_cap < RMCP_AES_BLOCK + len + npad + 1)
		return -1;
	for (size_t i = 0; i < npad; i++)
		pad[i] = (uint8_t)(i + 1);
	pad[npad] = (uint8_t)npad;
	ctx = aes_ctx(key, iv, 1);
	if (!ctx)
		return -1;
	memcpy(out, iv, RMCP_AES_BLOCK);
	ok = aes_update(ctx, out, &off, plain, len) &&
	     aes_update(ctx, out, &off, pad, npad + 1) &&
	     EVP_CipherFinal_ex(ctx, out + off, &fin) && fin == 0 &&
	     off == RMCP_AES_BLOCK + len + npad + 1;
	return ok ? (int)off : -1;
}

/* A fresh random IV per packet, drawn from a pool filled by RAND_bytes 64 IVs at a time: one
 * DRBG call per packet cost more than the packet's AES. Bytes leave the pool once and are
 * wiped as they are taken. */
static bool aes_random_iv(uint8_t iv[static RMCP_AES_BLOCK])
{
	static uint8_t pool[64 * RMCP_AES_BLOCK];
	static size_t used = sizeof(pool);

	if (used == sizeof(pool)) {
		if (RAND_bytes(pool, sizeof(pool)) != 1)
			return false;
		used = 0;
	}
	memcpy(iv, pool + used, RMCP_AES_BLOCK);
	OPENSSL_cleanse(pool + used, RMCP_AES_BLOCK);
	used += RMCP_AES_BLOCK;
	return true;
}

int rmcp_aes_encrypt(const uint8_t key[static 16], const uint8_t *plain, size_t len,
		     uint8_t *out, size_t out_cap)
{
	uint8_t iv[RMCP_AES_BLOCK];

	if (!aes_random_iv(iv))
		return -1;
	return rmcp_aes_encrypt_iv(key, iv, plain, len, out, out_cap);
}

/* Notes §6.2: the last byte N (0..15) is preceded by 01 02 .. N. Checked without an early
 * exit so the time taken does not depend on where the pad goes wrong. */
static bool aes_pad_ok(const uint8_t *p, size_t len, size_t *ret_npad)
{
	size_t npad = p[len - 1];
	uint8_t bad = 0;

	if (npad >= RMCP_AES_BLOCK)
		return false;
	for (size_t i = 0; i < npad; i++)
		bad |= p[len - 1 - npad + i] ^ (uint8_t)(i + 1);
	if (bad)
		return false;
	*ret_npad = npad;
	return true;
}

int rmcp_aes_decrypt(const uint8_t key[static 16], const uint8_t *in, size_t len,
		     uint8_t *out, size_t out_cap)
{
	size_t clen, off = 0, npad = 0;
	EVP_CIPHER_CTX *ctx;
	int fin = 0;
	bool ok;

	if (len < 2 * RMCP_AES_BLOCK || len > INT_MAX || (len - RMCP_AES_BLOCK) % RMCP_AES_BLOCK)
		return -1;
	clen = len - RMCP_AES_BLOCK;
	if (out_cap < clen)
		return -1;
	ctx = aes_ctx(key, in, 0);
	if (!ctx)
		return -1;
	ok = aes_update(ctx, out, &off, in + RMCP_AES_BLOCK, clen) &&
	     EVP_CipherFinal_ex(ctx, out + off, &fin) && fin == 0 && off == clen &&
	     aes_pad_ok(out, clen, &npad);
	if (!ok) {
		OPENSSL_cleanse(out, clen);
		return -1;
	}
	return (int)(clen - npad - 1);
}

/* Notes §3.1: type 2 = MD5(P ‖ SID ‖ MSG ‖ SEQ ‖ P) with SID and SEQ as the 4 LE bytes of the
 * packet header; type 4 = P. MD2 (type 1) is absent from OpenSSL 3's default provider. */
int ipmi15_auth_code(uint8_t auth_type, const uint8_t password[static 16], uint32_t sid,
		     uint32_t seq, const uint8_t *msg, size_t msg_len, uint8_t out[static 16])
{
	uint8_t head[IPMI15_PW_LEN + 4], tail[4 + IPMI15_PW_LEN];
	struct wbuf h = wbuf_init(head, sizeof(head)), t = wbuf_init(tail, sizeof(tail));
	bool ok;

	if (auth_type == 4) {
		memcpy(out, password, IPMI15_PW_LEN);
		return 0;
	}
	if (auth_type != 2)
		return -1;
	wbuf_bytes(&h, password, IPMI15_PW_LEN);
	wbuf_u32le(&h, sid);
	wbuf_u32le(&t, seq);
	wbuf_bytes(&t, password, IPMI15_PW_LEN);
	ok = !h.err && !t.err && md5_parts(head, h.len, msg, msg_len, tail, t.len, out);
	OPENSSL_cleanse(head, sizeof(head));
	OPENSSL_cleanse(tail, sizeof(tail));
	return ok ? 0 : -1;
}
