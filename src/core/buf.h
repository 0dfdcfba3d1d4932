/* Bounded byte reader and writer: the one door through which every parser reads outside
 * bytes and every encoder writes them. Errors are sticky: once a read runs past the end or a
 * write past the capacity, the buffer is marked bad, reads return zeros and writes are dropped,
 * so a parser can read a whole structure and check `err` once at the end. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rbuf {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool err;
};

struct wbuf {
	uint8_t *p;
	size_t cap;
	size_t len;
	bool err;
};

static inline struct rbuf rbuf_init(const void *p, size_t len)
{
	return (struct rbuf){ .p = p, .len = len };
}

static inline struct wbuf wbuf_init(void *p, size_t cap)
{
	return (struct wbuf){ .p = p, .cap = cap };
}

static inline size_t rbuf_left(const struct rbuf *r)
{
	return r->err ? 0 : r->len - r->off;
}

uint8_t rbuf_u8(struct rbuf *r);
uint16_t rbuf_u16le(struct rbuf *r);
uint32_t rbuf_u32le(struct rbuf *r);
uint16_t rbuf_u16be(struct rbuf *r);
uint32_t rbuf_u32be(struct rbuf *r);
/* Copies n bytes into dst (zero-filled on error). */
void rbuf_copy(struct rbuf *r, void *dst, size_t n);
/* Returns a pointer to the next n bytes and advances, or NULL (and marks the error). */
const uint8_t *rbuf_take(struct rbuf *r, size_t n);
void rbuf_skip(struct rbuf *r, size_t n);
/* A sub-reader over the next n bytes; the parent advances past them. */
struct rbuf rbuf_sub(struct rbuf *r, size_t n);

void wbuf_u8(struct wbuf *w, uint8_t v);
void wbuf_u16le(struct wbuf *w, uint16_t v);
void wbuf_u32le(struct wbuf *w, uint32_t v);
void wbuf_u16be(struct wbuf *w, uint16_t v);
void wbuf_u32be(struct wbuf *w, uint32_t v);
void wbuf_bytes(struct wbuf *w, const void *src, size_t n);
void wbuf_zero(struct wbuf *w, size_t n);
/* Reserves n bytes and returns a pointer to them (NULL on overflow) for later patching. */
uint8_t *wbuf_reserve(struct wbuf *w, size_t n);
