"""wrk, the load generator: a Lua script per scenario, results read back as JSON.

One wrk thread (an event loop written in C) is enough to saturate one Python worker
and leaves the other core to the server.
"""

import itertools
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_LUA = """
local bodies = {bodies}
local counter = 0
wrk.method = "{method}"
wrk.headers["Content-Type"] = "application/json"
{auth}
{delay}
request = function()
  counter = counter + 1
  local body = nil
  if #bodies > 0 then body = bodies[(counter % #bodies) + 1] end
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {{\\"requests\\":%d,\\"duration_us\\":%d,\\"errors\\":%d,"
    .. "\\"p50_us\\":%d,\\"p99_us\\":%d,\\"mean_us\\":%.1f}}\\n",
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    mean_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


@dataclass(frozen=True)
class Load:
    """What to send: the same request (or a rotation of bodies) over and over."""

    url: str
    method: str = "GET"
    bodies: tuple[str, ...] = ()
    token: str | None = None
    pause_ms: int = 0  # per connection between requests: a paced client, not a flood


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("wrk is not installed (make bench installs it with apt-get)")
    return path


_script_numbers = itertools.count()


def _script(load: Load, directory: Path) -> Path:
    auth = f'wrk.headers["Authorization"] = "Bearer {load.token}"' if load.token else ""
    bodies = "{" + ",".join(f"[==[{body}]==]" for body in load.bodies) + "}"
    path = directory / f"wrk-{next(_script_numbers)}.lua"
    delay = f"delay = function() return {load.pause_ms} end" if load.pause_ms else ""
    path.write_text(_LUA.format(bodies=bodies, method=load.method, auth=auth, delay=delay))
    return path


class WrkRun:
    """A wrk process running in the background; `result()` waits for it."""

    def __init__(
        self, load: Load, connections: int, seconds: float, directory: Path, timeout: int = 10
    ) -> None:
        command = [require_wrk(), "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
        command += [f"--timeout={timeout}s", "-s", str(_script(load, directory)), load.url]
        self._process = subprocess.Popen(  # noqa: S603 (wrk with our own arguments)
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def result(self) -> WrkResult:
        out, err = self._process.communicate()
        line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
        if self._process.returncode != 0 or line is None:
            raise RuntimeError(f"wrk failed: {err or out}")
        data = json.loads(line.removeprefix("WRKJSON "))
        if data["requests"] == 0:
            raise RuntimeError("wrk: no request completed (server too slow or failing)")
        return WrkResult(
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            errors=data["errors"],
            p50_ms=data["p50_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            mean_ms=data["mean_us"] / 1000,
        )


def run_wrk(
    load: Load, connections: int, seconds: float, directory: Path, timeout: int = 10
) -> WrkResult:
    return WrkRun(load, connections, seconds, directory, timeout).result()
