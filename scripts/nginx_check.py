"""`make nginx-check`: run `nginx -t` on the shipped nginx/nginx.conf outside compose.

The config names its upstream `api:8000` (compose's service), which nginx must resolve to
accept the file, so outside compose `nginx -t` fails on that line alone. Here the config is
rendered with only its addresses changed (the upstream to a local one, `listen` to a
loopback port) and its pid, temp and log paths in a temp dir, then checked with Debian's
nginx. Nothing is started and no port is opened.

    python3 scripts/nginx_check.py [--upstream 127.0.0.1:8000] [--config nginx/nginx.conf]

Standard library only (it runs before `make install`). tests/live/test_nginx_live.py runs
the same rendering in front of the real app.
"""

from __future__ import annotations

import argparse
import getpass
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "nginx" / "nginx.conf"
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
LISTEN = "        listen 80;\n"
UPSTREAM = "        server api:8000;\n"


def render(config: str, *, listen: str, upstream: str, prefix: Path) -> str:
    """The production config with only its addresses (and temp paths) changed."""
    for line in (LISTEN, UPSTREAM):
        if config.count(line) != 1:
            raise SystemExit(f"nginx.conf must contain {line.strip()!r} once")
    config = config.replace(LISTEN, f"        listen {listen};\n")
    config = config.replace(UPSTREAM, f"        server {upstream};\n")
    # On the `http {` line itself, so nginx's line numbers stay those of the file.
    temp = "".join(f" {kind}_temp_path {prefix / kind};" for kind in TEMP_DIRS)
    return config.replace("http {\n", "http {" + temp + "\n", 1)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


def check(config: Path, upstream: str) -> int:
    """`nginx -t` on the rendered config; its output goes to stderr, the verdict to stdout."""
    binary = nginx_binary()
    if binary is None:
        print("nginx is not installed: apt-get install nginx (Debian's; .ci/run does)")
        return 1
    with tempfile.TemporaryDirectory(prefix="nginx-check-") as tmp:
        prefix = Path(tmp)
        for kind in ("logs", *TEMP_DIRS):
            (prefix / kind).mkdir()
        rendered = prefix / "nginx.conf"
        rendered.write_text(
            render(config.read_text(), listen="127.0.0.1:8080", upstream=upstream, prefix=prefix)
        )
        # As root, nginx would check that worker user `nobody` exists; as anyone else, the
        # directive is ignored: either way this user is fine.
        directives = f"pid {prefix / 'nginx.pid'}; user {getpass.getuser()};"
        errors = prefix / "logs" / "error.log"
        command = [binary, "-t", "-q", "-p", str(prefix), "-c", str(rendered)]
        command += ["-e", str(errors), "-g", directives]
        done = subprocess.run(  # noqa: S603 (our nginx, our arguments)
            command,
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
    sys.stderr.write(done.stderr.replace(str(rendered), str(config)))
    name = config.relative_to(ROOT) if config.is_relative_to(ROOT) else config
    if done.returncode != 0:
        print(f"{name}: FAILED (nginx -t)")
        return 1
    print(f"{name}: ok (nginx -t, upstream {upstream})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", default="127.0.0.1:8000", help="host:port of the app")
    parser.add_argument("--config", type=Path, default=CONFIG)
    args = parser.parse_args(argv)
    return check(args.config.resolve(), args.upstream)


if __name__ == "__main__":
    sys.exit(main())
