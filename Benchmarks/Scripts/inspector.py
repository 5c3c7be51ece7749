#!/usr/bin/env python3
"""The inspector in a real terminal (tmux): the cost of a frame with a 16 KiB token on screen, and the CPU it
uses while idle. The binary logs each frame it draws (LAYABAUTH_FRAME_LOG: microseconds to lay the screen out,
then to draw it through ncurses, output included).

    Benchmarks/Scripts/inspector.py [frames] [idle seconds]     # default 400 frames, 10 s idle

A frame is forced by a key (Down and Up in turn: each makes the inspector re-render the whole screen). Idle CPU
is the process's user + system time (/proc/<pid>/stat) over the idle period, with the frames drawn meanwhile:
one a second for the countdown is expected.
"""
import os
import statistics
import subprocess
import sys
import time

from bench_setup import AUDIENCE, ISSUER, build_release, machine, mint, work_folder

SOCKET = f"layabauth-bench-{os.getpid()}"


def tmux(*arguments):
    return subprocess.run(["tmux", "-L", SOCKET, *arguments], check=True, capture_output=True, text=True).stdout


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def frames(log):
    with open(log) as file:
        return [tuple(int(x) for x in line.split()) for line in file if line.strip()]


def summary(values):
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return f"{statistics.median(values) / 1000:.3f} ms median, {p99 / 1000:.3f} ms p99, {values[-1] / 1000:.3f} ms max"


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    idle = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    work = work_folder("inspector")
    (binary,) = build_release("layabauth")
    token_file, jwks, log = (os.path.join(work, name) for name in ("token.txt", "jwks.json", "frames.log"))
    mint(1, token_file, jwks, padding=11600)
    size = len(open(token_file).read().strip())
    if os.path.exists(log):
        os.remove(log)
    tmux("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-e", f"LAYABAUTH_FRAME_LOG={log}", "-e", "LANG=C.UTF-8",
         binary, f"@{token_file}", "--key", jwks, "--issuer", ISSUER, "--audience", AUDIENCE)
    try:
        pid = int(tmux("list-panes", "-F", "#{pane_pid}").split()[0])
        deadline = time.time() + 30
        while "Signature" not in tmux("capture-pane", "-p") and time.time() < deadline:
            time.sleep(0.1)
        if "VALID" not in tmux("capture-pane", "-p"):
            sys.exit("the inspector did not show the token as valid:\n" + tmux("capture-pane", "-p"))
        # Frames forced by keys, paced so that each key gets a frame of its own.
        before = len(frames(log))
        for index in range(count):
            tmux("send-keys", "Down" if index % 2 == 0 else "Up")
            time.sleep(0.01)
        time.sleep(1)
        forced = frames(log)[before:]
        # Idle: no key for `idle` seconds.
        time.sleep(1.5)
        idle_before, cpu_before = len(frames(log)), cpu_seconds(pid)
        time.sleep(idle)
        idle_frames, cpu = len(frames(log)) - idle_before, cpu_seconds(pid) - cpu_before
        tmux("send-keys", "q")
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    print(f"{machine()}; "
          f"terminal 120x40 (tmux), token of {size:,} bytes")
    print(f"| measure | result |")
    print("|---|---|")
    print(f"| frames measured | {len(forced)} (forced by {count} keys) |")
    print(f"| layout (InspectorView.render) | {summary([f[0] for f in forced])} |")
    print(f"| drawing (ncurses, output included) | {summary([f[1] for f in forced])} |")
    print(f"| whole frame | {summary([f[0] + f[1] for f in forced])} |")
    print(f"| idle {idle} s | {cpu * 1000:.0f} ms of CPU ({cpu / idle * 100:.2f} %), {idle_frames} frames |")
    whole = sorted(f[0] + f[1] for f in forced)
    median, p99 = statistics.median(whole) / 1000, whole[int(len(whole) * 0.99)] / 1000
    print(f"\nfull re-render: median {median:.3f} ms (target ≤ 2 ms: {'met' if median <= 2 else 'MISSED'}), p99 {p99:.3f} ms")


if __name__ == "__main__":
    main()
