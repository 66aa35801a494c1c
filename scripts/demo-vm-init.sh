#!/bin/sh
# vm.sh runs its guest script with dash; the demo is a bash script.
exec bash /demo/guest.sh
