#!/usr/bin/env python3
"""Which thread held the CPUs while a gateway stream's first token was slow (bench/stream-trace.sh writes the input).

Input: a directory with the stream command's samples (start-<tag>.txt: each stream's send time, CLOCK_MONOTONIC ns;
ttfb-<tag>.txt and ttftnet-<tag>.txt in µs) for the tags d (direct), n (nginx) and g (gateway), measured round-robin,
and trace.txt: `perf script` of sched_switch and the send/recv system calls recorded with `perf record -k mono`, so
its times and the send stamps share one clock. The pids of the gateway, the client, the upstream and nginx's workers
name the threads.

Output: for the gateway streams of "quiet rotations" (the direct and nginx streams just before were normal), the ones
more than --slow-us above the gateway's median, each with the hop that was slow and what ran on the two CPUs during
the stream's first-token window, compared with the same figure for the normal streams; then a tally of the excess
by kind. Written by hand: no library reads perf's text output.
"""
import argparse
import bisect
import collections
import re
import statistics

SWITCH = re.compile(r"^\s*(.+?)\s+(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:sched_switch: prev_comm=(.*?) prev_pid=(\d+) "
                    r".*?prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)")
SYSCALL = re.compile(r"^\s*(.+?)\s+(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+syscalls:sys_(enter_sendto|exit_recvfrom):\s*(\S+)?")

# The hops of a gateway stream's first byte: who sends, who receives, in order.
HOPS = ["client sends", "gateway reads request", "gateway sends upstream", "upstream reads", "upstream answers",
        "gateway reads answer", "gateway sends to client", "client reads"]


