#!/bin/bash
# A throw-away qemu VM booting Debian's kernel, for tests that need real
# kernel IPVS (the host kernel has none and cannot load modules).
#
#   tests/vm/vm.sh run [--bin PATH]... [--file SRC:DEST]... [--module NAME]... GUEST_SCRIPT
#   tests/vm/vm.sh prepare       install packages, build the cached base, print the kernel version
#
# Prints the guest script's output and exits with its status. Harness failures
# exit 2 (124 on timeout) with a "vm.sh:" message on stderr. Sourcing this file
# defines the vm_* functions and turns on `set -euo pipefail`.
set -euo pipefail

VM_TIMEOUT=${VM_TIMEOUT:-120}
VM_MEM=${VM_MEM:-1024}
VM_CACHE_DIR=${VM_CACHE_DIR:-${XDG_CACHE_HOME:-/tmp}/vigil-vm}
VM_SELF=$(readlink -f "${BASH_SOURCE[0]}")
# IPVS and every scheduler Debian builds; a scheduler the kernel lacks is
# reported and skipped, a missing ip_vs is fatal.
VM_CORE_MODULES=(crc32c_generic libcrc32c nf_defrag_ipv4 nf_defrag_ipv6 nf_conntrack ip_vs)
VM_SCHEDULERS=(ip_vs_rr ip_vs_wrr ip_vs_wlc ip_vs_lc ip_vs_sh ip_vs_mh ip_vs_dh ip_vs_sed ip_vs_nq
	ip_vs_lblc ip_vs_lblcr ip_vs_fo ip_vs_ovf)

vm_die() { printf 'vm.sh: error: %s\n' "$*" >&2; exit 2; }
vm_note() { printf 'vm.sh: %s\n' "$*" >&2; }

# Installs the Debian packages the harness runs on, refreshing the package
# lists only when a plain install fails (they are usually fresh enough).
vm_need_packages() {
	local pkgs=()
	command -v qemu-system-x86_64 >/dev/null || pkgs+=(qemu-system-x86)
	# The guest has no libc of its own for busybox: it must be the static one.
	{ [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1; } || pkgs+=(busybox-static)
	command -v ipvsadm >/dev/null || pkgs+=(ipvsadm)
	command -v ip >/dev/null || pkgs+=(iproute2)
	command -v modprobe >/dev/null || pkgs+=(kmod)
	command -v cpio >/dev/null || pkgs+=(cpio)
	compgen -G '/boot/vmlinuz-*' >/dev/null || pkgs+=(linux-image-amd64)
	pkgs+=("$@")
	((${#pkgs[@]})) || return 0
	vm_note "installing ${pkgs[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "${pkgs[@]}" >&2; then
		DEBIAN_FRONTEND=noninteractive apt-get update >&2 || vm_die "apt-get update failed"
		DEBIAN_FRONTEND=noninteractive apt-get install -y "${pkgs[@]}" >&2 ||
			vm_die "cannot install ${pkgs[*]}"
	fi
}

# The newest installed kernel that has its modules, unless VM_KERNEL names one.
vm_kernel_version() {
	local f v list=""
	if [[ -n ${VM_KERNEL:-} ]]; then
		[[ -f /boot/vmlinuz-$VM_KERNEL && -f /lib/modules/$VM_KERNEL/modules.dep ]] ||
			vm_die "VM_KERNEL=$VM_KERNEL: no /boot/vmlinuz or modules.dep for it"
		echo "$VM_KERNEL"
		return
	fi
	for f in /boot/vmlinuz-*; do
		v=${f#/boot/vmlinuz-}
		[[ -f /lib/modules/$v/modules.dep ]] && list+="$v"$'\n'
	done
	[[ -n $list ]] || vm_die "no /boot/vmlinuz-* with modules in /lib/modules"
	printf '%s' "$list" | sort -V | tail -n 1
}

# Host paths of the modules NAMEs need, dependencies first, each once. Host
# modprobe.d config is ignored (-C /dev/null); softdeps still come from the
# kernel's own modules.softdep. x86 crypto accelerators are left out: TCG's
# default CPU lacks their instructions, and the generic versions are loaded.
vm_module_paths() { # kver name...
	local k=$1 m
	shift
	for m; do
		modprobe -C /dev/null -S "$k" --show-depends "$m" || return 1
	done | awk '$1 == "insmod" && $2 !~ /\/kernel\/arch\/x86\/crypto\// && !seen[$2]++ { print $2 }'
}

# Copies module files into a staging root, uncompressed (busybox insmod may
# not read .ko.xz/.ko.zst), and appends their guest paths to a load list.
vm_stage_modules() { # root list-file path...
	local root=$1 list=$2 p g
	shift 2
	for p; do
		g=${p%.xz}
		g=${g%.zst}
		g=${g%.gz}
		mkdir -p "$root/${g%/*}"
		case $p in
		*.ko) cp "$p" "$root/$g" ;;
		*.ko.xz) command -v xz >/dev/null || vm_need_packages xz-utils; xz -dc "$p" >"$root/$g" ;;
		*.ko.zst) command -v zstd >/dev/null || vm_need_packages zstd; zstd -dqc "$p" >"$root/$g" ;;
		*.ko.gz) gzip -dc "$p" >"$root/$g" ;;
		*) vm_die "unknown module file type: $p" ;;
		esac
		echo "$g" >>"$list"
	done
}

