/* The byte framing of QEMU's ipmi-bmc-extern chardev, the "VM" protocol (reference note:
 * shared/reference/qemu-extern.md). Pure functions, no I/O, so the unit tests and the fuzz
 * target drive exactly what the daemon runs.
 *
 * A frame is its bytes followed by 0xA0 (an IPMI message) or 0xA1 (a control command). Payload
 * bytes 0xA0, 0xA1 and 0xAA travel as 0xAA, byte | 0x10. A message is
 *   seq, netfn << 2 | lun, cmd, [cc,] data..., checksum
 * where the checksum makes the 8-bit sum of the unescaped frame 0. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	VM_MSG_END = 0xA0,
	VM_CMD_END = 0xA1,
	VM_ESCAPE = 0xAA,
	VM_ESCAPE_BIT = 0x10,
};

/* Control command opcodes (both directions). */
enum vm_cmd {
	VM_CMD_NOATTN = 0x00,
	VM_CMD_ATTN = 0x01,
	VM_CMD_ATTN_IRQ = 0x02,
	VM_CMD_POWEROFF = 0x03,
	VM_CMD_RESET = 0x04,
	VM_CMD_ENABLE_IRQ = 0x05,
	VM_CMD_DISABLE_IRQ = 0x06,
	VM_CMD_SEND_NMI = 0x07,
	VM_CMD_CAPABILITIES = 0x08,
	VM_CMD_GRACEFUL_SHUTDOWN = 0x09,
	VM_CMD_VERSION = 0xFF,
};

/* CAPABILITIES bits, what the VM side can do. */
enum {
	VM_CAPS_POWER = 0x01,
	VM_CAPS_RESET = 0x02,
	VM_CAPS_IRQ = 0x04,
	VM_CAPS_NMI = 0x08,
	VM_CAPS_ATTN = 0x10,
	VM_CAPS_GRACEFUL_SHUTDOWN = 0x20,
};

#define VM_PROTOCOL_VERSION 1
/* QEMU's own receive buffer: a 300-byte message plus seq and checksum, unescaped. */
#define VM_FRAME_MAX 302
/* The longest wire form of a frame: every byte escaped, plus the terminator. */
#define VM_WIRE_MAX (2 * VM_FRAME_MAX + 1)

enum vm_frame {
	VM_FRAME_NONE,    /* the byte was consumed, no frame ended */
	VM_FRAME_MSG,     /* a message with a good checksum: seq, netfn/lun, cmd, data (no csum) */
	VM_FRAME_CMD,     /* a control command: opcode, arguments */
	VM_FRAME_DROPPED, /* a frame ended but was unusable (overflow, bad checksum, too short,
			   * ended inside an escape); nothing to answer */
};

struct vm_decoder {
	uint8_t buf[VM_FRAME_MAX];
	size_t len;
	bool escaped;
	bool overflow;
};

void vm_decoder_init(struct vm_decoder *d);

/* Feeds one received byte. On VM_FRAME_MSG or VM_FRAME_CMD, *ret_frame / *ret_len hold the frame
 * (for a message without its checksum); they stay valid until the next call. Empty frames are
 * ignored (VM_FRAME_NONE). */
enum vm_frame vm_decoder_feed(struct vm_decoder *d, uint8_t byte, const uint8_t **ret_frame,
			      size_t *ret_len);

/* Encodes a message (seq, netfn/lun, cmd, cc, data...) with its checksum, escaped and ended by
 * 0xA0, into out. Returns the wire length, or 0 if len is 0, longer than a frame can be, or
 * out is too small (VM_WIRE_MAX is always enough). */
size_t vm_encode_msg(uint8_t *out, size_t cap, const uint8_t *msg, size_t len);

/* Encodes a control command with n_args argument bytes (0 or 1), ended by 0xA1. Returns the
 * wire length or 0 if out is too small (5 bytes are always enough). */
size_t vm_encode_cmd(uint8_t *out, size_t cap, enum vm_cmd cmd, const uint8_t *args,
		     size_t n_args);
