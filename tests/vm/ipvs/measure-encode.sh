#!/bin/sh
# Guest script: the requests of the 10,000 x 10 table built but not sent
# (user-space cost only; see tests/ipvs/ipvs_measure.cpp).
set -e
ipvs_measure 10000 10 encode
