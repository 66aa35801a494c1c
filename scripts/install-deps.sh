#!/bin/bash
# Installs every Debian package vigil's build, demo and test suites use.
# Idempotent: only calls apt-get when something is missing.
set -euo pipefail

packages=(
	# build
	g++ meson ninja-build pkg-config
	libboost-dev libspdlog-dev libfmt-dev libssl-dev
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
	libgtest-dev libgmock-dev
	# fuzzing (libFuzzer ships with clang) and formatting
	clang-14 libclang-rt-14-dev clang-format
	# the reference implementation for agreement tests and benchmarks
	keepalived
	# test tools
	iproute2 python3 time util-linux openssl
	# the vm suite (tests/vm/vm.sh): Debian's kernel under qemu with
	# busybox, ipvsadm and the IPVS modules in an initramfs
	qemu-system-x86 linux-image-amd64 busybox-static ipvsadm cpio kmod xz-utils zstd
	# the seeds' Redis lab (examples/seed-redis), copied into the VM
	redis-server redis-tools
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# keepalived's and redis-server's packages start their services; the tests
# run their own instances (keepalived -t, and both inside the VM).
if command -v systemctl >/dev/null; then
	for service in keepalived redis-server; do
		if systemctl is-active -q "$service" 2>/dev/null; then
			systemctl stop "$service" || true
		fi
	done
fi
