#!/usr/bin/python3
"""Writes the seed corpus of fuzz_sim (tests/fuzz/corpus/sim/) from the commands and scenarios
of docs/simulation.md and tests/integration/test_sim.py, in the target's input format (see the
comment at the top of fuzz_sim.c): a profile byte, then records [kind][len lo][len hi][bytes].
Files are named by content hash, so re-running is idempotent.

  tests/fuzz/seeds_sim.py [CORPUS_DIR]
"""

import hashlib
import os
import struct
import sys

COMMAND, SCENARIO, CONTROL, SHORT_REPLY, TICK = range(5)
COMPUTE, STORAGE, GPU = range(3)

DOC_SCENARIO = b"""scenario:
  - at: 0
    do: power on
  - at: 120
    do: load 100
  - at: 150
    do: fault fan FAN2 fail
  - at: 170
    do: fault fan FAN6 fail
  - at: 400
    do: fault clear all
  - at: 600
    do: pause        # freeze simulated time here
"""

GPU_SCENARIO = b"""scenario:
  - at: 0
    do: load 100
  - at: 10
    do: fault fan FAN8 degraded
  - at: 200
    do: pause
"""

BAD_ORDER = b"scenario:\n  - at: 5\n    do: load 10\n  - at: 2\n    do: load 20\n"
FLOW = b"scenario: [{at: 0, do: power on}, {at: 3, do: ambient 42}, {at: 9, do: speed 10}]\n"
BAD = [
    b"scenario:\n  - at: x\n    do: load 1\n",
    b"scenario:\n  - at: 1\n    do: step 5\n",
    b"scenario:\n  - at: 1\n",
    b"other: 1\n",
    b"scenario: 3\n",
    b"scenario:\n  - [1, 2]\n",
    b"scenario:\n  - at: 1\n    do: load 1\n    why: x\n",
    b"scenario: [\n",
    b"",
]


def rec(kind, data):
    return struct.pack("<BH", kind, len(data)) + data


def cmd(text):
    return rec(COMMAND, text.encode())


SEEDS = [
    # test_sim.py: warm-up, fans, thermal trip, storage PSUs and drives, discrete faults
    (COMPUTE, [cmd("power on"), cmd("step 600"), cmd("load 100"), cmd("step 30"),
               cmd("status"), cmd("power off"), cmd("step 3")]),
    (COMPUTE, [cmd("power on"), cmd("fault fan FAN3 fail"), cmd("fault fan FAN4 fail"),
               cmd("load 100"), cmd("step 300"), cmd("fault clear all"), cmd("load 5"),
               cmd("step 10")]),
    (COMPUTE, [cmd("power on"), cmd("fault cpu CPU1 thermal-trip"), cmd("step 1"),
               cmd("clear CPU1"), cmd("status")]),
    (STORAGE, [cmd("power on"), cmd("load 60"), cmd("step 300"),
               cmd("fault psu PSU2 ac-lost"), cmd("step 3"), cmd("fault drive 5 fault"),
               cmd("fault drive drive7 removed"), cmd("fault drive 3 predictive"),
               cmd("step 2"), cmd("fault clear all"), cmd("fault psu PSU1 fail"),
               cmd("step 2"), cmd("fault psu PSU1 ac-lost"), cmd("fault psu PSU2 ac-lost"),
               cmd("step 1")]),
    (COMPUTE, [cmd("fault intrusion"), cmd("fault memory DIMM_A1 uncorrectable"),
               cmd("fault memory DIMM_B2 correctable"), cmd("step 1"),
               cmd("fault clear all"), cmd("ambient 42"), cmd("step 2"),
               cmd("fault fan FAN2 erratic"), cmd("step 5"), cmd("fault clear FAN2")]),
    (COMPUTE, [cmd("fault fan FAN9 fail"), cmd("fault psu PSU7 ac-lost"),
               cmd("fault memory DIMM_Z1 correctable"), cmd("fault drive 9 fault"),
               cmd("fault fan FAN1 melted"), cmd("load 150"), cmd("fault clear GPU9"),
               cmd("frobnicate"), cmd("fault"), cmd(""), cmd("a b c d e f g")]),
    (COMPUTE, [cmd("pause"), cmd("step 3600"), cmd("speed 1000"), cmd("resume"),
               cmd("speed 0"), cmd("step 4000"), cmd("speed 1001")]),
    # scenarios: the documented one, the GPU one of test_gpu_profile_and_cli_scenario
    (COMPUTE, [rec(SCENARIO, DOC_SCENARIO), cmd("step 200"), cmd("status")]),
    (GPU, [cmd("step 300"), rec(SCENARIO, GPU_SCENARIO), cmd("scenario @SCN"),
           cmd("resume"), cmd("speed 100"), cmd("step 250"), cmd("status")]),
    (GPU, [rec(SCENARIO, BAD_ORDER), cmd("scenario @SCN"), cmd("scenario /nonexistent")]),
    (STORAGE, [rec(SCENARIO, FLOW), cmd("step 10"), rec(TICK, b"")]),
    (COMPUTE, [rec(SCENARIO, b) for b in BAD]),
    # the control socket: a command, the over-long line of test_sim.py, no newline, NULs
    (COMPUTE, [rec(CONTROL, b"status\n"), rec(CONTROL, b"x" * 2000 + b"\n"),
               rec(CONTROL, b"load 50"), rec(CONTROL, b"fault\0intrusion\n"),
               rec(CONTROL, b"\n"), rec(CONTROL, b"")]),
    (GPU, [rec(CONTROL, b"fault fan FAN8 degraded\nstatus\n"),
           rec(CONTROL, b"power on\r\n"), rec(CONTROL, b"scenario /dev/null\n")]),
    # answers cut short
    (COMPUTE, [rec(SHORT_REPLY, b"\x00status"), rec(SHORT_REPLY, b"\x01load 5"),
               rec(SHORT_REPLY, b"\x05frobnicate"), rec(SHORT_REPLY, b"\x40status"),
               rec(SHORT_REPLY, b"\x03fault fan FAN9 fail")]),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__),
                                                             "corpus", "sim")
    os.makedirs(out, exist_ok=True)
    for profile, records in SEEDS:
        data = bytes([profile]) + b"".join(records)
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
