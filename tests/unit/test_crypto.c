/* Known-answer tests for lan/crypto.c.
 *
 * The RAKP vectors and the cipher-suite-2 packet are those of rmcp-and-sessions.md §14
 * (checked there against libfreeipmi 1.6.10). Vectors marked "python" were computed
 * independently for this file with python3's hashlib/hmac and `openssl enc -nopad`; the
 * command is quoted next to each. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "core/buf.h"
#include "ipmi/msg.h"
#include "lan/crypto.h"

/* Parses a hex string (spaces allowed) into out; returns the byte count. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned int v;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		assert_true(n < cap);
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void assert_hex(const uint8_t *got, size_t got_len, const char *want_hex)
{
	uint8_t want[128];
	size_t n = unhex(want_hex, want, sizeof(want));

	assert_int_equal(got_len, n);
	assert_memory_equal(got, want, n);
}

/* §14 inputs: admin / password, Rm = 00..0F, Rc = 10..1F, GUIDc = 20..2F, SIDm = 0xA0A2A3A4,
 * SIDc = 0x12345678, ROLEm = 0x14, no K_g. */
static struct rakp_params params_14(enum rakp_auth_alg alg)
{
	struct rakp_params p = {
		.auth = alg,
		.console_sid = 0xA0A2A3A4,
		.bmc_sid = 0x12345678,
		.role = 0x14,
		.name_len = 5,
	};

	for (int i = 0; i < 16; i++) {
		p.rm[i] = (uint8_t)i;
		p.rc[i] = (uint8_t)(0x10 + i);
		p.guid[i] = (uint8_t)(0x20 + i);
	}
	memcpy(p.name, "admin", 5);
	memcpy(p.kuid, "password", 8);
	return p;
}

struct suite_vec {
	enum rakp_auth_alg alg;
	const char *rakp2, *rakp3, *sik, *k1, *k2, *icv;
};

/* rmcp-and-sessions.md §14, every line. */
static const struct suite_vec vec_sha1 = {
	RAKP_AUTH_HMAC_SHA1,
	"9508518bfb43673d0eb84d935ac25439b06a7ab8",
	"4ab420258775814f120682c8ab9275c29997effd",
	"122c77c4b11ccd93251cbae6c34a9cb6310da154",
	"e4472be78f9a81fa68297aab696a7be8c97fc9f8",
	"2b6552012a2517cb3b5713901d757a6efc7d8301",
	"5aca955789109a61974ad7a1",
};

static const struct suite_vec vec_md5 = {
	RAKP_AUTH_HMAC_MD5,
	"b330890a24314f1ac3ca4365b1767b27",
	"05d70649d70a064a032338a34225ad04",
	"f5aecc7e7958555f1a0cff5b39dbdb36",
	"1a850f03ec7c1413d660cf08648e0be2",
	"a9861046f4b96cf599fad35133e1445c",
	"03d7d8cf9b41da64d2b538c83b077a32",
};

static const struct suite_vec vec_sha256 = {
	RAKP_AUTH_HMAC_SHA256,
	"79b07cf99f6fd074691206ca7d16d7dd4f3839265fb50a773376369454929e88",
	"72a845290e0504673b2177d93a8dd844954778f3fe6b0476b2e7055a21663586",
	"e5935f7199865ad961063477b0662684e2ce9b1da8f2b8d41c5ce127d37e9bcf",
	"dc4fe73d075306f6897115dd63257385e845c10404fa1d73991790c6a101bec2",
	"2a4f969ea6dfa83066f36674fdc2fea289fa1a21da90303e9b5269b54ec5adb5",
	"f9794eeba255f475851d0dc1957efda9",
};

static void check_suite(const struct suite_vec *v)
{
	struct rakp_params p = params_14(v->alg);
	uint8_t out[RAKP_MAX_DIGEST], sik[RAKP_MAX_DIGEST];
	size_t n;

	n = rakp2_auth_code(&p, out);
	assert_hex(out, n, v->rakp2);
	n = rakp3_auth_code(&p, out);
	assert_hex(out, n, v->rakp3);
	n = rakp_sik(&p, sik);
	assert_hex(sik, n, v->sik);
	n = rakp_kn(v->alg, sik, 1, out);
	assert_hex(out, n, v->k1);
	n = rakp_kn(v->alg, sik, 2, out);
	assert_hex(out, n, v->k2);
	n = rakp4_icv(&p, sik, out);
	assert_int_equal(n, rakp_icv_len(v->alg));
	assert_hex(out, n, v->icv);
}

