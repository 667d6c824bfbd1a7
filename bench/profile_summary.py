#!/usr/bin/env python3
"""Summarises bench/profile.sh's captures: wrk's figures, the counters (per second and per request) and the
stack sample's top methods by on-CPU time.

usage: profile_summary.py WRK_OUTPUT COUNTERS_JSON SPEEDSCOPE_JSON [TOP_N]

The sample is dotnet-sampled-thread-time (every thread, about every 10 ms, running or not): a stack counts as on
CPU, in managed code or in native code called from it (SQLite, sockets), unless its last managed frame is a known
wait (idle thread pool workers waiting or spinning, Monitor.Wait, wait handles, epoll, the file watcher), which
is time off CPU and left out. On a busy machine "on CPU" includes time runnable but not running.
"""
import collections
import json
import re
import sys

WAITS = re.compile(
    r"WaitHandle\.WaitOneNoCheck|LowLevelLifoSemaphore\.Wait|LowLevelSpinWaiter\.Wait|Monitor\.Wait\(|ManualResetEventSlim\.Wait"
    r"|Interop\+Sys\.WaitForSocketEvents|Interop\+Sys\.Read\(|Thread\.Sleep|LowLevelMonitor|SpinThenBlockingWait"
    r"|Interop\+Sys\.Poll|^\?!\?$")
PSEUDO = {"CPU_TIME", "UNMANAGED_CODE_TIME"}


def wrk_figures(path):
    text = open(path).read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return (float(rps.group(1)) if rps else 0.0, p99.group(1) if p99 else "?", int(errors.group(1)) if errors else 0)


def counters(path):
    """name -> list of (tags, value) per sample, rates turned into per-second values."""
    events = json.load(open(path))["Events"]
    series = collections.defaultdict(list)
    for e in events:
        name, value = e["name"], float(e["value"])
        per = re.search(r"/ (\d+) sec\)", name)
        # The queue length is reported per interval too but is a level, not a rate.
        if per and "queue.length" not in name:
            value /= float(per.group(1))
        base = re.sub(r" \(.*\)$", "", name)
        series[base].append((e.get("tags", ""), value))
    return series


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def tagged(series, name, tag=None):
    return [v for t, v in series.get(name, []) if tag is None or tag in t]


def summarise_counters(series, wrk_rps):
    request_rate = mean(tagged(series, "Request Rate")) or wrk_rps
    cpu = mean(tagged(series, "dotnet.process.cpu.time", "user")) + mean(tagged(series, "dotnet.process.cpu.time", "system"))
    cores = max(tagged(series, "dotnet.process.cpu.count") or [1])
    allocated = mean(tagged(series, "dotnet.gc.heap.total_allocated"))
    gens = [mean(tagged(series, "dotnet.gc.collections", f"gen{g}")) for g in range(3)]
    queue = tagged(series, "dotnet.thread_pool.queue.length")
    lines = [
        f"requests/s (hosting counter): {request_rate:,.0f}",
        f"CPU: {cpu * 100:.0f}% of one core ({cpu / cores * 100:.0f}% of {cores:.0f}); "
        f"{cpu / request_rate * 1e6 if request_rate else 0:,.0f} us of CPU per request",
        f"GC heap allocation: {allocated / 1e6:,.1f} MB/s = {allocated / request_rate if request_rate else 0:,.0f} bytes per request",
        f"GC collections per second: gen0 {gens[0]:.2f}, gen1 {gens[1]:.2f}, gen2 {gens[2]:.2f}; "
        f"pause {mean(tagged(series, 'dotnet.gc.pause.time')) * 100:.1f}% of the time",
        f"thread pool: queue length mean {mean(queue):.1f}, max {max(queue or [0]):.0f}; "
        f"work items {mean(tagged(series, 'dotnet.thread_pool.work_item.count')):,.0f}/s",
        f"lock contentions: {mean(tagged(series, 'dotnet.monitor.lock_contentions')):,.1f}/s",
        f"working set: {max(tagged(series, 'dotnet.process.memory.working_set') or [0]) / 2**20:.0f} MiB",
    ]
    # The portal's own meter (DownloadMetrics): the two writers that share SQLite's write turn.
    for title, prefix, unit in (("usage ledger", "ep.usage_ledger", "requests"), ("history writer", "ep.download_events", "events")):
        batches = mean(tagged(series, f"{prefix}.batches"))
        items = mean(tagged(series, f"{prefix}.items" if unit == "requests" else f"{prefix}.written"))
        busy = mean(tagged(series, f"{prefix}.batch_time"))
        if batches:
            line = (f"{title}: {batches:,.0f} batches/s, {items / batches:,.1f} {unit} per batch, "
                    f"{busy / batches:.2f} ms per batch ({busy / 10:.0f}% of the time busy)")
            wait = mean(tagged(series, f"{prefix}.write_wait"))
            if wait:
                line += f", of which {wait / batches:.2f} ms waiting for the write turn"
            lines.append(line)
    return lines


def short(name):
    if name == "?!?":
        return "? (unresolved frame)"
    name = re.sub(r"^[^!]*!", "", name)  # the module
    name = re.sub(r"\(.*", "()", name)  # the parameters
    return name[:110]


def summarise_trace(path, top):
    data = json.load(open(path))
    names = [f["name"] for f in data["shared"]["frames"]]
    inclusive, exclusive = collections.Counter(), collections.Counter()
    on_cpu = off_cpu = 0.0
    for profile in data["profiles"]:
        stack, last = [], None
        for event in profile["events"]:
            if last is not None and stack:
                span = event["at"] - last
                frames = [names[f] for f in stack if names[f] not in PSEUDO]
                if frames and WAITS.search(re.sub(r"^[^!]*!", "", frames[-1])):
                    off_cpu += span
                elif frames:
                    on_cpu += span
                    exclusive[short(frames[-1])] += span
                    for name in set(short(f) for f in frames):
                        inclusive[name] += span
            last = event["at"]
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                stack.pop()
    lines = [f"sampled thread time: {on_cpu / 1000:.1f} s on CPU, {off_cpu / 1000:.1f} s waiting (left out)"]
    for title, counter in (("inclusive", inclusive), ("exclusive", exclusive)):
        lines.append(f"top {top} methods by {title} on-CPU time (% of on-CPU samples):")
        # Thread roots and async plumbing sit under everything and say nothing about where the time goes.
        skip = ("Thread.StartCallback", "WorkerThread.WorkerThreadStart", "ThreadPoolWorkQueue.Dispatch",
                "ExecutionContext.Run", "PortableThreadPool", "AsyncMethodBuilderCore", "AsyncTaskMethodBuilder",
                "AsyncValueTaskMethodBuilder", "AsyncStateMachineBox", "Task.RunContinuations", "AwaitTaskContinuation",
                "SocketAsyncEngine.EventLoop", "lambda_method")
        rows = [(n, v) for n, v in counter.most_common()
                if title == "exclusive" or "." in n and not n.startswith("Process") and not any(s in n for s in skip)]
        for name, value in rows[:top]:
            lines.append(f"  {value / on_cpu * 100 if on_cpu else 0:5.1f}%  {name}")
    return lines


def main():
    wrk_path, counters_path, trace_path = sys.argv[1:4]
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    rps, p99, errors = wrk_figures(wrk_path)
    print("== profile summary: 4 KiB token download")
    print(f"wrk (counters window): {rps:,.0f} req/s, p99 {p99}, non-2xx {errors}")
    for line in summarise_counters(counters(counters_path), rps):
        print(line)
    for line in summarise_trace(trace_path, top):
        print(line)


if __name__ == "__main__":
    main()
