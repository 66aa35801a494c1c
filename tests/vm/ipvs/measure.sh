#!/bin/sh
# Guest script: apply/dump timings of the netlink IPVS client (not a test).
#   tests/vm/vm.sh run --bin BUILD/tests/ipvs/ipvs_measure tests/vm/ipvs/measure.sh
#   tests/vm/vm.sh run --bin BUILD/tests/ipvs/ipvs_measure tests/vm/ipvs/measure-single.sh
set -e
ipvs_measure 10000 10 pipelined