static void t_vectors_sha1(void **state)
{
	check_suite(&vec_sha1);
}

static void t_vectors_md5(void **state)
{
	check_suite(&vec_md5);
}

static void t_vectors_sha256(void **state)
{
	check_suite(&vec_sha256);
}

static void t_lengths(void **state)
{
	assert_int_equal(rakp_digest_len(RAKP_AUTH_NONE), 0);
	assert_int_equal(rakp_digest_len(RAKP_AUTH_HMAC_SHA1), 20);
	assert_int_equal(rakp_digest_len(RAKP_AUTH_HMAC_MD5), 16);
	assert_int_equal(rakp_digest_len(RAKP_AUTH_HMAC_SHA256), 32);
	assert_int_equal(rakp_digest_len(RAKP_AUTH_MAX), 0);
	assert_int_equal(rakp_icv_len(RAKP_AUTH_NONE), 0);
	assert_int_equal(rakp_icv_len(RAKP_AUTH_HMAC_SHA1), 12);
	assert_int_equal(rakp_icv_len(RAKP_AUTH_HMAC_MD5), 16);
	assert_int_equal(rakp_icv_len(RAKP_AUTH_HMAC_SHA256), 16);
	assert_int_equal(rmcp_integ_len(RMCP_INTEG_NONE), 0);
	assert_int_equal(rmcp_integ_len(RMCP_INTEG_HMAC_SHA1_96), 12);
	assert_int_equal(rmcp_integ_len(RMCP_INTEG_HMAC_MD5_128), 16);
	assert_int_equal(rmcp_integ_len(RMCP_INTEG_MD5_128), 16);
	assert_int_equal(rmcp_integ_len(RMCP_INTEG_HMAC_SHA256_128), 16);
	assert_int_equal(rmcp_integ_len(RMCP_INTEG_MAX), 0);
}

/* RAKP-none (cipher suite 0): nothing is computed. */
static void t_rakp_none(void **state)
{
	struct rakp_params p = params_14(RAKP_AUTH_NONE);
	uint8_t out[RAKP_MAX_DIGEST], sik[RAKP_MAX_DIGEST] = { 0 };

	assert_int_equal(rakp2_auth_code(&p, out), 0);
	assert_int_equal(rakp3_auth_code(&p, out), 0);
	assert_int_equal(rakp_sik(&p, out), 0);
	assert_int_equal(rakp_kn(RAKP_AUTH_NONE, sik, 1, out), 0);
	assert_int_equal(rakp4_icv(&p, sik, out), 0);
	assert_int_equal(rakp_hmac(RAKP_AUTH_NONE, sik, 16, sik, 16, out), 0);
}

/* Notes §8 [verified]: the bare password and the 20-byte zero-padded one give the same MAC. */
static void t_kuid_padding(void **state)
{
	uint8_t a[RAKP_MAX_DIGEST], b[RAKP_MAX_DIGEST], p20[20] = "password";
	const uint8_t data[] = "data";

	assert_int_equal(rakp_hmac(RAKP_AUTH_HMAC_SHA1, p20, 8, data, 4, a), 20);
	assert_int_equal(rakp_hmac(RAKP_AUTH_HMAC_SHA1, p20, 20, data, 4, b), 20);
	assert_memory_equal(a, b, 20);
	/* An empty key is a valid (all-zero) HMAC key. */
	assert_int_equal(rakp_hmac(RAKP_AUTH_HMAC_SHA1, NULL, 0, data, 4, a), 20);
	memset(p20, 0, sizeof(p20));
	assert_int_equal(rakp_hmac(RAKP_AUTH_HMAC_SHA1, p20, 20, data, 4, b), 20);
	assert_memory_equal(a, b, 20);
}

/* A configured K_g keys the SIK instead of Kuid (notes §8); K_g equal to Kuid reproduces
 * §14. */
