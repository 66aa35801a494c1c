#!/usr/bin/env python3
"""Writes the seed corpus (tests/fuzz/corpus/) from the snippets below and
the project's example configs. Run it after editing a snippet; the corpus
files are committed so that the fuzzers and the replay test need no step.

A NUL byte separates main.conf from inc.conf for fuzz_preprocessor;
fuzz_config reads the whole input as one file (the NUL part then is just
more text)."""
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

SNIPPETS = {
    'lex-comments': r'''# a hash comment
! a bang comment
global_defs {   # trailing hash comment
    router_id lb1 ! trailing bang comment
    notification_email_from "a#b!c@example.com"   # quoted # and ! are not comments
}
''',
    'lex-quotes': r'''global_defs {
    router_id "two words"
    notification_email_from 'single "quoted" words'
    smtp_helo_name abc"d e"f
    notification_email {
        "" 'x' "{" '}'
        "unterminated quote
    }
}
''',
    'lex-escapes': r'''global_defs {
    router_id "tab\there\nnewline"
    notification_email_from "\x41\101\\\"\cA\E\q\a\b\f\r\v"
    smtp_helo_name 'hex\x4a\x4bk octal\0\12\377'
    notification_email {
        outside\tquotes\x41
    }
}
''',
    'lex-include': 'include inc.conf\nincluder inc.conf\nincludem missing.conf\n'
                   'includew /etc/keepalived/*.conf\nincludeb {inc,other}.conf\n'
                   'includea "inc.conf"\ninclude_check readable -match +wildcard_match brace_match\n'
                   'global_defs {\n    router_id main\n}\n'
                   '\0'
                   '! inc.conf\nvrrp_script chk {\n    script "/bin/true"\n}\ninclude main.conf\n',
    'lex-include-relative': 'include ./inc.conf\ninclude ../keepalived/inc.conf\ninclude ${_PWD}/inc.conf\n'
                            '\0'
                            '$FROM_INC=eth0\n',
    'lex-defs': r'''$IF=eth0
$VIP=10.0.0.100/24
$_X=1
${IF}=not a definition
vrrp_instance VI_$_X {
    interface $IF
    virtual_ipaddress {
        $VIP dev ${IF}
    }
    notify "${_PWD}/notify.sh ${_INSTANCE} ${_HASH} ${_BANG}"
    notify_master "/bin/echo ${_ENV FUZZ} ${_ENV UNSET} ${_RANDOM} ${_RANDOM 5} ${_RANDOM 1 10}"
    $UNDEFINED $IF$IF ${IF}${IF} $ ${ ${}
}
''',
    'lex-multiline-def': r'''$RS=real_server 10.0.0.1 80 { \
    weight 1 \
    TCP_CHECK { \
        connect_timeout 3 \
    } \
}
$EMPTY=\

virtual_server 10.0.0.100 80 {
    lb_algo rr
    $RS
    $EMPTY
}
''',
    'lex-generators': r'''virtual_server 10.0.0.100 80 {
    ~SEQ(i, 1, 3) real_server 10.0.0.$i 80 { weight $i }
    ~SEQ(i, 5) real_server 10.0.1.$i 80 { weight 1 }
    ~SEQ(i, 10, -3, 1) real_server 10.0.2.$i 80 { weight 1 }
    ~SEQx(h, 250, 255) real_server fe80::$h 80 { weight 1 }
    ~LST(p, 80, 443, 8080) real_server 10.0.3.1 $p { weight 1 }
    ~LST({a, p}, {10.0.4.1, 80}, {10.0.4.2, 81}) real_server $a $p { weight 1 }
    ~SEQ(i, 1, 2) ~LST(j, x, y) real_server 10.0.5.$i 8$i { weight 1 }
}
~SEQ(i, 0) bad
~SEQ(i, 1, 0, 3) bad
~LST({a, b}, {1}) bad
''',
    'lex-conditionals': r'''@fuzz global_defs {
@^fuzz global_defs {
@other global_defs {
    @fuzz router_id for-fuzz
    @^fuzz router_id not-fuzz
    @^other vrrp_version 3
    @
    @^
}
''',
    'lex-braces': r'''global_defs { router_id r1 }
vrrp_instance VI_1
{
    state MASTER }
a { b c } d
x { y { z } }
virtual_server 10.0.0.1 80 {} virtual_server 10.0.0.2 80
{
real_server 10.0.0.3 80 { weight 1 } }
}
{
''',
    'block-global-defs': r'''global_defs {
    notification_email {
        admin@example.com
        ops@example.com
    }
    notification_email_from lb@example.com
    smtp_server 10.0.0.25 25
    smtp_helo_name lb1.example.com
    smtp_connect_timeout 30
    smtp_alert
    smtp_alert_vrrp off
    smtp_alert_checker on
    router_id LVS_DEVEL
    script_user nobody nogroup
    enable_script_security
    vrrp_version 3
    vrrp_strict
    vrrp_mcast_group4 224.0.0.18
    vrrp_mcast_group6 ff02::12
    vrrp_garp_master_delay 10
    vrrp_garp_master_repeat 1
    vrrp_garp_master_refresh 60
    vrrp_garp_master_refresh_repeat 2
    vrrp_garp_lower_prio_delay 5
    vrrp_garp_lower_prio_repeat 5
    vrrp_garp_interval 0.001
    vrrp_gna_interval 0.000001
    vrrp_lower_prio_no_advert true
    vrrp_higher_prio_send_advert false
    vrrp_check_unicast_src
    vrrp_skip_check_adv_addr
    vrrp_down_timer_adverts 3
    max_auto_priority 10
    default_interface eth0
    lvs_flush
    lvs_flush_on_stop
    lvs_timeouts tcp 900 tcpfin 120 udp 300
    lvs_sync_daemon eth0 VI_1 id 10 maxlen 1500 port 8848 ttl 1 group 224.0.0.81
    notify_fifo /run/keepalived.fifo root root
    notify_fifo_script /usr/local/bin/fifo.sh
    vrrp_notify_fifo /run/vrrp.fifo
    vrrp_notify_fifo_script /usr/local/bin/vrrp-fifo.sh
    lvs_notify_fifo /run/lvs.fifo
    lvs_notify_fifo_script /usr/local/bin/lvs-fifo.sh
    process_name keepalived
    vrrp_priority -20
    checker_priority -20
    dynamic_interfaces
    vmac_prefix vrrp
}
net_namespace blue
instance one
use_pid_dir
linkbeat_use_polling
child_wait_time 5
''',
    'block-vrrp': r'''vrrp_script chk_nginx {
    script "/usr/bin/pgrep nginx"
    interval 2
    timeout 3
    weight -20
    rise 2
    fall 3
    user nobody
    init_fail
}
vrrp_track_file tf1 {
    file /run/track1
    weight 10
    init_file 0 overwrite
}
track_file tf2 {
    file /run/track2
}
vrrp_sync_group VG_1 {
    group {
        VI_1
        VI_2
    }
    notify_master /usr/local/bin/master.sh
    notify_backup /usr/local/bin/backup.sh
    notify_fault "/usr/local/bin/fault.sh VG_1"
    notify /usr/local/bin/notify.sh
    smtp_alert
    track_script {
        chk_nginx
    }
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    nopreempt
    preempt_delay 300
    garp_master_delay 1
    version 3
    use_vmac vrrp51
    vmac_xmit_base
    dont_track_primary
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    unicast_src_ip 10.0.0.2
    unicast_peer {
        10.0.0.3
        10.0.0.4 min_ttl 1 max_ttl 255
    }
    virtual_ipaddress {
        10.0.0.100/24 dev eth0 label eth0:vip
        10.0.0.101
        10.0.0.102/32 brd 10.0.0.255 scope global
    }
    virtual_ipaddress_excluded {
        fe80::100/64
    }
    virtual_routes {
        10.1.0.0/16 via 10.0.0.1 dev eth0
        blackhole 10.2.0.0/16
    }
    virtual_rules {
        from 10.0.0.0/8 table 100
    }
    track_interface {
        eth0 weight 10
        lo
    }
    track_script {
        chk_nginx weight 5
    }
    track_file {
        tf1 weight 1
    }
    notify_master "/usr/local/bin/notify.sh MASTER"
    notify_backup "/usr/local/bin/notify.sh BACKUP"
    notify_fault "/usr/local/bin/notify.sh FAULT"
    notify_stop "/usr/local/bin/notify.sh STOP"
    notify /usr/local/bin/notify.sh
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 52
    priority 100
    advert_int 0.5
    virtual_ipaddress {
        fe80::52
    }
}
static_ipaddress {
    10.0.0.200/24 dev eth0
}
static_routes {
    10.3.0.0/16 via 10.0.0.1
}
static_rules {
    from 10.0.0.200 table 200
}
''',
    'block-lvs': r'''virtual_server_group VSG_1 {
    10.0.0.100 80
    10.0.0.110-120 80
    fwmark 7
}
virtual_server group VSG_1 {
    delay_loop 6
    lb_algo wlc
    lb_kind NAT
    protocol TCP
    real_server 10.0.1.1 80 {
        weight 2
        HTTP_GET {
            url {
                path /health
                digest 9b3a0c85a887a256d6939da88aabd8cd
                status_code 200
            }
            connect_timeout 3
            retry 3
            delay_before_retry 2
        }
    }
}
virtual_server fwmark 1 {
    lb_algo sh
    lb_kind TUN
    persistence_timeout 300
    persistence_granularity 255.255.255.0
    ha_suspend
    alpha
    omega
    quorum 2
    hysteresis 1
    quorum_up /usr/local/bin/up.sh
    quorum_down /usr/local/bin/down.sh
    sorry_server 10.0.9.9 80
    sorry_server_inhibit
    real_server 10.0.1.2 443 {
        weight 1
        inhibit_on_failure
        notify_up /usr/local/bin/rs-up.sh
        notify_down /usr/local/bin/rs-down.sh
        SSL_GET {
            url {
                path /
                status_code 200-299
            }
        }
    }
}
virtual_server 10.0.0.100 53 {
    lb_algo rr
    lb_kind DR
    protocol UDP
    real_server 10.0.1.3 53 {
        DNS_CHECK {
            type A
            name example.com
        }
    }
    real_server 10.0.1.4 53 {
        UDP_CHECK {
            connect_timeout 3
        }
    }
    real_server 10.0.1.5 53 {
        MISC_CHECK {
            misc_path "/usr/local/bin/check.sh 10.0.1.5"
            misc_timeout 5
            misc_dynamic
            user nobody
        }
    }
    real_server 10.0.1.6 53 {
        PING_CHECK {
        }
        FILE_CHECK {
            track_file tf1
        }
    }
}
virtual_server 10.0.0.100 25 {
    protocol TCP
    real_server 10.0.1.7 25 {
        SMTP_CHECK {
            helo_name lb.example.com
            host {
                connect_ip 10.0.1.7
                connect_port 25
            }
        }
    }
}
''',
    'block-opaque': r'''linkbeat_interfaces {
    eth0
}
track_group TG1 {
    group {
        VI_1
    }
}
garp_group {
    garp_interval 0.1
    interface eth0
}
bfd_instance BFD1 {
    neighbor_ip 10.0.0.9
    min_rx 100
}
interface_up_down_delays {
    eth0 1 2
}
''',
    'weird-errors': r'''unknown_keyword here
global_defs
router_id no-block
}
}
{
global_defs {
    vrrp_version 9
    smtp_connect_timeout -1
    lvs_timeouts tcp
    script_user nosuchuser
    notify_fifo_script /x
}
virtual_server
vrrp_instance
''',
}


def main():
    out = HERE / 'corpus'
    out.mkdir(exist_ok=True)
    for name, text in SNIPPETS.items():
        (out / (name + '.conf')).write_bytes(text.encode())
    for example in sorted((ROOT / 'examples').glob('*/*.conf')):
        (out / f'example-{example.parent.name}-{example.name}').write_bytes(example.read_bytes())


if __name__ == '__main__':
    main()
