/* Private to store/: the state dir's sealing key and AES-256-GCM sealing of secret values.
 * A sealed value is: version (1) || 12-byte random nonce || ciphertext || 16-byte tag, with
 * the store key's name as additional authenticated data, so a sealed value only opens under
 * the name it was sealed for. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SECRET_KEY_LEN   32
#define SECRET_VERSION   1
#define SECRET_NONCE_LEN 12
#define SECRET_TAG_LEN   16
#define SECRET_OVERHEAD  (1 + SECRET_NONCE_LEN + SECRET_TAG_LEN)
/* Largest plaintext accepted: passwords and keys are 20 bytes in IPMI 2.0; this is generous. */
#define SECRET_MAX_LEN   1024

/* Loads DIR/secret.key into key. If the file is missing and may_create is set, creates it
 * (mode 0600, 32 bytes from RAND_bytes, fsynced, published atomically); otherwise -ENOKEY.
 * A file of the wrong size is refused with -EINVAL. */
int secret_key_load(const char *dir, bool may_create, uint8_t key[static SECRET_KEY_LEN]);

/* Seals len bytes of pt for the store key name into out (cap bytes, at least
 * len + SECRET_OVERHEAD). Returns 0 and the sealed length in *ret_len, or a negative errno. */
int secret_seal(const uint8_t key[static SECRET_KEY_LEN], const char *name,
		const void *pt, size_t len, uint8_t *out, size_t cap, size_t *ret_len);

/* Opens a sealed value into out (cap bytes, at least len - SECRET_OVERHEAD). Returns 0 and
 * the plaintext length in *ret_len, or -EBADMSG if it is malformed or fails authentication
 * (nothing is left in out then). */
int secret_open(const uint8_t key[static SECRET_KEY_LEN], const char *name,
		const uint8_t *in, size_t len, void *out, size_t cap, size_t *ret_len);
