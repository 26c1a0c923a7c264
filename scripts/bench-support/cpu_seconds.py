"""Prints the CPU seconds (user + system) used so far by the server process
and by PostgreSQL: the postmaster, the children it has reaped, and the
children still running; then, when more process ids follow, their sum (the
backends of the consultation stream's consumers, say).
Usage: cpu_seconds.py SERVER_PID POSTMASTER_PID [PID ...]"""
import os
import subprocess
import sys

TICK = os.sysconf("SC_CLK_TCK")


def cpu(pid, reaped_children=False):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


server, postmaster, others = sys.argv[1], sys.argv[2], sys.argv[3:]
children = subprocess.run(["pgrep", "-P", postmaster], capture_output=True, text=True).stdout.split()
database = cpu(postmaster, reaped_children=True) + sum(cpu(pid) for pid in children)
print(f"{cpu(server):.2f} {database:.2f}" + (f" {sum(cpu(pid) for pid in others):.2f}" if others else ""))
