#!/bin/sh
# Guest script: the same table one request and ACK at a time, as keepalived
# does, in a VM of its own (see bench/ipvs-measure.cpp).
set -e
ipvs-measure 10000 10 single