def read_numbers(path, cast=float):
    with open(path, encoding="ascii") as f:
        return [cast(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--gateway", type=int, required=True)
    ap.add_argument("--client", type=int, required=True)
    ap.add_argument("--upstream", type=int, required=True)
    ap.add_argument("--nginx", default="", help="comma-separated pids of nginx's processes")
    ap.add_argument("--slow-us", type=float, default=800)
    a = ap.parse_args()
    nginx = {int(p) for p in a.nginx.split(",") if p}

    start = [s / 1e9 for s in read_numbers(f"{a.dir}/start-g.txt", int)]
    ttfb = read_numbers(f"{a.dir}/ttfb-g.txt")
    net = {t: read_numbers(f"{a.dir}/ttftnet-{t}.txt") for t in "dng"}

    switches, calls, pid_of = [], [], {}
    with open(f"{a.dir}/trace.txt", encoding="utf-8", errors="replace") as f:
        for line in f:
            if "sched_switch" in line:
                m = SWITCH.match(line)
                if m:
                    pid_of[int(m.group(3))] = int(m.group(2))
                    switches.append((float(m.group(5)), int(m.group(4)), m.group(9), int(m.group(10))))
            elif "syscalls:" in line:
                m = SYSCALL.match(line)
                if not m:
                    continue
                pid = int(m.group(2))
                if m.group(6) == "exit_recvfrom":
                    ret = int(m.group(7), 16)
                    if ret == 0 or ret >= 1 << 63:  # EOF or an error (EAGAIN): no data read
                        continue
                calls.append((float(m.group(5)), pid, m.group(6)))
    switch_times = [s[0] for s in switches]
    call_times = [c[0] for c in calls]

    def kind(tid, name):
        if tid == 0:
            return "idle CPU"
        pid = pid_of.get(tid)
        who = {a.gateway: "gateway", a.client: "client", a.upstream: "upstream"}.get(pid)
        if who is None:
            return "nginx" if pid in nginx else "other process"
        if "Tiered" in name:
            return who + " JIT"
        if name == "ledger-writer":
            return "gateway ledger"
        return who

    def occupancy(t0, t1):
        """Seconds each kind of thread ran on the CPUs between t0 and t1 (idle counted too)."""
        i = bisect.bisect_left(switch_times, t0 - 0.05)
        running, held = {}, collections.Counter()
        while i < len(switches) and switches[i][0] < t1:
            t, cpu, name, tid = switches[i]
            if cpu in running:
                prev_tid, prev_name, since = running[cpu]
                lo, hi = max(since, t0), min(t, t1)
                if hi > lo:
                    held[kind(prev_tid, prev_name)] += hi - lo
            running[cpu] = (tid, name, t)
            i += 1
        for prev_tid, prev_name, since in running.values():
            if t1 > max(since, t0):
                held[kind(prev_tid, prev_name)] += t1 - max(since, t0)
        return held

    steps = [(a.client, "enter_sendto"), (a.gateway, "exit_recvfrom"), (a.gateway, "enter_sendto"),
             (a.upstream, "exit_recvfrom"), (a.upstream, "enter_sendto"), (a.gateway, "exit_recvfrom"),
             (a.gateway, "enter_sendto"), (a.client, "exit_recvfrom")]

    def hops(t0):
        """Times of the first byte's hops after t0 (None when the trace lacks one)."""
        i, times = bisect.bisect_left(call_times, t0 - 0.0001), []
        for pid, call in steps:
            while i < len(calls) and not (calls[i][1] == pid and calls[i][2] == call):
                i += 1
            if i >= len(calls):
                return None
            times.append(calls[i][0])
            i += 1
        return [(times[k + 1] - times[k]) * 1e6 for k in range(len(times) - 1)]

    median = statistics.median(net["g"])
    quiet = [i for i in range(len(start)) if net["d"][i] < 1000 and net["n"][i] < 1300]
    slow = [i for i in quiet if net["g"][i] > median + a.slow_us]
    slow_set = set(slow)
    normal = [i for i in quiet if i not in slow_set]
    normal_held, normal_hops = collections.Counter(), []
    for i in normal:
        for k, v in occupancy(start[i], start[i] + net["g"][i] / 1e6).items():
            normal_held[k] += v / len(normal)
        h = hops(start[i])
        if h:
            normal_hops.append(h)
    hop_median = [statistics.median(h[k] for h in normal_hops) for k in range(7)] if normal_hops else [0] * 7

    print(f"gateway first token without the upstream's wait: median {median:.0f} us; {len(quiet)} quiet rotations of "
          f"{len(start)}; {len(slow)} gateway streams more than {a.slow_us:.0f} us above the median "
          f"({100 * len(slow) / max(1, len(quiet)):.1f} %)")
    print("normal streams, CPU time per first-token window (us): "
          + ", ".join(f"{k} {v * 1e6:.0f}" for k, v in normal_held.most_common()))
    print("normal streams, median of each hop (us): "
          + ", ".join(f"{HOPS[k]} -> {HOPS[k + 1]} {hop_median[k]:.0f}" for k in range(7)))
    tally = collections.Counter()
    for i in slow:
        held = occupancy(start[i], start[i] + net["g"][i] / 1e6)
        excess = {k: held.get(k, 0) - normal_held.get(k, 0) for k in set(held) | set(normal_held)}
        culprit = max(excess, key=excess.get)
        tally[culprit] += 1
        h = hops(start[i])
        slow_hop = ""
        if h:
            k = max(range(7), key=lambda k: h[k] - hop_median[k])
            slow_hop = f"slow hop: {HOPS[k]} -> {HOPS[k + 1]} {h[k]:.0f} us (median {hop_median[k]:.0f})"
        top = ", ".join(f"{k} +{v * 1e6:.0f}" for k, v in sorted(excess.items(), key=lambda x: -x[1])[:3] if v > 0)
        print(f"  stream {i}: {net['g'][i]:.0f} us (first byte {ttfb[i]:.0f}); {slow_hop}; most excess CPU: {top}")
    print("slow streams by the kind of thread with the most excess time: "
          + ", ".join(f"{k} {n}" for k, n in tally.most_common()))
    # The same share for every target, so the gateway's can be compared: streams more than --slow-us above their
    # target's median while the other two targets' streams of the rotation were within it of theirs.
    medians = {t: statistics.median(net[t]) for t in "dng"}
    shares = []
    for t, name in (("d", "direct"), ("n", "nginx"), ("g", "gateway")):
        others = [o for o in "dng" if o != t]
        calm = [i for i in range(len(net[t])) if all(net[o][i] < medians[o] + a.slow_us for o in others)]
        alone = [i for i in calm if net[t][i] > medians[t] + a.slow_us]
        shares.append(f"{name} {100 * len(alone) / max(1, len(calm)):.1f} % ({len(alone)} of {len(calm)}, median {medians[t]:.0f} us)")
    print("slow alone (the other two targets normal in the same rotation): " + ", ".join(shares))


if __name__ == "__main__":
    main()
