#!/bin/sh
# Guest script: apply/dump timings of the netlink IPVS client (not a test).
#   tests/vm/vm.sh run --bin BUILD/bench/ipvs-measure bench/vm/measure.sh
#   tests/vm/vm.sh run --bin BUILD/bench/ipvs-measure bench/vm/measure-single.sh
set -e
ipvs-measure 10000 10 pipelined