static void t_kg(void **state)
{
	struct rakp_params p = params_14(RAKP_AUTH_HMAC_SHA1);
	uint8_t out[RAKP_MAX_DIGEST];

	memcpy(p.kg, p.kuid, sizeof(p.kg));
	assert_hex(out, rakp_sik(&p, out), vec_sha1.sik);
	/* python: hmac.new(b"kg" * 10, Rm + Rc + b"\x14\x05admin", sha1).hexdigest() */
	memcpy(p.kg, "kgkgkgkgkgkgkgkgkgkg", 20);
	assert_hex(out, rakp_sik(&p, out), "faef709ddd349373788545fa411de4d9cafe803e");
	/* K_g does not enter RAKP 2. */
	assert_hex(out, rakp2_auth_code(&p, out), vec_sha1.rakp2);
}

static void t_name_too_long(void **state)
{
	struct rakp_params p = params_14(RAKP_AUTH_HMAC_SHA1);
	uint8_t out[RAKP_MAX_DIGEST];

	p.name_len = 17;
	assert_int_equal(rakp2_auth_code(&p, out), 0);
	assert_int_equal(rakp3_auth_code(&p, out), 0);
	assert_int_equal(rakp_sik(&p, out), 0);
	p.name_len = 16;
	assert_int_equal(rakp2_auth_code(&p, out), 20);
}

static const uint8_t get_device_id[] = { 0x20, 0x18, 0xc8, 0x81, 0x14, 0x01, 0x6a };

/* Session header of an RMCP+ packet (notes §6), without the RMCP header. */
static void put_v20_hdr(struct wbuf *w, uint8_t ptype, uint32_t sid, uint32_t seq,
			uint16_t len)
{
	wbuf_u8(w, 0x06);
	wbuf_u8(w, ptype);
	wbuf_u32le(w, sid);
	wbuf_u32le(w, seq);
	wbuf_u16le(w, len);
}

/* Notes §6.1: 0xFF pad so auth type .. next header is a multiple of 4, pad length, 0x07. */
static void put_v20_trailer(struct wbuf *w)
{
	size_t pad = (4 - (w->len + 2) % 4) % 4;

	for (size_t i = 0; i < pad; i++)
		wbuf_u8(w, 0xff);
	wbuf_u8(w, (uint8_t)pad);
	wbuf_u8(w, 0x07);
}

/* Derives K1/K2 of the §14 SHA1 exchange through the API under test. */
static void sha1_keys(uint8_t k1[static RAKP_MAX_DIGEST], uint8_t k2[static RAKP_MAX_DIGEST])
{
	struct rakp_params p = params_14(RAKP_AUTH_HMAC_SHA1);
	uint8_t sik[RAKP_MAX_DIGEST];

	assert_int_equal(rakp_sik(&p, sik), 20);
	assert_int_equal(rakp_kn(RAKP_AUTH_HMAC_SHA1, sik, 1, k1), 20);
	assert_int_equal(rakp_kn(RAKP_AUTH_HMAC_SHA1, sik, 2, k2), 20);
}

/* Builds the §14 cipher-suite-2 packet (without the RMCP header) into buf. */
static size_t build_cs2(uint8_t *buf, size_t cap)
{
	struct ipmi_msg_hdr rq = {
		.rs_addr = 0x20, .netfn = 6, .rq_addr = 0x81, .rq_seq = 5, .cmd = 1,
	};
	struct wbuf w = wbuf_init(buf, cap);

	put_v20_hdr(&w, 0x40, 0x12345678, 1, 7);
	ipmi_msg_build_req(&w, &rq, NULL, 0);
	put_v20_trailer(&w);
	assert_false(w.err);
	return w.len;
}

/* §14 cipher suite 2: exact packet and its HMAC-SHA1-96 code e0 7b e5 2c .. */
static void t_cs2_packet(void **state)
{
	uint8_t k1[RAKP_MAX_DIGEST], k2[RAKP_MAX_DIGEST], buf[64], code[RAKP_MAX_DIGEST];
	size_t n = build_cs2(buf, sizeof(buf));

	sha1_keys(k1, k2);
	assert_hex(buf, n, "06 40 78 56 34 12 01 00 00 00 07 00 "
		   "20 18 c8 81 14 01 6a ff ff ff 03 07");
	n = rmcp_integ_code(RMCP_INTEG_HMAC_SHA1_96, k1, 20, buf, n, code);
	assert_hex(code, n, "e0 7b e5 2c bb bd f1 e4 26 96 a6 7e");
}

