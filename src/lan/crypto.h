/* RMCP+ and IPMI 1.5 cryptography (IPMI 2.0 §13.28-13.32), all through OpenSSL:
 * RAKP key-exchange auth codes, SIK/K1/K2 derivation, per-packet integrity codes,
 * AES-CBC-128 confidentiality with the IPMI pad, and the IPMI 1.5 MD5 auth code.
 * Pure functions over byte strings; no state, no I/O. Secrets are wiped by the caller. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Authentication algorithms (Open Session auth payload). */
enum rakp_auth_alg {
	RAKP_AUTH_NONE = 0,
	RAKP_AUTH_HMAC_SHA1 = 1,
	RAKP_AUTH_HMAC_MD5 = 2,
	RAKP_AUTH_HMAC_SHA256 = 3,
	RAKP_AUTH_MAX,
};

/* Integrity algorithms. */
enum rmcp_integ_alg {
	RMCP_INTEG_NONE = 0,
	RMCP_INTEG_HMAC_SHA1_96 = 1,
	RMCP_INTEG_HMAC_MD5_128 = 2,
	RMCP_INTEG_MD5_128 = 3,
	RMCP_INTEG_HMAC_SHA256_128 = 4,
	RMCP_INTEG_MAX,
};

/* Confidentiality algorithms. */
enum rmcp_conf_alg {
	RMCP_CONF_NONE = 0,
	RMCP_CONF_AES_CBC_128 = 1,
	RMCP_CONF_MAX,
};

#define RAKP_MAX_DIGEST 32 /* SHA-256 */
#define RMCP_AES_BLOCK  16

/* Full HMAC digest length of an authentication algorithm (20, 16, 32; 0 for none). */
size_t rakp_digest_len(enum rakp_auth_alg alg);
/* Length of the truncated integrity code on the wire (12, 16, 16, 16; 0 for none). */
size_t rmcp_integ_len(enum rmcp_integ_alg alg);
/* Length of the RAKP 4 ICV for an authentication algorithm (12, 16, 16; 0 for none). */
size_t rakp_icv_len(enum rakp_auth_alg alg);

/* HMAC with the authentication algorithm's hash. out must hold rakp_digest_len(alg) bytes.
 * Returns the digest length, or 0 on error / RAKP_AUTH_NONE. */
size_t rakp_hmac(enum rakp_auth_alg alg, const uint8_t *key, size_t key_len,
		 const uint8_t *data, size_t data_len, uint8_t out[static RAKP_MAX_DIGEST]);

/* The inputs of one RAKP exchange, exactly as they appear on the wire (§8 of the notes). */
struct rakp_params {
	enum rakp_auth_alg auth;
	uint32_t console_sid;   /* SIDm */
	uint32_t bmc_sid;       /* SIDc */
	uint8_t rm[16];         /* console random */
	uint8_t rc[16];         /* BMC random */
	uint8_t guid[16];       /* GUIDc as sent in RAKP 2 */
	uint8_t role;           /* RAKP 1 byte 24 verbatim */
	uint8_t name_len;
	uint8_t name[16];
	uint8_t kuid[20];       /* user password, zero-padded */
	uint8_t kg[20];         /* BMC key; all zero = use kuid */
};

/* Each returns the number of bytes written to out (0 for RAKP_AUTH_NONE). */
size_t rakp2_auth_code(const struct rakp_params *p, uint8_t out[static RAKP_MAX_DIGEST]);
size_t rakp3_auth_code(const struct rakp_params *p, uint8_t out[static RAKP_MAX_DIGEST]);
size_t rakp_sik(const struct rakp_params *p, uint8_t out[static RAKP_MAX_DIGEST]);
/* K_n = HMAC(SIK, 20 bytes of n). */
size_t rakp_kn(enum rakp_auth_alg alg, const uint8_t *sik, uint8_t n,
	       uint8_t out[static RAKP_MAX_DIGEST]);
/* RAKP 4 integrity check value: HMAC(SIK, Rm || SIDc || GUIDc), truncated. */
size_t rakp4_icv(const struct rakp_params *p, const uint8_t *sik,
		 uint8_t out[static RAKP_MAX_DIGEST]);

/* Per-packet integrity code over data (auth-type byte through next-header byte), keyed with
 * K1 (k1_len bytes; for MD5-128 the key is the 20-byte password). Writes rmcp_integ_len(alg)
 * bytes to out. Returns that length, or 0 on error. */
size_t rmcp_integ_code(enum rmcp_integ_alg alg, const uint8_t *k1, size_t k1_len,
		       const uint8_t *data, size_t len, uint8_t out[static RAKP_MAX_DIGEST]);
/* Constant-time check of a received integrity code. */
bool rmcp_integ_check(enum rmcp_integ_alg alg, const uint8_t *k1, size_t k1_len,
		      const uint8_t *data, size_t len, const uint8_t *code);

/* AES-CBC-128 payload encryption (IPMI 2.0 §13.29): out = IV(16, random) || ciphertext of
 * plain || 01 02 .. N || N. key = first 16 bytes of K2. Returns bytes written, or -1 if
 * out_cap is too small or OpenSSL fails. */
int rmcp_aes_encrypt(const uint8_t key[static 16], const uint8_t *plain, size_t len,
		     uint8_t *out, size_t out_cap);
/* Same with a caller-chosen IV (known-answer tests). */
int rmcp_aes_encrypt_iv(const uint8_t key[static 16], const uint8_t iv[static 16],
			const uint8_t *plain, size_t len, uint8_t *out, size_t out_cap);
/* Decrypts IV || ciphertext, checks and strips the pad. Returns the plaintext length, or -1
 * (bad length, bad pad). out must hold len - 16 bytes. */
int rmcp_aes_decrypt(const uint8_t key[static 16], const uint8_t *in, size_t len,
		     uint8_t *out, size_t out_cap);

/* IPMI 1.5 auth code (§3.1 of the notes) for auth type 2 (MD5): MD5(P || SID || MSG || SEQ || P),
 * P = password zero-padded to 16. For auth type 4 (straight password) it is P itself.
 * Returns 0, or -1 for an unsupported type. */
int ipmi15_auth_code(uint8_t auth_type, const uint8_t password[static 16], uint32_t sid,
		     uint32_t seq, const uint8_t *msg, size_t msg_len, uint8_t out[static 16]);