# Copies an executable to DEST in a staging root with every library ldd
# lists, at the same absolute path (so RUNPATHs to build trees still work);
# libraries from outside the system directories are also put in
# /usr/local/lib, which is on the guest's LD_LIBRARY_PATH.
vm_stage_exe() { # root src dest
	local root=$1 src=$2 dest=$3 out lib
	[[ -f $src && -x $src ]] || vm_die "not an executable file: $src"
	mkdir -p "$root/${dest%/*}"
	cp -L "$src" "$root/$dest"
	# Static binaries and scripts: ldd fails, and there is nothing to copy.
	out=$(ldd "$src" 2>&1) || return 0
	! grep -q 'not found' <<<"$out" || vm_die "$src: missing libraries: $(grep 'not found' <<<"$out" | tr -s ' \t\n' ' ')"
	while read -r lib; do
		mkdir -p "$root/${lib%/*}"
		cp -L "$lib" "$root/$lib"
		case $lib in
		/lib/* | /lib64/* | /usr/lib/*) ;;
		*) mkdir -p "$root/usr/local/lib" && cp -L "$lib" "$root/usr/local/lib/" ;;
		esac
	done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3; next } $1 ~ /^\// { print $1 }' <<<"$out")
}

vm_cpio() { # dir out.gz
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$2"
}

# PID 1 of the guest. Its own output channel is the second serial port
# (ttyS1), so kernel messages (ttyS0) never mix with the guest script's.
vm_init_script() {
	cat <<'EOF'
#!/bin/sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LD_LIBRARY_PATH=/usr/local/lib
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
nonce=$(cat /vigil/nonce)
# Raw mode: no \n -> \r\n translation, the host gets the bytes as written.
stty -F /dev/ttyS1 raw -echo
exec 3>/dev/ttyS1
finish() {
	exec 3>&-
	# stty waits for the UART to drain (TCSADRAIN), so nothing is lost at power-off.
	stty -F /dev/ttyS1 raw -echo
	sync
	poweroff -f
	sleep 5
	exit 1 # panic=-1 plus -no-reboot: qemu exits anyway
}
fail() {
	echo "@@VIGIL-VM-SETUP-FAILED $nonce $*@@" >&3
	echo "vigil-vm: setup failed: $*"
	finish
}
hostname vigil-vm
ip link set lo up || fail "ip link set lo up"
for list in /etc/vigil-vm/modules /vigil/modules; do
	[ -f "$list" ] || continue
	while read -r m; do
		insmod "$m" || fail "insmod $m"
	done <"$list"
done
echo "@@VIGIL-VM-BEGIN $nonce@@" >&3
cd /
/bin/sh /vigil/guest.sh </dev/null >&3 2>&3 3>&-
printf '\n@@VIGIL-VM-EXIT %d %s@@\n' "$?" "$nonce" >&3
finish
EOF
}

# The part of the initramfs that does not change between runs, built once per
# kernel version and rebuilt when this file or the copied programs change.
# Prints the path of the cached archive.
vm_base() { # kver
	local k=$1 dir=$VM_CACHE_DIR/$1 stamp s m a paths
	mkdir -p "$dir"
	stamp=$(cat "$VM_SELF" /bin/busybox /bin/dash /bin/bash "$(command -v ipvsadm)" "$(command -v ip)" | sha256sum)
	stamp=${stamp%% *}
	exec 9>"$dir/lock"
	flock -w 300 9 || vm_die "cannot lock $dir/lock"
	if [[ -f $dir/base.cpio.gz && $(cat "$dir/stamp" 2>/dev/null) == "$stamp" ]]; then
		exec 9>&-
		echo "$dir/base.cpio.gz"
		return
	fi
	vm_note "building the base initramfs for $k in $dir"
	s=$(mktemp -d "$dir/stage.XXXXXX")
	mkdir -p "$s"/{bin,sbin,usr/bin,usr/sbin,etc/vigil-vm,proc,sys,dev,tmp,run,root,vigil}
	cp /bin/busybox "$s/bin/busybox"
	# dash as /bin/sh: busybox-static's sh runs its own applets before PATH,
	# which would hide the real `ip` behind busybox's cut-down one.
	vm_stage_exe "$s" /bin/dash /bin/sh
	vm_stage_exe "$s" /bin/bash /bin/bash
	vm_stage_exe "$s" "$(command -v ipvsadm)" /usr/sbin/ipvsadm
	vm_stage_exe "$s" "$(command -v ip)" /usr/sbin/ip
	# Applet links, except where a real program of that name is installed.
	while read -r a; do
		[[ -e $s/usr/sbin/${a##*/} || -e $s/$a || -L $s/$a ]] || ln -s /bin/busybox "$s/$a"
	done < <(/bin/busybox --list-full)
	: >"$s/etc/vigil-vm/modules"
	m=("${VM_CORE_MODULES[@]}")
	for a in "${VM_SCHEDULERS[@]}"; do
		if modinfo -k "$k" -F filename "$a" >/dev/null 2>&1; then
			m+=("$a")
		else
			vm_note "kernel $k has no $a: that scheduler is skipped"
			echo "$a" >>"$s/etc/vigil-vm/missing"
		fi
	done
	paths=$(vm_module_paths "$k" "${m[@]}") || vm_die "kernel $k lacks a module IPVS needs (${m[*]})"
	mapfile -t paths <<<"$paths"
	vm_stage_modules "$s" "$s/etc/vigil-vm/modules" "${paths[@]}"
	vm_init_script >"$s/init"
	chmod 755 "$s/init"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$s/etc/passwd"
	printf 'root:x:0:\n' >"$s/etc/group"
	printf '127.0.0.1 localhost\n::1 localhost\n' >"$s/etc/hosts"
	vm_cpio "$s" "$dir/base.cpio.gz.new"
	mv "$dir/base.cpio.gz.new" "$dir/base.cpio.gz"
	printf '%s\n' "${paths[@]}" >"$dir/modules.host"
	echo "$stamp" >"$dir/stamp"
	rm -rf "$s"
	exec 9>&-
	echo "$dir/base.cpio.gz"
}

