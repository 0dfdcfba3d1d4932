/* The VM protocol framing; see vmcodec.h. Receive rules follow QEMU 7.2's own receiver, so
 * both ends agree on what is dropped: a frame that overflowed or ended inside an escape is
 * dropped whole, a message shorter than seq + netfn + cmd + checksum or with a bad checksum
 * too. */
#include "platform/qemu/vmcodec.h"

#include <string.h>

/* The shortest request: seq, netfn/lun, cmd, checksum. */
#define VM_MSG_MIN 4

void vm_decoder_init(struct vm_decoder *d)
{
	memset(d, 0, sizeof(*d));
}

static void decoder_restart(struct vm_decoder *d)
{
	d->len = 0;
	d->escaped = false;
	d->overflow = false;
}

static uint8_t checksum_sum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum;
}

static enum vm_frame frame_end(struct vm_decoder *d, uint8_t terminator, const uint8_t **ret_frame,
			       size_t *ret_len)
{
	bool bad = d->overflow || d->escaped;
	size_t len = d->len;

	decoder_restart(d);
	if (!bad && len == 0)
		return VM_FRAME_NONE; /* an empty frame */
	if (bad)
		return VM_FRAME_DROPPED;
	if (terminator == VM_CMD_END) {
		*ret_frame = d->buf;
		*ret_len = len;
		return VM_FRAME_CMD;
	}
	if (len < VM_MSG_MIN || checksum_sum(d->buf, len) != 0)
		return VM_FRAME_DROPPED;
	*ret_frame = d->buf;
	*ret_len = len - 1; /* without the checksum */
	return VM_FRAME_MSG;
}

enum vm_frame vm_decoder_feed(struct vm_decoder *d, uint8_t byte, const uint8_t **ret_frame,
			      size_t *ret_len)
{
	if (byte == VM_MSG_END || byte == VM_CMD_END)
		return frame_end(d, byte, ret_frame, ret_len);
	if (byte == VM_ESCAPE && !d->escaped) {
		d->escaped = true;
		return VM_FRAME_NONE;
	}
	if (d->escaped) {
		byte &= (uint8_t)~VM_ESCAPE_BIT;
		d->escaped = false;
	}
	if (d->len >= sizeof(d->buf))
		d->overflow = true;
	else
		d->buf[d->len++] = byte;
	return VM_FRAME_NONE;
}

static bool needs_escape(uint8_t b)
{
	return b == VM_MSG_END || b == VM_CMD_END || b == VM_ESCAPE;
}

/* Appends b escaped; false if it does not fit. */
static bool put_escaped(uint8_t *out, size_t cap, size_t *pos, uint8_t b)
{
	size_t need = needs_escape(b) ? 2 : 1;
	if (cap - *pos < need)
		return false;
	if (need == 2) {
		out[(*pos)++] = VM_ESCAPE;
		b |= VM_ESCAPE_BIT;
	}
	out[(*pos)++] = b;
	return true;
}

size_t vm_encode_msg(uint8_t *out, size_t cap, const uint8_t *msg, size_t len)
{
	size_t pos = 0;
	if (len == 0 || len + 1 > VM_FRAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!put_escaped(out, cap, &pos, msg[i]))
			return 0;
	}
	if (!put_escaped(out, cap, &pos, (uint8_t)-checksum_sum(msg, len)) || pos >= cap)
		return 0;
	out[pos++] = VM_MSG_END;
	return pos;
}

size_t vm_encode_cmd(uint8_t *out, size_t cap, enum vm_cmd cmd, const uint8_t *args,
		     size_t n_args)
{
	size_t pos = 0;
	if (!put_escaped(out, cap, &pos, (uint8_t)cmd))
		return 0;
	for (size_t i = 0; i < n_args; i++) {
		if (!put_escaped(out, cap, &pos, args[i]))
			return 0;
	}
	if (pos >= cap)
		return 0;
	out[pos++] = VM_CMD_END;
	return pos;
}
