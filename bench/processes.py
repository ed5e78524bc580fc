"""What Linux's /proc says of a process, for the benchmarks' CPU accounting."""

from pathlib import Path
from typing import NamedTuple


class ProcessTimes(NamedTuple):
    parent: int  # the parent's pid
    cpu_ticks: int  # user + system time, in clock ticks (os.sysconf("SC_CLK_TCK") a second)


def process_times(stat: Path) -> ProcessTimes:
    """From `/proc/<pid>/stat`. The fields are counted from the last ")": the command name before
    it may hold spaces and parentheses."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return ProcessTimes(int(fields[1]), int(fields[11]) + int(fields[12]))