vm_run() {
	local bins=() files=() mods=() script="" k base tmp f src dest nonce qpid rc=0 status
	while (($#)); do
		case $1 in
		--bin) bins+=("${2:?--bin needs a path}"); shift 2 ;;
		--file) files+=("${2:?--file needs SRC:DEST}"); shift 2 ;;
		--module) mods+=("${2:?--module needs a name}"); shift 2 ;;
		-*) vm_die "unknown option $1" ;;
		*) [[ -z $script ]] || vm_die "one guest script only"; script=$1; shift ;;
		esac
	done
	[[ -n $script ]] || vm_die "usage: vm.sh run [--bin PATH]... [--file SRC:DEST]... [--module NAME]... GUEST_SCRIPT"
	[[ -f $script ]] || vm_die "no guest script $script"
	[[ $VM_TIMEOUT =~ ^[1-9][0-9]*$ ]] || vm_die "VM_TIMEOUT must be a number of seconds"
	vm_need_packages
	k=$(vm_kernel_version)
	base=$(vm_base "$k")
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-vm.XXXXXX")
	# shellcheck disable=SC2064 # expand $tmp now, the local is gone at exit
	trap "rm -rf '$tmp'" EXIT
	mkdir -p "$tmp/run/vigil" "$tmp/run/usr/local/bin"
	# A fresh nonce per run, so no output of the guest can pass for a marker.
	nonce=$(od -An -N8 -tx8 /dev/urandom | tr -d ' \n')
	echo "$nonce" >"$tmp/run/vigil/nonce"
	cp "$script" "$tmp/run/vigil/guest.sh"
	for f in "${bins[@]}"; do vm_stage_exe "$tmp/run" "$f" "/usr/local/bin/${f##*/}"; done
	for f in "${files[@]}"; do
		src=${f%:*} dest=${f##*:}
		[[ $f == *:* && $dest == /* ]] || vm_die "--file $f: want SRC:/ABSOLUTE/DEST"
		[[ -e $src ]] || vm_die "--file $f: no $src"
		mkdir -p "$tmp/run/${dest%/*}"
		cp -a "$src" "$tmp/run/$dest"
	done
	if ((${#mods[@]})); then
		local paths
		paths=$(vm_module_paths "$k" "${mods[@]}") || vm_die "kernel $k lacks module(s) ${mods[*]}"
		# Those the base already loads are left out.
		paths=$(grep -vxFf "${base%/*}/modules.host" <<<"$paths" || true)
		if [[ -n $paths ]]; then
			mapfile -t paths <<<"$paths"
			vm_stage_modules "$tmp/run" "$tmp/run/vigil/modules" "${paths[@]}"
		fi
	fi
	vm_cpio "$tmp/run" "$tmp/run.cpio.gz"
	# The kernel unpacks concatenated archives in order, later files on top.
	cat "$base" "$tmp/run.cpio.gz" >"$tmp/initrd"
	: >"$tmp/console.log"
	: >"$tmp/guest.log"
	# No network device at all (-nodefaults): guest traffic stays on its loopback.
	# In the background so that a signal to us (a test runner's own timeout)
	# stops qemu too: `timeout` puts itself in a process group of its own.
	timeout -k 5 "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -m "$VM_MEM" -smp 1 \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "/boot/vmlinuz-$k" -initrd "$tmp/initrd" \
		-append "console=ttyS0 quiet loglevel=3 panic=-1" \
		-serial "file:$tmp/console.log" -serial "file:$tmp/guest.log" </dev/null >"$tmp/qemu.out" 2>&1 &
	qpid=$!
	# shellcheck disable=SC2064
	trap "kill $qpid 2>/dev/null; rm -rf '$tmp'; exit 143" INT TERM
	wait "$qpid" || rc=$?
	trap - INT TERM
	# The guest's output: what lies between this run's BEGIN and EXIT markers.
	# The EXIT marker starts with its own newline, dropped again here.
	awk -v b="@@VIGIL-VM-BEGIN $nonce@@" -v e="^@@VIGIL-VM-EXIT [0-9]+ $nonce@@\$" '
		$0 == b { on = 1; next }
		on && $0 ~ e { done = 1; exit }
		on { if (held) print line; line = $0; held = 1 }
		END { if (held && (!done || line != "")) print line }' "$tmp/guest.log"
	status=$(sed -n "s/^@@VIGIL-VM-EXIT \([0-9]*\) $nonce@@\$/\1/p" "$tmp/guest.log" | head -n 1)
	if [[ -n $status ]]; then
		[[ -z ${VM_VERBOSE:-} ]] || { vm_note "kernel console:"; tr -d '\r' <"$tmp/console.log" >&2; }
	else
		status=2
		if grep -q "^@@VIGIL-VM-SETUP-FAILED $nonce" "$tmp/guest.log"; then
			vm_note "guest setup failed: $(sed -n "s/^@@VIGIL-VM-SETUP-FAILED $nonce \(.*\)@@\$/\1/p" "$tmp/guest.log")"
		elif ((rc == 124 || rc == 137)); then
			vm_note "timed out after $VM_TIMEOUT s (VM_TIMEOUT): qemu killed"
			status=124
		else
			vm_note "the guest ended without reporting an exit status (qemu status $rc)"
		fi
		cat "$tmp/qemu.out" >&2
		vm_note "last lines of the kernel console:"
		tail -n 30 "$tmp/console.log" | tr -d '\r' >&2
	fi
	rm -rf "$tmp"
	trap - EXIT
	return "$status"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	case ${1:-} in
	run) shift; vm_run "$@" ;;
	prepare) vm_need_packages; k=$(vm_kernel_version); vm_base "$k" >/dev/null; echo "$k" ;;
	*) vm_die "usage: vm.sh run [--bin PATH]... [--file SRC:DEST]... [--module NAME]... GUEST_SCRIPT | vm.sh prepare" ;;
	esac
fi