/* The other integrity algorithms over the same cs2 bytes, each keyed per notes §6.1.
 * python: hmac.new(K1_md5, pkt, md5); hmac.new(K1_sha256, pkt, sha256).digest()[:16];
 * md5(P20 + pkt + P20) with P20 = b"password".ljust(20, b"\0"). */
static void t_integ_other_algs(void **state)
{
	uint8_t buf[64], key[32], code[RAKP_MAX_DIGEST];
	size_t n = build_cs2(buf, sizeof(buf)), kn;

	kn = unhex(vec_md5.k1, key, sizeof(key));
	assert_hex(code, rmcp_integ_code(RMCP_INTEG_HMAC_MD5_128, key, kn, buf, n, code),
		   "a6571933c4c8ae280778f8fb1d38aaa2");
	kn = unhex(vec_sha256.k1, key, sizeof(key));
	assert_hex(code, rmcp_integ_code(RMCP_INTEG_HMAC_SHA256_128, key, kn, buf, n, code),
		   "4c91fa8a7f0dde12e399238cb80a1688");
	memset(key, 0, sizeof(key));
	memcpy(key, "password", 8);
	assert_hex(code, rmcp_integ_code(RMCP_INTEG_MD5_128, key, 20, buf, n, code),
		   "398fb7632f78fc047bd656ca592e8894");
	/* A shorter password is zero-padded to 20; a longer key is refused. */
	assert_hex(code, rmcp_integ_code(RMCP_INTEG_MD5_128, key, 8, buf, n, code),
		   "398fb7632f78fc047bd656ca592e8894");
	assert_int_equal(rmcp_integ_code(RMCP_INTEG_MD5_128, key, 21, buf, n, code), 0);
	assert_int_equal(rmcp_integ_code(RMCP_INTEG_NONE, key, 20, buf, n, code), 0);
	assert_int_equal(rmcp_integ_code(RMCP_INTEG_MAX, key, 20, buf, n, code), 0);
}

static void t_integ_check(void **state)
{
	uint8_t k1[RAKP_MAX_DIGEST], k2[RAKP_MAX_DIGEST], buf[64], code[12];
	size_t n = build_cs2(buf, sizeof(buf));

	sha1_keys(k1, k2);
	unhex("e0 7b e5 2c bb bd f1 e4 26 96 a6 7e", code, sizeof(code));
	assert_true(rmcp_integ_check(RMCP_INTEG_HMAC_SHA1_96, k1, 20, buf, n, code));
	code[11] ^= 0x01;
	assert_false(rmcp_integ_check(RMCP_INTEG_HMAC_SHA1_96, k1, 20, buf, n, code));
	code[11] ^= 0x01;
	buf[8] ^= 0x80;
	assert_false(rmcp_integ_check(RMCP_INTEG_HMAC_SHA1_96, k1, 20, buf, n, code));
	buf[8] ^= 0x80;
	k1[0] ^= 0x01;
	assert_false(rmcp_integ_check(RMCP_INTEG_HMAC_SHA1_96, k1, 20, buf, n, code));
	/* Integrity "none" never authenticates anything. */
	assert_false(rmcp_integ_check(RMCP_INTEG_NONE, k1, 20, buf, n, code));
}

/* Raw AES-128-CBC without padding, to look inside what rmcp_aes_* produce and to forge
 * blocks with bad pads. */
