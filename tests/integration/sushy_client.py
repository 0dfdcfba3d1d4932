#!/usr/bin/python3
"""Drives python3-sushy (OpenStack Ironic's Redfish library) against softbmcd for the tests.

    sushy_client.py URL USER PASSWORD CA_FILE ACTION

ACTION: read | reset:<On|ForceOff|ForceRestart|...> | boot:pxe-once
Prints one JSON object. The daemon's self-signed certificate is trusted through CA_FILE
(also as REQUESTS_CA_BUNDLE: sushy fetches the service root with plain requests).
"""

import json
import sys

import sushy

RESETS = {"On": sushy.RESET_ON, "ForceOff": sushy.RESET_FORCE_OFF,
          "ForceRestart": sushy.RESET_FORCE_RESTART, "GracefulShutdown":
          sushy.RESET_GRACEFUL_SHUTDOWN, "GracefulRestart": sushy.RESET_GRACEFUL_RESTART,
          "Nmi": sushy.RESET_NMI}


def main():
    url, user, password, ca, action = sys.argv[1:6]
    root = sushy.Sushy(url + "/redfish/v1", username=user, password=password, verify=ca)
    system = root.get_system(root.get_system_collection().members_identities[0])
    out = {"system": system.path}
    if action == "read":
        out.update(power=str(system.power_state), uuid=system.uuid,
                   manufacturer=system.manufacturer, serial=system.serial_number,
                   allowed=sorted(str(v) for v in system.get_allowed_reset_system_values()),
                   boot_target=str(system.boot.target), boot_enabled=str(system.boot.enabled),
                   managers=[m.identity for m in root.get_manager_collection().get_members()],
                   redfish_version=root.redfish_version)
    elif action.startswith("reset:"):
        system.reset_system(RESETS[action.split(":", 1)[1]])
        out["reset"] = action.split(":", 1)[1]
    elif action == "boot:pxe-once":
        system.set_system_boot_options(target=sushy.BOOT_SOURCE_TARGET_PXE,
                                       enabled=sushy.BOOT_SOURCE_ENABLED_ONCE)
        system.refresh()
        out.update(boot_target=str(system.boot.target), boot_enabled=str(system.boot.enabled))
    else:
        raise SystemExit("unknown action " + action)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
