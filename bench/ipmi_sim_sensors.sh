#!/usr/bin/env bash
# Prints an ipmi_sim command file (ipmi_sim_cmd(5)) for one BMC at MC 0x20 with a sensor set
# comparable to softbmcd's default one (src/bmc/sensors.c): the same sensor numbers and types,
# thresholds on the analog sensors, static readings. ipmi_sim gets no SDRs for them (the
# benchmark reads sensors by number and never walks the SDR repository).
set -euo pipefail

analog() { # num type value threshold-mask(5..0) v5 v4 v3 v2 v1 v0
  echo "sensor_add 0x20 0 $1 $2 0x01"
  echo "sensor_set_value 0x20 0 $1 $3 0"
  echo "sensor_set_threshold 0x20 0 $1 settable $4 $5 $6 $7 $8 $9 ${10}"
}
discrete() { # num type
  echo "sensor_add 0x20 0 $1 $2 0x6f"
}

cat <<'EOM'
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1024 0x0a
# The watchdog sensor must be sensor 0.
sensor_add 0x20 0 0 35 0x6f event-only
EOM
# Temperatures (°C): inlet, CPU1, CPU2, DIMM, PCH, exhaust.
analog 0x01 0x01 23 011011 0 45 40 0 0 5
analog 0x02 0x01 45 111000 100 90 85 0 0 0
analog 0x03 0x01 44 111000 100 90 85 0 0 0
analog 0x04 0x01 38 011000 0 85 80 0 0 0
analog 0x05 0x01 50 011000 0 90 80 0 0 0
analog 0x06 0x01 31 011000 0 70 65 0 0 0
# Fans (100 RPM per count).
for n in 1 2 3 4 5 6; do
  analog $((0x0F + n)) 0x04 60 000111 0 0 0 4 7 10
done
# Voltages, currents, power.
analog 0x20 0x02 200 011011 0 220 210 0 180 190
analog 0x21 0x02 200 011011 0 220 210 0 180 190
analog 0x22 0x02 220 011011 0 242 231 0 198 209
analog 0x23 0x02 150 000011 0 0 0 0 120 130
analog 0x28 0x03 100 011000 0 250 225 0 0 0
analog 0x29 0x03 100 011000 0 250 225 0 0 0
analog 0x30 0x0b 80 011000 0 200 180 0 0 0
analog 0x31 0x0b 80 011000 0 200 180 0 0 0
analog 0x32 0x0b 160 011000 0 250 225 0 0 0
# Discrete: PSU status x2, CPU status x2, memory, chassis intrusion, drive slots x2,
# power unit, event logging, system event, system boot.
discrete 0x40 0x08
discrete 0x41 0x08
discrete 0x42 0x07
discrete 0x43 0x07
discrete 0x44 0x0c
discrete 0x45 0x05
discrete 0x46 0x0d
discrete 0x47 0x0d
discrete 0x50 0x09
discrete 0x51 0x10
discrete 0x52 0x12
discrete 0x53 0x1d
echo "mc_enable 0x20"
