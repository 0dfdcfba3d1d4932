/* A QEMU virtual machine as the managed server (docs/qemu.md).
 *
 * softbmcd owns the QEMU process: power on runs `command` through /bin/sh (as ipmi_sim's
 * startcmd does) with the IPMI wiring appended, so the guest has a KCS system interface whose
 * other end is this BMC:
 *   -chardev socket,id=softbmc-ipmi,path=SOCKET,reconnect=1
 *   -device ipmi-bmc-extern,chardev=softbmc-ipmi,id=softbmc-bmc
 *   -device isa-ipmi-kcs,bmc=softbmc-bmc
 *   -pidfile PIDFILE
 *   -chardev socket,id=softbmc-qmp,path=QMP_SOCKET,reconnect=1
 *   -mon chardev=softbmc-qmp,mode=control
 * SOCKET is a Unix socket in the state dir (only the daemon's user can reach it), bound at start
 * like every listener. QEMU connects to it and speaks the ipmi-bmc-extern "VM" protocol
 * (vmcodec.h): the guest's IPMI requests go to cb.sysif_request and the answers back; power off,
 * reset, NMI and the ACPI power button go to QEMU as control commands.
 *
 * Power state = the QEMU process is alive. Power off sends POWEROFF (SIGTERM if QEMU is not
 * connected), then SIGKILL after kill_wait; power cycle is off, cycle_off_interval, on. Reset,
 * diagnostic interrupt and soft off need the connection (else -EAGAIN). A reset QEMU reports on
 * QMP that the BMC did not ask for (the guest rebooted) goes to cb.reset.
 *
 * The environment (temperatures, fans, PSUs) is the simulated server's (platform/sim), whose
 * power follows the VM: sensor reads go to it, and its faults (thermal trip, AC lost) power the
 * VM off. Lifetime as for sim (sim.h): the memory goes once the loop has closed the handles;
 * freeing SIGTERMs a running QEMU. */
#pragma once
#include <uv.h>

#include "core/timeutil.h"
#include "platform/platform.h"
#include "platform/sim/sim.h"

struct platform_qemu_config {
	const char *command;      /* the QEMU command line, a /bin/sh command; copied */
	const char *socket_path;  /* where QEMU's ipmi-bmc-extern chardev connects; copied */
	const char *pidfile;      /* QEMU's -pidfile; copied */
	const char *qmp_path;     /* where QEMU's QMP monitor connects (qmp.h); copied */
	usec_t kill_wait;         /* power off: SIGKILL when QEMU has not exited by then */
	usec_t cycle_off_interval; /* power cycle: time spent off */
};

/* Binds the socket (replacing a stale one) and builds the simulated environment from sim_cfg.
 * Returns 0 or a negative errno. The VM starts powered off. */
int platform_qemu_new(uv_loop_t *loop, const struct platform_qemu_config *cfg,
		      const struct platform_sim_config *sim_cfg, struct platform_callbacks cb,
		      struct platform **ret);

bool platform_is_qemu(const struct platform *p);
/* The simulated environment of a QEMU platform (for the control socket), else NULL. */
struct platform *platform_qemu_environment(struct platform *p);
