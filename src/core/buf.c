/* Bounded byte reader/writer; see buf.h. */
#include "core/buf.h"

#include <string.h>

static const uint8_t *take(struct rbuf *r, size_t n)
{
	if (r->err || n > r->len - r->off) {
		r->err = true;
		return NULL;
	}
	const uint8_t *p = r->p + r->off;
	r->off += n;
	return p;
}

uint8_t rbuf_u8(struct rbuf *r)
{
	const uint8_t *p = take(r, 1);
	return p ? p[0] : 0;
}

uint16_t rbuf_u16le(struct rbuf *r)
{
	const uint8_t *p = take(r, 2);
	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t rbuf_u32le(struct rbuf *r)
{
	const uint8_t *p = take(r, 4);
	return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24 : 0;
}

uint16_t rbuf_u16be(struct rbuf *r)
{
	const uint8_t *p = take(r, 2);
	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

uint32_t rbuf_u32be(struct rbuf *r)
{
	const uint8_t *p = take(r, 4);
	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3] : 0;
}

void rbuf_copy(struct rbuf *r, void *dst, size_t n)
{
	const uint8_t *p = take(r, n);
	if (p)
		memcpy(dst, p, n);
	else
		memset(dst, 0, n);
}

const uint8_t *rbuf_take(struct rbuf *r, size_t n)
{
	return take(r, n);
}

void rbuf_skip(struct rbuf *r, size_t n)
{
	(void)take(r, n);
}

struct rbuf rbuf_sub(struct rbuf *r, size_t n)
{
	const uint8_t *p = take(r, n);
	if (!p)
		return (struct rbuf){ .err = true };
	return rbuf_init(p, n);
}

uint8_t *wbuf_reserve(struct wbuf *w, size_t n)
{
	if (w->err || n > w->cap - w->len) {
		w->err = true;
		return NULL;
	}
	uint8_t *p = w->p + w->len;
	w->len += n;
	return p;
}

void wbuf_u8(struct wbuf *w, uint8_t v)
{
	uint8_t *p = wbuf_reserve(w, 1);
	if (p)
		p[0] = v;
}

void wbuf_u16le(struct wbuf *w, uint16_t v)
{
	uint8_t *p = wbuf_reserve(w, 2);
	if (p) {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
	}
}

void wbuf_u32le(struct wbuf *w, uint32_t v)
{
	uint8_t *p = wbuf_reserve(w, 4);
	if (p) {
		for (int i = 0; i < 4; i++)
			p[i] = (uint8_t)(v >> (8 * i));
	}
}

void wbuf_u16be(struct wbuf *w, uint16_t v)
{
	uint8_t *p = wbuf_reserve(w, 2);
	if (p) {
		p[0] = (uint8_t)(v >> 8);
		p[1] = (uint8_t)v;
	}
}

void wbuf_u32be(struct wbuf *w, uint32_t v)
{
	uint8_t *p = wbuf_reserve(w, 4);
	if (p) {
		for (int i = 0; i < 4; i++)
			p[i] = (uint8_t)(v >> (24 - 8 * i));
	}
}

void wbuf_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *p = wbuf_reserve(w, n);
	if (p && n)
		memcpy(p, src, n);
}

void wbuf_zero(struct wbuf *w, size_t n)
{
	uint8_t *p = wbuf_reserve(w, n);
	if (p && n)
		memset(p, 0, n);
}