static void aes_raw(int enc, const uint8_t key[16], const uint8_t iv[16], const uint8_t *in,
		    int len, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, m = 0;

	assert_non_null(ctx);
	assert_int_equal(EVP_CipherInit_ex(ctx, EVP_aes_128_cbc(), NULL, key, iv, enc), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	assert_int_equal(EVP_CipherUpdate(ctx, out, &n, in, len), 1);
	assert_int_equal(EVP_CipherFinal_ex(ctx, out + n, &m), 1);
	assert_int_equal(n + m, len);
	EVP_CIPHER_CTX_free(ctx);
}

static const uint8_t test_iv[16] = {
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
};

/* §14 cipher suite 3: plaintext block 20 18 c8 81 14 01 6a 01 .. 08 08 under K2[0:16].
 * Ciphertext by python + `openssl enc -aes-128-cbc -nopad -K 2b6552012a2517cb3b5713901d757a6e
 * -iv a0a1..af`; the whole packet's HMAC-SHA1-96 by python hmac over the bytes below. */
static void t_cs3_packet(void **state)
{
	uint8_t k1[RAKP_MAX_DIGEST], k2[RAKP_MAX_DIGEST], enc[64], plain[32], buf[96];
	uint8_t code[RAKP_MAX_DIGEST];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	int n;

	sha1_keys(k1, k2);
	n = rmcp_aes_encrypt_iv(k2, test_iv, get_device_id, sizeof(get_device_id), enc,
				sizeof(enc));
	assert_int_equal(n, 32);
	assert_memory_equal(enc, test_iv, 16);
	assert_hex(enc + 16, 16, "519c8ddd260ace896dc60a3f417f857a");
	aes_raw(0, k2, test_iv, enc + 16, 16, plain);
	assert_hex(plain, 16, "20 18 c8 81 14 01 6a 01 02 03 04 05 06 07 08 08");

	memset(plain, 0, sizeof(plain));
	assert_int_equal(rmcp_aes_decrypt(k2, enc, 32, plain, sizeof(plain)), 7);
	assert_memory_equal(plain, get_device_id, 7);

	put_v20_hdr(&w, 0xc0, 0x12345678, 2, 32);
	wbuf_bytes(&w, enc, 32);
	put_v20_trailer(&w);
	assert_false(w.err);
	assert_int_equal(w.len, 48);
	assert_hex(code, rmcp_integ_code(RMCP_INTEG_HMAC_SHA1_96, k1, 20, buf, w.len, code),
		   "b10b95245712a839e400bd94");
}

/* N = 0: 15 bytes of plaintext take only the single 00 pad-length byte.
 * python + `openssl enc` over 00..0e 00 with the same key and IV. */
static void t_aes_pad_zero(void **state)
{
	uint8_t k2[16], msg[15], enc[48], plain[32];

	unhex(vec_sha1.k2, enc, sizeof(enc));
	memcpy(k2, enc, 16);
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	assert_int_equal(rmcp_aes_encrypt_iv(k2, test_iv, msg, 15, enc, sizeof(enc)), 32);
	assert_hex(enc + 16, 16, "231e9bd9f9abf832a9c28348a8b830db");
	assert_int_equal(rmcp_aes_decrypt(k2, enc, 32, plain, sizeof(plain)), 15);
	assert_memory_equal(plain, msg, 15);
}

/* Random IV, every length across three blocks: sizes and round trip. */
static void t_aes_roundtrip(void **state)
{
	uint8_t key[16] = "0123456789abcde", msg[48], enc[96], plain[80];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(0x30 + i);
	for (size_t len = 0; len <= sizeof(msg); len++) {
		int want = (int)(16 + (len / 16 + 1) * 16);
		int n = rmcp_aes_encrypt(key, msg, len, enc, sizeof(enc));

		assert_int_equal(n, want);
		assert_int_equal(rmcp_aes_decrypt(key, enc, (size_t)n, plain, sizeof(plain)),
				 (int)len);
		assert_memory_equal(plain, msg, len);
	}
}

static void t_aes_bad_lengths(void **state)
{
	uint8_t key[16] = { 0 }, msg[16] = { 0 }, enc[64], plain[64];

	assert_int_equal(rmcp_aes_encrypt(key, msg, 7, enc, 31), -1);
	assert_int_equal(rmcp_aes_encrypt(key, msg, 16, enc, 47), -1);
	assert_int_equal(rmcp_aes_encrypt(key, msg, 16, enc, 48), 48);
	assert_int_equal(rmcp_aes_decrypt(key, enc, 0, plain, sizeof(plain)), -1);
	assert_int_equal(rmcp_aes_decrypt(key, enc, 16, plain, sizeof(plain)), -1);
	assert_int_equal(rmcp_aes_decrypt(key, enc, 31, plain, sizeof(plain)), -1);
	assert_int_equal(rmcp_aes_decrypt(key, enc, 33, plain, sizeof(plain)), -1);
	assert_int_equal(rmcp_aes_decrypt(key, enc, 47, plain, sizeof(plain)), -1);
	assert_int_equal(rmcp_aes_decrypt(key, enc, 48, plain, 31), -1);
	assert_int_equal(rmcp_aes_decrypt(key, enc, 48, plain, 32), 16);
}

/* Encrypts one raw 16-byte block behind test_iv and runs it through rmcp_aes_decrypt. */
static int decrypt_block(const char *block_hex)
{
	uint8_t key[16] = "fedcba987654321", block[16], enc[32], plain[16];

	assert_int_equal(unhex(block_hex, block, sizeof(block)), 16);
	memcpy(enc, test_iv, 16);
	aes_raw(1, key, test_iv, block, 16, enc + 16);
	return rmcp_aes_decrypt(key, enc, sizeof(enc), plain, sizeof(plain));
}

static void t_aes_bad_pads(void **state)
{
	/* Good: N = 15 and N = 0 at the edges. */
	assert_int_equal(decrypt_block("01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 0f"), 0);
	assert_int_equal(decrypt_block("aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa 00"), 15);
	assert_int_equal(decrypt_block("aa aa aa aa aa aa aa aa aa aa aa aa aa 01 02 02"), 13);
	/* N > 15. */
	assert_int_equal(decrypt_block("01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10"), -1);
	assert_int_equal(decrypt_block("aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa ff"), -1);
	/* Pad bytes not 1..N. */
	assert_int_equal(decrypt_block("aa aa aa aa aa aa aa aa aa aa aa 01 02 04 03 04"), -1);
	assert_int_equal(decrypt_block("aa aa aa aa aa aa aa aa aa aa aa aa aa 00 00 02"), -1);
	assert_int_equal(decrypt_block("aa aa aa aa aa aa aa aa aa aa aa aa aa aa 02 01"), -1);
	assert_int_equal(decrypt_block("aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa 01"), -1);
}

/* IPMI 1.5 MD5 auth code (notes §3.1) over the Get Device ID request, SID 0x12345678,
 * SEQ 0x0A0B0C0D, password "password". Computed with
 * python3 -c 'import hashlib,struct; P=b"password".ljust(16,b"\0");
 *   m=bytes.fromhex("2018c88114016a");
 *   print(hashlib.md5(P+struct.pack("<I",0x12345678)+m+struct.pack("<I",0x0A0B0C0D)+P)
 *   .hexdigest())' */
static void t_ipmi15_md5(void **state)
{
	uint8_t pw[16] = "password", out[16];

	assert_int_equal(ipmi15_auth_code(2, pw, 0x12345678, 0x0A0B0C0D, get_device_id,
					  sizeof(get_device_id), out), 0);
	assert_hex(out, 16, "60d257d1c8ca7c670652d615e9df3fb3");
}

static void t_ipmi15_other_types(void **state)
{
	uint8_t pw[16] = "password", out[16];

	assert_int_equal(ipmi15_auth_code(4, pw, 1, 2, get_device_id, 7, out), 0);
	assert_memory_equal(out, pw, 16);
	assert_int_equal(ipmi15_auth_code(0, pw, 1, 2, get_device_id, 7, out), -1);
	assert_int_equal(ipmi15_auth_code(1, pw, 1, 2, get_device_id, 7, out), -1);
	assert_int_equal(ipmi15_auth_code(5, pw, 1, 2, get_device_id, 7, out), -1);
	assert_int_equal(ipmi15_auth_code(6, pw, 1, 2, get_device_id, 7, out), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_vectors_sha1),
		cmocka_unit_test(t_vectors_md5),
		cmocka_unit_test(t_vectors_sha256),
		cmocka_unit_test(t_lengths),
		cmocka_unit_test(t_rakp_none),
		cmocka_unit_test(t_kuid_padding),
		cmocka_unit_test(t_kg),
		cmocka_unit_test(t_name_too_long),
		cmocka_unit_test(t_cs2_packet),
		cmocka_unit_test(t_integ_other_algs),
		cmocka_unit_test(t_integ_check),
		cmocka_unit_test(t_cs3_packet),
		cmocka_unit_test(t_aes_pad_zero),
		cmocka_unit_test(t_aes_roundtrip),
		cmocka_unit_test(t_aes_bad_lengths),
		cmocka_unit_test(t_aes_bad_pads),
		cmocka_unit_test(t_ipmi15_md5),
		cmocka_unit_test(t_ipmi15_other_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
