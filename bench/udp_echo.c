/* bench_udp_echo: sends every datagram straight back. It does no IPMI at all: bench_loadgen
 * --mode echo against it measures what loopback UDP alone costs a server per request (one
 * receive, one send), the floor under any BMC's CPU figures on this machine.
 *
 * Two ways, both on one blocking socket:
 *   bench_udp_echo PORT          one recvfrom and one sendto per datagram
 *   bench_udp_echo PORT --batch  recvmmsg (MSG_WAITFORONE: whatever is queued, up to 64) and one
 *                                sendmmsg of the echoes: the fewest system calls a server can
 *                                make per datagram, as softbmcd's LAN server does under load
 * It binds 127.0.0.1:PORT. */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BATCH 64

static void echo_single(int fd)
{
	for (;;) {
		unsigned char buf[2048];
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);
		if (n >= 0)
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, plen);
	}
}

static void echo_batch(int fd)
{
	static unsigned char buf[BATCH][2048];
	static struct sockaddr_in peer[BATCH];
	static struct iovec iov[BATCH];
	static struct mmsghdr msg[BATCH];
	for (;;) {
		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = sizeof(buf[i]) };
			msg[i].msg_hdr = (struct msghdr){ .msg_name = &peer[i],
							  .msg_namelen = sizeof(peer[i]),
							  .msg_iov = &iov[i], .msg_iovlen = 1 };
		}
		int n = recvmmsg(fd, msg, BATCH, MSG_WAITFORONE, NULL);
		if (n <= 0)
			continue;
		for (int i = 0; i < n; i++)
			iov[i].iov_len = msg[i].msg_len; /* echo exactly what came */
		for (int sent = 0; sent < n;) {
			int r = sendmmsg(fd, msg + sent, (unsigned)(n - sent), 0);
			sent += r > 0 ? r : 1; /* a datagram the kernel refuses is dropped */
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--batch") != 0)) {
		fprintf(stderr, "usage: bench_udp_echo PORT [--batch]\n");
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("bench_udp_echo");
		return 1;
	}
	if (argc == 3)
		echo_batch(fd);
	else
		echo_single(fd);
}
