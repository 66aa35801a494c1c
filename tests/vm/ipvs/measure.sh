#!/bin/sh
# Guest script: apply/dump timings of the netlink IPVS client (not a test).
#   tests/vm/vm.sh run --bin BUILD/tests/ipvs/ipvs_measure tests/vm/ipvs/measure.sh
set -e
ipvs_measure ${VIGIL_MEASURE_ARGS:-10000 10}
