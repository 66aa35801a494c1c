#!/bin/sh
# Guest script: the requests of the 10,000 x 10 table built but not sent
# (user-space cost only; see bench/ipvs-measure.cpp).
set -e
ipvs-measure 10000 10 encode
